"""Text-only mentions (as LLMs give them) -> placed entity mentions.

Input: JSON lines ``{"doc_id": ..., "mentions": [{"text": "Putin", "label": "PERSON"},
...]}`` (the list may be called ``entities``; an item's label may be called ``type``; a
line may give the document ``text`` instead of, or as well as, ``doc_id``). Items may
carry ``occurrence`` (0-based: 0 is the first occurrence) or ``context`` (a stretch of the
document text around the mention), and for the timex and coreference layers ``value`` (a
TIMEX3 value: the mention is then a time expression, its type ``timex_type`` or its label
when that is DATE, TIME, DURATION or SET) and ``cluster`` (a chain id).

**Placement rule**: :mod:`newsgold.formats.textonly_place` (rules 1-7; it looks only at
the system's output and the document text, never at the gold).

A line may also be a **bare list** of items, ``[{"text": "Putin", "label": "PERSON"}]``:
bare lists have no doc_id and no text, so they are matched to the corpus by order (the
n-th line is the n-th document in doc_id order, with a warning), allowed only when every
line is a bare list and there is one per corpus document. A whole file that is one
pretty-printed JSON list is one bare list (a one-document corpus).

Counts go in ``Predictions.placement`` (``placed``, ``unplaceable``, ``ambiguous``,
``relaxed``, ``context_unmatched``, and ``repeated`` under rule 7), with the ``placed``,
``unplaceable`` and ``ambiguous`` counts the *other* rule would give under keys
``"all: placed"`` (or ``"listed: placed"``) and so on; every unplaceable or ambiguous item also gives a
warning naming the document and the string. An item without a non-empty ``text`` or
label, or with a bad ``occurrence``/``context``, is an error naming file, line and field.

>>> from newsgold.model import Document
>>> doc = Document("d", "Putin met Putin.")
>>> [(p.start, p.status) for p in place(doc, [{"text": "Putin", "label": "PER"}] * 3)]
[(0, 'placed'), (10, 'placed'), (None, 'unplaceable')]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgold.formats import textonly_place as _placement
from newsgold.formats.collect import Collector
from newsgold.formats.jsonl import iter_jsonl

# the placement rule lives in textonly_place; its names stay importable from here
from newsgold.formats.textonly_place import (  # noqa: F401
    _IGNORECASE_ASCII,
    _QUOTES,
    OCCURRENCE_RULES,
    Placed,
    place,
)
from newsgold.model import TIMEX, Cluster, Mention
from newsgold.timex_values import TIMEX3_TYPES

#: kept under its old name (``read_text_mentions`` has a parameter of the same name)
occurrences = _placement.occurrences


def _validate(item: Any, f: str, collector: Collector, line: int, doc_id: str) -> dict | None:
    where = {"line": line, "doc_id": doc_id}
    if not isinstance(item, dict):
        collector.error(f"expected an object, got {item!r:.40}", field=f, **where)
        return None
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        collector.error(f"missing or empty mention text: {text!r}", field=f + ".text", **where)
        return None
    label = item.get("label", item.get("type"))
    if not isinstance(label, str) or not label.strip():
        collector.error(f"missing or empty label: {label!r}", field=f + ".label", **where)
        return None
    occ = item.get("occurrence")
    if occ is not None and (isinstance(occ, bool) or not isinstance(occ, int) or occ < 0):
        collector.error(
            f"occurrence must be an integer >= 0 (0 is the first), got {occ!r}",
            field=f + ".occurrence",
            **where,
        )
        return None
    ctx = item.get("context")
    if ctx is not None and not isinstance(ctx, str):
        collector.error(f"context must be a string, got {ctx!r}", field=f + ".context", **where)
        return None
    for key in ("value", "timex_type", "cluster"):
        v = item.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, str | int)):
            collector.error(f"{key} must be a string, got {v!r:.40}", field=f"{f}.{key}", **where)
            return None
    return {"text": text, "label": label, "occurrence": occ, "context": ctx, "raw": item}


def _timex_and_cluster(m: Mention, item: dict[str, Any]) -> None:
    """An item's TIMEX3 ``value`` (and ``timex_type``, else a TIMEX3 label) makes the
    mention a timex; its ``cluster`` names its coreference chain."""
    if item.get("value") is not None:
        m.kind = TIMEX
        m.attrs["value"] = str(item["value"])
        t = item.get("timex_type") or (m.label if m.label in TIMEX3_TYPES else None)
        if t:
            m.attrs["type"] = str(t)
    if item.get("cluster") is not None:
        m.cluster = str(item["cluster"])


def _lines(path: Path, collector: Collector):
    """``(line, object)`` pairs: JSON lines, each an object or a bare list of mentions; or
    a whole file that is one (pretty-printed) JSON list of mentions, as line 1."""
    import orjson

    try:
        raw = path.read_bytes()
    except OSError as exc:
        collector.error(f"cannot open: {exc.strerror}")
        return
    stripped = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"[") and b"\n" in stripped.strip():
        try:
            whole = orjson.loads(stripped)
        except ValueError:
            whole = None
        if isinstance(whole, list):  # one JSON list over several lines: one document
            yield 1, whole
            return
    list_lines = set()
    for n, raw_line in enumerate(raw.split(b"\n"), start=1):
        if not raw_line.strip():
            continue
        if raw_line.lstrip(b"\xef\xbb\xbf \t").startswith(b"["):
            list_lines.add(n)
            try:
                value = orjson.loads(raw_line.lstrip(b"\xef\xbb\xbf"))
            except ValueError as exc:
                collector.error(f"malformed JSON: {exc}", line=n)
                continue
            yield n, value
    # the object lines, with iter_jsonl's messages (UTF-8, truncation, non-objects)
    for n, obj, problem in iter_jsonl(path):
        if problem is not None:
            if problem.line not in list_lines:  # those lines were read (or reported) above
                collector.errors.append(problem)
            continue
        yield n, obj


def read_text_mentions(path: Path, collector: Collector, occurrences: str = "listed") -> None:
    """Read text-only mentions into ``collector`` (see the module docstring).

    ``occurrences`` is the placement rule: ``listed`` (rules 1-6) or ``all`` (rule 7).
    ``Predictions.placement`` counts the rule used, and under ``other:`` keys what the
    other rule would have given, so a user sees the choice's effect without the gold."""
    if occurrences not in OCCURRENCE_RULES:
        collector.error(
            f"--occurrences must be one of {', '.join(OCCURRENCE_RULES)}, not {occurrences!r}",
            field="--occurrences",
        )
        return
    other = "all" if occurrences == "listed" else "listed"
    for key in ("placed", "unplaceable", "ambiguous"):
        collector.placement[key] += 0
        collector.placement[f"{other}: {key}"] += 0
    lines = sorted(_lines(path, collector), key=lambda x: x[0])
    bare = [n for n, v in lines if isinstance(v, list)]
    by_order = sorted(collector.corpus)
    if bare:
        if len(lines) != len(by_order) or len(bare) != len(lines):
            collector.error(
                f"{len(bare)} line(s) are bare lists of mentions (no doc_id, no text), which "
                f"are matched to the corpus documents by order, but the file has "
                f"{len(lines)} line(s) for {len(by_order)} corpus document(s); write "
                '{"doc_id": ..., "mentions": [...]} per document',
                line=bare[0],
            )
            return
        collector.warn(
            f"{len(bare)} bare list(s) of mentions matched to corpus documents by order "
            "(the n-th list is the n-th document in doc_id order)"
        )
    for pos, (n, obj) in enumerate(lines):
        if isinstance(obj, list):
            key, items, doc = "", obj, collector.corpus[by_order[pos]]
        else:
            if "mentions" in obj and "entities" in obj:
                collector.error("give 'mentions' or 'entities', not both", line=n, field="mentions")
                continue
            key = "mentions" if "mentions" in obj else "entities"
            items = obj.get(key)
            if not isinstance(items, list):
                collector.error(f"missing or non-list '{key}'", line=n, field=key)
                continue
            doc_id, text = obj.get("doc_id"), obj.get("text")
            if text is not None and not isinstance(text, str):
                collector.error("expected a string", line=n, field="text")
                continue
            doc = collector.resolve(
                doc_id=None if doc_id is None else str(doc_id), text=text, line=n
            )
            if doc is None:
                continue
        valid = [_validate(x, f"{key}[{i}]", collector, n, doc.doc_id) for i, x in enumerate(items)]
        if any(v is None for v in valid):
            continue
        for p in place(doc, valid, other):  # type: ignore[arg-type]
            if p.status in ("placed", "unplaceable"):
                collector.placement[f"{other}: {p.status}"] += 1
            collector.placement[f"{other}: ambiguous"] += p.ambiguous
        mentions = []
        for p in place(doc, valid, occurrences):  # type: ignore[arg-type]
            where = {"line": n, "doc_id": doc.doc_id, "field": f"{key}[{p.index}]"}
            collector.placement["relaxed"] += p.relaxed and p.status == "placed"
            collector.placement["context_unmatched"] += p.context_unmatched
            if p.status == "repeated":
                collector.placement["repeated"] += 1
                continue
            if p.status == "unplaceable":
                collector.placement["unplaceable"] += 1
                collector.warn(f"unplaceable mention {p.text!r}: {p.reason}", **where)
                continue
            collector.placement["placed"] += 1
            if p.ambiguous:
                collector.placement["ambiguous"] += 1
                collector.warn(
                    f"ambiguous mention {p.text!r}: listed fewer times than it occurs; "
                    f"placed at {p.start}-{p.end}",
                    **where,
                )
            m = Mention(start=p.start, end=p.end, label=p.label)  # type: ignore[arg-type]
            _timex_and_cluster(m, valid[p.index]["raw"])  # type: ignore[index]
            m.extra["placement"] = "relaxed" if p.relaxed else "exact"
            if p.ambiguous:
                m.extra["ambiguous"] = True
            mentions.append(m)
        chains = sorted({m.cluster for m in mentions if m.cluster is not None})
        collector.add(
            doc, mentions, clusters=[Cluster(c, "entity") for c in chains], where=f"{path}:{n}"
        )

"""Text-only mentions (as LLMs give them) -> placed entity mentions.

Input: JSON lines ``{"doc_id": ..., "mentions": [{"text": "Putin", "label": "PERSON"},
...]}`` (the list may be called ``entities``; an item's label may be called ``type``; a
line may give the document ``text`` instead of, or as well as, ``doc_id``). Items may
carry ``occurrence`` (0-based: 0 is the first occurrence) or ``context`` (a stretch of the
document text around the mention), and for the timex and coreference layers ``value`` (a
TIMEX3 value: the mention is then a time expression, its type ``timex_type`` or its label
when that is DATE, TIME, DURATION or SET) and ``cluster`` (a chain id).

**Placement rule.** It looks only at the system's output and the document text, never at
the gold. For one document, items are placed in the order listed:

1. *Occurrences* of a string ``s`` (the item's text, stripped of surrounding whitespace)
   are the places where ``s`` occurs exactly (case-sensitive, overlapping allowed) and
   starts and ends on token boundaries of the corpus tokenization (spaCy's, as in
   ``Document.tokens``; checked with :func:`newsgold.corpus.align.token_bounds`): "Russia"
   occurs in "Russia’s" but not in "Russian". Only if ``s`` has **no** exact occurrence,
   a relaxed search is tried: case-insensitive, any whitespace run for a space, and
   straight/curly quotes and apostrophes interchangeable (``'`` = ``’``). Items placed so
   are counted ``relaxed``.
2. With ``occurrence: k``, the item goes to the k-th occurrence (unplaceable if there are
   fewer than k+1).
3. With ``context``, the item goes to the first occurrence of ``s`` not yet taken that lies
   inside an exact occurrence of the context. If there is none (the context is not in
   the text, e.g. paraphrased) it is counted ``context_unmatched`` and placed by rule 4.
4. Otherwise (after all items of rules 2 and 3 are placed) the item goes to the first
   occurrence of ``s`` not yet taken by another item with the same string. So listing
   "Putin" three times places the first three occurrences (the k-th listing gets the k-th
   occurrence), and a string listed more times than it occurs is ``unplaceable`` for the
   extra listings. One refinement: these items are placed longest string first (listing
   order kept within a string), and an occurrence overlapping a span already placed for
   a *different* string is used only when no other is free. So "Wendy Sherman", then
   "Sherman" goes to the later, standalone "Sherman", not inside "Wendy Sherman".
5. A string that occurs nowhere (even relaxed) is ``unplaceable``.
6. A string listed fewer times than it has occurrences that overlap no span placed for
   another string is ``ambiguous``: each of its items placed by rule 4 counts once
   (they are also ``placed``). A string listed once that occurs several times is thus
   placed at its first occurrence and counted ambiguous.

Counts go in ``Predictions.placement`` (``placed``, ``unplaceable``, ``ambiguous``,
``relaxed``, ``context_unmatched``) and every unplaceable or ambiguous item also gives a
warning naming the document and the string. An item without a non-empty ``text`` or
label, or with a bad ``occurrence``/``context``, is an error naming file, line and field.

>>> from newsgold.model import Document
>>> doc = Document("d", "Putin met Putin.")
>>> [(p.start, p.status) for p in place(doc, [{"text": "Putin", "label": "PER"}] * 3)]
[(0, 'placed'), (10, 'placed'), (None, 'unplaceable')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgold.corpus.align import token_bounds
from newsgold.formats.jsonl import iter_jsonl
from newsgold.formats.predictions import Collector
from newsgold.model import TIMEX, Cluster, Document, Mention, Token
from newsgold.timex_values import TIMEX3_TYPES

_QUOTES = {"'": "['‘’`]", "‘": "['‘’`]", "’": "['‘’`]", '"': '["“”]', "“": '["“”]', "”": '["“”]'}


@dataclass
class Placed:
    """Where one listed item went. ``start``/``end`` are None when unplaceable."""

    index: int
    text: str
    label: str
    start: int | None
    end: int | None
    status: str  # "placed" or "unplaceable"
    ambiguous: bool = False
    relaxed: bool = False
    context_unmatched: bool = False
    reason: str = ""


def _relaxed_pattern(s: str) -> re.Pattern[str]:
    words = []
    for word in s.split():
        words.append("".join(_QUOTES.get(c, re.escape(c)) for c in word))
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def _tokens(doc: Document) -> list[Token]:
    if doc.tokens:
        return doc.tokens
    from newsgold.corpus.segment import tokenize

    return tokenize(doc.text)


def occurrences(doc: Document, s: str, tokens: list[Token] | None = None):
    """Token-bounded occurrences ``[(start, end)]`` of ``s`` in ``doc.text`` and whether
    the relaxed search was needed (rule 1 of the module docstring)."""
    tokens = tokens if tokens is not None else _tokens(doc)
    text = doc.text
    found = []
    i = text.find(s)
    while i != -1:
        if token_bounds(tokens, i, i + len(s)) is not None:
            found.append((i, i + len(s)))
        i = text.find(s, i + 1)
    if found:
        return found, False
    found = [
        (m.start(), m.end())
        for m in _relaxed_pattern(s).finditer(text)
        if token_bounds(tokens, m.start(), m.end()) is not None
    ]
    return found, bool(found)


def place(doc: Document, items: list[dict[str, Any]]) -> list[Placed]:
    """Place already-validated items (``text``, ``label``, optional ``occurrence`` and
    ``context``) on ``doc`` by the rule of the module docstring."""
    tokens = _tokens(doc)
    cache: dict[str, tuple[list[tuple[int, int]], bool]] = {}
    listed: dict[str, int] = {}
    placed: list[Placed] = []  # everything placed so far, for rule 4's preference
    out: list[Placed] = []
    plain: list[Placed] = []

    def put(p: Placed, pos: tuple[int, int]) -> None:
        p.start, p.end = pos
        p.status = "placed"
        placed.append(p)

    def taken(s: str) -> set[int]:
        return {q.start for q in placed if q.text == s}  # type: ignore[misc]

    def inside_other(s: str, o: tuple[int, int]) -> bool:
        return any(q.text != s and q.start < o[1] and o[0] < q.end for q in placed)  # type: ignore[operator]

    # rules 2 and 3 (pinned items) in listed order
    for i, item in enumerate(items):
        s = item["text"].strip()
        listed[s] = listed.get(s, 0) + 1
        if s not in cache:
            cache[s] = occurrences(doc, s, tokens)
        occ, relaxed = cache[s]
        p = Placed(i, s, item["label"], None, None, "unplaceable", relaxed=relaxed)
        out.append(p)
        if item.get("occurrence") is not None:
            k = item["occurrence"]
            if k < len(occ):
                put(p, occ[k])
            else:
                p.reason = f"occurrence {k} asked, but it occurs {len(occ)} time(s)"
            continue
        if item.get("context"):
            ctx = item["context"]
            spans = []
            j = doc.text.find(ctx)
            while j != -1:
                spans.append((j, j + len(ctx)))
                j = doc.text.find(ctx, j + 1)
            used = taken(s)
            inside = [
                o
                for o in occ
                if o[0] not in used and any(a <= o[0] and o[1] <= b for a, b in spans)
            ]
            if inside:
                put(p, inside[0])
                continue
            p.context_unmatched = True
        plain.append(p)
    # rule 4: longest strings first, so "Sherman" avoids the "Wendy Sherman" already placed
    for p in sorted(plain, key=lambda p: (-len(p.text), p.index)):
        occ = cache[p.text][0]
        used = taken(p.text)
        free = [o for o in occ if o[0] not in used]
        clear = [o for o in free if not inside_other(p.text, o)]
        if clear or free:
            put(p, (clear or free)[0])
        elif occ:
            p.reason = f"listed more times than it occurs ({len(occ)})"
        else:
            p.reason = "does not occur in the text at token boundaries"
    # rule 6
    for p in plain:
        if p.status == "placed":
            others = [q for q in placed if q.text != p.text]
            avail = [
                o
                for o in cache[p.text][0]
                if not any(q.start < o[1] and o[0] < q.end for q in others)  # type: ignore[operator]
            ]
            p.ambiguous = listed[p.text] < len(avail)
    return out


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


def read_text_mentions(path: Path, collector: Collector) -> None:
    """Read text-only mentions into ``collector`` (see the module docstring)."""
    for key in ("placed", "unplaceable", "ambiguous"):
        collector.placement[key] += 0
    for n, obj, problem in iter_jsonl(path):
        if problem is not None:
            collector.errors.append(problem)
            continue
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
        doc = collector.resolve(doc_id=None if doc_id is None else str(doc_id), text=text, line=n)
        if doc is None:
            continue
        valid = [_validate(x, f"{key}[{i}]", collector, n, doc.doc_id) for i, x in enumerate(items)]
        if any(v is None for v in valid):
            continue
        mentions = []
        for p in place(doc, valid):  # type: ignore[arg-type]
            where = {"line": n, "doc_id": doc.doc_id, "field": f"{key}[{p.index}]"}
            collector.placement["relaxed"] += p.relaxed and p.status == "placed"
            collector.placement["context_unmatched"] += p.context_unmatched
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

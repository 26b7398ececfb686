"""Hugging Face token-classification pipeline output (JSON lines) -> entity mentions.

One line per document: ``{"doc_id"?: ..., "text"?: ..., "entities": [...]}``, or the bare
list the pipeline returns. Items are ``{"entity_group": "PER", "start", "end", "score",
"word"}`` (``aggregation_strategy`` other than "none") or ``{"entity": "B-PER", "index",
"start", "end", "score", "word"}`` (no aggregation: one item per word piece). ``start``/
``end`` are character offsets of the text given to the pipeline (Python code points, end
exclusive), so the pipeline must have been run on the corpus text itself.

Documents: by ``doc_id``, else by ``text``. A bare list has neither, so bare-list lines are
matched **by order**: the n-th line is the n-th corpus document in doc_id order, allowed
only when the file has exactly one line per corpus document; then every ``word`` must
agree with the text at its offsets, or the order is taken to be wrong (an error).

Labels: ``entity_group`` is the label as given. ``entity`` pieces are merged into spans
the way the pipeline's "simple" aggregation does, with gaps made explicit: pieces are
taken in order of ``start``; a piece continues the open span when its tag is ``I-X`` (or
a bare ``X``) of the open span's type X **and** it is adjacent to the previous piece (its
``index`` is one more when both have an ``index``; without indices, only whitespace lies
between them); otherwise it starts a new span (a ``B-``, a type change, or a gap where the
pipeline dropped ``O`` tokens: an ``I-`` after a gap starts an entity, as in lenient
IOB2). ``O`` pieces are skipped. A merged span's score is the mean of its pieces' scores.

Then: leading/trailing whitespace inside a span is trimmed (byte-level BPE offsets can
include the space; counted in a warning); spans with ``score < min_score`` are dropped
(counted in a warning); a ``word`` that does not match the text at its offsets (compared
lower-cased, without whitespace and sub-word marks ``##``/``▁``/``Ġ``) is counted in a
warning: it usually means the pipeline saw another text.

>>> merge_pieces([{"entity": "B-PER", "start": 0, "end": 3, "index": 1},
...               {"entity": "I-PER", "start": 3, "end": 5, "index": 2}], "Putin")
[(0, 5, 'PER', None, 0)]
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

from newsgold.formats.collect import Collector
from newsgold.formats.conll import split_tag
from newsgold.model import Mention

_MARKS = re.compile(r"\s+|##|▁|Ġ")


def _normal(s: str) -> str:
    return _MARKS.sub("", s).lower()


def _tag(tag: str) -> tuple[str, str]:
    if tag == "O":
        return ("O", "")
    if len(tag) > 2 and tag[1] == "-" and tag[0] in "BIESLU":
        return (tag[0], tag[2:])
    return ("I", tag)


def merge_pieces(
    items: list[dict[str, Any]], text: str
) -> list[tuple[int, int, str, float | None, int]]:
    """Merge non-aggregated pieces into ``(start, end, label, mean score, first item)``
    (rule in the module docstring). Items must already be checked for integer offsets."""
    out: list[list[Any]] = []
    prev: dict[str, Any] | None = None
    scores: list[list[float]] = []
    prev_open = False
    for k in sorted(range(len(items)), key=lambda k: (items[k]["start"], items[k]["end"])):
        item = items[k]
        p, t = _tag(item["entity"])
        if p == "O":
            prev = None
            continue
        adjacent = prev is not None and (
            item["index"] == prev["index"] + 1
            if isinstance(item.get("index"), int) and isinstance(prev.get("index"), int)
            else not text[prev["end"] : item["start"]].strip()
        )
        if out and adjacent and p in ("I", "E", "L") and out[-1][2] == t and prev_open:
            out[-1][1] = max(out[-1][1], item["end"])
        else:
            out.append([item["start"], item["end"], t, None, k])
            scores.append([])
        if isinstance(item.get("score"), int | float):
            scores[-1].append(float(item["score"]))
        prev_open = p not in ("E", "L", "S", "U")
        prev = item
    for span, s in zip(out, scores, strict=True):
        span[3] = sum(s) / len(s) if s else None
    return [tuple(x) for x in out]  # type: ignore[misc]


def _lines(path: Path, collector: Collector):
    try:
        fh = path.open("rb")
    except OSError as exc:
        collector.error(f"cannot open: {exc.strerror}")
        return
    with fh:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                value = orjson.loads(raw.decode("utf-8").lstrip("\ufeff"))
            except UnicodeDecodeError as exc:
                collector.error(f"not UTF-8 (byte 0x{raw[exc.start]:02x})", line=n)
                continue
            except ValueError as exc:
                collector.error(f"malformed JSON: {exc}", line=n)
                continue
            if not isinstance(value, dict | list):
                collector.error(f"expected an object or a list, got {type(value).__name__}", line=n)
                continue
            yield n, value


def read_hf(path: Path, collector: Collector, min_score: float | None = None) -> None:
    """Read pipeline output into ``collector`` (see the module docstring)."""
    lines = list(_lines(path, collector))
    if collector.errors:
        return
    by_order = sorted(collector.corpus)
    bare = [n for n, v in lines if isinstance(v, list)]
    if bare and len(lines) != len(by_order):
        collector.error(
            f"{len(bare)} line(s) are bare lists (no doc_id, no text), which are matched to "
            f"the corpus by line order, but the file has {len(lines)} lines for "
            f'{len(by_order)} corpus documents; write {{"doc_id": ..., "entities": [...]}}',
            line=bare[0],
        )
        return
    if bare:
        collector.warn(f"{len(bare)} bare-list line(s) matched to corpus documents by order")
    trimmed = dropped = 0
    bad_words: list[str] = []
    for pos, (n, value) in enumerate(lines):
        if isinstance(value, list):
            doc = collector.corpus[by_order[pos]]
            items = value
            field = ""
        else:
            items = value.get("entities")
            field = "entities"
            if not isinstance(items, list):
                collector.error("missing or non-list 'entities'", line=n, field="entities")
                continue
            doc_id = value.get("doc_id")
            text = value.get("text")
            if text is not None and not isinstance(text, str):
                collector.error("expected a string", line=n, field="text")
                continue
            doc = collector.resolve(
                doc_id=None if doc_id is None else str(doc_id), text=text, line=n
            )
            if doc is None:
                continue
        ok = True
        for i, item in enumerate(items):
            f = f"{field}[{i}]"
            if not isinstance(item, dict):
                collector.error("expected an object", line=n, doc_id=doc.doc_id, field=f)
                ok = False
                continue
            label = item.get("entity_group", item.get("entity"))
            if not collector.check_span(
                doc, item.get("start"), item.get("end"), label, line=n, field=f
            ):
                ok = False
                continue
            if "entity_group" not in item and split_tag(item["entity"]) is None:
                # the CoNLL reader's rule: a prefix without a type ("B-", "-") is no tag
                collector.error(
                    f"not a tag: {item['entity']!r} (expected O, a type, or B-/I-/E-/S- and a type)",
                    line=n,
                    doc_id=doc.doc_id,
                    field=f + ".entity",
                )
                ok = False
                continue
            word = item.get("word")
            if isinstance(word, str) and word and "[UNK]" not in word:
                got = doc.text[item["start"] : item["end"]]
                if _normal(word) != _normal(got):
                    bad_words.append(f"line {n} {f}: word {word!r} but the text has {got!r}")
                    if isinstance(value, list):
                        collector.error(
                            f"word {word!r} is not the text at {item['start']}-{item['end']} "
                            f"({got!r}): bare lists are matched by order, and the order looks "
                            "wrong; give doc_id",
                            line=n,
                            doc_id=doc.doc_id,
                            field=f + ".word",
                        )
                        ok = False
                        break
        if not ok:
            continue
        grouped = sum("entity_group" in x for x in items)
        if 0 < grouped < len(items):
            collector.error(
                "items mix 'entity_group' (aggregated) and 'entity' (pieces)",
                line=n,
                doc_id=doc.doc_id,
                field=field or None,
            )
            continue
        if not grouped and items:
            spans = merge_pieces(items, doc.text)
        else:
            spans = [
                (x["start"], x["end"], x["entity_group"], x.get("score"), k)
                for k, x in enumerate(items)
            ]
        mentions = []
        for start, end, label, score, _first in spans:
            s, e = start, end
            while s < e and doc.text[s].isspace():
                s += 1
            while e > s and doc.text[e - 1].isspace():
                e -= 1
            if (s, e) != (start, end):
                trimmed += 1
            if s == e:
                continue
            if min_score is not None and isinstance(score, int | float) and score < min_score:
                dropped += 1
                continue
            m = Mention(start=s, end=e, label=label)
            if isinstance(score, int | float):
                m.extra["score"] = score
            mentions.append(m)
        collector.add(doc, mentions, where=f"{path}:{n}")
    if trimmed:
        collector.warn(f"{trimmed} span(s) had whitespace at an edge, trimmed")
    if dropped:
        collector.warn(f"{dropped} span(s) with score below min_score {min_score} dropped")
    if bad_words:
        collector.warn(
            f"{len(bad_words)} item(s) whose word is not the text at their offsets "
            f"(did the pipeline see another text?), first: {bad_words[0]}",
            field="word",
        )

"""DyGIE++ JSON lines -> entities, triggers, arguments, relations and coreference.

One line per document, as DyGIE++'s ACE/ERE preprocessing writes it and its predictor
adds to (``dwadden/dygiepp``, ``doc/data.md``)::

    {"doc_key": ..., "sentences": [["Seattle", "is", ...], ...],
     "ner": [[[start, end, label], ...], ...],                 # one list per sentence
     "relations": [[[start1, end1, start2, end2, label], ...], ...],
     "events": [[[[trigger, event_type], [start, end, role], ...], ...], ...],
     "clusters": [[[start, end], [start, end], ...], ...]}

Token indices count over the whole *document* (not the sentence) and ``end`` is
*inclusive*; an event's trigger is one token. Predictions add ``predicted_ner``,
``predicted_relations``, ``predicted_events`` and ``predicted_clusters`` in the same shape
with scores after each entry (ignored). ``which="auto"`` (default) reads the predicted
keys when a line has any and the gold keys otherwise; ``"gold"`` or ``"predicted"``
chooses. The document is ``doc_key`` (the corpus doc id); the sentences' tokens are
aligned to the corpus text (a token that is not the corpus text there is an error naming
``sentences[i][j]``). An argument or relation end that is no ``ner`` span becomes an
untyped mention (see :mod:`newsgold.formats.eventbuild`); so does a cluster member.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgold.formats.collect import Collector
from newsgold.formats.eventbuild import DocBuilder
from newsgold.formats.jsonl import iter_jsonl
from newsgold.formats.tokens import AlignmentError, TokenAligner
from newsgold.model import TRIGGER, Relation

_KEYS = ("ner", "relations", "events", "clusters")


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


class _Doc:
    def __init__(self, b: DocBuilder, spans: list[tuple[int, int]]):
        self.b, self.spans = b, spans

    def chars(self, start: Any, end: Any, field: str) -> tuple[int, int] | None:
        """Characters of document tokens ``start..end`` (end inclusive)."""
        if not (_is_int(start) and _is_int(end)):
            self.b.error(f"expected integer token indices, got {start!r}, {end!r}", field)
            return None
        if not 0 <= start <= end < len(self.spans):
            self.b.error(
                f"token indices {start}-{end} are outside the document's {len(self.spans)} "
                "tokens (end inclusive)",
                field,
            )
            return None
        return self.spans[start][0], self.spans[end][1]


def _per_sentence(d: _Doc, obj: dict[str, Any], key: str, n_sents: int) -> list[tuple[str, Any]]:
    """``(field, entry)`` for every entry of a per-sentence list."""
    value = obj.get(key, [])
    if not isinstance(value, list) or len(value) not in (0, n_sents):
        d.b.error(f"expected one list per sentence ({n_sents})", key)
        return []
    out = []
    for i, sent in enumerate(value):
        if not isinstance(sent, list):
            d.b.error("expected a list", f"{key}[{i}]")
            continue
        out.extend((f"{key}[{i}][{j}]", x) for j, x in enumerate(sent))
    return out


def _document(d: _Doc, obj: dict[str, Any], prefix: str, n_sents: int) -> None:
    b = d.b
    for f, e in _per_sentence(d, obj, prefix + "ner", n_sents):
        span = d.chars(e[0], e[1], f) if isinstance(e, list) and len(e) >= 3 else None
        if span is None:
            if not (isinstance(e, list) and len(e) >= 3):
                b.error("expected [start, end, label]", f)
            continue
        b.mention(*span, e[2], field=f + "[2]")
    for f, ev in _per_sentence(d, obj, prefix + "events", n_sents):
        head = ev[0] if isinstance(ev, list) and ev else None
        if not (isinstance(head, list) and len(head) >= 2):
            b.error("expected [[trigger, event_type], [start, end, role], ...]", f)
            continue
        span = d.chars(head[0], head[0], f + "[0]")
        trig = None if span is None else b.mention(*span, head[1], field=f + "[0][1]", kind=TRIGGER)
        if trig is None:
            continue
        for k, a in enumerate(ev[1:], start=1):
            fa = f"{f}[{k}]"
            if not (isinstance(a, list) and len(a) >= 3):
                b.error("expected [start, end, role]", fa)
                continue
            span = d.chars(a[0], a[1], fa)
            child = None if span is None else b.argument_mention(*span, field=fa)
            if child is not None:
                b.argument(trig, child, a[2], field=fa + "[2]")
    for f, r in _per_sentence(d, obj, prefix + "relations", n_sents):
        if not (isinstance(r, list) and len(r) >= 5):
            b.error("expected [start1, end1, start2, end2, label]", f)
            continue
        s1, s2 = d.chars(r[0], r[1], f), d.chars(r[2], r[3], f)
        if s1 is None or s2 is None:
            continue
        if not isinstance(r[4], str) or not r[4].strip():
            b.error(f"missing or empty relation label: {r[4]!r}", f + "[4]")
            continue
        head = b.argument_mention(*s1, field=f)
        child = b.argument_mention(*s2, field=f)
        if head is not None and child is not None:
            b.relations.append(Relation(head=head, child=child, label=r[4]))
    clusters = obj.get(prefix + "clusters", [])
    if not isinstance(clusters, list):
        b.error("expected a list of clusters", prefix + "clusters")
        return
    for i, cl in enumerate(clusters):
        f = f"{prefix}clusters[{i}]"
        if not isinstance(cl, list):
            b.error("expected a list of [start, end] spans", f)
            continue
        members = []
        for j, sp in enumerate(cl):
            if not (isinstance(sp, list) and len(sp) >= 2):
                b.error("expected [start, end]", f"{f}[{j}]")
                continue
            span = d.chars(sp[0], sp[1], f"{f}[{j}]")
            m = (
                None
                if span is None
                else b.argument_mention(*span, field=f"{f}[{j}]", default="MENTION")
            )
            if m is not None:
                members.append(m)
        b.cluster(f"c{i + 1}", "entity", members)


def read_dygiepp(path: Path, collector: Collector, which: str = "auto") -> None:
    """Read DyGIE++ JSON lines into ``collector`` (see the module docstring)."""
    if which not in ("auto", "gold", "predicted"):
        collector.error(f"which must be 'auto', 'gold' or 'predicted', not {which!r}")
        return
    for n, obj, problem in iter_jsonl(path):
        if problem is not None:
            collector.errors.append(problem)
            continue
        key = obj.get("doc_key")
        if not isinstance(key, str | int) or isinstance(key, bool):
            collector.error(f"missing or non-string doc_key: {key!r}", line=n, field="doc_key")
            continue
        doc = collector.resolve(doc_id=str(key), line=n)
        if doc is None:
            continue
        sents = obj.get("sentences")
        if not isinstance(sents, list) or not all(
            isinstance(s, list) and all(isinstance(t, str) for t in s) for s in sents
        ):
            collector.error(
                "expected a list of token lists", line=n, doc_id=doc.doc_id, field="sentences"
            )
            continue
        flat = [t for s in sents for t in s]
        try:
            spans = TokenAligner(doc).align(flat)
        except AlignmentError as exc:
            i, k = 0, exc.index
            while k >= len(sents[i]):
                k, i = k - len(sents[i]), i + 1
            collector.mismatch(str(exc), doc.doc_id, line=n, field=f"sentences[{i}][{k}]")
            continue
        predicted = any(("predicted_" + k) in obj for k in _KEYS)
        prefix = "predicted_" if which == "predicted" or (which == "auto" and predicted) else ""
        b = DocBuilder(collector, doc, file=str(path), line=n)
        _document(_Doc(b, spans), obj, prefix, len(sents))
        b.finish()

"""Time expressions: TempEval-3 extent, type and value, plus precision-aware values.

Definitions follow the TempEval-3 entity scorer (UzZaman et al. 2013; ``TE3-evaluation.py``
and ``evaluate_entities.py`` of the TE3 toolkit):

* gold and predicted timexes are aligned one-to-one on **overlap** (TE3's TimeML-Normalizer
  gives overlapping TIMEX3s one id; here :func:`newsgold.match.align` with credit 2 for the
  same extent and 1 for an overlap, so an exact twin is never passed over);
* **relaxed**: P = aligned / predicted, R = aligned / gold;
* **strict**: the aligned pairs with the same extent (TE3: identical text);
* **type**, **value** (TE3's *attribute F1*): ``accuracy × F1_relaxed`` where accuracy is the
  share of aligned pairs whose attribute strings are equal. That is F1 of
  P = correct / predicted and R = correct / gold (``acc · P_rel = correct / predicted``), so
  it is counted like any other metric here;
* **value_compatible** (ours): aligned pairs whose values are ``equal``, ``coarser`` or
  ``finer`` (:func:`newsgold.timex_values.relation`), so ``2021-12`` for ``2021-12-01``
  earns value_compatible credit but not TE3 value credit.

Every aligned pair's value relation is counted (:data:`~newsgold.timex_values.RELATIONS`),
and predicted or gold values that are not TIMEX3 are listed with their counts.

A difference from TE3, on purpose: with no gold and no predicted timex TE3 reports 1.0;
we report 0 like every other layer (0/0 = 0), and say n_gold = n_pred = 0.

Which mentions are timexes: kind ``timex``, and kind ``entity`` with a timex label of the
schema (``DATE``, ``TIME``: an NER system's dates). The type is ``attrs["type"]``, else the
label when it is a TIMEX3 type; the value is ``attrs["value"]`` (missing: ``""``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from newsgold.match import SpanArrays, align, overlap_pairs
from newsgold.metrics.counts import CH, CHANNELS
from newsgold.model import ENTITY, TIMEX, Annotation, Mention
from newsgold.timex_values import COMPATIBLE, TIMEX3_TYPES, parse, relation

#: metric -> level, as the reference names them (``--json``)
METRICS = ("strict", "relaxed", "type", "value", "value_compatible")
LABELS = (*TIMEX3_TYPES, "-")


def timex_type(m: Mention) -> str:
    t = m.attrs.get("type")
    if t:
        return str(t)
    return m.label if m.label in TIMEX3_TYPES else ""


def timex_value(m: Mention) -> str:
    v = m.attrs.get("value")
    return "" if v is None else str(v)


def timex_mentions(ann: Annotation | None, timex_labels=("DATE", "TIME")) -> list[Mention]:
    """The time expressions of an annotation, by position."""
    if ann is None:
        return []
    ms = [
        m for m in ann.mentions if m.kind == TIMEX or (m.kind == ENTITY and m.label in timex_labels)
    ]
    return sorted(ms, key=lambda m: (m.start, m.end))


@dataclass
class TimexCounts:
    """The map step's output for a chunk: ``arrays[metric]`` is ``[unit, label, channel]``."""

    units: list[str]
    arrays: dict[str, np.ndarray]
    relations: Counter
    invalid: dict[str, Counter]  # "pred"/"gold" -> raw value -> count


def _label(t: str) -> int:
    return LABELS.index(t) if t in TIMEX3_TYPES else len(LABELS) - 1


def _side(anns, unit_base, by_sentence, timex_labels):
    rows = []  # doc, unit, start, end, type, value
    for d, ann in enumerate(anns):
        ms = timex_mentions(ann, timex_labels)
        if not ms:
            continue
        starts = np.asarray([s.start for s in ann.document.sentences] or [0])
        for m in ms:
            u = int(np.searchsorted(starts, m.start, side="right") - 1) if by_sentence else 0
            rows.append(
                (d, unit_base[d] + max(u, 0), m.start, m.end, timex_type(m), timex_value(m))
            )
    return rows


def _spans(rows) -> SpanArrays:
    return SpanArrays.from_lists(
        [r[0] for r in rows], [r[2] for r in rows], [r[3] for r in rows], [0] * len(rows)
    )


def aligned_pairs(ga: SpanArrays, pa: SpanArrays) -> list[tuple[int, int]]:
    """The one-to-one alignment of gold and predicted timexes (indices into ``ga``, ``pa``):
    on overlap, by :func:`newsgold.match.align`, credit 2 for the same extent and 1 for an
    overlap (the module docstring). Every timex metric, and the report's value errors, are
    read off these pairs."""
    cand = overlap_pairs(ga, pa)
    exact = (ga.start[cand.gold] == pa.start[cand.pred]) & (ga.end[cand.gold] == pa.end[cand.pred])
    chosen = align(cand, np.where(exact, 2, 1), len(ga), len(pa))
    return list(zip(chosen.gold.tolist(), chosen.pred.tolist()))


def timex_document_counts(
    gold: list[Annotation],
    pred: list[Annotation | None],
    *,
    by_sentence: bool,
    timex_labels=("DATE", "TIME"),
) -> TimexCounts:
    """Counts of every timex metric for a chunk of documents (``pred[i]`` is the prediction
    for ``gold[i]``, None when the system gave none).

    >>> from newsgold.model import Document, Mention
    >>> doc = Document("d", "Today and tomorrow")
    >>> g = Annotation(doc, [Mention(0, 5, "DATE", "timex", attrs={"type": "DATE", "value": "2021-12-01"})])
    >>> p = Annotation(doc, [Mention(0, 9, "DATE", "timex", attrs={"type": "DATE", "value": "2021-12"})])
    >>> c = timex_document_counts([g], [p], by_sentence=False)
    >>> [int(c.arrays[m][..., CH["correct"]].sum()) for m in METRICS], dict(c.relations)
    ([0, 1, 1, 0, 1], {'coarser': 1})
    """
    unit_names: list[str] = []
    base: list[int] = []
    for ann in gold:
        base.append(len(unit_names))
        n = max(len(ann.document.sentences), 1) if by_sentence else 1
        unit_names += [f"{ann.doc_id}#s{i}" for i in range(n)] if by_sentence else [ann.doc_id]
    g_rows = _side(gold, base, by_sentence, timex_labels)
    # a prediction's unit is the sentence of its gold document (the same text)
    p_rows = _side(
        [None if p is None else Annotation(g.document, p.mentions) for p, g in zip(pred, gold)],
        base,
        by_sentence,
        timex_labels,
    )
    arrays = {m: np.zeros((len(unit_names), len(LABELS), len(CHANNELS))) for m in METRICS}
    rel: Counter = Counter()
    invalid = {"pred": Counter(), "gold": Counter()}
    g_al = np.zeros(len(g_rows), bool)
    p_al = np.zeros(len(p_rows), bool)
    if g_rows and p_rows:
        for gi, pi in aligned_pairs(_spans(g_rows), _spans(p_rows)):
            g, p = g_rows[gi], p_rows[pi]
            g_al[gi] = p_al[pi] = True
            r = relation(g[5], p[5])
            rel[r] += 1
            credit = {
                "strict": (g[2], g[3]) == (p[2], p[3]),
                "relaxed": True,
                "type": g[4] == p[4],
                "value": g[5] == p[5],
                "value_compatible": r in COMPATIBLE,
            }
            gl, pl = _label(g[4]), _label(p[4])
            for metric, ok in credit.items():
                a = arrays[metric]
                if ok:
                    a[g[1], gl, CH["correct"]] += 1
                    a[p[1], pl, CH["correct_pred"]] += 1
                else:
                    a[g[1], gl, CH["incorrect"]] += 1
    for rows, aligned, ch, side in (
        (g_rows, g_al, "missed", "gold"),
        (p_rows, p_al, "spurious", "pred"),
    ):
        total = "n_gold" if side == "gold" else "n_pred"
        for row, ok in zip(rows, aligned):
            lab = _label(row[4])
            for a in arrays.values():
                a[row[1], lab, CH[total]] += 1
                if not ok:
                    a[row[1], lab, CH[ch]] += 1
    for rows, side in ((g_rows, "gold"), (p_rows, "pred")):
        for row in rows:
            if parse(row[5]).kind == "invalid":
                invalid[side][row[5]] += 1
    return TimexCounts(unit_names, arrays, rel, invalid)

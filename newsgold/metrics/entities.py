"""Entity-mention metrics: the SemEval-2013 task 9.1 schema on an optimal alignment.

Reference: Segura-Bedmar, Martínez and Herrero-Zazo (2013), *SemEval-2013 Task 9*, as
implemented by nervaluate (https://github.com/MantisAI/nervaluate). Four modes; a gold span
and a prediction *overlap* when they share at least one character:

=========  ==========================================  ===========================
mode       credited pair (correct)                     aligned, not credited
=========  ==========================================  ===========================
strict     same boundaries and same label              overlap (incorrect)
exact      same boundaries, any label                  overlap (incorrect)
partial    same boundaries (correct, 1);               never
           other overlap (partial, 0.5)
ent_type   overlap and same label                      overlap, other label (incorrect)
=========  ==========================================  ===========================

Unaligned gold spans are *missed*, unaligned predictions *spurious*. P, R and F follow
:mod:`newsgold.metrics.counts`. Two further numbers the field asks for are the same
definitions under other names, so they are not computed twice:

* **CoNLL span F1** (conlleval, seqeval's default): a prediction is a true positive when its
  boundaries and label equal a gold span's — exactly ``strict``'s correct count, with
  P = correct / n_pred and R = correct / n_gold.
* **one-to-one overlap F1** (same label, any overlap): exactly ``ent_type``.

Where we differ from nervaluate on purpose: nervaluate aligns greedily in the order the
predictions are listed, so a partial prediction listed before the exact one takes the gold
span and changes the counts; and it computes per-label results on separately filtered lists.
Here every mode aligns one-to-one and optimally (see :mod:`newsgold.match`), independent of
order, and per-label counts come from the same alignment as the micro average. The
``nervaluate`` preset (:mod:`newsgold.metrics.presets`) reproduces nervaluate exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from newsgold.match import Pairs, SpanArrays, align, overlap_pairs
from newsgold.metrics.counts import CH, CHANNELS, Counts

MODES = ("strict", "exact", "partial", "ent_type")


def _credit(mode: str, same_bounds: np.ndarray, same_label: np.ndarray) -> np.ndarray:
    """Credit per candidate pair, doubled to stay integer (2 = correct, 1 = partial)."""
    if mode == "strict":
        return 2 * (same_bounds & same_label)
    if mode == "exact":
        return 2 * same_bounds
    if mode == "partial":
        return np.where(same_bounds, 2, 1)
    if mode == "ent_type":
        return 2 * same_label
    raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")


def _aligned(
    gold: SpanArrays, pred: SpanArrays, cand: Pairs, mode: str
) -> tuple[Pairs, np.ndarray]:
    """The optimal alignment under ``mode`` and the (doubled) credit of each chosen pair."""

    def credit(pairs: Pairs) -> np.ndarray:
        same_bounds = (gold.start[pairs.gold] == pred.start[pairs.pred]) & (
            gold.end[pairs.gold] == pred.end[pairs.pred]
        )
        return _credit(mode, same_bounds, gold.label[pairs.gold] == pred.label[pairs.pred])

    chosen = align(cand, credit(cand), len(gold), len(pred))
    return chosen, credit(chosen)


def _accumulate(
    gold: SpanArrays,
    pred: SpanArrays,
    gu: np.ndarray,
    pu: np.ndarray,
    datas: dict[str, np.ndarray],
    candidates: Pairs | None = None,
) -> None:
    """Align ``gold`` and ``pred`` in every mode of ``datas`` and add the counts."""
    cand = overlap_pairs(gold, pred) if candidates is None else candidates
    n_labels, n_ch = next(iter(datas.values())).shape[1:]
    # the units touched here form one contiguous block: count into it with one bincount
    lo = int(min(gu.min(initial=2**62), pu.min(initial=2**62)))
    hi = int(max(gu.max(initial=-1), pu.max(initial=-1))) + 1
    if hi <= lo:
        return
    size = (hi - lo) * n_labels * n_ch

    def cells(unit, label, channel):
        return ((unit - lo) * n_labels + label) * n_ch + CH[channel]

    fixed = [cells(gu, gold.label, "n_gold"), cells(pu, pred.label, "n_pred")]
    for mode, data in datas.items():
        chosen, c = _aligned(gold, pred, cand, mode)
        g_unit, g_lab = gu[chosen.gold], gold.label[chosen.gold]
        p_lab = pred.label[chosen.pred]
        g_free = np.ones(len(gold), bool)
        g_free[chosen.gold] = False
        p_free = np.ones(len(pred), bool)
        p_free[chosen.pred] = False
        parts = [
            *fixed,
            cells(g_unit[c == 2], g_lab[c == 2], "correct"),
            cells(g_unit[c == 1], g_lab[c == 1], "partial"),
            cells(g_unit[c == 0], g_lab[c == 0], "incorrect"),
            cells(g_unit[c == 2], p_lab[c == 2], "correct_pred"),
            cells(g_unit[c == 1], p_lab[c == 1], "partial_pred"),
            cells(gu[g_free], gold.label[g_free], "missed"),
            cells(pu[p_free], pred.label[p_free], "spurious"),
        ]
        block = np.bincount(np.concatenate(parts), minlength=size)
        data[lo:hi] += block.reshape(hi - lo, n_labels, n_ch).astype(data.dtype)


def semeval_counts(
    gold: SpanArrays,
    pred: SpanArrays,
    labels: tuple[str, ...],
    *,
    gold_unit: np.ndarray | None = None,
    pred_unit: np.ndarray | None = None,
    units: tuple[str, ...] = ("all",),
    modes: tuple[str, ...] = MODES,
    candidates: Pairs | None = None,
) -> dict[str, Counts]:
    """Count every SemEval mode for a corpus of spans.

    ``gold.label``/``pred.label`` index into ``labels``. ``gold_unit``/``pred_unit`` give the
    unit (document or sentence) of each span, indexing ``units``; counts of an aligned pair
    go to its gold span's unit. Returns one :class:`Counts` per mode.

    >>> g = SpanArrays.from_lists([0, 0], [0, 18], [17, 23], [0, 1])
    >>> p = SpanArrays.from_lists([0, 0], [8, 18], [23, 23], [1, 1])
    >>> c = semeval_counts(g, p, ("NORP", "PERSON"))
    >>> c["strict"].overall_totals()[:5].tolist()  # correct, incorrect, partial, missed, spurious
    [1, 1, 0, 0, 0]
    """
    gu = np.zeros(len(gold), np.int64) if gold_unit is None else np.asarray(gold_unit, np.int64)
    pu = np.zeros(len(pred), np.int64) if pred_unit is None else np.asarray(pred_unit, np.int64)
    datas = {m: np.zeros((len(units), len(labels), len(CHANNELS)), np.int64) for m in modes}
    _accumulate(gold, pred, gu, pu, datas, candidates)
    return {m: Counts(m, tuple(labels), tuple(units), d) for m, d in datas.items()}


Spans = Sequence[Sequence[tuple[int, int, str]]]


def _doc_arrays(docs: Spans, first: int, lab: dict[str, int]) -> SpanArrays:
    n = np.fromiter((len(d) for d in docs), np.int64, len(docs))
    total = int(n.sum())
    flat = [s for d in docs for s in d]
    return SpanArrays(
        np.repeat(np.arange(first, first + len(docs), dtype=np.int64), n),
        np.fromiter((s[0] for s in flat), np.int64, total),
        np.fromiter((s[1] for s in flat), np.int64, total),
        np.fromiter((lab[s[2]] for s in flat), np.int64, total),
    )


def semeval_counts_by_document(
    gold: Spans,
    pred: Spans,
    labels: tuple[str, ...],
    *,
    units: tuple[str, ...] | None = None,
    unit_of: Callable[[SpanArrays], np.ndarray] | None = None,
    modes: tuple[str, ...] = MODES,
    chunk: int = 250,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Counts]:
    """:func:`semeval_counts` from per-document ``(start, end, label)`` lists, a chunk of
    documents at a time, so memory stays bounded by the chunk whatever the corpus size.

    Units are the documents, unless ``unit_of`` maps a chunk's spans to indices of ``units``.
    ``progress``, if given, is called with the number of documents done after each chunk.

    >>> c = semeval_counts_by_document([[(0, 5, "PER")], []], [[(0, 5, "PER")], [(1, 2, "PER")]], ("PER",))
    >>> c["strict"].totals()[0, :5].tolist()
    [1, 0, 0, 0, 1]
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold documents but {len(pred)} predicted ones")
    units = tuple(str(i) for i in range(len(gold))) if units is None else tuple(units)
    lab = {name: i for i, name in enumerate(labels)}
    # int32 per-unit counts: half the memory, and no unit holds 2**31 spans
    datas = {m: np.zeros((len(units), len(labels), len(CHANNELS)), np.int32) for m in modes}
    for first in range(0, len(gold), chunk):
        g = _doc_arrays(gold[first : first + chunk], first, lab)
        p = _doc_arrays(pred[first : first + chunk], first, lab)
        gu = g.doc if unit_of is None else unit_of(g)
        pu = p.doc if unit_of is None else unit_of(p)
        _accumulate(g, p, gu, pu, datas)
        if progress is not None:
            progress(min(first + chunk, len(gold)))
    return {m: Counts(m, tuple(labels), units, d) for m, d in datas.items()}


OUTCOMES = ("correct", "partial", "incorrect", "missed", "spurious")


def semeval_outcomes(
    gold: Spans, pred: Spans, labels: tuple[str, ...], mode: str = "strict"
) -> list[list[tuple[str, int | None, int | None]]]:
    """The fate of every span under ``mode``, per document, from the same alignment as the
    counts: ``(outcome, gold_index, pred_index)`` with indices into that document's lists
    (None on the side that has no span). Outcomes are :data:`OUTCOMES`.

    >>> semeval_outcomes([[(0, 5, "PER"), (9, 12, "ORG")]], [[(0, 4, "PER")]], ("ORG", "PER"))
    [[('incorrect', 0, 0), ('missed', 1, None)]]
    """
    lab = {name: i for i, name in enumerate(labels)}
    out: list[list[tuple[str, int | None, int | None]]] = []
    for g_doc, p_doc in zip(gold, pred, strict=True):
        g = _doc_arrays([g_doc], 0, lab)
        p = _doc_arrays([p_doc], 0, lab)
        chosen, credit = _aligned(g, p, overlap_pairs(g, p), mode)
        names = {2: "correct", 1: "partial", 0: "incorrect"}
        rows = [
            (names[int(c)], int(gi), int(pi)) for gi, pi, c in zip(chosen.gold, chosen.pred, credit)
        ]
        rows += [
            ("missed", i, None) for i in sorted(set(range(len(g_doc))) - set(chosen.gold.tolist()))
        ]
        rows += [
            ("spurious", None, j)
            for j in sorted(set(range(len(p_doc))) - set(chosen.pred.tolist()))
        ]
        rows.sort(
            key=lambda r: (g_doc[r[1]][0] if r[1] is not None else p_doc[r[2]][0], r[1] is None)
        )
        out.append(rows)
    return out

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


def _add(data: np.ndarray, unit: np.ndarray, label: np.ndarray, channel: str, mask=None) -> None:
    if mask is not None:
        unit, label = unit[mask], label[mask]
    np.add.at(data, (unit, label, CH[channel]), 1)


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
    n_units, n_labels = len(units), len(labels)
    gu = np.zeros(len(gold), np.int64) if gold_unit is None else np.asarray(gold_unit, np.int64)
    pu = np.zeros(len(pred), np.int64) if pred_unit is None else np.asarray(pred_unit, np.int64)
    cand = overlap_pairs(gold, pred) if candidates is None else candidates
    same_bounds = (gold.start[cand.gold] == pred.start[cand.pred]) & (
        gold.end[cand.gold] == pred.end[cand.pred]
    )
    same_label = gold.label[cand.gold] == pred.label[cand.pred]
    base = np.zeros((n_units, n_labels, len(CHANNELS)), dtype=np.int64)
    np.add.at(base, (gu, gold.label, CH["n_gold"]), 1)
    np.add.at(base, (pu, pred.label, CH["n_pred"]), 1)
    out = {}
    for mode in modes:
        credit = _credit(mode, same_bounds, same_label)
        chosen = align(cand, credit, len(gold), len(pred))
        data = base.copy()
        sb = (gold.start[chosen.gold] == pred.start[chosen.pred]) & (
            gold.end[chosen.gold] == pred.end[chosen.pred]
        )
        sl = gold.label[chosen.gold] == pred.label[chosen.pred]
        c = _credit(mode, sb, sl)
        g_unit, g_lab = gu[chosen.gold], gold.label[chosen.gold]
        p_lab = pred.label[chosen.pred]
        _add(data, g_unit, g_lab, "correct", c == 2)
        _add(data, g_unit, g_lab, "partial", c == 1)
        _add(data, g_unit, g_lab, "incorrect", c == 0)
        _add(data, g_unit, p_lab, "correct_pred", c == 2)
        _add(data, g_unit, p_lab, "partial_pred", c == 1)
        g_free = np.ones(len(gold), bool)
        g_free[chosen.gold] = False
        p_free = np.ones(len(pred), bool)
        p_free[chosen.pred] = False
        _add(data, gu, gold.label, "missed", g_free)
        _add(data, pu, pred.label, "spurious", p_free)
        out[mode] = Counts(mode, tuple(labels), tuple(units), data)
    return out

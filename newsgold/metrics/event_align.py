"""The alignment toolkit of the event metrics: grouping keys, candidate pairs, per-level
credits, one alignment per level, and the count arrays.

:mod:`newsgold.metrics.events` defines the metrics (which items, which keys, which
levels) with these; every alignment goes through :mod:`newsgold.match`. Items are the
flat columns of :mod:`newsgold.metrics.event_items`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsgold.match import (
    Pairs,
    SpanArrays,
    align_scores,
    dice,
    equal_pairs,
    overlap_pairs,
    pair_equal_keys,
    subset,
    union_pairs,
)
from newsgold.metrics.counts import CH, CHANNELS

LEVELS = ("exact", "head", "overlap", "coref")


@dataclass
class Aligned:
    """One metric at one level: the candidates, their credit and the chosen pairs."""

    cand: Pairs
    score: np.ndarray
    chosen: np.ndarray  # indices into cand


def group_ids(*cols: np.ndarray) -> np.ndarray:
    """Dense ids of the rows' column tuples (equal tuples, equal ids), numbered in the
    lexicographic order of the tuples.

    The columns are packed into one int64 key (mixed radix) as long as it fits, so one
    1-d sort numbers them (much faster than ``np.unique(axis=0)``); a column that would
    overflow the key starts a new one from the ids so far. Values must be >= -1.

    >>> group_ids(np.array([1, 1, 2]), np.array([5, 5, 5])).tolist()
    [0, 0, 1]
    """
    if len(cols[0]) == 0:
        return np.empty(0, np.int64)
    key = np.zeros(len(cols[0]), np.int64)
    span = 1  # the key's values lie in [0, span)
    for col in cols:
        col = np.asarray(col, np.int64) + 1  # -1 (none) becomes 0
        radix = int(col.max(initial=0)) + 1
        if span * radix >= 2**62:  # renumber what we have densely, then go on
            _, key = np.unique(key, return_inverse=True)
            key = key.reshape(-1).astype(np.int64)
            span = int(key.max(initial=0)) + 1
        key = key * radix + col
        span *= radix
    _, ids = np.unique(key, return_inverse=True)
    return ids.reshape(-1).astype(np.int64)


def _split_groups(g_cols: list[np.ndarray], p_cols: list[np.ndarray]):
    n = len(g_cols[0])
    ids = group_ids(*(np.concatenate([a, b]) for a, b in zip(g_cols, p_cols)))
    return ids[:n], ids[n:]


def _candidates(
    gkey, pkey, g: dict, p: dict, *, span=("s", "e"), head=("hs", "he"), entity: bool
) -> Pairs:
    """Pairs of one key sharing characters, or a head, or (``entity``) a gold entity."""
    s, e = span
    gs = SpanArrays(gkey, g[s], g[e], np.zeros_like(gkey))
    ps = SpanArrays(pkey, p[s], p[e], np.zeros_like(pkey))
    parts = [overlap_pairs(gs, ps)]
    # equal heads; when every head is its non-empty span these pairs overlap already
    if not all(_heads_are_spans(x, span, head) for x in (g, p)):
        gh, ph = _split_groups([gkey, g[head[0]], g[head[1]]], [pkey, p[head[0]], p[head[1]]])
        parts.append(equal_pairs(gh, ph))
    if entity:
        ge, pe = _split_groups([gkey, g["ent"]], [pkey, p["ent"]])
        ge = np.where(g["ent"] >= 0, ge, -1)
        pe = np.where(p["ent"] >= 0, pe, -1)
        parts.append(equal_pairs(ge, pe))
    cand = union_pairs(*parts)
    # shared characters, for Dice and the tie-break (equal_pairs leaves them 0)
    ov = np.minimum(g[e][cand.gold], p[e][cand.pred]) - np.maximum(g[s][cand.gold], p[s][cand.pred])
    return Pairs(cand.gold, cand.pred, np.maximum(ov, 0))


def _heads_are_spans(x: dict, span, head) -> bool:
    s, e = span
    return bool(
        np.array_equal(x[head[0]], x[s])
        and np.array_equal(x[head[1]], x[e])
        and np.all(x[s] < x[e])
    )


def level_credits(
    cand: Pairs, g: dict, p: dict, *, span=("s", "e"), head=("hs", "he"), entity: bool
) -> dict[str, np.ndarray]:
    """Credit of every candidate pair at each level (see the module docstring)."""
    s, e = span
    gi, pi = cand.gold, cand.pred
    exact = (g[s][gi] == p[s][pi]) & (g[e][gi] == p[e][pi])
    headm = exact | ((g[head[0]][gi] == p[head[0]][pi]) & (g[head[1]][gi] == p[head[1]][pi]))
    d = dice(cand, g[e] - g[s], p[e] - p[s])
    overlap = np.where(headm, 1.0, d)
    out = {"exact": exact.astype(float), "head": headm.astype(float), "overlap": overlap}
    if entity:
        same = (g["ent"][gi] >= 0) & (g["ent"][gi] == p["ent"][pi])
        out["coref"] = np.where(same, 1.0, overlap)
    else:
        out["coref"] = overlap
    return out


def _trigger_gate(cand: Pairs, g: dict, p: dict) -> dict[str, np.ndarray]:
    """Whether the arguments' triggers match, per level (for the ``+`` metrics)."""
    gi, pi = cand.gold, cand.pred
    exact = (g["ts"][gi] == p["ts"][pi]) & (g["te"][gi] == p["te"][pi])
    head = exact | ((g["ths"][gi] == p["ths"][pi]) & (g["the"][gi] == p["the"][pi]))
    over = np.maximum(g["ts"][gi], p["ts"][pi]) < np.minimum(g["te"][gi], p["te"][pi])
    return {"exact": exact, "head": head, "overlap": head | over, "coref": head | over}


def count_array(
    g_unit, g_label, p_unit, p_label, aligned: Aligned | None, n_units: int, n_labels: int
) -> np.ndarray:
    """``[unit, label, channel]`` counts: n_gold, n_pred, and the chosen pairs' credit
    under the gold (``correct``) and predicted (``correct_pred``) unit and label."""
    size = n_units * n_labels
    out = np.zeros((size, len(CHANNELS)))
    out[:, CH["n_gold"]] = np.bincount(g_unit * n_labels + g_label, minlength=size)
    out[:, CH["n_pred"]] = np.bincount(p_unit * n_labels + p_label, minlength=size)
    if aligned is not None and len(aligned.chosen):
        k = aligned.chosen
        gi, pi, w = aligned.cand.gold[k], aligned.cand.pred[k], aligned.score[k]
        out[:, CH["correct"]] = np.bincount(
            g_unit[gi] * n_labels + g_label[gi], weights=w, minlength=size
        )
        out[:, CH["correct_pred"]] = np.bincount(
            p_unit[pi] * n_labels + p_label[pi], weights=w, minlength=size
        )
    out[:, CH["missed"]] = out[:, CH["n_gold"]] - out[:, CH["correct"]]
    out[:, CH["spurious"]] = out[:, CH["n_pred"]] - out[:, CH["correct_pred"]]
    return out.reshape(n_units, n_labels, len(CHANNELS))


def _locate(cand: Pairs, pairs: Pairs, n_pred: int) -> np.ndarray:
    """Indices in ``cand`` of the given pairs (each is a candidate)."""
    width = max(n_pred, 1)
    code = cand.gold * width + cand.pred
    order = np.argsort(code, kind="stable")
    return order[np.searchsorted(code[order], pairs.gold * width + pairs.pred)]


def _align_levels(
    cand: Pairs,
    credits: dict[str, np.ndarray],
    n_gold: int,
    n_pred: int,
    gate=None,
    exact_keys: tuple[np.ndarray, np.ndarray] | None = None,
    memo: list[Aligned] | None = None,
) -> dict[str, Aligned]:
    """One alignment per level. The exact level, where every credited pair has the same
    credit, is a multiset intersection on ``exact_keys`` (the items' dense shared keys):
    the same optimum :func:`~newsgold.match.align_scores` finds, without the general
    solver. ``memo`` holds alignments of other metrics on the same candidates: equal
    credits give the same :func:`~newsgold.match.align_scores` alignment, so it is reused
    (``Arg-I+`` where every candidate's triggers match is ``Arg-I``)."""
    out: dict[str, Aligned] = {}
    prev = None
    memo = [] if memo is None else memo
    for level in LEVELS:
        score = credits[level] if gate is None else credits[level] * gate[level]
        if prev is not None and np.array_equal(score, prev.score):
            out[level] = prev  # the same credits give the same alignment (no heads, ...)
        elif level == "exact" and exact_keys is not None:
            chosen = _locate(cand, pair_equal_keys(*exact_keys), n_pred)
            out[level] = Aligned(cand, score, chosen)
        else:
            same = [a for a in memo if a.cand is cand and np.array_equal(a.score, score)]
            if same:
                out[level] = same[0]
            else:
                out[level] = Aligned(cand, score, align_scores(cand, score, n_gold, n_pred))
                memo.append(out[level])
        prev = out[level]
    return out


def _nonneg(key: np.ndarray, offset: int) -> np.ndarray:
    """Negative keys (no group) become unique ids that match nothing on the other side."""
    key = key.copy()
    neg = np.flatnonzero(key < 0)
    key[neg] = offset + 10**9 + neg
    return key


def restrict(aligned: Aligned, keep_g: np.ndarray, keep_p: np.ndarray) -> Aligned:
    """The same alignment with candidates outside the kept rows removed."""
    mask = keep_g[aligned.cand.gold] & keep_p[aligned.cand.pred]
    idx = np.full(len(aligned.cand), -1, np.int64)
    idx[np.flatnonzero(mask)] = np.arange(int(mask.sum()))
    chosen = idx[aligned.chosen]
    return Aligned(subset(aligned.cand, mask), aligned.score[mask], chosen[chosen >= 0])


def reindex(al: Aligned, keep_g: np.ndarray, keep_p: np.ndarray) -> Aligned:
    """Candidates renumbered into the kept rows (for counting over the kept rows only)."""
    new_g = np.cumsum(keep_g) - 1
    new_p = np.cumsum(keep_p) - 1
    cand = Pairs(new_g[al.cand.gold], new_p[al.cand.pred], al.cand.overlap)
    return Aligned(cand, al.score, al.chosen)

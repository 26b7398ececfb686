"""The one alignment engine: every layer is matched here.

Given gold and predicted spans (a whole corpus at once, as flat numpy arrays with a
document index), :func:`overlap_pairs` finds every gold/predicted pair that shares at least
one character, and :func:`align` picks a **one-to-one, order-independent, optimal** set of
pairs under a caller-given credit. Pairs that share a gold or a predicted span with no other
pair (the common case) are taken directly; the rest form small connected components that are
solved exactly with the Hungarian algorithm (``scipy.optimize.linear_sum_assignment``).

The objective, lexicographic: (1) the most credit (credit is given per pair by the caller as
an integer, e.g. 2 for a correct and 1 for a partial match), then (2) the most aligned pairs
(so a wrong but overlapping prediction is reported as *incorrect* rather than as a miss plus
a spurious), then (3) the most overlapping characters, then (4) a fixed order of positions.
Nothing depends on the order in which spans were listed.

Offsets are code points, end exclusive. Spans of different documents never overlap because
each document gets its own coordinate range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


@dataclass(frozen=True)
class SpanArrays:
    """Spans of a corpus as parallel integer arrays (one row per span).

    ``doc`` is the document index, ``start``/``end`` code-point offsets (end exclusive),
    ``label`` an integer label id, ``head_start``/``head_end`` the head (equal to the span
    when no head is annotated).
    """

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray

    def __len__(self) -> int:
        return len(self.start)

    @classmethod
    def from_lists(
        cls, doc: list[int], start: list[int], end: list[int], label: list[int]
    ) -> SpanArrays:
        return cls(
            np.asarray(doc, dtype=np.int64),
            np.asarray(start, dtype=np.int64),
            np.asarray(end, dtype=np.int64),
            np.asarray(label, dtype=np.int64),
        )

    def take(self, index: np.ndarray) -> SpanArrays:
        return SpanArrays(self.doc[index], self.start[index], self.end[index], self.label[index])


@dataclass(frozen=True)
class Pairs:
    """Candidate or aligned pairs: indices into the gold and predicted arrays."""

    gold: np.ndarray
    pred: np.ndarray
    overlap: np.ndarray  # shared characters

    def __len__(self) -> int:
        return len(self.gold)


def _global(spans: SpanArrays, width: int) -> tuple[np.ndarray, np.ndarray]:
    base = spans.doc * width
    return base + spans.start, base + spans.end


def overlap_pairs(gold: SpanArrays, pred: SpanArrays) -> Pairs:
    """Every (gold, predicted) pair of the same document sharing at least one character.

    Vectorised: golds are sorted by start; for each prediction the golds starting before it
    ends are walked backwards, all predictions at once, until no gold can still reach it.

    >>> g = SpanArrays.from_lists([0, 0], [0, 10], [5, 15], [1, 1])
    >>> p = SpanArrays.from_lists([0, 1], [3, 0], [12, 5], [1, 1])
    >>> pairs = overlap_pairs(g, p)
    >>> sorted(zip(pairs.gold.tolist(), pairs.pred.tolist()))
    [(0, 0), (1, 0)]
    """
    empty = Pairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64))
    if len(gold) == 0 or len(pred) == 0:
        return empty
    width = int(max(gold.end.max(), pred.end.max())) + 1
    gs, ge = _global(gold, width)
    ps, pe = _global(pred, width)
    order = np.argsort(gs, kind="stable")
    gs_sorted, ge_sorted = gs[order], ge[order]
    max_len = int((ge - gs).max())
    hi = np.searchsorted(gs_sorted, pe, side="left")  # golds [0, hi) start before pred end
    active = np.nonzero(hi > 0)[0]
    cand = hi[active] - 1
    out_g, out_p = [], []
    while len(active):
        hit = ge_sorted[cand] > ps[active]
        out_g.append(order[cand[hit]])
        out_p.append(active[hit])
        # a gold starting max_len or more before the prediction cannot reach it
        keep = (cand > 0) & (gs_sorted[np.maximum(cand - 1, 0)] + max_len > ps[active])
        active, cand = active[keep], cand[keep] - 1
    if not out_g:
        return empty
    g_idx = np.concatenate(out_g)
    p_idx = np.concatenate(out_p)
    ov = np.minimum(ge[g_idx], pe[p_idx]) - np.maximum(gs[g_idx], ps[p_idx])
    return Pairs(g_idx, p_idx, ov)


def exact_pairs(gold: SpanArrays, pred: SpanArrays) -> Pairs:
    """Pairs with identical boundaries (label not compared), as a subset of all pairs."""
    pairs = overlap_pairs(gold, pred)
    same = (gold.start[pairs.gold] == pred.start[pairs.pred]) & (
        gold.end[pairs.gold] == pred.end[pairs.pred]
    )
    return Pairs(pairs.gold[same], pairs.pred[same], pairs.overlap[same])


def align(candidates: Pairs, credit: np.ndarray, n_gold: int, n_pred: int) -> Pairs:
    """Choose a one-to-one subset of ``candidates`` maximising, in order: total ``credit``
    (non-negative integers, one per candidate), number of pairs, shared characters.

    Candidates whose gold and predicted spans appear in no other candidate are kept as they
    are; the remaining connected components are solved exactly.

    >>> cand = Pairs(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([3, 5, 5]))
    >>> chosen = align(cand, np.array([0, 2, 2]), n_gold=2, n_pred=2)
    >>> sorted(zip(chosen.gold.tolist(), chosen.pred.tolist()))
    [(0, 0), (1, 1)]
    """
    if len(candidates) == 0:
        return candidates
    g, p = candidates.gold, candidates.pred
    g_deg = np.bincount(g, minlength=n_gold)
    p_deg = np.bincount(p, minlength=n_pred)
    simple = (g_deg[g] == 1) & (p_deg[p] == 1)
    keep_g, keep_p, keep_o = [g[simple]], [p[simple]], [candidates.overlap[simple]]
    rest = np.nonzero(~simple)[0]
    if len(rest):
        rg, rp = g[rest], p[rest]
        # nodes: golds 0..n_gold-1, preds n_gold..; components of the bipartite overlap graph
        ug, g_local = np.unique(rg, return_inverse=True)
        up, p_local = np.unique(rp, return_inverse=True)
        n = len(ug) + len(up)
        graph = coo_matrix((np.ones(len(rest)), (g_local, p_local + len(ug))), shape=(n, n))
        _, comp = connected_components(graph, directed=False)
        edge_comp = comp[g_local]
        order = np.argsort(edge_comp, kind="stable")
        bounds = np.flatnonzero(np.diff(edge_comp[order])) + 1
        for block in np.split(order, bounds):
            edges = rest[block]
            bg, bp = g[edges], p[edges]
            cg, gi = np.unique(bg, return_inverse=True)
            cp, pi = np.unique(bp, return_inverse=True)
            n_pairs_max = min(len(cg), len(cp)) + 1
            max_ov = int(candidates.overlap[edges].max()) + 1
            total_ov = max_ov * n_pairs_max
            # lexicographic objective folded into one integer weight per edge
            weight = (
                credit[edges].astype(np.float64) * n_pairs_max + 1
            ) * total_ov + candidates.overlap[edges]
            matrix = np.zeros((len(cg), len(cp)))
            matrix[gi, pi] = weight
            rows, cols = linear_sum_assignment(matrix, maximize=True)
            chosen = matrix[rows, cols] > 0
            rows, cols = rows[chosen], cols[chosen]
            lookup = {(a, b): e for a, b, e in zip(gi.tolist(), pi.tolist(), edges.tolist())}
            picked = np.array(
                [lookup[(r, c)] for r, c in zip(rows.tolist(), cols.tolist())], dtype=np.int64
            )
            keep_g.append(g[picked])
            keep_p.append(p[picked])
            keep_o.append(candidates.overlap[picked])
    return Pairs(np.concatenate(keep_g), np.concatenate(keep_p), np.concatenate(keep_o))

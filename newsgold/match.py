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

from newsgold.assignment import diagonal_2x2, linear_sum_assignment


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


def _best_per_group(
    group: np.ndarray, credit: np.ndarray, overlap: np.ndarray, other: np.ndarray
) -> np.ndarray:
    """Index (into the inputs) of the best edge per group: most credit, then most overlap,
    then the lowest index on the other side."""
    order = np.lexsort((other, -overlap, -credit, group))
    first = np.ones(len(order), bool)
    first[1:] = group[order][1:] != group[order][:-1]
    return order[first]


def align(candidates: Pairs, credit: np.ndarray, n_gold: int, n_pred: int) -> Pairs:
    """Choose a one-to-one subset of ``candidates`` maximising, in order: total ``credit``
    (non-negative integers, one per candidate), number of pairs, shared characters.

    Three shapes of the overlap graph are solved without a general solver: isolated pairs
    (kept), and stars, where one span overlaps several spans that overlap nothing else (the
    best edge of the star is kept). The remaining connected components are solved exactly
    with the Hungarian algorithm.

    >>> cand = Pairs(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([3, 5, 5]))
    >>> chosen = align(cand, np.array([0, 2, 2]), n_gold=2, n_pred=2)
    >>> sorted(zip(chosen.gold.tolist(), chosen.pred.tolist()))
    [(0, 0), (1, 1)]
    """
    if len(candidates) == 0:
        return candidates
    g, p, ov = candidates.gold, candidates.pred, candidates.overlap
    g_deg = np.bincount(g, minlength=n_gold)
    p_deg = np.bincount(p, minlength=n_pred)
    simple = (g_deg[g] == 1) & (p_deg[p] == 1)
    rest = ~simple
    # stars centred on a gold (every edge of that gold reaches a prediction of degree 1)
    g_bad = np.bincount(g[rest & (p_deg[p] > 1)], minlength=n_gold) > 0
    star_g = rest & (p_deg[p] == 1) & ~g_bad[g]
    p_bad = np.bincount(p[rest & (g_deg[g] > 1)], minlength=n_pred) > 0
    star_p = rest & (g_deg[g] == 1) & ~p_bad[p]
    general = rest & ~star_g & ~star_p
    picked = [np.flatnonzero(simple)]
    for mask, centre, leaf in ((star_g, g, p), (star_p, p, g)):
        idx = np.flatnonzero(mask)
        if len(idx):
            picked.append(idx[_best_per_group(centre[idx], credit[idx], ov[idx], leaf[idx])])
    idx = np.flatnonzero(general)
    if len(idx):
        picked.append(_solve_components(idx, g, p, ov, credit))
    chosen = np.concatenate(picked)
    return Pairs(g[chosen], p[chosen], ov[chosen])


#: components with at most this many cells (rows x columns) are solved by
#: :mod:`newsgold.assignment` (scipy's algorithm in Python); larger ones by scipy itself
SMALL_COMPONENT = 100
#: weights below this are exact in float64 sums, as the closed 2 x 2 form needs
_EXACT = 2.0**50


def _components(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """The connected components of the undirected graph with edges ``a[k]-b[k]`` on nodes
    ``0..n-1``: each node's label is the smallest node of its component (scipy's
    ``connected_components`` numbers them in that order). Vectorised union-find: roots
    hooked to the smaller root across every edge, then paths halved until flat."""
    parent = np.arange(n)
    while True:
        ra, rb = parent[a], parent[b]
        cross = ra != rb
        if not cross.any():
            return parent
        np.minimum.at(parent, np.maximum(ra, rb)[cross], np.minimum(ra, rb)[cross])
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                break
            parent = up


def _first_rank(node: np.ndarray, block_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For edges sorted by component (``block_start[k]``: the first position of edge k's
    component), the rank of each edge's ``node`` among its component's nodes in order of
    first appearance, and each position's count of distinct nodes in its component."""
    _, first_at, inv = np.unique(node, return_index=True, return_inverse=True)
    is_first = np.zeros(len(node), np.int64)
    is_first[first_at] = 1
    seen = np.cumsum(is_first)
    before = seen[block_start] - is_first[block_start]  # distinct nodes of earlier blocks
    rank = (seen - 1 - before)[first_at[inv]]
    return rank, seen - before


def _solve_components(
    idx: np.ndarray, g: np.ndarray, p: np.ndarray, ov: np.ndarray, credit: np.ndarray
) -> np.ndarray:
    """Exact optimum on each connected component of the edges ``idx`` (pairs unique).

    Each component is the linear sum assignment (maximising) of its weight matrix, rows
    and columns in order of first appearance among its edges, the lexicographic objective
    folded into one weight; components in order of their smallest gold, each one's pairs
    by row. Solved by :mod:`newsgold.assignment` (scipy's algorithm, so scipy's choice
    among tied optima), 2 x 2 components in one vectorised step; scipy is imported only
    for components over :data:`SMALL_COMPONENT` cells or weights beyond 2**50."""
    g_idx, p_idx = g[idx], p[idx]
    ug, g_local = np.unique(g_idx, return_inverse=True)
    up, p_local = np.unique(p_idx, return_inverse=True)
    g_local, p_local = g_local.reshape(-1), p_local.reshape(-1)
    root = _components(g_local, p_local + len(ug), len(ug) + len(up))
    order = np.argsort(root[g_local], kind="stable")
    comp = root[g_local][order]
    new_block = np.ones(len(order), bool)
    new_block[1:] = comp[1:] != comp[:-1]
    starts = np.flatnonzero(new_block)
    block = np.cumsum(new_block) - 1  # block number of each sorted edge
    row, row_seen = _first_rank(g_local[order], starts[block])
    col, col_seen = _first_rank(p_local[order], starts[block])
    ends = np.append(starts[1:], len(order)) - 1
    n_rows, n_cols = row_seen[ends], col_seen[ends]
    edge = idx[order]
    e_ov = ov[edge].astype(np.int64)
    # the lexicographic objective folded into one weight: credit, then pairs, then overlap
    n_pairs_max = np.minimum(n_rows, n_cols) + 1
    max_ov = np.maximum.reduceat(e_ov, starts) + 1
    total_ov = (max_ov * n_pairs_max).astype(np.float64)
    e_credit = credit[edge].astype(np.float64)
    bound = (e_credit * n_pairs_max[block] + 1) * total_ov[block] + e_ov
    if len(bound) and bound.max() >= _EXACT:  # beyond int64/float exactness: Python ints
        return _solve_blocks_exact(edge, row, col, e_ov, credit, starts, n_rows, n_cols)
    npm_e = n_pairs_max[block]
    weight = (credit[edge].astype(np.int64) * npm_e + 1) * (max_ov * n_pairs_max)[block] + e_ov
    weight = weight.astype(np.float64)
    out_block, out_row, out_edge = [], [], []
    two = (n_rows == 2) & (n_cols == 2)
    if two.any():
        sel = two[block]
        slot = np.cumsum(two) - 1  # index of each 2 x 2 block among them
        k = slot[block[sel]]
        w = np.zeros((int(two.sum()), 2, 2))
        cell = np.full((len(w), 2, 2), -1, np.int64)
        w[k, row[sel], col[sel]] = weight[sel]
        cell[k, row[sel], col[sel]] = edge[sel]
        diag = diagonal_2x2(w)
        c0 = np.where(diag, 0, 1)  # the column of row 0; row 1 gets the other
        ks = np.arange(len(w))
        blocks_2 = np.flatnonzero(two)
        for r, c in ((0, c0), (1, 1 - c0)):
            hit = w[ks, r, c] > 0
            out_block.append(blocks_2[hit])
            out_row.append(np.full(int(hit.sum()), r))
            out_edge.append(cell[ks, r, c][hit])
    other = np.flatnonzero(~two)
    if len(other):
        b_l, r_l, e_l = _solve_blocks(other, edge, row, col, weight, starts, n_rows, n_cols)
        out_block.append(b_l)
        out_row.append(r_l)
        out_edge.append(e_l)
    b_all, r_all, e_all = (np.concatenate(x) for x in (out_block, out_row, out_edge))
    return e_all[np.lexsort((r_all, b_all))].astype(np.int64)


def _solve_blocks(blocks, edge, row, col, weight, starts, n_rows, n_cols):
    """The general components, one linear sum assignment each."""
    out_b: list[int] = []
    out_r: list[int] = []
    out_e: list[int] = []
    ends = np.append(starts[1:], len(edge))
    edge_l, row_l, col_l, w_l = edge.tolist(), row.tolist(), col.tolist(), weight.tolist()
    for b in blocks.tolist():
        lo, hi = int(starts[b]), int(ends[b])
        nr, nc = int(n_rows[b]), int(n_cols[b])
        matrix = [[0.0] * nc for _ in range(nr)]
        back = {}
        for k in range(lo, hi):
            matrix[row_l[k]][col_l[k]] = w_l[k]
            back[(row_l[k], col_l[k])] = edge_l[k]
        rr, cc = _lsap(matrix, nr * nc)
        for r, c in zip(rr, cc):
            if matrix[r][c] > 0:
                out_b.append(b)
                out_r.append(r)
                out_e.append(back[(r, c)])
    return (np.array(out_b, np.int64), np.array(out_r, np.int64), np.array(out_e, np.int64))


def _lsap(matrix: list[list[float]], cells: int) -> tuple[list[int], list[int]]:
    if cells <= SMALL_COMPONENT:
        return linear_sum_assignment(matrix, maximize=True)
    # imported here: scipy costs more start-up time than the rest of a scoring run, and
    # most corpora never reach a component this large
    from scipy.optimize import linear_sum_assignment as scipy_lsap

    rr, cc = scipy_lsap(np.array(matrix), maximize=True)
    return rr.tolist(), cc.tolist()


def _solve_blocks_exact(edge, row, col, e_ov, credit, starts, n_rows, n_cols) -> np.ndarray:
    """Components whose folded weights exceed exact float sums: the weights computed with
    Python integers (then rounded to float64 once, as the matrix holds them)."""
    out: list[int] = []
    ends = np.append(starts[1:], len(edge))
    for b in range(len(starts)):
        lo, hi = int(starts[b]), int(ends[b])
        nr, nc = int(n_rows[b]), int(n_cols[b])
        n_pairs_max = min(nr, nc) + 1
        total_ov = (int(e_ov[lo:hi].max()) + 1) * n_pairs_max
        matrix = [[0.0] * nc for _ in range(nr)]
        back = {}
        for k in range(lo, hi):
            r, c = int(row[k]), int(col[k])
            w = (int(credit[edge[k]]) * n_pairs_max + 1) * total_ov + int(e_ov[k])
            matrix[r][c] = float(w)
            back[(r, c)] = int(edge[k])
        rr, cc = _lsap(matrix, nr * nc)
        out += [back[(r, c)] for r, c in zip(rr, cc) if matrix[r][c] > 0]
    return np.array(out, dtype=np.int64)


# --- keyed, scored and greedy alignment (events, arguments, attributes) -------------------
#
# The functions below serve every layer that matches items on more than a span: event
# triggers (span + type), arguments (event type, role, span, trigger), whole events. Items
# are first grouped by an integer key (document and the fields that must agree exactly);
# candidates are the pairs of one group that share characters (:func:`overlap_pairs` with the
# group as the "document") or that agree on some other integer (:func:`equal_pairs`: the same
# head, the same gold entity). Credits are then computed per pair by the caller, and one
# one-to-one optimum is chosen by :func:`align_scores` (fractional credit, e.g. Dice) or, for
# the TAC KBP compatibility, by :func:`greedy_align` (EvmEval's descending-score heap).


def equal_pairs(gold_key: np.ndarray, pred_key: np.ndarray) -> Pairs:
    """Every (gold, predicted) pair whose integer keys are equal (a sort-merge join).

    Rows with a negative key take part in no pair (``-1``: "no head", "no entity").

    >>> pairs = equal_pairs(np.array([5, 7, 5]), np.array([5, 9, -1]))
    >>> sorted(zip(pairs.gold.tolist(), pairs.pred.tolist()))
    [(0, 0), (2, 0)]
    """
    gold_key = np.asarray(gold_key, np.int64)
    pred_key = np.asarray(pred_key, np.int64)
    empty = Pairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64))
    g_ok = np.flatnonzero(gold_key >= 0)
    p_ok = np.flatnonzero(pred_key >= 0)
    if len(g_ok) == 0 or len(p_ok) == 0:
        return empty
    g_order = g_ok[np.argsort(gold_key[g_ok], kind="stable")]
    gk = gold_key[g_order]
    lo = np.searchsorted(gk, pred_key[p_ok], side="left")
    hi = np.searchsorted(gk, pred_key[p_ok], side="right")
    n = hi - lo
    if n.sum() == 0:
        return empty
    pred_idx = np.repeat(p_ok, n)
    offsets = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    gold_idx = g_order[np.repeat(lo, n) + offsets]
    return Pairs(gold_idx, pred_idx, np.zeros(len(gold_idx), np.int64))


def union_pairs(*parts: Pairs) -> Pairs:
    """The union of candidate sets, each pair once (the largest ``overlap`` kept)."""
    parts = tuple(p for p in parts if len(p))
    if not parts:
        return Pairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64))
    g = np.concatenate([p.gold for p in parts])
    p_ = np.concatenate([p.pred for p in parts])
    ov = np.concatenate([p.overlap for p in parts])
    order = np.lexsort((-ov, p_, g))
    g, p_, ov = g[order], p_[order], ov[order]
    first = np.ones(len(g), bool)
    first[1:] = (g[1:] != g[:-1]) | (p_[1:] != p_[:-1])
    return Pairs(g[first], p_[first], ov[first])


def subset(pairs: Pairs, mask: np.ndarray) -> Pairs:
    """The candidate pairs where ``mask`` holds."""
    return Pairs(pairs.gold[mask], pairs.pred[mask], pairs.overlap[mask])


#: fractional credits are compared at this resolution (Dice values differing by less tie)
SCORE_SCALE = 1_000_000


def align_scores(candidates: Pairs, score: np.ndarray, n_gold: int, n_pred: int) -> np.ndarray:
    """One-to-one optimal alignment under a fractional ``score`` in [0, 1] per candidate
    (the Dice coefficient, or 1 for a full match). Returns the indices of the chosen
    candidates. Pairs with score 0 are never chosen.

    The objective is :func:`align`'s: most total score (at a resolution of 1e-6), then most
    pairs, then most shared characters; order-independent.

    >>> cand = Pairs(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([1, 1, 1]))
    >>> sorted(align_scores(cand, np.array([0.5, 1.0, 0.8]), 2, 2).tolist())
    [0, 2]
    """
    score = np.asarray(score, np.float64)
    keep = np.flatnonzero(score > 0)
    if len(keep) == 0:
        return keep
    cand = Pairs(candidates.gold[keep], candidates.pred[keep], candidates.overlap[keep])
    credit = np.rint(score[keep] * SCORE_SCALE).astype(np.int64)
    # align() returns the chosen pairs; map them back to candidate indices
    chosen = align(cand, credit, n_gold, n_pred)
    if len(chosen) == 0:
        return chosen.gold
    width = max(n_pred, 1)
    code = cand.gold * width + cand.pred
    pos = np.argsort(code, kind="stable")
    where = pos[np.searchsorted(code[pos], chosen.gold * width + chosen.pred)]
    return keep[where]


def greedy_align(candidates: Pairs, score: np.ndarray) -> np.ndarray:
    """EvmEval's greedy one-to-one mapping (``scorer_v1.8.py``, ``get_tp_greedy``): pairs
    popped from a heap by descending score, ties by system index then gold index; a pair is
    kept when neither side is mapped yet. Returns the chosen candidate indices.

    >>> cand = Pairs(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([1, 1, 1]))
    >>> greedy_align(cand, np.array([0.5, 1.0, 0.8])).tolist()
    [1]
    """
    score = np.asarray(score, np.float64)
    order = np.lexsort((candidates.gold, candidates.pred, -score))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    g_l, p_l, s_l = candidates.gold.tolist(), candidates.pred.tolist(), score.tolist()
    for k in order.tolist():
        if s_l[k] <= 0:
            continue
        g, p = g_l[k], p_l[k]
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            out.append(k)
    return np.array(sorted(out), dtype=np.int64)


def dice(candidates: Pairs, g_len: np.ndarray, p_len: np.ndarray) -> np.ndarray:
    """Dice coefficient over characters, ``2 |g ∩ s| / (|g| + |s|)`` (EvmEval's span
    score), for each candidate pair; ``overlap`` holds the shared characters."""
    den = g_len[candidates.gold] + p_len[candidates.pred]
    return np.divide(2.0 * candidates.overlap, den, out=np.zeros(len(candidates)), where=den > 0)


def pair_equal_keys(gold_key: np.ndarray, pred_key: np.ndarray) -> Pairs:
    """A maximum one-to-one matching of items with equal integer keys: multiset
    intersection. Within a key, the k-th gold item (by index) pairs with the k-th predicted
    one; with items in a canonical order this is deterministic and order-independent, and
    it is what :func:`align_scores` finds when every candidate has the same credit (the
    exact level), without a general solver. Negative keys pair with nothing.

    >>> p = pair_equal_keys(np.array([3, 3, 5]), np.array([3, 5, 5, 3, 3]))
    >>> sorted(zip(p.gold.tolist(), p.pred.tolist()))
    [(0, 0), (1, 3), (2, 1)]
    """
    gold_key = np.asarray(gold_key, np.int64)
    pred_key = np.asarray(pred_key, np.int64)

    def ranked(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx = np.flatnonzero(key >= 0)
        idx = idx[np.argsort(key[idx], kind="stable")]
        k = key[idx]
        first = np.ones(len(k), bool)
        first[1:] = k[1:] != k[:-1]
        start = np.maximum.accumulate(np.where(first, np.arange(len(k)), 0))
        return idx, k, np.arange(len(k)) - start  # rank of each item within its key

    gi, gk, gr = ranked(gold_key)
    pi, pk, pr = ranked(pred_key)
    # join on (key, rank): both sides sorted by key then rank
    width = int(max(gr.max(initial=0), pr.max(initial=0))) + 1
    gcode, pcode = gk * width + gr, pk * width + pr
    common, g_at, p_at = np.intersect1d(gcode, pcode, assume_unique=True, return_indices=True)
    return Pairs(gi[g_at], pi[p_at], np.zeros(len(common), np.int64))

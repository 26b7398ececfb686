"""The one alignment engine: every layer is matched here.

Given gold and predicted spans (a whole corpus at once, as flat numpy arrays with a
document index), :func:`overlap_pairs` finds every gold/predicted pair that shares at least
one character, and :func:`align` picks a **one-to-one, order-independent, optimal** set of
pairs under a caller-given credit. Pairs that share a gold or a predicted span with no other
pair (the common case) are taken directly; the rest form small connected components that are
solved exactly as linear sum assignments
(:func:`newsgold.assignment.solve_components`: scipy's ``linear_sum_assignment`` algorithm,
scipy itself imported only for a large component).

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

from newsgold.assignment import solve_components


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
    (:func:`newsgold.assignment.solve_components`).

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
        picked.append(solve_components(idx, g, p, ov, credit))
    chosen = np.concatenate(picked)
    return Pairs(g[chosen], p[chosen], ov[chosen])


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

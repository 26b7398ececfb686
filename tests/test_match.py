"""The alignment engine against brute force: on small random overlap graphs, ``align`` must
reach the lexicographic optimum (credit, then pairs, then overlap) and be one-to-one."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.match import Pairs, SpanArrays, align, overlap_pairs


@st.composite
def graphs(draw):
    n_gold = draw(st.integers(1, 5))
    n_pred = draw(st.integers(1, 5))
    edges = draw(
        st.lists(
            st.tuples(st.integers(0, n_gold - 1), st.integers(0, n_pred - 1)),
            unique=True,
            max_size=10,
        )
    )
    credit = [draw(st.integers(0, 2)) for _ in edges]
    overlap = [draw(st.integers(1, 6)) for _ in edges]
    return n_gold, n_pred, edges, credit, overlap


def _objective(chosen, credit, overlap):
    return (sum(credit[i] for i in chosen), len(chosen), sum(overlap[i] for i in chosen))


def _brute_force(edges, credit, overlap):
    best = (0, 0, 0)
    for r in range(len(edges) + 1):
        for subset in itertools.combinations(range(len(edges)), r):
            gs = [edges[i][0] for i in subset]
            ps = [edges[i][1] for i in subset]
            if len(set(gs)) == len(gs) and len(set(ps)) == len(ps):
                best = max(best, _objective(subset, credit, overlap))
    return best


@settings(max_examples=500, deadline=None)
@given(graphs())
def test_align_is_optimal_and_one_to_one(graph):
    n_gold, n_pred, edges, credit, overlap = graph
    cand = Pairs(
        np.array([e[0] for e in edges], dtype=np.int64),
        np.array([e[1] for e in edges], dtype=np.int64),
        np.array(overlap, dtype=np.int64),
    )
    chosen = align(cand, np.array(credit, dtype=np.int64), n_gold, n_pred)
    assert len(set(chosen.gold.tolist())) == len(chosen)
    assert len(set(chosen.pred.tolist())) == len(chosen)
    index = {e: i for i, e in enumerate(edges)}
    picked = [index[(g, p)] for g, p in zip(chosen.gold.tolist(), chosen.pred.tolist())]
    assert _objective(picked, credit, overlap) == _brute_force(edges, credit, overlap)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 30), st.integers(1, 15)), max_size=12),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 30), st.integers(1, 15)), max_size=12),
)
def test_overlap_pairs_equals_quadratic_scan(gold, pred):
    def arrays(spans):
        return SpanArrays.from_lists(
            [d for d, _, _ in spans],
            [s for _, s, _ in spans],
            [s + n for _, s, n in spans],
            [0] * len(spans),
        )

    pairs = overlap_pairs(arrays(gold), arrays(pred))
    got = sorted(zip(pairs.gold.tolist(), pairs.pred.tolist(), pairs.overlap.tolist()))
    want = sorted(
        (i, j, min(gs + gn, ps + pn) - max(gs, ps))
        for i, (gd, gs, gn) in enumerate(gold)
        for j, (pd, ps, pn) in enumerate(pred)
        if gd == pd and gs < ps + pn and ps < gs + gn
    )
    assert got == want

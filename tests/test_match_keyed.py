"""The keyed, scored and greedy alignment functions of ``match.py`` against brute force."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.match import Pairs, align_scores, equal_pairs, greedy_align, pair_equal_keys


def _best(edges, score):
    best = (0.0, 0)
    for r in range(len(edges) + 1):
        for sub in itertools.combinations(range(len(edges)), r):
            gs = [edges[i][0] for i in sub]
            ps = [edges[i][1] for i in sub]
            if len(set(gs)) == len(gs) and len(set(ps)) == len(ps):
                best = max(best, (round(sum(score[i] for i in sub), 6), len(sub)))
    return best


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), unique=True, max_size=8), st.data()
)
def test_align_scores_is_optimal_and_one_to_one(edges, data):
    score = [data.draw(st.sampled_from([0.0, 0.25, 0.5, 0.8, 1.0])) for _ in edges]
    cand = Pairs(
        np.array([e[0] for e in edges], np.int64),
        np.array([e[1] for e in edges], np.int64),
        np.ones(len(edges), np.int64),
    )
    chosen = align_scores(cand, np.array(score), 4, 4).tolist()
    assert len(set(cand.gold[chosen].tolist())) == len(chosen)
    assert len(set(cand.pred[chosen].tolist())) == len(chosen)
    got = round(sum(score[i] for i in chosen), 6)
    assert got == _best(edges, score)[0]
    greedy = greedy_align(cand, np.array(score)).tolist()
    assert round(sum(score[i] for i in greedy), 6) <= got + 1e-9


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-1, 4), max_size=12), st.lists(st.integers(-1, 4), max_size=12))
def test_pair_equal_keys_is_multiset_intersection(g, p):
    g, p = np.array(g, np.int64), np.array(p, np.int64)
    pairs = pair_equal_keys(g, p)
    expected = sum(min((g == k).sum(), (p == k).sum()) for k in range(5))
    assert len(pairs) == expected
    assert (g[pairs.gold] == p[pairs.pred]).all()
    assert len(set(pairs.gold.tolist())) == len(pairs) == len(set(pairs.pred.tolist()))
    joined = equal_pairs(g, p)
    assert len(joined) == sum(int((g == k).sum() * (p == k).sum()) for k in range(5))

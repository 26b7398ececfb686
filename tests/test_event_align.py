"""The event alignment toolkit's shortcuts give what the long way gives.

``group_ids`` packs its columns into one key (it used to sort once per column);
``_candidates`` skips the equal-head pairs when every head is its own non-empty span (they
overlap already). Both are checked against the long way on random columns.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from newsgold.metrics import event_align
from newsgold.metrics.event_align import _candidates, group_ids


def fold_group_ids(*cols):
    """``group_ids`` before: one ``np.unique`` per column."""
    ids = np.zeros(len(cols[0]), np.int64)
    for col in cols:
        col = np.asarray(col, np.int64) + 1
        key = ids * (int(col.max(initial=0)) + 1) + col
        _, ids = np.unique(key, return_inverse=True)
        ids = ids.reshape(-1).astype(np.int64)
    return ids


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.lists(
            st.sampled_from([3, 1000, 2**40]).flatmap(
                lambda hi: arrays(np.int64, n, elements=st.integers(-1, hi))
            ),
            min_size=1,
            max_size=5,
        )
    )
)
def test_group_ids_as_one_sort_per_column(cols):
    assert group_ids(*cols).tolist() == fold_group_ids(*cols).tolist()


def test_group_ids_renumbers_before_overflowing():
    big = np.array([2**61, 0, 2**61, 5], np.int64)
    cols = (big, big[::-1].copy(), np.array([1, 1, 1, 2]))
    rows = list(zip(*(c.tolist() for c in cols)))
    rank = {r: i for i, r in enumerate(sorted(set(rows)))}
    assert group_ids(*cols).tolist() == [rank[r] for r in rows] == [3, 0, 2, 1]


@st.composite
def sides(draw):
    def side(n):
        s = draw(arrays(np.int64, n, elements=st.integers(0, 30)))
        e = s + draw(arrays(np.int64, n, elements=st.integers(1, 5)))
        key = draw(arrays(np.int64, n, elements=st.integers(0, 3)))
        ent = draw(arrays(np.int64, n, elements=st.integers(-1, 4)))
        return key, {"s": s, "e": e, "hs": s.copy(), "he": e.copy(), "ent": ent}

    return side(draw(st.integers(0, 12))), side(draw(st.integers(0, 12)))


@settings(max_examples=300, deadline=None)
@given(sides(), st.booleans())
def test_candidates_without_head_pairs_when_heads_are_spans(both, entity):
    (gk, g), (pk, p) = both
    fast = _candidates(gk, pk, g, p, entity=entity)
    original = event_align._heads_are_spans
    try:
        event_align._heads_are_spans = lambda *a: False  # the long way: always join heads
        slow = _candidates(gk, pk, g, p, entity=entity)
    finally:
        event_align._heads_are_spans = original
    for a, b in ((fast.gold, slow.gold), (fast.pred, slow.pred), (fast.overlap, slow.overlap)):
        assert a.tolist() == b.tolist()

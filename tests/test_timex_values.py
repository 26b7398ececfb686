"""TIMEX3 values as intervals: parsing and the precision-aware relation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgold.timex_values import RELATIONS, parse, relation


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("2021-12-01", "2021-12-01", "equal"),
        ("2021-12-01", "2021-12", "coarser"),  # the month for the day
        ("2021-12-01", "2021", "coarser"),
        ("2021-12-01", "202", "coarser"),  # the decade
        ("2021-12-01", "20", "coarser"),  # the century
        ("2021-12", "2021-12-01", "finer"),
        ("2021-W48", "2021-12-01", "finer"),  # 'this week' given as today's date
        ("2021-W48", "2021-11-29", "finer"),
        ("2021-12-01", "2021-11-30", "disjoint"),  # 'today' given the day before
        ("2021-12-01", "2021-W48", "coarser"),
        ("2021-12", "2021-W48", "overlapping"),  # W48 runs 29 Nov - 5 Dec
        ("2021-W47", "2021-W48", "disjoint"),
        ("2021-12-01", "2021-12-01T10:30", "finer"),
        ("2021-12-01T10", "2021-12-01TMO", "coarser"),
        ("2021-Q4", "2021-12", "finer"),
        ("2021-W48-WE", "2021-12-04", "finer"),
        ("P3D", "P3D", "equal"),
        ("P1W", "P7D", "equal"),
        ("P1Y", "P12M", "equal"),
        ("P3D", "P4D", "disjoint"),
        ("P3Y", "PXY", "coarser"),
        ("PXY", "P3Y", "finer"),
        ("PXY", "PXD", "undetermined"),
        ("P3D", "2021-12-01", "mismatch"),
        ("PAST_REF", "PAST_REF", "equal"),
        ("PAST_REF", "FUTURE_REF", "disjoint"),
        ("PAST_REF", "2021-11", "mismatch"),
        ("XXXX-12-25", "2021-12-25", "finer"),
        ("2021-12-25", "XXXX-12-25", "coarser"),
        ("XXXX-12-25", "XXXX-12-24", "disjoint"),
        ("XXXX-WXX-1", "XXXX-WXX-2", "disjoint"),
        ("2021-12-01", "2021-13-01", "invalid"),
        ("2021-12-01", "yesterday", "invalid"),
        ("2021-12-01", "", "missing"),
        ("1st Dec", "2021-12-01", "gold_invalid"),
        ("", "2021-12-01", "gold_missing"),
    ],
)
def test_relation(gold, pred, expected):
    assert relation(gold, pred) == expected


def test_intervals():
    w = parse("2021-W48")
    assert (w.start.isoformat(), w.end.isoformat()) == (
        "2021-11-29T00:00:00",
        "2021-12-06T00:00:00",
    )
    assert parse("199").granularity == "decade" and parse("199").start.year == 1990
    assert parse("2021-12-01T24:00").kind == "point"
    for bad in ("2021-02-30", "2021-W54", "P", "PT", "P3", "2021-12-01T25", "NOW"):
        assert parse(bad).kind == "invalid", bad


VALUES = st.sampled_from(
    [
        "2021",
        "2021-12",
        "2021-12-01",
        "2021-11-30",
        "2021-W48",
        "2021-W47",
        "2021-Q4",
        "2021-12-01T10",
        "2021-12-01TMO",
        "P3D",
        "PXY",
        "P1Y",
        "PAST_REF",
        "FUTURE_REF",
        "XXXX-12-01",
        "202",
        "bad",
        "",
    ]
)
FLIP = {"coarser": "finer", "finer": "coarser"}


@given(VALUES, VALUES)
def test_relation_is_antisymmetric(g, p):
    r = relation(g, p)
    assert r in RELATIONS
    if parse(g).kind not in ("invalid", "missing") and parse(p).kind not in ("invalid", "missing"):
        assert relation(p, g) == FLIP.get(r, r)
    if g == p and parse(g).kind not in ("invalid", "missing"):
        assert r == "equal"

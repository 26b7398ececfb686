"""The scipy-free component solver of newsgold.match equals scipy's, ties included.

``newsgold.assignment`` re-implements scipy's ``linear_sum_assignment`` (the same
shortest-augmenting-path algorithm, step for step) so that small components need no scipy
import; these tests check it returns scipy's very assignment (not only an optimum of the
same value) on random, tie-heavy matrices, and that ``assignment.solve_components`` picks the
pairs, in the order, of the scipy-based solver it replaced (kept below as the reference).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from newsgold import assignment
from newsgold.assignment import diagonal_2x2, linear_sum_assignment

scipy_optimize = pytest.importorskip("scipy.optimize")
csgraph = pytest.importorskip("scipy.sparse.csgraph")
sparse = pytest.importorskip("scipy.sparse")


def matrices(max_side: int = 7, max_value: int = 4):
    """Small matrices; integers in a small range make tied optima the common case."""
    shape = st.tuples(st.integers(1, max_side), st.integers(1, max_side))
    ints = shape.flatmap(
        lambda s: arrays(np.int64, s, elements=st.integers(0, max_value)).map(
            lambda a: a.astype(float)
        )
    )
    floats = shape.flatmap(
        lambda s: arrays(np.float64, s, elements=st.floats(-1e6, 1e6, allow_nan=False))
    )
    return st.one_of(ints, floats)


@settings(max_examples=600, deadline=None)
@given(matrices(), st.booleans())
def test_same_assignment_as_scipy(m, maximize):
    rows, cols = scipy_optimize.linear_sum_assignment(m, maximize=maximize)
    ours = linear_sum_assignment(m, maximize=maximize)
    assert ours == (rows.tolist(), cols.tolist())
    # and so the same optimal value
    assert m[ours[0], ours[1]].sum() == m[rows, cols].sum()


def test_known_cases():
    assert linear_sum_assignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]]) == ([0, 1, 2], [1, 0, 2])
    assert linear_sum_assignment([[1, 1, 1], [1, 1, 1]], maximize=True) == ([0, 1], [0, 1])
    assert linear_sum_assignment([[5], [7], [1]], maximize=True) == ([1], [0])
    assert linear_sum_assignment([]) == ([], [])
    with pytest.raises(ValueError):
        linear_sum_assignment([[float("nan"), 1.0]])


@settings(max_examples=300, deadline=None)
@given(arrays(np.int64, (st.integers(1, 40).map(lambda n: (n, 2, 2))), elements=st.integers(0, 3)))
def test_closed_2x2_is_scipys_choice(w):
    expected = [scipy_optimize.linear_sum_assignment(x, maximize=True)[1][0] == 0 for x in w]
    assert diagonal_2x2(w).tolist() == expected


# --- the component solver against the scipy-based one it replaced -----------------------


def reference_solve_components(idx, g, p, ov, credit):
    """``assignment.solve_components`` before this change (scipy connected components and
    ``linear_sum_assignment`` on every component), kept as the reference."""
    ug, g_local = np.unique(g[idx], return_inverse=True)
    up, p_local = np.unique(p[idx], return_inverse=True)
    n = len(ug) + len(up)
    graph = sparse.coo_matrix((np.ones(len(idx)), (g_local, p_local + len(ug))), shape=(n, n))
    _, comp = csgraph.connected_components(graph, directed=False)
    edge_comp = comp[g_local]
    order = np.argsort(edge_comp, kind="stable")
    bounds = np.flatnonzero(np.diff(edge_comp[order])) + 1
    out: list[int] = []
    g_l, p_l, e_l = g_local.tolist(), p_local.tolist(), idx.tolist()
    for block in np.split(order, bounds):
        edges = block.tolist()
        rows = {g_l[k]: None for k in edges}
        cols = {p_l[k]: None for k in edges}
        r_of = {x: i for i, x in enumerate(rows)}
        c_of = {x: i for i, x in enumerate(cols)}
        n_pairs_max = min(len(rows), len(cols)) + 1
        max_ov = int(max(ov[e_l[k]] for k in edges)) + 1
        total_ov = max_ov * n_pairs_max
        matrix = np.zeros((len(rows), len(cols)))
        back = {}
        for k in edges:
            e = e_l[k]
            r, c = r_of[g_l[k]], c_of[p_l[k]]
            matrix[r, c] = (int(credit[e]) * n_pairs_max + 1) * total_ov + int(ov[e])
            back[(r, c)] = e
        rr, cc = scipy_optimize.linear_sum_assignment(matrix, maximize=True)
        out += [back[(r, c)] for r, c in zip(rr.tolist(), cc.tolist()) if matrix[r, c] > 0]
    return np.array(out, dtype=np.int64)


@st.composite
def graphs(draw, max_nodes: int = 12):
    """Random bipartite candidate sets (unique pairs, in a random order) with credits
    and overlaps drawn from small ranges (many ties)."""
    n_g = draw(st.integers(1, max_nodes))
    n_p = draw(st.integers(1, max_nodes))
    cells = draw(st.lists(st.tuples(st.integers(0, n_g - 1), st.integers(0, n_p - 1)), unique=True))
    if not cells:
        cells = [(0, 0)]
    cells = draw(st.permutations(cells))
    k = len(cells)
    credit = draw(arrays(np.int64, k, elements=st.sampled_from([0, 1, 2, 3, 10**6])))
    ov = draw(arrays(np.int64, k, elements=st.integers(0, 6)))
    g = np.array([c[0] for c in cells], np.int64)
    p = np.array([c[1] for c in cells], np.int64)
    return g, p, ov, credit


@settings(max_examples=500, deadline=None)
@given(graphs(), st.data())
def test_components_solved_as_before(graph, data):
    g, p, ov, credit = graph
    idx = np.array(
        sorted(data.draw(st.sets(st.integers(0, len(g) - 1), min_size=1))), dtype=np.int64
    )
    expected = reference_solve_components(idx, g, p, ov, credit)
    got = assignment.solve_components(idx, g, p, ov, credit)
    assert got.tolist() == expected.tolist()


@settings(max_examples=200, deadline=None)
@given(graphs(max_nodes=14))
def test_components_beyond_the_small_size_use_scipy_alike(graph):
    g, p, ov, credit = graph
    idx = np.arange(len(g))
    before = assignment.SMALL_COMPONENT
    try:
        assignment.SMALL_COMPONENT = 0  # every component through scipy itself
        via_scipy = assignment.solve_components(idx, g, p, ov, credit)
    finally:
        assignment.SMALL_COMPONENT = before
    assert via_scipy.tolist() == assignment.solve_components(idx, g, p, ov, credit).tolist()


def test_huge_weights_take_the_exact_path(monkeypatch):
    # overlaps near 2**50 fold into weights beyond float64's exact integers
    g = np.array([0, 0, 1, 1, 2])
    p = np.array([0, 1, 0, 1, 1])
    ov = np.array([2**50, 2**50 - 1, 2**50 - 1, 2**50, 3])
    credit = np.array([1, 2, 2, 1, 2])
    idx = np.arange(5)
    calls = []
    exact = assignment._solve_blocks_exact
    monkeypatch.setattr(assignment, "_solve_blocks_exact", lambda *a: calls.append(1) or exact(*a))
    expected = reference_solve_components(idx, g, p, ov, credit)
    assert assignment.solve_components(idx, g, p, ov, credit).tolist() == expected.tolist()
    assert calls == [1]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1),
        )
    )
)
def test_component_labels_are_scipys_order(case):
    n, edges = case
    a = np.array([e[0] for e in edges])
    b = np.array([e[1] for e in edges])
    graph = sparse.coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, ref = csgraph.connected_components(graph, directed=False)
    ours = assignment._components(a, b, n)
    # the same partition, numbered in the same order (by smallest node)
    _, ours_dense = np.unique(ours, return_inverse=True)
    assert ours_dense.tolist() == ref.tolist()
    assert all(ours[i] <= i for i in range(n))


# --- scipy stays unimported ----------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def test_scoring_tangled_events_imports_no_scipy():
    # two gold and two predicted events on one trigger span: 2 x 2 components at every
    # level, and a 3 x 3 one for the arguments; the solver must run, scipy must not load
    code = """
import sys
from newsgold import assignment
from newsgold.event_scoring import EventOptions, score_events
from newsgold.model import Annotation, Document, Mention, Relation
calls = []
solve = assignment.solve_components
assignment.solve_components = lambda *a: calls.append(1) or solve(*a)
import newsgold.match as m
m.solve_components = assignment.solve_components
doc = Document("d", "Putin met Biden and Xi in Geneva today.")
def ann(types):
    ms = [Mention(0, 5, "PER"), Mention(10, 15, "PER"), Mention(20, 22, "PER")]
    out, rels = list(ms), []
    for t in types:
        trig = Mention(6, 9, t, kind="trigger")
        out.append(trig)
        rels += [Relation(trig, x, "Entity") for x in ms]
    return Annotation(doc, out, rels)
g = {"d": ann(["Contact.Meet", "Contact.Broadcast"])}
p = {"d": ann(["Contact.Broadcast", "Contact.Meet", "Contact.Meet"])}
r = score_events(g, p, EventOptions(n_resamples=0, allow_unknown=True))
print(len(calls), "scipy" in sys.modules, r["events"].summaries["Trig-C"]["exact"]["tp"])
"""
    n_calls, scipy_loaded, tp = _run(code).split()
    assert int(n_calls) > 0 and scipy_loaded == "False" and float(tp) == 2


def test_scoring_the_bundled_gold_from_the_command_line_imports_no_scipy():
    code = (
        "import sys\nsys.argv = ['newsgold', 'score', 'annotations/gold.jsonl', '--bootstrap',"
        " '0']\nfrom newsgold.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('SCIPY', 'scipy' in sys.modules)"
    )
    assert "SCIPY False" in _run(code)

"""The components of :func:`newsgold.match.align`'s overlap graph, solved exactly, and
the linear sum assignment of small matrices without importing scipy.

:func:`newsgold.match.align` solves the connected components of its overlap graph that
are neither isolated pairs nor stars with a linear sum assignment. Those components are
tiny (in ``scripts/bench_events.py --docs 250``, 5,306 of the 6,595 components are 2 x 2
and the largest is 5 x 6), and ``scipy.optimize`` costs ~0.7 s to import, more than scoring the bundled gold. So small
components are solved here (:func:`solve_components`), by **the same algorithm as scipy's**
``linear_sum_assignment`` (scipy ``optimize/rectangular_lsap/rectangular_lsap.cpp``:
Crouse's shortest augmenting path, DF Crouse, *On implementing 2D rectangular assignment
algorithms*, IEEE TAES 52(4), 2016), step for step: rows taken in order, columns scanned
in reverse order, a tie in path cost resolved in favour of a free column, a wide matrix
transposed, ``maximize`` by negation, all in float64 in the same order of operations. It
therefore returns scipy's assignment, ties included (``tests/test_assignment.py`` checks
this against scipy on random tie-heavy matrices). Large components still go to scipy.

:func:`diagonal_2x2` is the same algorithm's outcome on a batch of 2 x 2 maximisation
problems in closed form (vectorised), derived by tracing the algorithm.
"""

from __future__ import annotations

import math

import numpy as np

_INF = math.inf


def linear_sum_assignment(
    cost: list[list[float]] | np.ndarray, maximize: bool = False
) -> tuple[list[int], list[int]]:
    """Rows and columns of an optimal assignment, exactly as
    ``scipy.optimize.linear_sum_assignment`` returns them (as lists).

    >>> linear_sum_assignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]])
    ([0, 1, 2], [1, 0, 2])
    >>> linear_sum_assignment([[1, 1], [1, 1]], maximize=True)  # ties: the identity
    ([0, 1], [0, 1])
    """
    rows = [
        [float(x) for x in r] for r in (cost.tolist() if isinstance(cost, np.ndarray) else cost)
    ]
    nr = len(rows)
    nc = len(rows[0]) if nr else 0
    if nr == 0 or nc == 0:
        return [], []
    transpose = nc < nr
    if transpose:
        rows = [list(col) for col in zip(*rows)]
        nr, nc = nc, nr
    if maximize:
        rows = [[-x for x in r] for r in rows]
    if any(x != x or x == -_INF for r in rows for x in r):
        raise ValueError("matrix contains invalid numeric entries")
    u = [0.0] * nr
    v = [0.0] * nc
    path = [-1] * nc
    col4row = [-1] * nr
    row4col = [-1] * nc
    for cur in range(nr):
        # the shortest augmenting path from row ``cur``
        min_val = 0.0
        remaining = list(range(nc - 1, -1, -1))  # reverse order: constant cost -> identity
        in_sr = [False] * nr
        in_sc = [False] * nc
        spc = [_INF] * nc
        i = cur
        sink = -1
        while sink == -1:
            index = -1
            lowest = _INF
            in_sr[i] = True
            ci, ui = rows[i], u[i]
            for it, j in enumerate(remaining):
                r = min_val + ci[j] - ui - v[j]
                if r < spc[j]:
                    path[j] = i
                    spc[j] = r
                s = spc[j]
                # on a tie, prefer a column that ends the path (a free one)
                if s < lowest or (s == lowest and row4col[j] == -1):
                    lowest = s
                    index = it
            min_val = lowest
            if min_val == _INF:
                raise ValueError("cost matrix is infeasible")
            j = remaining[index]
            if row4col[j] == -1:
                sink = j
            else:
                i = row4col[j]
            in_sc[j] = True
            remaining[index] = remaining[-1]
            remaining.pop()
        # dual variables
        u[cur] += min_val
        for i in range(nr):
            if in_sr[i] and i != cur:
                u[i] += min_val - spc[col4row[i]]
        for j in range(nc):
            if in_sc[j]:
                v[j] -= min_val - spc[j]
        # augment
        j = sink
        while True:
            i = path[j]
            row4col[j] = i
            col4row[i], j = j, col4row[i]
            if i == cur:
                break
    if transpose:
        order = sorted(range(nr), key=col4row.__getitem__)
        return [col4row[k] for k in order], order
    return list(range(nr)), col4row


def diagonal_2x2(w: np.ndarray) -> np.ndarray:
    """For each 2 x 2 weight matrix ``w[k]``, whether ``linear_sum_assignment(w[k],
    maximize=True)`` keeps the diagonal (row 0 to column 0, row 1 to column 1) rather
    than the anti-diagonal.

    Traced from the algorithm: row 0 takes column 0 when ``w00 >= w01``; the anti-diagonal
    wins when its sum is larger, and on equal sums exactly when row 0 first took column 1.
    Exact for integer weights below 2**52 (no rounding in the sums).

    >>> diagonal_2x2(np.array([[[1, 1], [1, 1]], [[1, 2], [2, 1]], [[0, 2], [1, 3]]])).tolist()
    [True, False, False]
    """
    w = np.asarray(w, np.float64)
    diag = w[:, 0, 0] + w[:, 1, 1]
    anti = w[:, 0, 1] + w[:, 1, 0]
    first_col0 = w[:, 0, 0] >= w[:, 0, 1]
    return np.where(first_col0, anti <= diag, anti < diag)


# --- the components of match.align's overlap graph ------------------------------------

#: components with at most this many cells (rows x columns) are solved by
#: :mod:`newsgold.assignment` (scipy's algorithm in Python); larger ones by scipy itself
SMALL_COMPONENT = 100
#: weights below this are exact in float64 sums, as the closed 2 x 2 form needs
_EXACT = 2.0**50


def _components(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """The connected components of the undirected graph with edges ``a[k]-b[k]`` on nodes
    ``0..n-1``: each node's label is the smallest node of its component (scipy's
    ``connected_components`` numbers them in that order). Vectorised union-find: roots
    hooked to the smaller root across every edge, then pointers jumped until flat."""
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


def solve_components(
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

"""The linear sum assignment of small matrices, without importing scipy.

:func:`newsgold.match.align` solves the connected components of its overlap graph that
are neither isolated pairs nor stars with a linear sum assignment. Those components are
tiny (in a 10,000-document event benchmark, 80% are 2 x 2 and none is larger than 6 x 6),
and ``scipy.optimize`` costs ~0.7 s to import, more than scoring the bundled gold. So small
components are solved here, by **the same algorithm as scipy's**
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

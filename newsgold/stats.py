"""Confidence intervals and paired significance tests over per-unit count vectors.

Nothing here re-runs the scorer: a resample is a weighted sum of the per-unit counts that
the metrics produced (:class:`~newsgold.metrics.counts.Counts`), and the score of a resample
is computed by the same :func:`~newsgold.metrics.counts.prf` as the headline number.

* :func:`bootstrap_ci` — percentile bootstrap over units (documents, or sentences while a
  corpus has few documents), seeded (Efron and Tibshirani 1993, ch. 13).
* :func:`paired_bootstrap` — the paired bootstrap test of Koehn (2004) in the form of
  Berg-Kirkpatrick, Burkett and Klein (2012), two-sided: resample units, centre the
  resampled differences on the observed one, and count how often they are at least as far
  from zero as the observed difference (one-sided, that is "exceeds twice the observed").
  With fewer than two units nothing varies between resamples, and p is 1 (no evidence).
  With few units that differ the bootstrap is anti-conservative (its p-value is smaller
  than the exact sign-flip test's, which cannot go below 2 / 2^k for k differing units):
  read it beside the randomisation test, which ``compare`` always prints too.
* :func:`approximate_randomization` — swap the two systems' counts unit by unit with
  probability 1/2 (Noreen 1989; Riezler and Maxwell 2005); p = (r + 1) / (R + 1).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from newsgold.metrics.counts import Counts, macro, micro

METRICS = ("precision", "recall", "f1")


def _score_fn(
    average: str, macro_over: str
) -> Callable[[np.ndarray, np.ndarray | None], np.ndarray]:
    """A function from summed ``[..., label, channel]`` (and optional overall) counts to
    ``[..., 3]`` precision, recall, F1."""

    def fn(by_label: np.ndarray, overall: np.ndarray | None) -> np.ndarray:
        if average == "micro":
            tot = overall if overall is not None else by_label.sum(axis=-2)
            return np.stack(micro(tot), axis=-1)
        if average == "macro":
            return np.stack(macro(by_label, macro_over), axis=-1)
        raise ValueError(f"average must be micro or macro, not {average!r}")

    return fn


def _resampled(counts: Counts, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    by_label = np.tensordot(weights, counts.data, axes=(1, 0))
    overall = None if counts.overall is None else weights @ counts.overall
    return by_label, overall


def _weights(rng: np.random.Generator, n_units: int, size: int) -> np.ndarray:
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=size).astype(np.float64)


def bootstrap_ci(
    counts: Counts,
    *,
    average: str = "micro",
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    macro_over: str = "gold",
    batch: int = 200,
) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of precision, recall and F1, resampling units.

    >>> from newsgold.metrics.counts import CHANNELS, Counts
    >>> data = np.zeros((4, 1, len(CHANNELS)), dtype=int)
    >>> data[:, 0, [0, 5, 7, 8]] = [[1, 1, 1, 1], [0, 0, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]
    >>> ci = bootstrap_ci(Counts("strict", ("PER",), ("a", "b", "c", "d"), data), seed=1)
    >>> 0.0 <= ci["f1"][0] <= 0.75 <= ci["f1"][1] <= 1.0
    True
    """
    n_units = counts.data.shape[0]
    if n_units == 0:
        return {m: (0.0, 0.0) for m in METRICS}
    rng = np.random.default_rng(seed)
    fn = _score_fn(average, macro_over)
    chunks = []
    for start in range(0, n_resamples, batch):
        w = _weights(rng, n_units, min(batch, n_resamples - start))
        chunks.append(fn(*_resampled(counts, w)))
    scores = np.concatenate(chunks)
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(scores, [alpha, 1 - alpha], axis=0)
    return {m: (float(lo[i]), float(hi[i])) for i, m in enumerate(METRICS)}


def _paired(a: Counts, b: Counts, metric: str, average: str, macro_over: str):
    """The score function, metric index and observed difference ``score(b) - score(a)``."""
    if a.units != b.units or a.labels != b.labels:
        raise ValueError("paired tests need both systems scored on the same units and labels")
    fn = _score_fn(average, macro_over)
    k = METRICS.index(metric)
    ones = np.ones((1, a.data.shape[0]))
    observed = float(fn(*_resampled(b, ones))[0, k] - fn(*_resampled(a, ones))[0, k])
    return fn, k, observed


def paired_bootstrap(
    a: Counts,
    b: Counts,
    *,
    metric: str = "f1",
    average: str = "micro",
    n_resamples: int = 1000,
    seed: int = 0,
    macro_over: str = "gold",
) -> dict[str, float]:
    """Paired bootstrap test of ``score(b) - score(a)``; returns the observed difference,
    a two-sided p-value and the resampled differences' 95% interval."""
    fn, k, observed = _paired(a, b, metric, average, macro_over)
    if a.data.shape[0] < 2:  # one unit: every resample is the sample; nothing can be tested
        return {
            "difference": observed,
            "p_value": 1.0,
            "ci_low": observed,
            "ci_high": observed,
            "n_resamples": n_resamples,
        }
    rng = np.random.default_rng(seed)
    w = _weights(rng, a.data.shape[0], n_resamples)
    deltas = fn(*_resampled(b, w))[:, k] - fn(*_resampled(a, w))[:, k]
    # Berg-Kirkpatrick et al. (2012), two-sided: the resampled differences, centred on the
    # observed one, stand in for the null distribution; count those at least as extreme
    exceed = np.sum(np.abs(deltas - observed) >= abs(observed) - 1e-12) if observed else n_resamples
    lo, hi = np.quantile(deltas, [0.025, 0.975])
    return {
        "difference": observed,
        "p_value": float(min(1.0, (exceed + 1) / (n_resamples + 1))),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "n_resamples": n_resamples,
    }


def approximate_randomization(
    a: Counts,
    b: Counts,
    *,
    metric: str = "f1",
    average: str = "micro",
    n_rounds: int = 1000,
    seed: int = 0,
    macro_over: str = "gold",
) -> dict[str, float]:
    """Approximate randomization test of ``score(b) - score(a)`` (two-sided)."""
    fn, k, observed = _paired(a, b, metric, average, macro_over)
    n = a.data.shape[0]
    rng = np.random.default_rng(seed)
    swap = rng.integers(0, 2, size=(n_rounds, n)).astype(np.float64)
    keep = 1.0 - swap
    # round r gives system "b" the units where swap == 0 from b and where swap == 1 from a
    b_lab = np.tensordot(keep, b.data, axes=(1, 0)) + np.tensordot(swap, a.data, axes=(1, 0))
    a_lab = np.tensordot(keep, a.data, axes=(1, 0)) + np.tensordot(swap, b.data, axes=(1, 0))
    b_all = a_all = None
    if a.overall is not None and b.overall is not None:
        b_all = keep @ b.overall + swap @ a.overall
        a_all = keep @ a.overall + swap @ b.overall
    deltas = fn(b_lab, b_all)[:, k] - fn(a_lab, a_all)[:, k]
    r = int(np.sum(np.abs(deltas) >= abs(observed) - 1e-12))
    return {"difference": observed, "p_value": (r + 1) / (n_rounds + 1), "n_rounds": n_rounds}

"""``newsgold compare --layers timex,coref``: paired tests (bootstrap and approximate
randomisation over documents) of every timex and coreference metric, the CoNLL average
resampled with MUC, B³ and CEAF-e together."""

from __future__ import annotations

import numpy as np

from newsgold.metrics import coref as cm
from newsgold.metrics.counts import Counts, prf
from newsgold.metrics.timex import METRICS
from newsgold.stats import approximate_randomization, paired_bootstrap
from newsgold.timex_coref_scoring import (
    CHAINS,
    COREF_LEVEL,
    TIMEX_LEVEL,
    CorefResult,
    LayerOptions,
    TimexResult,
    _conll,
    _weights,
    score_coref,
    score_timex,
)


def _paired_row(name: str, ca: Counts, cb: Counts, n_resamples: int, seed: int) -> dict:
    ca = Counts(ca.mode, ("all",), ca.units, ca.data.sum(axis=1, keepdims=True))
    cb = Counts(cb.mode, ("all",), cb.units, cb.data.sum(axis=1, keepdims=True))
    pb = paired_bootstrap(ca, cb, n_resamples=n_resamples, seed=seed)
    ar = approximate_randomization(ca, cb, n_rounds=n_resamples, seed=seed)
    return {
        "metric": name,
        "f1_a": float(prf(ca.data.sum(axis=(0, 1)))[2]),
        "f1_b": float(prf(cb.data.sum(axis=(0, 1)))[2]),
        "difference": pb["difference"],
        "p_bootstrap": pb["p_value"],
        "ci_low": pb["ci_low"],
        "ci_high": pb["ci_high"],
        "p_randomization": ar["p_value"],
    }


def compare_timex(a: TimexResult, b: TimexResult, *, n_resamples=10000, seed=0) -> list[dict]:
    """B - A for every timex metric: paired bootstrap and approximate randomisation."""
    return [
        _paired_row(m, a.counts[m][TIMEX_LEVEL], b.counts[m][TIMEX_LEVEL], n_resamples, seed)
        for m in METRICS
    ]


def _conll_paired(arrs_a, arrs_b, name: str, n_resamples: int, seed: int) -> dict:
    n = arrs_a[0].shape[0]
    ones = np.ones((1, n))
    fa, fb = float(_conll(arrs_a, ones)[0]), float(_conll(arrs_b, ones)[0])
    observed = fb - fa
    w = _weights(n, n_resamples, seed)
    deltas = _conll(arrs_b, w) - _conll(arrs_a, w)
    # the same two-sided rule as newsgold.stats.paired_bootstrap
    exceed = np.sum(np.abs(deltas - observed) >= abs(observed) - 1e-12) if observed else n_resamples
    swap = np.random.default_rng(seed).integers(0, 2, size=(n_resamples, n)).astype(float)
    keep = 1 - swap
    mixed_b = [
        np.tensordot(keep, xb[:, 0], (1, 0)) + np.tensordot(swap, xa[:, 0], (1, 0))
        for xa, xb in zip(arrs_a, arrs_b)
    ]
    mixed_a = [
        np.tensordot(keep, xa[:, 0], (1, 0)) + np.tensordot(swap, xb[:, 0], (1, 0))
        for xa, xb in zip(arrs_a, arrs_b)
    ]
    d_ar = cm.conll_f1(*(prf(x)[2] for x in mixed_b)) - cm.conll_f1(*(prf(x)[2] for x in mixed_a))
    r = int(np.sum(np.abs(d_ar) >= abs(observed) - 1e-12))
    lo, hi = np.quantile(deltas, [0.025, 0.975])
    return {
        "metric": name,
        "f1_a": fa,
        "f1_b": fb,
        "difference": observed,
        "p_bootstrap": float(min(1.0, (exceed + 1) / (n_resamples + 1))),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "p_randomization": (r + 1) / (n_resamples + 1),
    }


def compare_coref(a: CorefResult, b: CorefResult, *, n_resamples=10000, seed=0) -> list[dict]:
    """B - A for every coreference metric and chain kind, CoNLL included."""
    rows = []
    for ch in CHAINS:
        for m in cm.METRICS:
            key = f"{ch}/{m}"
            rows.append(
                _paired_row(
                    key, a.counts[key][COREF_LEVEL], b.counts[key][COREF_LEVEL], n_resamples, seed
                )
            )
        arrs = [
            [r.counts[f"{ch}/{m}"][COREF_LEVEL].data for m in ("MUC", "B3", "CEAFe")]
            for r in (a, b)
        ]
        rows.append(_conll_paired(arrs[0], arrs[1], f"{ch}/{cm.CONLL}", n_resamples, seed))
    return rows


def compare_named(names, loaded, *, units: str, resamples: int, seed: int) -> dict:
    """``newsgold compare --layers timex,coref``: per layer, the unit, the number of units
    and one paired-test row per metric (``loaded``: A's and B's (gold, predictions))."""
    options = LayerOptions(units=units, n_resamples=0, seed=seed)
    out = {}
    for name in names:
        if name == "timex":
            a, b = (score_timex(g, p, options) for g, p in loaded)
            rows = compare_timex(a, b, n_resamples=resamples, seed=seed)
            level, unit, n = TIMEX_LEVEL, a.unit, a.manifest["n_units"]
        elif name == "coref":
            a, b = (score_coref(g, p, options) for g, p in loaded)
            rows = compare_coref(a, b, n_resamples=resamples, seed=seed)
            level, unit, n = COREF_LEVEL, a.unit, a.manifest["n_units"]
        else:
            continue
        out[name] = {"unit": unit, "n_units": n, "rows": [{**r, "level": level} for r in rows]}
    return out

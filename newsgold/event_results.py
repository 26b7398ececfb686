"""Event scoring results: options, the map step's counts, the per-layer result with its
summaries and intervals, and the paired comparison of two results.

Everything here is computed from the per-unit count vectors of
:mod:`newsgold.event_scoring` (sums, :mod:`newsgold.stats`); no alignment happens here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from newsgold import __version__
from newsgold.errors import NewsgoldError, Problem
from newsgold.metrics.counts import CH, Counts, prf
from newsgold.metrics.events import LEVELS
from newsgold.stats import bootstrap_ci


@dataclass
class EventOptions:
    preset: str = "newsgold"  # newsgold, textee, oneie
    view: str = "ere"  # ere (every event) or content (attribution-only speech events out)
    units: str = "auto"  # auto, document, sentence
    n_resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0
    head_parser: str | None = None  # a spaCy pipeline for heads of unheaded mentions
    allow_unknown: bool = False  # predicted types/roles outside the schema: scored as wrong
    greedy_nuggets: bool = False  # EvmEval's greedy mapping for the Nugget-* metrics
    chunk: int = 250  # documents per map step
    error_rows: bool = False  # keep one row per lost argument (for --errors and --html)


@dataclass
class ChunkCounts:
    """The map step's output: per-unit counts of one chunk."""

    units: list[str]
    arrays: dict[tuple[str, str], np.ndarray]  # (metric, level) -> [unit, 1, channel]
    causes: dict[str, dict[str, Counter]]  # missed/spurious -> doc_id -> Counter
    rows: list[dict[str, Any]]
    by_label: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # [label, ch]
    by_role: dict[tuple[str, str], dict[str, np.ndarray]] = field(default_factory=dict)


def compact_counts(part: ChunkCounts) -> ChunkCounts:
    """Per-unit vectors summed over labels (what the bootstrap and compare use) and
    per-label totals summed over units (the breakdowns): ``[unit, label, channel]`` arrays
    for every metric and level would not fit in memory for a large corpus. Equal arrays
    (a level that credits as the previous one) are stored once."""
    seen: dict[bytes, np.ndarray] = {}
    arrays, by_label = {}, {}
    for key, arr in part.arrays.items():
        unit = arr.sum(axis=1, keepdims=True)
        arrays[key] = seen.setdefault(unit.tobytes(), unit)
        by_label[key] = arr.sum(axis=0)
    return ChunkCounts(part.units, arrays, part.causes, part.rows, by_label)


@dataclass
class EventResult:
    layer: str
    preset: str
    unit: str
    labels: tuple[str, ...]
    counts: dict[str, dict[str, Counts]]
    summaries: dict[str, dict[str, dict]]
    causes: dict[str, dict[str, int]]
    causes_by_document: dict[str, dict[str, dict[str, int]]]
    error_rows: list[dict[str, Any]]
    unknown: dict[str, dict[str, int]]
    manifest: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "preset": self.preset,
            "unit": self.unit,
            "metrics": self.summaries,
            "argument_errors": {"total": self.causes, "by_document": self.causes_by_document},
            "unknown": self.unknown,
            "manifest": self.manifest,
        }


def _summary(
    c: Counts, interval: dict | None, by_label: np.ndarray, labels: tuple[str, ...]
) -> dict[str, Any]:
    tot = c.data.sum(axis=(0, 1))
    p, r, f = prf(tot)
    per_type = {}
    for i, lbl in enumerate(labels):
        row = by_label[i]
        if row[CH["n_gold"]] == 0 and row[CH["n_pred"]] == 0:
            continue
        lp, lr, lf = prf(row)
        per_type[lbl] = {
            "tp": float(row[CH["correct"]]),
            "n_gold": int(row[CH["n_gold"]]),
            "n_pred": int(row[CH["n_pred"]]),
            "precision": float(lp),
            "recall": float(lr),
            "f1": float(lf),
        }
    return {
        "tp": float(tot[CH["correct"]]),
        "tp_pred": float(tot[CH["correct_pred"]]),
        "n_gold": int(tot[CH["n_gold"]]),
        "n_pred": int(tot[CH["n_pred"]]),
        "precision": float(p),
        "recall": float(r),
        "f1": float(f),
        "interval": interval or {},
        "per_type": per_type,
    }


def _result(
    layer, total: ChunkCounts, labels, unit, options: EventOptions, unknown, manifest
) -> EventResult:
    counts: dict[str, dict[str, Counts]] = {}
    summaries: dict[str, dict[str, dict]] = {}
    boot = dict(n_resamples=options.n_resamples, confidence=options.confidence, seed=options.seed)
    cache: dict[int, dict] = {}
    for (metric, level), arr in total.arrays.items():
        per_label = total.by_label[(metric, level)]
        lab = labels if len(per_label) == len(labels) else ("all",)
        c = Counts(f"{metric}@{level}", ("all",), tuple(total.units), arr)
        counts.setdefault(metric, {})[level] = c
        ci = None
        if options.n_resamples > 0 and len(total.units):
            key = hash(arr.tobytes())
            if key not in cache:
                cache[key] = bootstrap_ci(c, **boot)
            ci = cache[key]
        summ = _summary(c, ci, per_label, lab)
        if (metric, level) in total.by_role:
            roles = total.by_role[(metric, level)]
            summ["per_role"] = _summary(c, None, np.array(list(roles.values())), tuple(roles))[
                "per_type"
            ]
            summ["per_role"] = dict(sorted(summ["per_role"].items()))
        summaries.setdefault(metric, {})[level] = summ
    tot = {k: Counter() for k in ("missed", "spurious")}
    for kind, per_doc in total.causes.items():
        for c in per_doc.values():
            tot[kind].update(c)
    man = {
        "newsgold_version": __version__,
        "layer": layer,
        "options": asdict(options),
        "unit": unit,
        "n_units": len(total.units),
        "levels": list(LEVELS),
        **(manifest or {}),
    }
    return EventResult(
        layer,
        options.preset,
        unit,
        labels,
        counts,
        summaries,
        {k: dict(sorted(v.items())) for k, v in tot.items()},
        {kind: {d: dict(c) for d, c in per.items()} for kind, per in total.causes.items()},
        total.rows,
        unknown,
        man,
    )


def compare_events(
    a: EventResult,
    b: EventResult,
    *,
    n_resamples: int = 10000,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Is system B better than A? For every metric and level: the micro-F1 difference
    ``B - A``, the paired bootstrap p-value and interval, the approximate-randomisation
    p-value, all from the per-unit count vectors (:mod:`newsgold.stats`)."""
    from newsgold.stats import approximate_randomization, paired_bootstrap

    if a.counts.keys() != b.counts.keys():
        raise NewsgoldError(Problem("the two results were scored with different presets"))
    rows = []
    for metric, levels in a.counts.items():
        for level, ca in levels.items():
            # micro scores only need the label sum; the two label axes may differ
            ca = Counts(ca.mode, ("all",), ca.units, ca.data.sum(axis=1, keepdims=True))
            cb = b.counts[metric][level]
            cb = Counts(cb.mode, ("all",), cb.units, cb.data.sum(axis=1, keepdims=True))
            pb = paired_bootstrap(ca, cb, n_resamples=n_resamples, seed=seed)
            ar = approximate_randomization(ca, cb, n_rounds=n_resamples, seed=seed)
            rows.append(
                {
                    "metric": metric,
                    "level": level,
                    "f1_a": a.summaries[metric][level]["f1"],
                    "f1_b": b.summaries[metric][level]["f1"],
                    "difference": pb["difference"],
                    "p_bootstrap": pb["p_value"],
                    "ci_low": pb["ci_low"],
                    "ci_high": pb["ci_high"],
                    "p_randomization": ar["p_value"],
                }
            )
    return rows

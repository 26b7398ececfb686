"""Scoring time expressions and coreference: a map over documents, a sum, intervals.

:func:`timex_chunk` and :func:`coref_chunk` are the map steps (per-unit count vectors,
:class:`~newsgold.metrics.counts.Counts`, of :mod:`newsgold.metrics.timex` and
:mod:`newsgold.metrics.coref`); :func:`score_timex` and :func:`score_coref` sum the chunks
and add percentile bootstrap intervals (:mod:`newsgold.stats`) resampled from those vectors.
:func:`compare_timex` / :func:`compare_coref` pair two systems unit by unit.

Coreference counts carry a metric's recall numerator and denominator in the ``correct`` and
``n_gold`` channels and its precision numerator and denominator in ``correct_pred`` and
``n_pred``, so :func:`~newsgold.metrics.counts.prf` gives its P, R and F1 and a corpus sums
the documents' numbers (the reference scorer's aggregation). Clusters live inside a
document, so the coreference unit is always the document. The CoNLL average is a mean of
three F1s, not a ratio of sums: its interval and paired test resample the three metrics
with the same weights.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from newsgold import __version__
from newsgold.metrics import coref as cm
from newsgold.metrics.counts import CH, CHANNELS, Counts, prf
from newsgold.metrics.timex import LABELS, METRICS, timex_document_counts
from newsgold.stats import bootstrap_ci

CHAINS = tuple(cm.CHAIN_KINDS)
TIMEX_LEVEL = "overlap"  # every TempEval-3 metric is read off the one overlap alignment
COREF_LEVEL = "exact"  # coreference mentions align on the exact span


@dataclass
class LayerOptions:
    units: str = "auto"  # auto, document, sentence (timex only; coreference: documents)
    n_resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0
    chunk: int = 250


def _num(x) -> int | float:
    """Counts as integers when they are (B³, CEAF-e and LEA numerators are fractional)."""
    x = float(x)
    return int(x) if x.is_integer() else x


def _summary(c: Counts, interval: dict | None) -> dict[str, Any]:
    tot = c.data.sum(axis=(0, 1))
    p, r, f = prf(tot)
    out = {
        "tp": _num(tot[CH["correct"]]),
        "tp_pred": _num(tot[CH["correct_pred"]]),
        "n_gold": _num(tot[CH["n_gold"]]),
        "n_pred": _num(tot[CH["n_pred"]]),
        "precision": float(p),
        "recall": float(r),
        "f1": float(f),
    }
    if interval is not None:
        out["interval"] = {k: list(v) for k, v in interval.items()}
    return out


def _ci(c: Counts, options: LayerOptions) -> dict | None:
    if options.n_resamples <= 0 or not c.units:
        return None
    return bootstrap_ci(
        c, n_resamples=options.n_resamples, confidence=options.confidence, seed=options.seed
    )


# --- time expressions ----------------------------------------------------------------------


@dataclass
class TimexResult:
    unit: str
    counts: dict[str, dict[str, Counts]]
    summaries: dict[str, dict]
    per_type: dict[str, dict[str, dict]]
    relations: dict[str, int]
    invalid: dict[str, dict[str, int]]
    manifest: dict[str, Any] = field(default_factory=dict)
    layer: str = "timex"

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "unit": self.unit,
            "metrics": self.summaries,
            "per_type": self.per_type,
            "value_relations": self.relations,
            "invalid_values": self.invalid,
            "manifest": self.manifest,
        }


def timex_chunk(gold: dict, pred: dict, doc_ids: list[str], by_sentence: bool):
    return timex_document_counts(
        [gold[d] for d in doc_ids], [pred.get(d) for d in doc_ids], by_sentence=by_sentence
    )


def _unit(units: str, n_docs: int) -> str:
    from newsgold.scoring import _unit_kind

    return _unit_kind(units, n_docs)


def score_timex(gold: dict, pred: dict, options: LayerOptions | None = None, *, manifest=None):
    """TempEval-3 extent (strict, relaxed), type and value, and value_compatible, with
    intervals; value relations and non-TIMEX3 values counted."""
    options = options or LayerOptions()
    unit = _unit(options.units, len(gold))
    ids = sorted(gold)
    parts = [
        timex_chunk(gold, pred, ids[i : i + options.chunk], unit == "sentence")
        for i in range(0, len(ids), options.chunk)
    ]
    return timex_result(parts, unit, options, manifest)


def timex_result(parts: list, unit: str, options: LayerOptions, manifest=None) -> TimexResult:
    """The sum of :func:`timex_chunk` parts (in doc_id order) and its result."""
    units = tuple(u for p in parts for u in p.units)
    relations: Counter = Counter()
    invalid = {"pred": Counter(), "gold": Counter()}
    for p in parts:
        relations.update(p.relations)
        for side in invalid:
            invalid[side].update(p.invalid[side])
    counts, summaries, per_type = {}, {}, {}
    for m in METRICS:
        data = (
            np.concatenate([p.arrays[m] for p in parts])
            if parts
            else np.zeros((0, len(LABELS), len(CHANNELS)))
        )
        c = Counts(m, LABELS, units, data)
        counts[m] = {TIMEX_LEVEL: c}
        summaries[m] = _summary(c, _ci(c, options))
        by_label = data.sum(axis=0)
        per_type[m] = {}
        for i, lab in enumerate(LABELS):
            if by_label[i, CH["n_gold"]] or by_label[i, CH["n_pred"]]:
                one = Counts(m, (lab,), ("all",), by_label[None, i : i + 1])
                per_type[m][lab] = _summary(one, None)
    man = {
        "newsgold_version": __version__,
        "layer": "timex",
        "options": asdict(options),
        "unit": unit,
        "n_units": len(units),
        **(manifest or {}),
    }
    return TimexResult(
        unit,
        counts,
        summaries,
        per_type,
        dict(sorted(relations.items())),
        {k: dict(sorted(v.items())) for k, v in invalid.items()},
        man,
    )


# --- coreference ---------------------------------------------------------------------------


@dataclass
class CorefResult:
    counts: dict[str, dict[str, Counts]]  # "entities/MUC" -> {"exact": Counts}
    summaries: dict[str, dict[str, dict]]  # chain -> metric -> summary (CoNLL included)
    mentions: dict[str, dict[str, int]]
    manifest: dict[str, Any] = field(default_factory=dict)
    unit: str = "document"
    layer: str = "coref"

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "unit": self.unit,
            "metrics": self.summaries,
            "mentions": self.mentions,
            "manifest": self.manifest,
        }


def coref_chunk(gold: dict, pred: dict, doc_ids: list[str]):
    """The map step: ``{chain: {metric: [unit, 1, channel]}}`` and mention tallies."""
    arrays = {
        ch: {m: np.zeros((len(doc_ids), 1, len(CHANNELS))) for m in cm.METRICS} for ch in CHAINS
    }
    info = {ch: Counter() for ch in CHAINS}
    for u, d in enumerate(doc_ids):
        for ch in CHAINS:
            nums, tally = cm.document_numbers(gold[d], pred.get(d), ch)
            info[ch].update(tally)
            for m, (rn, rd, pn, pd) in nums.items():
                a = arrays[ch][m][u, 0]
                a[CH["correct"]], a[CH["n_gold"]] = rn, rd
                a[CH["correct_pred"]], a[CH["n_pred"]] = pn, pd
    return list(doc_ids), arrays, info


def _f1_of(data: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """F1 of ``[unit, 1, channel]`` counts under each row of ``weights``."""
    return prf(np.tensordot(weights, data[:, 0, :], axes=(1, 0)))[2]


def _conll(arrs: list[np.ndarray], weights: np.ndarray) -> np.ndarray:
    return cm.conll_f1(*(_f1_of(a, weights) for a in arrs))


def _weights(n_units: int, size: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=size).astype(float)


def conll_interval(arrs: list[np.ndarray], options: LayerOptions) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the CoNLL average (MUC, B³, CEAF-e resampled with
    the same document weights)."""
    n = arrs[0].shape[0]
    if options.n_resamples <= 0 or n == 0:
        return None
    scores = _conll(arrs, _weights(n, options.n_resamples, options.seed))
    alpha = (1 - options.confidence) / 2
    lo, hi = np.quantile(scores, [alpha, 1 - alpha])
    return float(lo), float(hi)


def score_coref(gold: dict, pred: dict, options: LayerOptions | None = None, *, manifest=None):
    """MUC, B³, CEAF-e, LEA and the CoNLL average for entity clusters and event hoppers."""
    options = options or LayerOptions()
    ids = sorted(gold)
    parts = [
        coref_chunk(gold, pred, ids[i : i + options.chunk])
        for i in range(0, len(ids), options.chunk)
    ]
    return coref_result(parts, options, manifest)


def coref_result(parts: list, options: LayerOptions, manifest=None) -> CorefResult:
    """The sum of :func:`coref_chunk` parts (in doc_id order) and its result."""
    units = tuple(u for p in parts for u in p[0])
    counts: dict[str, dict[str, Counts]] = {}
    summaries: dict[str, dict[str, dict]] = {}
    mentions: dict[str, dict[str, int]] = {}
    for ch in CHAINS:
        tally: Counter = Counter()
        summaries[ch] = {}
        for m in cm.METRICS:
            data = (
                np.concatenate([p[1][ch][m] for p in parts])
                if parts
                else np.zeros((0, 1, len(CHANNELS)))
            )
            c = Counts(f"{ch}/{m}", ("all",), units, data)
            counts[f"{ch}/{m}"] = {COREF_LEVEL: c}
            summaries[ch][m] = _summary(c, _ci(c, options))
        for p in parts:
            tally.update(p[2][ch])
        mentions[ch] = dict(tally)
        arrs = [counts[f"{ch}/{m}"][COREF_LEVEL].data for m in ("MUC", "B3", "CEAFe")]
        conll = {
            "f1": float(cm.conll_f1(*(summaries[ch][m]["f1"] for m in ("MUC", "B3", "CEAFe"))))
        }
        ci = conll_interval(arrs, options)
        if ci is not None:
            conll["interval"] = {"f1": list(ci)}
        summaries[ch][cm.CONLL] = conll
    man = {
        "newsgold_version": __version__,
        "layer": "coref",
        "options": asdict(options),
        "unit": "document",
        "n_units": len(units),
        "twinless": "predicted mentions without a gold twin join the key as singletons",
        **(manifest or {}),
    }
    return CorefResult(counts, summaries, mentions, man)


def score_named(
    names, gold: dict, pred: dict, *, units: str, bootstrap: int, seed: int, manifest=None
) -> dict:
    """The results of the named layers among ``timex`` and ``coref`` (``newsgold score``)."""
    options = LayerOptions(units=units, n_resamples=bootstrap, seed=seed)
    scorers = {"timex": score_timex, "coref": score_coref}
    return {n: scorers[n](gold, pred, options, manifest=manifest) for n in names if n in scorers}


def tables(result) -> list:
    """The terminal tables of a timex or coref result."""
    if isinstance(result, TimexResult):
        from newsgold.report.timex_tables import rich_timex_tables

        return rich_timex_tables(result)
    from newsgold.report.coref_tables import rich_coref_tables

    return rich_coref_tables(result)


def markdown(result) -> str:
    if isinstance(result, TimexResult):
        from newsgold.report.timex_tables import timex_markdown

        return timex_markdown(result)
    from newsgold.report.coref_tables import coref_markdown

    return coref_markdown(result)

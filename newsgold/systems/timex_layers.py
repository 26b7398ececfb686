"""The benchmark's timex value column: TempEval-3 value F1, by the library's timex scorer.

``timex_value`` is :func:`newsgold.timex_coref_scoring.score_timex`'s ``value`` metric
(TE3's attribute F1 for the value: an aligned pair earns credit when the TIMEX3 value
strings are equal; P = correct / predicted, R = correct / gold; docs/timex-coref.md), with
its bootstrap interval over the same units as the other columns. It is reproduced by
``newsgold score OUTPUT --layers timex --json``: the number is
``layers.timex.metrics.value`` there, its per-type rows ``layers.timex.per_type.value``.

Only systems that claim the ``timex`` layer **and write values** get the column: a system
whose time expressions carry no ``attrs.value`` at all (an NER system's bare ``DATE``
spans, a text-only list without ``value``) is '—', not 0, as it does not claim values.

Its gold differs from the extent column's by design: the TE3 scorer counts every gold
time expression, while the extent column uses the ``ner`` view, which leaves out
``PAST_REF``-like values ('recently') that OntoNotes NER does not tag
(:mod:`newsgold.selection`).
"""

from __future__ import annotations

from typing import Any

from newsgold.model import Annotation
from newsgold.schema import Schema

#: the scorer's metric shown (``value_compatible``, ours, stays in ``--layers timex``)
METRIC = "value"
TITLE = "Timex values (TempEval-3 value F1)"


def writes_values(pred: dict[str, Annotation]) -> bool:
    """Does any time expression of the output, as the timex scorer selects them, carry a
    value?"""
    from newsgold.metrics.timex import timex_mentions, timex_value

    return any(timex_value(m) for a in pred.values() for m in timex_mentions(a))


def _per_label(result, n_resamples: int, seed: int) -> dict[str, dict[str, Any]]:
    """The scorer's per-type rows, each with the bootstrap interval of its slice of the
    same per-unit counts (resampled as for the micro figure)."""
    from newsgold.metrics.counts import Counts
    from newsgold.stats import bootstrap_ci
    from newsgold.timex_coref_scoring import TIMEX_LEVEL

    counts = result.counts[METRIC][TIMEX_LEVEL]
    out = {}
    for label, row in result.per_type[METRIC].items():
        keep = {k: row[k] for k in ("precision", "recall", "f1", "n_gold", "n_pred")}
        if n_resamples > 0 and counts.units:
            i = counts.labels.index(label)
            one = Counts(counts.mode, (label,), counts.units, counts.data[:, i : i + 1, :])
            ci = bootstrap_ci(one, n_resamples=n_resamples, seed=seed)
            keep["ci"] = {k: [float(v[0]), float(v[1])] for k, v in ci.items()}
        out[label] = keep
    return out


def timex_value_layer(
    gold: dict[str, Annotation],
    pred: dict[str, Annotation],
    *,
    schema: Schema,
    output: str,
    n_resamples: int,
    seed: int,
    cli_args: list[str],
    cache: dict | None = None,
):
    """The column's :class:`~newsgold.systems.layers.LayerScore`, or None when the
    output writes no timex value (the system does not claim the column)."""
    from newsgold.systems.layers import LayerScore
    from newsgold.timex_coref_scoring import LayerOptions, score_timex

    if not writes_values(pred):
        return None
    result = score_timex(gold, pred, LayerOptions(n_resamples=n_resamples, seed=seed))
    s = result.summaries[METRIC]
    ci = s.get("interval") or {}
    command = ["newsgold", "score", output, *cli_args, "--layers", "timex"]
    if n_resamples != 1000:
        command += ["--bootstrap", str(n_resamples)]
    if seed != 0:
        command += ["--seed", str(seed)]
    return LayerScore(
        layer="timex_value",
        metric=f"TempEval-3 {METRIC}",
        precision=s["precision"],
        recall=s["recall"],
        f1=s["f1"],
        ci={k: (float(v[0]), float(v[1])) for k, v in ci.items()},
        n_gold=int(s["n_gold"]),
        n_pred=int(s["n_pred"]),
        command=command,
        result={
            "json_path": ["layers", "timex", "metrics", METRIC],
            "per_label_path": ["layers", "timex", "per_type", METRIC],
            "unit": result.unit,
            "value_relations": result.relations,
            "invalid_values": result.invalid,
        },
        per_label=_per_label(result, n_resamples, seed),
    )

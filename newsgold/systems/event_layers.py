"""The benchmark's event columns, scored by the library's event scorer only.

Present when :mod:`newsgold.event_scoring` is (the event scorer, issue 9). One call of
:func:`newsgold.event_scoring.score_events` per system serves three leaderboard layers,
each the scorer's own number at the ``exact`` matching level:

* ``triggers``: ``Trig-C`` of the Rich ERE layer (trigger span and event type);
* ``arguments``: ``Event-Arg-C`` of the Rich ERE layer (arguments inside optimally aligned
  whole events: the scorer's headline event number, which its argument-error causes
  explain);
* ``plover``: ``Trig-C`` of the PLOVER layer (trigger span and PLOVER type).

Each is reproduced by ``newsgold score OUTPUT --layers events`` (or ``plover``) ``--json``:
the number is ``layers.<layer>.metrics.<metric>.exact`` there.
"""

from __future__ import annotations

from typing import Any

from newsgold.model import Annotation
from newsgold.schema import Schema

#: leaderboard layer -> (scorer layer, metric, level)
EVENT_COLUMNS = {
    "triggers": ("events", "Trig-C", "exact"),
    "arguments": ("events", "Event-Arg-C", "exact"),
    "plover": ("plover", "Trig-C", "exact"),
}
TITLES = {
    "triggers": "Event triggers (Rich ERE Trig-C)",
    "arguments": "Event arguments (Event-Arg-C, exact)",
    "plover": "PLOVER triggers (Trig-C)",
}


def available() -> bool:
    try:
        import newsgold.event_scoring  # noqa: F401
    except ImportError:
        return False
    return True


def _scored(gold, pred, schema, n_resamples, seed, cache):
    key = id(pred)
    if key not in cache:
        from newsgold.event_scoring import EventOptions, score_events

        options = EventOptions(n_resamples=n_resamples, seed=seed, allow_unknown=True)
        if hasattr(options, "error_rows"):  # one row per lost argument, for the report
            options.error_rows = True
        cache[key] = score_events(gold, pred, options, schema=schema)
    return cache[key]


def _per_label(counts, per_type: dict, n_resamples: int, seed: int) -> dict[str, dict]:
    """Per-type scores as the scorer gives them, with intervals only where the scorer's
    per-unit counts are split by type (it may keep per-type totals only)."""
    from newsgold.metrics.counts import Counts
    from newsgold.stats import bootstrap_ci

    out = {}
    for label, row in per_type.items():
        keep = {k: row[k] for k in ("precision", "recall", "f1", "n_gold", "n_pred")}
        if n_resamples > 0 and label in counts.labels:
            i = counts.labels.index(label)
            one = Counts(counts.mode, (label,), counts.units, counts.data[:, i : i + 1, :])
            ci = bootstrap_ci(one, n_resamples=n_resamples, seed=seed)
            keep["ci"] = {k: [float(v[0]), float(v[1])] for k, v in ci.items()}
        out[label] = keep
    return out


def _causes(result) -> dict[str, dict[str, int]]:
    """``{cause: {"missed": n, "spurious": n}}`` from the scorer's cause table."""
    table: dict[str, dict[str, int]] = {}
    for outcome, causes in result.causes.items():
        for cause, n in causes.items():
            table.setdefault(cause, {"missed": 0, "spurious": 0})[outcome] = int(n)
    return table


def event_layer(column: str):
    scorer_layer, metric, level = EVENT_COLUMNS[column]

    def score(
        gold: dict[str, Annotation],
        pred: dict[str, Annotation],
        *,
        schema: Schema,
        output: str,
        n_resamples: int,
        seed: int,
        cli_args: list[str],
        cache: dict,
    ):
        from newsgold.systems.layers import LayerScore

        result = _scored(gold, pred, schema, n_resamples, seed, cache)[scorer_layer]
        s = result.summaries[metric][level]
        ci = s.get("interval") or {}
        command = ["newsgold", "score", output, *cli_args, "--layers", scorer_layer]
        command += ["--allow-unknown"]
        if n_resamples != 1000:
            command += ["--bootstrap", str(n_resamples)]
        if seed != 0:
            command += ["--seed", str(seed)]
        extra: dict[str, Any] = (
            {"argument_errors": _causes(result)} if column == "arguments" else {}
        )
        if column == "arguments":
            extra["error_rows"] = result.error_rows
        return LayerScore(
            layer=column,
            metric=f"{metric} {level}",
            precision=s["precision"],
            recall=s["recall"],
            f1=s["f1"],
            ci={k: (float(v[0]), float(v[1])) for k, v in ci.items()},
            n_gold=int(s["n_gold"]),
            n_pred=int(s["n_pred"]),
            command=command,
            result={"json_path": ["layers", scorer_layer, "metrics", metric, level]},
            per_label=_per_label(
                result.counts[metric][level], s.get("per_type", {}), n_resamples, seed
            ),
            extra=extra,
        )

    return score

"""How the benchmark scores one layer of a system's output: by the library's scorers only.

Each layer names the library call, the options, and the equivalent ``newsgold score``
command line, so every number on the leaderboard can be reproduced from the system's
stored output with that command (``tests/test_benchmark.py`` checks that it is).

* ``entities``: :func:`newsgold.scoring.score_entities` with the default options (the
  ``ner`` view: named mentions on their heads, time expressions and values), as
  ``newsgold score OUTPUT``; headline: ``strict`` micro F1;
* ``triggers``, ``arguments``, ``plover`` (systems claiming ``events``), when the event
  scorer is present: :mod:`newsgold.systems.event_layers`;
* ``timex``: the same scorer restricted to the schema's time-expression labels (``DATE``,
  ``TIME``), as ``newsgold score OUTPUT --labels DATE,TIME``: extents and types of time
  expressions;
* ``timex_value`` (systems claiming ``timex`` whose output writes values): TempEval-3 value
  F1 of :func:`newsgold.timex_coref_scoring.score_timex`, as ``newsgold score OUTPUT
  --layers timex``: :mod:`newsgold.systems.timex_layers`.

A layer's ``score`` returns None when the output does not claim it after all (a timex
layer without values); the cell is then '—'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsgold.model import Annotation
from newsgold.schema import Schema
from newsgold.systems import timex_layers


@dataclass
class LayerScore:
    """One layer of one system: headline metric and the scorer's full result."""

    layer: str
    metric: str  # e.g. "strict"
    precision: float
    recall: float
    f1: float
    ci: dict[str, tuple[float, float]]
    n_gold: int
    n_pred: int
    command: list[str]
    result: dict[str, Any]
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # argument errors, error rows

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.extra,
            "layer": self.layer,
            "metric": self.metric,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "ci": {k: list(v) for k, v in self.ci.items()},
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "command": self.command,
            "per_label": self.per_label,
            "result": self.result,
        }


@dataclass
class Layer:
    name: str
    title: str
    headline: str  # which mode/metric the leaderboard shows
    score: Callable[..., LayerScore]
    claims: str = ""  # the system layer it scores (default: its own name)

    @property
    def needs(self) -> str:
        return self.claims or self.name


def _entity_layer(name: str, labels: Callable[[Schema], tuple[str, ...] | None]):
    def score(
        gold: dict[str, Annotation],
        pred: dict[str, Annotation],
        *,
        schema: Schema,
        output: str,
        n_resamples: int,
        seed: int,
        cli_args: list[str],
        cache: dict | None = None,
    ) -> LayerScore:
        from newsgold.scoring import EntityOptions, score_entities

        keep = labels(schema)
        if keep:  # `--labels` names only labels the gold has (a label it lacks is an error)
            from newsgold.selection import LabelMapper, select_corpus

            lists, _ = select_corpus(gold, {}, sorted(gold), schema, LabelMapper(schema, None, {}))
            have = {lbl for doc in lists for _, _, lbl in doc}
            keep = tuple(x for x in keep if x in have) or keep
        options = EntityOptions(labels=keep, n_resamples=n_resamples, seed=seed)
        result = score_entities(gold, pred, options, schema=schema)
        mode = "strict"
        micro = result.summaries[mode]["micro"]
        ci = result.intervals.get(mode, {}).get("micro", {})
        command = ["newsgold", "score", output, *cli_args]
        if keep:
            command += ["--labels", ",".join(keep)]
        if n_resamples != 1000:
            command += ["--bootstrap", str(n_resamples)]
        if seed != 0:
            command += ["--seed", str(seed)]
        return LayerScore(
            layer=name,
            metric=mode,
            precision=micro["precision"],
            recall=micro["recall"],
            f1=micro["f1"],
            ci={k: (float(v[0]), float(v[1])) for k, v in ci.items()},
            n_gold=int(micro["n_gold"]),
            n_pred=int(micro["n_pred"]),
            command=command,
            per_label=_per_label(result, mode, n_resamples, seed),
            result=result.to_dict(),
        )

    return score


def _per_label(result, mode: str, n_resamples: int, seed: int) -> dict[str, dict[str, Any]]:
    """Per-label P, R, F1 of ``mode`` with the bootstrap interval of each label's row: the
    same per-unit counts (the label's slice of them) resampled as for the micro average."""
    from newsgold.metrics.counts import Counts
    from newsgold.stats import bootstrap_ci

    counts = result.counts[mode]
    out = {}
    for label, row in result.summaries[mode]["per_label"].items():
        keep = {k: row[k] for k in ("precision", "recall", "f1", "n_gold", "n_pred")}
        if n_resamples > 0:
            i = counts.labels.index(label)
            one = Counts(counts.mode, (label,), counts.units, counts.data[:, i : i + 1, :])
            ci = bootstrap_ci(one, n_resamples=n_resamples, seed=seed)
            keep["ci"] = {k: [float(v[0]), float(v[1])] for k, v in ci.items()}
        out[label] = keep
    return out


LAYERS: dict[str, Layer] = {
    "entities": Layer(
        "entities",
        "Entities (ner view, strict)",
        "strict",
        _entity_layer("entities", lambda s: None),
    ),
    "timex": Layer(
        "timex",
        "Time expressions (extent + type, strict)",
        "strict",
        _entity_layer("timex", lambda s: tuple(s.timex_labels)),
    ),
    "timex_value": Layer(
        "timex_value",
        timex_layers.TITLE,
        f"TempEval-3 {timex_layers.METRIC}",
        timex_layers.timex_value_layer,
        claims="timex",
    ),
}


def _add_event_layers() -> None:
    from newsgold.systems import event_layers

    if not event_layers.available():
        return
    for column, (_, metric, level) in event_layers.EVENT_COLUMNS.items():
        LAYERS[column] = Layer(
            column,
            event_layers.TITLES[column],
            f"{metric} {level}",
            event_layers.event_layer(column),
            claims="events",
        )


_add_event_layers()

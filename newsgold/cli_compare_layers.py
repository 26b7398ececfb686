"""``newsgold compare A B --layers ...``: paired tests of every metric and level of the event
layers (and timex and coreference), on the whole-file path."""

from __future__ import annotations

import json
from pathlib import Path

from newsgold.cli_events import EVENT_LAYERS, EVENT_PRESETS, parse_layers


def compare_layers(
    pred_a: Path,
    pred_b: Path,
    *,
    layers: str | None,
    load,
    preset: str,
    event_view: str,
    units: str,
    resamples: int,
    seed: int,
    allow_unknown: bool,
    as_json: bool,
    output: Path | None = None,
    inputs: tuple = (),
    manifest: dict | None = None,
) -> bool:
    """``newsgold compare A B --layers events[,plover]``: paired tests of every event metric
    and level. False when no event layer is asked for (the entity comparison goes on)."""
    from newsgold.event_scoring import EventOptions, compare_events, score_events
    from newsgold.layers import OPT_IN_LAYERS

    chosen = parse_layers(layers) or []
    events = [x for x in chosen if x in EVENT_LAYERS]
    others = [x for x in chosen if x in OPT_IN_LAYERS]
    if not events and not others:
        return False
    from rich.table import Table

    from newsgold.cli_common import emit, emit_text

    opts = EventOptions(
        preset=preset if preset in EVENT_PRESETS else "newsgold",
        view=event_view,
        units=units,
        n_resamples=0,
        seed=seed,
        allow_unknown=allow_unknown,
    )
    schemes = tuple("ere" if x == "events" else x for x in events)
    results = []
    loaded = []
    for pred in (pred_a, pred_b):
        gold_anns, preds = load(pred)
        loaded.append((gold_anns, preds.annotations))
        results.append(
            score_events(gold_anns, preds.annotations, opts, schemes=schemes) if schemes else {}
        )
    report = {}
    for layer in events:
        a, b = results[0][layer], results[1][layer]
        report[layer] = {
            "unit": a.unit,
            "n_units": a.manifest["n_units"],
            "rows": compare_events(a, b, n_resamples=resamples, seed=seed),
        }
    from newsgold.timex_coref_compare import compare_named

    report.update(compare_named(others, loaded, units=units, resamples=resamples, seed=seed))
    if as_json:
        data = {
            "a": str(pred_a),
            "b": str(pred_b),
            "resamples": resamples,
            "seed": seed,
            "layers": report,
            "manifest": manifest or {},
        }
        emit_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output, inputs)
        return True
    parts = []
    for layer, rep in report.items():
        t = Table(
            title=f"{layer}: B - A (micro F1), paired over {rep['n_units']} {rep['unit']}s, {resamples} resamples",
            title_justify="left",
        )
        for c in (
            "metric",
            "level",
            "F1 A",
            "F1 B",
            "B - A",
            "95% CI",
            "p (bootstrap)",
            "p (randomisation)",
        ):
            t.add_column(c, justify="left" if c in ("metric", "level") else "right")
        for r in rep["rows"]:
            t.add_row(
                r["metric"],
                r["level"],
                f"{100 * r['f1_a']:.2f}",
                f"{100 * r['f1_b']:.2f}",
                f"{100 * r['difference']:+.2f}",
                f"[{100 * r['ci_low']:+.2f}, {100 * r['ci_high']:+.2f}]",
                f"{r['p_bootstrap']:.4f}",
                f"{r['p_randomization']:.4f}",
            )
        parts.append(t)
    emit(parts, output, inputs)
    return True

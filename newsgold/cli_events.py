"""``newsgold score`` over several layers: entities and events (Rich ERE and PLOVER).

:func:`score_layers` is called by ``newsgold score`` once the gold and the predictions are
read. It returns False when only entities are to be scored (the prediction has no events,
or ``--layers entities``), leaving the entity-only output as it was; otherwise it scores
every chosen layer and writes every output itself: terminal tables, ``--json`` (the entity
result's keys as before, plus ``layers``: each layer's metrics by reference name and
level), ``--markdown``, ``--errors`` (entity rows, then event rows carrying ``layer`` and
``cause``) and ``--html`` (the entity page with an event section per layer).

``--preset`` names either an entity preset (nervaluate, seqeval, ...; events are then
scored with ours) or an event preset (textee, oneie; entities are then scored with ours).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsgold.errors import FormatError, NewsgoldError, Problem

EVENT_LAYERS = ("events", "plover")
#: presets that name the event scorers' conventions (the entity presets name entity ones)
EVENT_PRESETS = ("textee", "oneie")


def parse_layers(layers: str | None) -> list[str] | None:
    from newsgold.layers import LAYERS

    if layers is None:
        return None
    chosen = [x.strip() for x in layers.split(",") if x.strip()]
    bad = [x for x in chosen if x not in LAYERS]
    if bad or not chosen:
        raise FormatError(
            Problem(
                f"--layers takes {', '.join(LAYERS)} (comma separated), not {layers!r}",
                field="--layers",
            )
        )
    return chosen


def event_options(
    preset, event_view, units, bootstrap, seed, head_parser, allow_unknown, *, error_rows
):
    """The :class:`~newsgold.event_scoring.EventOptions` of ``score``'s flags (an entity
    preset scores events with ours)."""
    from newsgold.event_scoring import EventOptions

    return EventOptions(
        preset=preset if preset in EVENT_PRESETS else "newsgold",
        view=event_view,
        units=units,
        n_resamples=bootstrap,
        seed=seed,
        head_parser=head_parser,
        allow_unknown=allow_unknown,
        error_rows=error_rows,
    )


def score_layers(
    gold_anns: dict,
    preds: Any,
    *,
    pred_path: Path,
    layers: str | None,
    preset: str,
    event_view: str,
    head_parser: str | None,
    entity_options: Any,
    schema: Any,
    units: str,
    bootstrap: int,
    seed: int,
    allow_unknown: bool,
    manifest: dict,
    kind: str | None,
    output: Path | None,
    errors: Path | None,
    html: Path | None,
    errors_mode: str,
    inputs: list,
    report_entities: Any,
    report_input: Any,
) -> bool:
    """Score the chosen (or present) layers; False: entities only, the caller goes on.

    Every output goes through :func:`newsgold.outputs.write_output` (``inputs`` are never
    written over); ``kind`` is json, csv, markdown or None (terminal tables, or plain text
    with ``-o``); ``report_entities(result)`` / ``report_input()`` print the reader's and the
    label map's notes."""
    from newsgold.event_scoring import score_events
    from newsgold.layers import OPT_IN_LAYERS, layers_present

    chosen = parse_layers(layers)
    if chosen is None:
        chosen = layers_present(preds.annotations) or ["entities"]
        if "entities" not in chosen and preset not in EVENT_PRESETS:
            chosen = ["entities", *chosen]
    events = [x for x in chosen if x in EVENT_LAYERS]
    others = [x for x in chosen if x in OPT_IN_LAYERS]
    if not events and not others and preset not in EVENT_PRESETS:
        return False
    if preset in EVENT_PRESETS and not events:
        events = list(EVENT_LAYERS)
    if preds.format == "prodigy":
        from newsgold.event_checks import check_event_tasks

        problems = check_event_tasks(pred_path)
        if problems:
            raise NewsgoldError(problems)
    from newsgold.cli_common import with_progress

    ev_opts = event_options(
        preset,
        event_view,
        units,
        bootstrap,
        seed,
        head_parser,
        allow_unknown,
        error_rows=errors is not None or html is not None,
    )
    schemes = tuple("ere" if x == "events" else x for x in events)
    try:
        ev_results = with_progress(
            lambda progress: (
                score_events(
                    gold_anns,
                    preds.annotations,
                    ev_opts,
                    manifest=manifest,
                    progress=progress,
                    schemes=schemes,
                )
                if schemes
                else {}
            ),
            len(gold_anns),
        )
    except NewsgoldError as exc:  # name the prediction file in schema errors
        raise NewsgoldError(
            [
                Problem(
                    p.message,
                    file=p.file or str(pred_path),
                    line=p.line,
                    doc_id=p.doc_id,
                    field=p.field,
                )
                for p in exc.problems
            ]
        ) from None
    report_unknown(ev_results)
    entity = None
    rows: list[dict] = []
    if "entities" in chosen:
        from dataclasses import replace

        from newsgold.metrics.entities import MODES

        if (errors is not None or html is not None) and errors_mode not in MODES:
            raise FormatError(
                Problem(f"--errors-mode must be one of {MODES}", field="--errors-mode")
            )
        from newsgold.entity_errors import entity_errors
        from newsgold.scoring import score_entities

        if entity_options.preset in EVENT_PRESETS:
            entity_options = replace(entity_options, preset="newsgold")
        entity = score_entities(
            gold_anns, preds.annotations, entity_options, schema=schema, manifest=manifest
        )
        report_entities(entity)
        if errors is not None or html is not None:
            rows = entity_errors(
                gold_anns,
                preds.annotations,
                replace(entity_options, n_resamples=0),
                mode=errors_mode,
                schema=schema,
            )
    else:
        report_input()
    from newsgold.timex_coref_scoring import score_named

    other = score_named(
        others,
        gold_anns,
        preds.annotations,
        units=units,
        bootstrap=bootstrap,
        seed=seed,
        manifest=manifest,
    )
    n_events = sum(len(a.events) for a in gold_anns.values())
    write_layer_outputs(
        entity,
        ev_results,
        rows,
        other,
        chosen=chosen,
        n_events=n_events,
        n_docs=len(gold_anns),
        kind=kind,
        output=output,
        errors=errors,
        html=html,
        pred_path=pred_path,
        inputs=inputs,
    )
    return True


def report_unknown(ev_results: dict) -> None:
    """Notes on predicted event types and roles outside the schema (scored as wrong)."""
    from newsgold.cli_common import err

    for r in ev_results.values():
        for what, counts in r.unknown.items():
            if counts:
                err.print(
                    f"note: {r.layer}: predicted {what} outside the schema, scored as wrong: "
                    + ", ".join(f"{k} {v}" for k, v in counts.items()),
                    markup=False,
                )


def write_layer_outputs(
    entity,
    ev_results: dict,
    rows: list[dict],
    other: dict,
    *,
    chosen: list[str],
    n_events: int,
    n_docs: int,
    kind: str | None,
    output: Path | None,
    errors: Path | None,
    html: Path | None,
    pred_path: Path,
    inputs: list,
) -> None:
    """Every output of a multi-layer score: ``--errors``, ``--html``, then ``kind`` (json,
    csv, markdown) or terminal tables; shared by the whole-file and the streamed score."""
    from newsgold.cli_common import emit, emit_text, err

    _write_side_outputs(entity, ev_results, rows, errors, html, pred_path, err, inputs)
    if kind is not None:
        text = _text_output(entity, ev_results, kind == "json", kind == "csv", err, other)
        emit_text(text, output, inputs)
        return
    from newsgold.report.event_tables import rich_event_tables
    from newsgold.timex_coref_scoring import tables

    parts: list = []
    if entity is not None:
        from newsgold.report.tables import rich_tables

        parts += rich_tables(entity)
    for r in ev_results.values():
        parts += rich_event_tables(r)
    for r in other.values():
        parts += tables(r)
    parts.append(f"gold: {n_events} events in {n_docs} document(s); layers: {', '.join(chosen)}")
    emit(parts, output, inputs)


def _text_output(entity, ev_results: dict, as_json: bool, as_csv: bool, err, other=None) -> str:
    from newsgold.report.event_tables import event_markdown
    from newsgold.timex_coref_scoring import markdown as other_markdown

    other = other or {}

    if as_json:
        d: dict[str, Any] = entity.to_dict() if entity is not None else {}
        d["layers"] = {}
        if entity is not None:
            d["layers"]["entities"] = entity.to_dict()
        for name, r in ev_results.items():
            d["layers"][name] = r.to_dict()
        for name, r in other.items():
            d["layers"][name] = r.to_dict()
        return json.dumps(d, indent=2, ensure_ascii=False) + "\n"
    if as_csv:
        from newsgold.report.layer_csv import layers_csv

        return layers_csv(entity, ev_results, other)
    from newsgold.report.tables import markdown

    parts = [markdown(entity)] if entity is not None else []
    parts += [event_markdown(r) for r in ev_results.values()]
    parts += [other_markdown(r) for r in other.values()]
    return "\n".join(parts)


def _write_side_outputs(
    entity, ev_results: dict, rows: list[dict], errors, html, pred_path, err, inputs
) -> None:
    from newsgold.formats.jsonl import dumps_line
    from newsgold.outputs import write_output

    event_rows = [{"layer": name, **row} for name, r in ev_results.items() for row in r.error_rows]
    if errors is not None:
        text = "".join(dumps_line(r) for r in rows + event_rows)
        write_output(errors, text, inputs=inputs, flag="--errors")
        err.print(
            f"wrote {len(rows)} entity and {len(event_rows)} argument errors to {errors}",
            markup=False,
        )
    if html is not None:
        from newsgold.report.html import render_event_page, render_html, with_event_sections

        title = f"newsgold: {pred_path.name}"
        if entity is not None:
            page = with_event_sections(
                render_html(entity, rows, title=title), list(ev_results.values())
            )
        else:
            page = render_event_page(list(ev_results.values()), title=title)
        write_output(html, page, inputs=inputs, flag="--html")
        err.print(f"wrote the HTML report to {html}", markup=False)

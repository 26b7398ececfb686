"""What ``score`` says besides its tables: the reader's notes, the label checks and hints,
and the entity-only outputs (``--errors``, ``--html``, ``--json``/``--csv``/``--markdown``,
terminal tables). Shared by the whole-file and the streamed score.
"""

from __future__ import annotations

from pathlib import Path

from newsgold.cli_common import emit, emit_text, report
from newsgold.errors import FormatError, Problem
from newsgold.selection import gold_view_labels, system_labels


def check_labels(gold_anns, options, schema, have: set[str] | None = None) -> None:
    """``--labels`` must name labels the gold has (after the label maps)."""
    if not options.labels:
        return
    have_sorted = sorted(gold_view_labels(gold_anns, options, schema) if have is None else have)
    absent = [x for x in options.labels if x not in have_sorted]
    if absent:
        raise FormatError(
            Problem(
                f"{', '.join(absent)}: not a label of the gold in this view "
                f"(the gold has {', '.join(have_sorted) or 'no label'})",
                field="--labels",
            )
        )


def label_map_hint(preds, options, schema, system: set[str] | None = None) -> str | None:
    """When the system's labels are those of a schema label map's target set (CoNLL's
    PER/LOC/ORG/MISC, ACE's PER/ORG/GPE...), the ``--label-map`` that fits."""
    if options.label_map:
        return None
    system = system_labels(preds, options) if system is None else system
    ours = set(schema.entity_labels) | set(schema.value_labels) | set(schema.timex_labels)
    if not system or system <= ours:
        return None
    best = None
    for name, mapping in schema.label_maps.items():
        targets = {v for v in mapping.values() if v is not None}
        if system <= targets and (best is None or len(targets) < best[1]):
            best = (name, len(targets))
    if best is None:
        return None
    return (
        f"the system's labels ({', '.join(sorted(system))}) are those of the {best[0]} label "
        f"set: try --label-map {best[0]}"
    )


def print_reports(preds, result, hint: str | None) -> None:
    for p in preds.problems:
        report("warning", p)
    if preds.placement:
        report(
            "note",
            "text-only placement: " + ", ".join(f"{k} {v}" for k, v in preds.placement.items()),
        )
    if result is None:  # no entity layer scored: the reader's notes only
        return
    labels = result.label_report
    for key, what in (
        ("gold_unmapped", "gold labels with no counterpart in the label map, left out"),
        ("pred_unmapped", "system labels with no counterpart in the label map, left out"),
        ("pred_unknown", "system labels not in the gold label set, scored as errors"),
    ):
        if labels[key]:
            report("note", f"{what}: " + ", ".join(f"{k} {v}" for k, v in labels[key].items()))
    if hint and labels["pred_unknown"]:
        report("hint", hint)


def write_entity_outputs(
    result,
    rows: list[dict] | None,
    *,
    kind: str | None,
    output: Path | None,
    errors: Path | None,
    html: Path | None,
    errors_mode: str,
    pred: Path,
    gold: Path,
    inputs: list,
) -> None:
    """Every output of an entity-only score (``--errors`` and ``--html`` from ``rows``),
    shared by the whole-file and the streamed score."""
    from newsgold.outputs import write_output

    if errors is not None or html is not None:
        from newsgold.formats.jsonl import dumps_line

        rows = rows or []
        if errors is not None:
            text = "".join(dumps_line(r) for r in rows)
            write_output(errors, text, inputs=inputs, flag="--errors")
            report("note", f"wrote {len(rows)} {errors_mode} errors to {errors}")
        if html is not None:
            from newsgold.report.html import render_html

            page = render_html(result, rows, title=f"newsgold: {pred.name}")
            write_output(html, page, inputs=inputs, flag="--html")
            report("note", f"wrote the HTML report to {html}")
    from newsgold.report.tables import csv_text, markdown, rich_tables

    if kind == "json":
        import json

        emit_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", output, inputs)
    elif kind == "csv":
        emit_text(csv_text(result), output, inputs)
    elif kind == "markdown":
        emit_text(markdown(result), output, inputs)
    else:
        m = result.manifest
        footer = (
            f"gold {gold}: {m['gold_spans']} spans in {m['documents']} document(s); "
            f"system: {m['pred_spans']} spans"
        )
        emit([*rich_tables(result), footer], output, inputs)

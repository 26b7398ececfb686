"""``newsgold score``: a thin wrapper over :mod:`newsgold.scoring`.

Reading the gold and a prediction (:func:`load_pair`) is shared with ``compare``
(:mod:`newsgold.cli_compare`). Options are the ``Annotated`` aliases of
:mod:`newsgold.cli_common`; a new option is one alias there, one parameter here and one
field of :class:`~newsgold.scoring.EntityOptions`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from newsgold.cli_common import (
    BootOpt,
    CorpusOpt,
    CsvFlag,
    DaskFlag,
    ErrorsModeOpt,
    ErrorsOpt,
    EventViewOpt,
    FormatOpt,
    GoldFormatOpt,
    GoldOpt,
    HeadParserOpt,
    HtmlOpt,
    JsonFlag,
    LabelsOpt,
    LayersOpt,
    MapOpt,
    MarkdownFlag,
    MinOverlapOpt,
    MismatchOpt,
    MissingOpt,
    OccurrencesOpt,
    OutputOpt,
    PredArg,
    PresetOpt,
    RenameOpt,
    SchemaOpt,
    SeedOpt,
    SpanOpt,
    UnitsOpt,
    UnknownOpt,
    ViewOpt,
    default,
    one_of,
    with_progress,
)
from newsgold.cli_load import _is_blank, _not_conll, load_gold, load_pair  # noqa: F401
from newsgold.cli_reports import (  # noqa: F401  (re-exported: compare and the tests use them)
    check_labels,
    gold_view_labels,
    label_map_hint,
    print_reports,
    system_labels,
    write_entity_outputs,
)
from newsgold.errors import FormatError, Problem
from newsgold.paths import CORPUS, GOLD, SCHEMA


def rename_pairs(pairs: list[str]) -> dict[str, str]:
    out = {}
    for p in pairs:
        if "=" not in p:
            raise FormatError(Problem(f"--map expects SYSTEM=GOLD, got {p!r}", field="--map"))
        a, b = p.split("=", 1)
        out[a.strip()] = b.strip()
    return out


def _stream(pred, gold, corpus, fmt, gold_fmt, occurrences, layers) -> bool:
    """Whether to score one chunk of documents at a time (:mod:`newsgold.stream_score`):
    a Prodigy gold and prediction with a corpus file, on the default layers.
    ``NEWSGOLD_STREAM=0`` reads whole files instead (what the tests compare it with)."""
    import os

    if os.environ.get("NEWSGOLD_STREAM") == "0" or occurrences is not None:
        return False
    if corpus is None or not Path(corpus).is_file() or _is_blank(pred) or not gold.is_file():
        return False
    from newsgold.cli_events import parse_layers
    from newsgold.formats.predictions import detect_format
    from newsgold.stream_score import streamable

    gold_fmt = gold_fmt or detect_format(gold)
    fmt = fmt or detect_format(pred)
    return streamable(gold_fmt, fmt, Path(corpus), parse_layers(layers))


def entity_options(
    preset, view, span, label_map, rename, labels, units, bootstrap, seed, min_overlap=None
):
    from newsgold.scoring import EntityOptions

    return EntityOptions(
        view=view,
        span=span,
        label_map=label_map,
        rename=rename_pairs(rename or []),
        labels=tuple(x.strip() for x in labels.split(",") if x.strip()) if labels else None,
        preset=preset,
        units=units,
        n_resamples=bootstrap,
        seed=seed,
        min_overlap=min_overlap,
    )


def score(
    pred: PredArg,
    gold: GoldOpt = None,
    gold_fmt: GoldFormatOpt = None,
    corpus: CorpusOpt = None,
    schema: SchemaOpt = None,
    fmt: FormatOpt = None,
    preset: PresetOpt = "newsgold",
    view: ViewOpt = "ner",
    span: SpanOpt = None,
    label_map: MapOpt = None,
    rename: RenameOpt = None,
    labels: LabelsOpt = None,
    units: UnitsOpt = "auto",
    bootstrap: BootOpt = 1000,
    seed: SeedOpt = 0,
    min_overlap: MinOverlapOpt = None,
    occurrences: OccurrencesOpt = None,
    layers: LayersOpt = None,
    event_view: EventViewOpt = "ere",
    head_parser: HeadParserOpt = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
    as_md: MarkdownFlag = False,
    output: OutputOpt = None,
    errors: ErrorsOpt = None,
    html: HtmlOpt = None,
    errors_mode: ErrorsModeOpt = "strict",
    allow_missing: MissingOpt = False,
    allow_unknown: UnknownOpt = False,
    allow_mismatch: MismatchOpt = False,
    use_dask: DaskFlag = False,
) -> None:
    """Score a system against the gold on every layer its output has: entity mentions
    (SemEval modes or a preset), events (--preset textee|oneie for their counting), and,
    when named in --layers, time expressions and coreference."""
    from newsgold.outputs import check_outputs
    from newsgold.schema import load_schema
    from newsgold.scoring import file_sha256, score_entities

    kind = one_of(json=as_json, csv=as_csv, markdown=as_md)
    gold = default(gold, GOLD, "--gold")
    if corpus is None:
        from newsgold.paths import locate

        corpus = locate(CORPUS)[0]
    inputs = [pred, gold, corpus, schema]
    outputs = {"-o": output, "--errors": errors, "--html": html}
    check_outputs(outputs, inputs=inputs)
    the_schema = load_schema(default(schema, SCHEMA, "--schema"))
    options = entity_options(
        preset, view, span, label_map, rename, labels, units, bootstrap, seed, min_overlap
    )
    streamed = _stream(pred, gold, corpus, fmt, gold_fmt, occurrences, layers)
    if use_dask and not streamed:
        raise FormatError(
            Problem(
                "--dask maps the streamed score: a Prodigy JSONL gold and prediction with a "
                "corpus file (not text-only placement, not NEWSGOLD_STREAM=0)",
                field="--dask",
            )
        )
    if streamed:
        from newsgold.cli_events import parse_layers
        from newsgold.cli_stream import score_streamed

        score_streamed(
            pred=pred,
            gold=gold,
            corpus=corpus,
            schema=the_schema,
            options=options,
            layers=parse_layers(layers),
            preset=preset,
            event_view=event_view,
            head_parser=head_parser,
            units=units,
            bootstrap=bootstrap,
            seed=seed,
            allow_missing=allow_missing,
            allow_unknown=allow_unknown,
            allow_mismatch=allow_mismatch,
            manifest={
                "gold": {"path": str(gold), "sha256": file_sha256(gold)},
                "pred": {"path": str(pred), "sha256": file_sha256(pred), "format": "prodigy"},
                "placement": {},
            },
            kind=kind,
            output=output,
            errors=errors,
            html=html,
            errors_mode=errors_mode,
            inputs=inputs,
            dask=use_dask,
        )
        return
    gold_anns, preds = load_pair(
        pred,
        gold,
        corpus,
        fmt,
        allow_missing,
        allow_unknown,
        allow_mismatch,
        gold_fmt,
        occurrences=occurrences,
    )
    check_labels(gold_anns, options, the_schema)
    manifest = {
        "gold": {"path": str(gold), "sha256": file_sha256(gold)},
        "pred": {"path": str(pred), "sha256": file_sha256(pred), "format": preds.format},
        "placement": preds.placement,
    }
    from newsgold.cli_events import score_layers

    if score_layers(
        gold_anns,
        preds,
        pred_path=pred,
        layers=layers,
        preset=preset,
        event_view=event_view,
        head_parser=head_parser,
        entity_options=options,
        schema=the_schema,
        units=units,
        bootstrap=bootstrap,
        seed=seed,
        allow_unknown=allow_unknown,
        manifest=manifest,
        kind=kind,
        output=output,
        errors=errors,
        html=html,
        errors_mode=errors_mode,
        inputs=inputs,
        report_entities=lambda result: print_reports(
            preds, result, label_map_hint(preds.annotations, options, the_schema)
        ),
        report_input=lambda: print_reports(preds, None, None),
    ):
        return
    result = with_progress(
        lambda progress: score_entities(
            gold_anns,
            preds.annotations,
            options,
            schema=the_schema,
            manifest=manifest,
            progress=progress,
        ),
        len(gold_anns),
    )
    print_reports(preds, result, label_map_hint(preds.annotations, options, the_schema))
    rows = None
    if errors is not None or html is not None:
        from newsgold.entity_errors import entity_errors

        rows = entity_errors(
            gold_anns,
            preds.annotations,
            replace(options, n_resamples=0),
            mode=errors_mode,
            schema=the_schema,
        )
    write_entity_outputs(
        result,
        rows,
        kind=kind,
        output=output,
        errors=errors,
        html=html,
        errors_mode=errors_mode,
        pred=pred,
        gold=gold,
        inputs=inputs,
    )

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
    emit,
    emit_text,
    one_of,
    report,
    with_progress,
)
from newsgold.errors import FormatError, NewsgoldError, Problem
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


def _is_blank(path: Path) -> bool:
    """An empty (or all-whitespace) file: a system that predicted nothing at all."""
    if not path.is_file():
        return False
    with path.open("rb") as fh:
        return not fh.read(1 << 16).strip() and not fh.read(1)


def _not_conll(path: Path) -> None:
    """``--format conll`` on a JSON file: say so rather than fail to place its 'tokens'."""
    if not path.is_file():
        return
    with path.open("rb") as fh:
        first = next((ln for ln in fh if ln.strip()), b"").lstrip(b"\xef\xbb\xbf").lstrip()
    if first[:1] in (b"{", b"["):
        raise FormatError(
            Problem(
                "--format conll, but this is JSON, not CoNLL (one token and tag per line); "
                "leave --format out to detect the format",
                file=str(path),
                line=1,
            )
        )


def load_gold(gold: Path, corpus: Path | None, gold_fmt: str | None):
    """The gold annotations and the documents predictions are read onto."""
    from newsgold.corpus.annotations import load_annotations
    from newsgold.corpus.build import load_corpus
    from newsgold.formats.predictions import detect_format, load_predictions

    gold_fmt = gold_fmt or detect_format(gold)
    docs = load_corpus(corpus) if corpus is not None else {}
    if gold_fmt == "prodigy":
        gold_anns = load_annotations(gold)
    else:
        if gold_fmt == "conll":
            from newsgold.formats.conll import documents_from_conll

            _not_conll(gold)
            docs = documents_from_conll(gold)
            if not docs:
                raise FormatError(Problem("the CoNLL gold holds no token", file=str(gold)))
        read = load_predictions(gold, docs, format=gold_fmt, allow_missing=True)
        gold_anns = {d: a for d, a in read.annotations.items() if d not in read.missing}
    if not gold_anns:
        raise FormatError(Problem("the gold holds no annotated document", file=str(gold)))
    from newsgold.corpus.check import check_annotations, raise_problems

    # the gold is checked like any input before it is trusted (its text against the corpus)
    raise_problems(check_annotations(gold_anns, docs, file=str(gold)))
    for d, a in gold_anns.items():
        docs.setdefault(d, a.document)
    return gold_anns, docs


def load_pair(
    pred: Path,
    gold: Path,
    corpus: Path | None,
    fmt: str | None,
    allow_missing: bool,
    allow_unknown: bool,
    allow_mismatch: bool = False,
    gold_fmt: str | None = None,
    loaded=None,
    occurrences: str | None = None,
):
    """Gold annotations and the system's predictions for the gold documents.

    Predictions are read against the whole corpus (a system may cover documents the gold
    does not annotate yet: they are read and checked, not scored); a gold document with no
    prediction is an error unless ``allow_missing``. A gold in another format than our
    Prodigy JSONL is read like a system's output: a CoNLL gold spells its own documents
    (the way seqeval and conlleval compare two tag files), other formats are placed on the
    corpus documents. An empty prediction file predicts nothing for every document."""
    from newsgold.formats.predictions import Predictions, load_predictions
    from newsgold.model import Annotation

    gold_anns, docs = loaded or load_gold(gold, corpus, gold_fmt)
    if _is_blank(pred):
        empty = Problem(
            "the prediction file is empty: every gold document is scored as predicting nothing",
            file=str(pred),
            severity="warning",
        )
        anns = {d: Annotation(document=a.document) for d, a in gold_anns.items()}
        return gold_anns, Predictions(anns, [empty], format=fmt or "empty")
    if fmt == "conll":
        _not_conll(pred)
    reader_options = {}
    if occurrences is not None:  # the text-only placement rule (newsgold/formats/textonly.py)
        from newsgold.formats.predictions import detect_format

        fmt = fmt or detect_format(pred)
        if fmt != "text":
            raise FormatError(
                Problem(
                    f"--occurrences applies to text-only output (--format text), not to {fmt}",
                    file=str(pred),
                    field="--occurrences",
                )
            )
        reader_options["occurrences"] = occurrences
    preds = load_predictions(
        pred,
        docs,
        format=fmt,
        allow_missing=True,
        allow_unknown=allow_unknown,
        allow_mismatch=allow_mismatch,
        **reader_options,
    )
    missing = [d for d in sorted(gold_anns) if d in preds.missing or d not in preds.annotations]
    if missing and not allow_missing:
        raise NewsgoldError(
            [
                Problem(
                    "gold document with no prediction (use --allow-missing to score it as empty)",
                    file=str(pred),
                    doc_id=d,
                )
                for d in missing
            ]
        )
    # the reader's note on corpus documents without predictions is replaced by the check above
    preds.problems = [p for p in preds.problems if "have no prediction" not in p.message]
    return gold_anns, preds


def gold_view_labels(gold_anns, options, schema) -> set[str]:
    """The labels of the gold in the scored view (after the label maps)."""
    from newsgold.selection import LabelMapper, select_corpus

    mapper = LabelMapper(schema, options.label_map, options.rename)
    doc_ids = sorted(gold_anns)
    lists, _ = select_corpus(
        gold_anns, {}, doc_ids, schema, mapper, view=options.view, span=options.span
    )
    return {lbl for doc in lists for _, _, lbl in doc}


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


def system_labels(preds, options) -> set[str]:
    """The system's entity labels (after ``--map`` renames), for :func:`label_map_hint`."""
    return {options.rename.get(m.label, m.label) for a in preds.values() for m in a.mentions}


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
        from newsgold.scoring import entity_errors

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

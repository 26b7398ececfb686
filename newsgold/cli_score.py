"""``newsgold score`` and ``newsgold compare``: thin wrappers over :mod:`newsgold.scoring`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsgold.errors import FormatError, Problem

GOLD = Path("annotations") / "gold.jsonl"
CORPUS = Path("corpus") / "documents.jsonl"


def _rename(pairs: list[str]) -> dict[str, str]:
    out = {}
    for p in pairs:
        if "=" not in p:
            raise FormatError(Problem(f"--map expects SYSTEM=GOLD, got {p!r}", field="--map"))
        a, b = p.split("=", 1)
        out[a.strip()] = b.strip()
    return out


def _load(
    pred: Path,
    gold: Path,
    corpus: Path,
    fmt: str | None,
    allow_missing: bool,
    allow_unknown: bool,
    allow_mismatch: bool = False,
    gold_fmt: str | None = None,
):
    """Gold annotations and the system's predictions for the gold documents.

    Predictions are read against the whole corpus (a system may cover documents the gold
    does not annotate yet: they are read and checked, not scored); a gold document with no
    prediction is an error unless ``allow_missing``. A gold in another format than our
    Prodigy JSONL is read like a system's output: a CoNLL gold spells its own documents
    (the way seqeval and conlleval compare two tag files), other formats are placed on the
    corpus documents."""
    from newsgold.corpus.annotations import load_annotations
    from newsgold.corpus.build import load_corpus
    from newsgold.errors import NewsgoldError
    from newsgold.formats.predictions import detect_format, load_predictions

    gold_fmt = gold_fmt or detect_format(gold)
    docs = load_corpus(corpus) if corpus.exists() else {}
    if gold_fmt == "prodigy":
        gold_anns = load_annotations(gold)
    else:
        if gold_fmt == "conll":
            from newsgold.formats.conll import documents_from_conll

            docs = documents_from_conll(gold)
        read = load_predictions(gold, docs, format=gold_fmt, allow_missing=True)
        gold_anns = {d: a for d, a in read.annotations.items() if d not in read.missing}
    for d, a in gold_anns.items():
        docs.setdefault(d, a.document)
    preds = load_predictions(
        pred,
        docs,
        format=fmt,
        allow_missing=True,
        allow_unknown=allow_unknown,
        allow_mismatch=allow_mismatch,
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


PredArg = Annotated[Path, typer.Argument(help="System output: a file or (brat) folder.")]
GoldOpt = Annotated[
    Path, typer.Option("--gold", help="Gold annotations (Prodigy JSONL, or any readable format).")
]
GoldFormatOpt = Annotated[
    str | None, typer.Option("--gold-format", help="The gold's format, when not our Prodigy JSONL.")
]
CorpusOpt = Annotated[Path, typer.Option("--corpus", help="Corpus documents.")]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help="prodigy, spacy, conll, brat, hf or text; default: detect."),
]
PresetOpt = Annotated[
    str,
    typer.Option(
        "--preset",
        help="newsgold (default), nervaluate, nervaluate-raw, seqeval, conlleval or spacy.",
    ),
]
ViewOpt = Annotated[
    str,
    typer.Option(
        "--view", help="ner (named + values, default), mentions, or mention types: NAM,NOM."
    ),
]
SpanOpt = Annotated[
    str | None, typer.Option("--span", help="head or extent (default: the view's).")
]
MapOpt = Annotated[
    str | None,
    typer.Option("--label-map", help="Schema label map: conll2003, ace2005, ontonotes5."),
]
RenameOpt = Annotated[
    list[str] | None, typer.Option("--map", help="Rename a system label: SYSTEM=GOLD (repeat).")
]
LabelsOpt = Annotated[
    str | None, typer.Option("--labels", help="Only these labels, comma separated.")
]
UnitsOpt = Annotated[
    str, typer.Option("--units", help="Bootstrap unit: auto, document or sentence.")
]
BootOpt = Annotated[int, typer.Option("--bootstrap", help="Bootstrap resamples (0: none).")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed of the resampling.")]
MissingOpt = Annotated[
    bool,
    typer.Option(
        "--allow-missing", help="Gold documents without a prediction: warn, score as empty."
    ),
]
MismatchOpt = Annotated[
    bool,
    typer.Option(
        "--allow-mismatch",
        help="A prediction whose text differs from the corpus: warn, drop it (it predicts nothing).",
    ),
]
UnknownOpt = Annotated[
    bool,
    typer.Option("--allow-unknown", help="Predictions for documents not in the gold: warn, skip."),
]


def _options(preset, view, span, label_map, rename, labels, units, bootstrap, seed):
    from newsgold.scoring import EntityOptions

    return EntityOptions(
        view=view,
        span=span,
        label_map=label_map,
        rename=_rename(rename or []),
        labels=tuple(x.strip() for x in labels.split(",")) if labels else None,
        preset=preset,
        units=units,
        n_resamples=bootstrap,
        seed=seed,
    )


def score(
    pred: PredArg,
    gold: GoldOpt = GOLD,
    gold_fmt: GoldFormatOpt = None,
    corpus: CorpusOpt = CORPUS,
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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (with a manifest).")] = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print CSV, one row per mode and label.")
    ] = False,
    as_md: Annotated[bool, typer.Option("--markdown", help="Print a Markdown table.")] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead.")
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors", help="Also write every span not fully credited (JSONL, with context)."
        ),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a self-contained HTML report with the error list."),
    ] = None,
    errors_mode: Annotated[
        str, typer.Option("--errors-mode", help="The mode whose errors --errors lists.")
    ] = "strict",
    allow_missing: MissingOpt = False,
    allow_unknown: UnknownOpt = False,
    allow_mismatch: MismatchOpt = False,
    layers: Annotated[
        str | None,
        typer.Option(
            "--layers", help="entities,events,plover (default: every layer the prediction has)."
        ),
    ] = None,
    event_view: Annotated[
        str, typer.Option("--event-view", help="ere (every event) or content (no attribution).")
    ] = "ere",
    head_parser: Annotated[
        str | None,
        typer.Option("--head-parser", help="spaCy pipeline for heads of unheaded mentions."),
    ] = None,
) -> None:
    """Score a system's entity mentions and events against the gold (modes or a preset;
    --preset textee|oneie for the events)."""
    from newsgold.cli import err, out
    from newsgold.formats.jsonl import write_text_atomic
    from newsgold.report.tables import csv_text, markdown, rich_tables
    from newsgold.scoring import file_sha256, score_entities

    gold_anns, preds = _load(
        pred, gold, corpus, fmt, allow_missing, allow_unknown, allow_mismatch, gold_fmt
    )
    for p in preds.problems:
        err.print(f"warning {p}", markup=False)
    if preds.placement:
        err.print(
            "text-only placement: " + ", ".join(f"{k} {v}" for k, v in preds.placement.items()),
            markup=False,
        )
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
        entity_options=_options(
            preset, view, span, label_map, rename, labels, units, bootstrap, seed
        ),
        units=units,
        bootstrap=bootstrap,
        seed=seed,
        allow_unknown=allow_unknown,
        manifest=manifest,
        as_json=as_json,
        as_csv=as_csv,
        as_md=as_md,
        output=output,
        errors=errors,
        html=html,
        errors_mode=errors_mode,
    ):
        return
    result = _with_progress(
        lambda progress: score_entities(
            gold_anns,
            preds.annotations,
            _options(preset, view, span, label_map, rename, labels, units, bootstrap, seed),
            manifest=manifest,
            progress=progress,
        ),
        len(gold_anns),
    )
    if errors is not None or html is not None:
        from newsgold.formats.jsonl import write_jsonl, write_text_atomic
        from newsgold.metrics.entities import MODES
        from newsgold.scoring import entity_errors

        if errors_mode not in MODES:
            raise FormatError(
                Problem(f"--errors-mode must be one of {MODES}", field="--errors-mode")
            )
        rows = entity_errors(
            gold_anns,
            preds.annotations,
            _options(preset, view, span, label_map, rename, labels, units, 0, seed),
            mode=errors_mode,
        )
        if errors is not None:
            write_jsonl(errors, rows)
            err.print(f"wrote {len(rows)} {errors_mode} errors to {errors}", markup=False)
        if html is not None:
            from newsgold.report.html import render_html

            write_text_atomic(html, render_html(result, rows, title=f"newsgold: {pred.name}"))
            err.print(f"wrote the HTML report to {html}", markup=False)
    report = result.label_report
    for key, what in (
        ("gold_unmapped", "gold labels with no counterpart in the label map, left out"),
        ("pred_unmapped", "system labels with no counterpart in the label map, left out"),
        ("pred_unknown", "system labels not in the gold label set, scored as errors"),
    ):
        if report[key]:
            err.print(
                f"note: {what}: " + ", ".join(f"{k} {v}" for k, v in report[key].items()),
                markup=False,
            )
    if as_json or as_csv or as_md:
        import json

        text = (
            json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
            if as_json
            else csv_text(result)
            if as_csv
            else markdown(result)
        )
        if output:
            write_text_atomic(output, text)
        else:
            out.print(text, markup=False, end="", soft_wrap=True)
        return
    for t in rich_tables(result):
        out.print(t)
    out.print(
        f"gold {gold}: {result.manifest['gold_spans']} spans in {result.manifest['documents']} document(s); "
        f"system: {result.manifest['pred_spans']} spans"
    )


def _with_progress(run, n_docs: int, threshold: int = 500):
    """Run ``run(progress)`` with a progress bar on stderr when there are many documents."""
    if n_docs < threshold:
        return run(None)
    from rich.progress import Progress

    from newsgold.cli import err

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("scoring", total=n_docs)
        return run(lambda done, total: bar.update(task, completed=done))


def compare(
    pred_a: Annotated[Path, typer.Argument(help="System A's output.")],
    pred_b: Annotated[Path, typer.Argument(help="System B's output.")],
    gold: GoldOpt = GOLD,
    gold_fmt: GoldFormatOpt = None,
    corpus: CorpusOpt = CORPUS,
    fmt: FormatOpt = None,
    preset: PresetOpt = "newsgold",
    view: ViewOpt = "ner",
    span: SpanOpt = None,
    label_map: MapOpt = None,
    rename: RenameOpt = None,
    labels: LabelsOpt = None,
    units: UnitsOpt = "auto",
    resamples: Annotated[
        int, typer.Option("--resamples", help="Bootstrap resamples and randomisation rounds.")
    ] = 10000,
    seed: SeedOpt = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    allow_missing: MissingOpt = False,
    allow_unknown: UnknownOpt = False,
    allow_mismatch: MismatchOpt = False,
    layers: Annotated[
        str | None, typer.Option("--layers", help="events,plover: compare the event metrics.")
    ] = None,
    event_view: Annotated[
        str, typer.Option("--event-view", help="ere (every event) or content (no attribution).")
    ] = "ere",
) -> None:
    """Is B better than A? Paired bootstrap and approximate randomisation p-values per mode
    (with --layers events: per event metric and level)."""
    import json

    from rich.table import Table

    from newsgold.cli import out
    from newsgold.cli_events import compare_layers
    from newsgold.scoring import score_entities
    from newsgold.stats import approximate_randomization, paired_bootstrap

    if compare_layers(
        pred_a,
        pred_b,
        layers=layers,
        load=lambda p: _load(
            p, gold, corpus, fmt, allow_missing, allow_unknown, allow_mismatch, gold_fmt
        ),
        preset=preset,
        event_view=event_view,
        units=units,
        resamples=resamples,
        seed=seed,
        allow_unknown=allow_unknown,
        as_json=as_json,
    ):
        return
    opts = _options(preset, view, span, label_map, rename, labels, units, 0, seed)
    results = []
    for pred in (pred_a, pred_b):
        gold_anns, preds = _load(
            pred, gold, corpus, fmt, allow_missing, allow_unknown, allow_mismatch, gold_fmt
        )
        results.append(score_entities(gold_anns, preds.annotations, opts))
    a, b = results
    rows = []
    for mode in a.counts:
        ca, cb = a.counts[mode], b.counts[mode]
        labels_all = tuple(sorted(set(ca.labels) | set(cb.labels)))
        ca, cb = _align_labels(ca, labels_all), _align_labels(cb, labels_all)
        for avg in ("micro", "macro") if "macro" in a.summaries[mode] else ("micro",):
            over = a.summaries[mode].get("macro", {}).get("over", "gold")
            pb = paired_bootstrap(
                ca, cb, average=avg, n_resamples=resamples, seed=seed, macro_over=over
            )
            ar = approximate_randomization(
                ca, cb, average=avg, n_rounds=resamples, seed=seed, macro_over=over
            )
            rows.append(
                {
                    "mode": mode,
                    "average": avg,
                    "f1_a": a.summaries[mode][avg]["f1"],
                    "f1_b": b.summaries[mode][avg]["f1"],
                    "difference": pb["difference"],
                    "p_bootstrap": pb["p_value"],
                    "ci_low": pb["ci_low"],
                    "ci_high": pb["ci_high"],
                    "p_randomization": ar["p_value"],
                }
            )
    if as_json:
        out.print(
            json.dumps(
                {
                    "unit": a.unit,
                    "n_units": a.manifest["n_units"],
                    "resamples": resamples,
                    "seed": seed,
                    "rows": rows,
                },
                indent=2,
            ),
            markup=False,
        )
        return
    t = Table(
        title=f"B - A, paired over {a.manifest['n_units']} {a.unit}s, {resamples} resamples",
        title_justify="left",
    )
    for c in (
        "mode",
        "average",
        "F1 A",
        "F1 B",
        "B - A",
        "95% CI",
        "p (bootstrap)",
        "p (randomisation)",
    ):
        t.add_column(c, justify="left" if c in ("mode", "average") else "right")
    for r in rows:
        t.add_row(
            r["mode"],
            r["average"],
            f"{100 * r['f1_a']:.2f}",
            f"{100 * r['f1_b']:.2f}",
            f"{100 * r['difference']:+.2f}",
            f"[{100 * r['ci_low']:+.2f}, {100 * r['ci_high']:+.2f}]",
            f"{r['p_bootstrap']:.4f}",
            f"{r['p_randomization']:.4f}",
        )
    out.print(t)


def _align_labels(c, labels):
    """The same counts over a larger label list (zeros for labels this system never saw)."""
    import numpy as np

    from newsgold.metrics.counts import Counts

    if c.labels == labels:
        return c
    data = np.zeros((c.data.shape[0], len(labels), c.data.shape[2]), c.data.dtype)
    idx = [labels.index(x) for x in c.labels]
    data[:, idx, :] = c.data
    return Counts(c.mode, labels, c.units, data, c.overall)


def agreement(
    files: Annotated[
        list[Path], typer.Argument(help="Two or more annotation files (Prodigy JSONL).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Inter-annotator agreement: pairwise exact-match F1 per layer (entities, timexes,
    triggers, arguments, coreference links), pooled over the documents both annotated."""
    import json
    from itertools import combinations

    from rich.table import Table

    from newsgold.cli import out
    from newsgold.corpus.annotations import load_annotations
    from newsgold.metrics.agreement import LAYERS, corpus_agreement

    if len(files) < 2:
        raise FormatError(Problem("give at least two annotation files", field="files"))
    stems = [f.stem for f in files]
    names = stems if len(set(stems)) == len(stems) else [str(f) for f in files]
    anns = {name: load_annotations(f) for name, f in zip(names, files)}
    pairs = {f"{a} vs {b}": corpus_agreement(anns[a], anns[b]) for a, b in combinations(anns, 2)}
    if as_json:
        out.print(json.dumps(pairs, indent=2), markup=False)
        return
    t = Table(title="pairwise F1 = 2|A∩B| / (|A|+|B|), exact match", title_justify="left")
    t.add_column("layer")
    for name in pairs:
        t.add_column(name, justify="right")
    for layer in LAYERS:
        t.add_row(
            layer,
            *(
                f"{p[layer]['f1']:.3f} ({p[layer]['matched']}/{p[layer]['a']}/{p[layer]['b']})"
                for p in pairs.values()
            ),
        )
    out.print(t)
    out.print("cells: F1 (matched / items in A / items in B)")

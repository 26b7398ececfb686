"""``newsgold compare`` (is B better than A?) and ``newsgold agreement`` (do annotators
agree?): thin wrappers over :mod:`newsgold.stats` and :mod:`newsgold.metrics.agreement`."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from newsgold.cli_common import (
    CorpusOpt,
    EventViewOpt,
    FormatOpt,
    GoldFormatOpt,
    GoldOpt,
    JsonFlag,
    LabelsOpt,
    LayersOpt,
    MapOpt,
    MinOverlapOpt,
    MismatchOpt,
    MissingOpt,
    OccurrencesOpt,
    OutputOpt,
    PresetOpt,
    RenameOpt,
    ResamplesOpt,
    SchemaOpt,
    SeedOpt,
    SpanOpt,
    UnitsOpt,
    UnknownOpt,
    ViewOpt,
    default,
    emit,
    emit_text,
    flag,
)
from newsgold.cli_score import check_labels, entity_options, load_gold, load_pair
from newsgold.errors import FormatError, Problem
from newsgold.paths import CORPUS, GOLD, SCHEMA

_IN = {"exists": True, "dir_okay": True, "readable": True}


def compare(
    pred_a: Annotated[Path, typer.Argument(help="System A's output.", **_IN)],
    pred_b: Annotated[Path, typer.Argument(help="System B's output.", **_IN)],
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
    resamples: ResamplesOpt = 10000,
    seed: SeedOpt = 0,
    min_overlap: MinOverlapOpt = None,
    occurrences: OccurrencesOpt = None,
    layers: LayersOpt = None,
    event_view: EventViewOpt = "ere",
    as_json: JsonFlag = False,
    output: OutputOpt = None,
    allow_missing: MissingOpt = False,
    allow_unknown: UnknownOpt = False,
    allow_mismatch: MismatchOpt = False,
) -> None:
    """Is B better than A? Paired bootstrap and approximate randomisation p-values per mode
    (with --layers: per metric and level of those layers)."""
    import json

    from rich import box
    from rich.table import Table

    from newsgold import __version__
    from newsgold.outputs import check_outputs
    from newsgold.paths import locate
    from newsgold.schema import load_schema
    from newsgold.scoring import file_sha256, score_entities
    from newsgold.stats import approximate_randomization, paired_bootstrap

    gold = default(gold, GOLD, "--gold")
    corpus = corpus if corpus is not None else locate(CORPUS)[0]
    inputs = [pred_a, pred_b, gold, corpus, schema]
    check_outputs({"-o": output}, inputs=inputs)
    the_schema = load_schema(default(schema, SCHEMA, "--schema"))
    opts = entity_options(
        preset, view, span, label_map, rename, labels, units, 0, seed, min_overlap
    )
    from newsgold.cli_score import _stream

    if layers is None and all(
        _stream(p, gold, corpus, fmt, gold_fmt, occurrences, None) for p in (pred_a, pred_b)
    ):  # entity comparison of two Prodigy files: streamed, a chunk of documents at a time
        flags = dict(
            allow_missing=allow_missing,
            allow_unknown=allow_unknown,
            allow_mismatch=allow_mismatch,
        )
        results = [
            _streamed_entities(p, gold, corpus, the_schema, opts, flags) for p in (pred_a, pred_b)
        ]
        formats = ["prodigy", "prodigy"]
    else:
        loaded = load_gold(gold, corpus, gold_fmt)

        def load(pred: Path):
            return load_pair(
                pred,
                gold,
                corpus,
                fmt,
                allow_missing,
                allow_unknown,
                allow_mismatch,
                gold_fmt,
                loaded,
                occurrences=occurrences,
            )

        from newsgold.cli_compare_layers import compare_layers

        if compare_layers(
            pred_a,
            pred_b,
            layers=layers,
            load=load,
            preset=preset,
            event_view=event_view,
            units=units,
            resamples=resamples,
            seed=seed,
            allow_unknown=allow_unknown,
            as_json=as_json,
            output=output,
            inputs=inputs,
            manifest={
                "newsgold_version": __version__,
                "gold": {"path": str(gold), "sha256": file_sha256(gold)},
                "a": {"path": str(pred_a), "sha256": file_sha256(pred_a)},
                "b": {"path": str(pred_b), "sha256": file_sha256(pred_b)},
            },
        ):
            return
        check_labels(loaded[0], opts, the_schema)
        results, formats = [], []
        for pred in (pred_a, pred_b):
            gold_anns, preds = load(pred)
            formats.append(preds.format)
            results.append(score_entities(gold_anns, preds.annotations, opts, schema=the_schema))
    a, b = results
    rows = []
    for mode in a.counts:
        ca, cb = a.counts[mode], b.counts[mode]
        labels_all = tuple(sorted(set(ca.labels) | set(cb.labels)))
        ca, cb = align_labels(ca, labels_all), align_labels(cb, labels_all)
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
        manifest = {
            "newsgold_version": __version__,
            "layer": "entities",
            "gold": {"path": str(gold), "sha256": file_sha256(gold)},
            "a": {"path": str(pred_a), "sha256": file_sha256(pred_a), "format": formats[0]},
            "b": {"path": str(pred_b), "sha256": file_sha256(pred_b), "format": formats[1]},
            "options": {**asdict(opts), "labels": list(opts.labels) if opts.labels else None},
            "documents": a.manifest["documents"],
        }
        data = {
            "a": str(pred_a),
            "b": str(pred_b),
            "unit": a.unit,
            "n_units": a.manifest["n_units"],
            "resamples": resamples,
            "seed": seed,
            "rows": rows,
            "manifest": manifest,
        }
        emit_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output, inputs)
        return
    t = Table(
        title=f"A = {pred_a}, B = {pred_b}: B - A, paired over {a.manifest['n_units']} "
        f"{a.unit}s, {resamples} resamples",
        title_justify="left",
        caption="p boot: paired bootstrap; p rand: approximate randomisation; "
        "95% CI: bootstrap interval of B - A (F1 points)",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,  # eight columns fit an 80-column terminal
    )
    for c in ("mode", "avg", "F1 A", "F1 B", "B - A", "95% CI", "p boot", "p rand"):
        t.add_column(c, justify="left" if c in ("mode", "avg") else "right", no_wrap=True)
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
    emit([t], output, inputs)


def align_labels(c, labels):
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
        list[Path],
        typer.Argument(help="Two or more annotation files (Prodigy JSONL).", **_IN),
    ],
    as_json: Annotated[bool, flag("--json", "Print JSON: every pair's counts and F1.")] = False,
    output: OutputOpt = None,
) -> None:
    """Inter-annotator agreement on every layer: exact-match F1 per layer, span F1 per
    label (exact and overlap), Cohen's kappa and Krippendorff's alpha on token tags,
    realis and polarity on matched triggers, pooled over the documents both annotated."""
    from itertools import combinations

    from newsgold.corpus.annotations import load_annotations
    from newsgold.outputs import check_outputs

    if len(files) < 2:
        raise FormatError(Problem("give at least two annotation files", field="FILES"))
    check_outputs({"-o": output}, inputs=files)
    for i, j in combinations(range(len(files)), 2):
        if files[i].resolve() == files[j].resolve() or files[i].samefile(files[j]):
            raise FormatError(
                Problem(
                    f"{files[i]} and {files[j]} are the same file: nothing to compare",
                    field="FILES",
                )
            )
    from newsgold.cli_annotate import agreement_command

    stems = [f.stem for f in files]
    names = stems if len(set(stems)) == len(stems) else [str(f) for f in files]
    anns = {name: load_annotations(f) for name, f in zip(names, files)}
    for name, f in zip(names, files):
        if not anns[name]:
            raise FormatError(
                Problem("holds no accepted annotation: nothing to compare", file=str(f))
            )
    for x, y in combinations(anns, 2):
        if not set(anns[x]) & set(anns[y]):
            raise FormatError(
                Problem(
                    f"{x} and {y} annotate no document in common: nothing to compare "
                    f"({x}: {', '.join(sorted(anns[x])[:5])}; {y}: {', '.join(sorted(anns[y])[:5])})",
                    field="FILES",
                )
            )
    agreement_command(files, as_json, output, anns)


def _streamed_entities(pred: Path, gold: Path, corpus: Path, schema, opts, flags: dict):
    """The entity result of ``pred`` as the streamed score computes it (same checks)."""
    from newsgold.cli_stream import stream_results

    return stream_results(
        pred=pred,
        gold=gold,
        corpus=corpus,
        schema=schema,
        options=opts,
        layers=["entities"],
        preset=opts.preset,
        event_view="ere",
        head_parser=None,
        units=opts.units,
        bootstrap=0,
        seed=opts.seed,
        manifest={},
        **flags,
    ).entity

"""The annotator's commands: ``add``, ``labels``, ``import``, ``export``.

Thin, like every command module: options are parsed here and the work is done in
``newsgold.corpus.intake`` (add), ``newsgold.corpus.merge`` (import) and
``newsgold.exporters`` (export). :mod:`newsgold.cli` puts them on the one typer app.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from newsgold.errors import NewsgoldError, Problem
from newsgold.exporters.labels import schema_labels


def labels(
    kind: Annotated[
        str, typer.Option("--kind", help="entity, timex, value, trigger, role or span.")
    ] = "entity",
    schema: Annotated[Path | None, typer.Option(help="The annotation schema.")] = None,
) -> None:
    """Print the schema's labels of one kind, comma-separated (for Prodigy's --label)."""
    typer.echo(",".join(schema_labels(kind, schema)))


def add(
    files: Annotated[
        list[str], typer.Argument(help="Article text files, or - to read one from stdin.")
    ],
    date: Annotated[
        str | None,
        typer.Option(help="YYYY-MM-DD: written as the seed's header when the article has none."),
    ] = None,
    system: Annotated[
        str | None,
        typer.Option(help="Pre-annotate the queued tasks with this system (newsgold.systems)."),
    ] = None,
    root: Annotated[Path, typer.Option(help="Project root.")] = Path("."),
) -> None:
    """Add raw articles to seeds/, rebuild corpus/, queue a task per article for Prodigy."""
    from newsgold.cli_common import err, out
    from newsgold.corpus.intake import Article, add_articles
    from newsgold.corpus.release import bump

    articles = []
    for f in files:
        if f == "-":
            articles.append(Article(sys.stdin.buffer.read(), "<stdin>"))
        else:
            try:
                articles.append(Article(Path(f).read_bytes(), f))
            except OSError as exc:
                raise NewsgoldError(Problem(f"cannot read: {exc.strerror}", file=f)) from None
    result = add_articles(articles, root, date=date, system=system)
    for w in result.warnings:
        err.print(f"[yellow]warning[/yellow] {w}", markup=True, soft_wrap=True)
    version = bump(root, "minor", [f"added document {d}" for d in result.added])
    for doc_id, seed, queue in zip(result.added, result.seeds, result.queue):
        out.print(f"added {doc_id}: {seed}; task to annotate: {queue}", markup=False)
    out.print(f"corpus version {version}", markup=False)


def import_(
    path: Annotated[Path, typer.Argument(help="A tool's export: a file, or a brat folder.")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format", help="prodigy, brat, label-studio or doccano [default: detected]."
        ),
    ] = None,
    annotator: Annotated[
        str | None,
        typer.Option(help="Take this annotator's annotations (several annotated a document)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace documents already in the gold (backed up first)."),
    ] = False,
    carry_over: Annotated[
        bool,
        typer.Option(
            "--carry-over/--no-carry-over",
            help="Fill what the tool cannot hold (mention types, heads, attributes, clusters) "
            "from the current gold span with the same offsets and label.",
        ),
    ] = True,
    units: Annotated[
        str,
        typer.Option(help="How doccano offsets count: codepoints, or utf16 (JavaScript's)."),
    ] = "codepoints",
    iaa: Annotated[
        bool,
        typer.Option(
            "--iaa",
            help="Write each annotator's annotations to annotations/iaa/<annotator>.jsonl "
            "(for newsgold agreement) instead of the gold.",
        ),
    ] = False,
    root: Annotated[Path, typer.Option(help="Project root.")] = Path("."),
) -> None:
    """Validate corrected annotations from Prodigy, brat, Label Studio or doccano and merge
    them into annotations/gold.jsonl by doc_id."""
    from newsgold.cli_common import err, out
    from newsgold.corpus.merge import import_annotations

    result = import_annotations(
        path,
        root,
        format=format,
        annotator=annotator,
        replace=replace,
        carry_over=carry_over,
        units=units,
        progress=True,
        iaa=iaa,
    )
    for w in result.warnings:
        err.print(f"[yellow]warning[/yellow] {w}", markup=True, soft_wrap=True)
    if result.backup is not None:
        out.print(f"previous gold kept in {result.backup}", markup=False)
    out.print(
        f"imported {len(result.added)} new and {len(result.replaced)} replaced document(s) "
        f"from {result.format}: " + ", ".join(result.added + result.replaced),
        markup=False,
    )
    out.print("wrote " + ", ".join(str(f) for f in result.files), markup=False)
    if not iaa:
        out.print(f"corpus version {result.version}", markup=False)


def export(
    to: Annotated[
        str,
        typer.Option("--to", help="prodigy, brat, label-studio, doccano, conll, spacy or hf."),
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Output folder (not under annotations/, corpus/, seeds/).")
    ],
    docs: Annotated[
        str | None, typer.Option("--docs", help="Comma-separated doc_ids [default: all].")
    ] = None,
    gold: Annotated[Path | None, typer.Option(help="The gold file.")] = None,
    root: Annotated[Path, typer.Option(help="Project root.")] = Path("."),
) -> None:
    """Export the gold (all or some documents) for a tool or a library, with a written
    report of what the format cannot carry."""
    from newsgold.cli_common import out
    from newsgold.corpus.annotations import load_annotations
    from newsgold.corpus.merge import GOLD, read_gold_lines
    from newsgold.exporters import export_annotations
    from newsgold.schema import load_schema

    gold_path = gold if gold is not None else root / GOLD
    anns = load_annotations(gold_path)
    wanted = [d.strip() for d in docs.split(",") if d.strip()] if docs else sorted(anns)
    unknown = [d for d in wanted if d not in anns]
    if unknown:
        raise NewsgoldError(
            Problem(f"not in the gold: {', '.join(unknown)}", file=str(gold_path), field="docs")
        )
    schema_path = root / "annotations" / "schema.json"
    result = export_annotations(
        [anns[d] for d in wanted],
        to,
        out_dir,
        load_schema(schema_path if schema_path.exists() else None),
        root=root,
        gold_tasks=read_gold_lines(gold_path),
        inputs=(gold_path,),
    )
    out.print(f"wrote {len(result.files)} file(s) to {result.out_dir}", markup=False)
    for row in result.losses:
        out.print(f"not carried: {row['feature']} ({row['lost']}): {row['why']}", markup=False)


def _cell(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _span_row(spans: dict, mode: str, label: str) -> dict | None:
    return spans[mode]["micro"] if label == "(micro)" else spans[mode]["labels"].get(label)


def agreement_command(
    files: list[Path], as_json: bool, output: Path | None = None, anns: dict | None = None
) -> None:
    """``newsgold agreement``: read the files (or take ``anns``, name -> annotations),
    compute every layer, print (or write to ``output``) tables or JSON."""
    import json

    from rich.table import Table

    from newsgold.cli_common import emit, emit_text, err
    from newsgold.corpus.annotations import load_annotations
    from newsgold.metrics.agreement import LAYERS, SPAN_KINDS, agreement_report

    if len(files) < 2:
        raise NewsgoldError(Problem("give at least two annotation files", field="files"))
    stems = [f.stem for f in files]
    names = stems if len(set(stems)) == len(stems) else [str(f) for f in files]
    if anns is None:
        anns = {n: load_annotations(f) for n, f in zip(names, files)}
    report = agreement_report(anns)
    for p in report["tokenisation"]["problems"]:
        err.print(
            f"warning doc {p['doc_id']}: {p['problem']}; left out of token-level numbers",
            markup=False,
            soft_wrap=True,
        )
    if as_json:
        emit_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", output, files)
        return
    parts: list = []
    pairs = report["pairs"]
    t = Table(title="pairwise F1 = 2|A∩B| / (|A|+|B|), exact match", title_justify="left")
    t.add_column("layer")
    for name in pairs:
        t.add_column(name, justify="right")
    for layer in LAYERS:
        t.add_row(
            layer,
            *(
                f"{p['layers'][layer]['f1']:.3f} ({p['layers'][layer]['matched']}/"
                f"{p['layers'][layer]['a']}/{p['layers'][layer]['b']})"
                for p in pairs.values()
            ),
        )
    parts += [t, "cells: F1 (matched / items in A / items in B)"]
    s = Table(title="span F1 per label: exact / overlap", title_justify="left")
    s.add_column("kind")
    s.add_column("label")
    for name in pairs:
        s.add_column(name, justify="right")
    for kind in SPAN_KINDS:
        labels = sorted(
            {lab for p in pairs.values() for lab in p["spans"][kind]["exact"]["labels"]}
        )
        for label in ["(micro)", *labels]:
            cells = []
            for p in pairs.values():
                sp = p["spans"][kind]
                ex, ov = _span_row(sp, "exact", label), _span_row(sp, "overlap", label)
                cells.append("-" if ex is None else f"{ex['f1']:.3f} / {ov['f1']:.3f}")
            s.add_row(kind, label, *cells)
    parts.append(s)
    k = Table(
        title="token tags: Cohen's kappa per pair, Krippendorff's alpha (nominal)",
        title_justify="left",
    )
    k.add_column("kind")
    for name in pairs:
        k.add_column(f"κ {name}", justify="right")
    k.add_column("α all", justify="right")
    for kind in SPAN_KINDS:
        k.add_row(
            kind, *(_cell(p["kappa"][kind]) for p in pairs.values()), _cell(report["alpha"][kind])
        )
    parts.append(k)
    a = Table(
        title="realis and polarity on matched triggers (same span and type)", title_justify="left"
    )
    a.add_column("attribute")
    for name in pairs:
        a.add_column(name, justify="right")
    for attr in ("realis", "polarity"):
        a.add_row(
            attr,
            *(
                f"{_cell(p['trigger_attributes'][attr]['observed'])} "
                f"({p['trigger_attributes'][attr]['agree']}/"
                f"{p['trigger_attributes'][attr]['matched_triggers']}), "
                f"κ {_cell(p['trigger_attributes'][attr]['kappa'])}"
                for p in pairs.values()
            ),
        )
    parts.append(a)
    parts.append(
        "cells: observed agreement (agreeing / matched triggers), Cohen's kappa; '-': undefined"
    )
    ev = Table(
        title="events: F1 at the event scorer's levels (exact / head / overlap)",
        title_justify="left",
    )
    ev.add_column("scheme")
    ev.add_column("metric")
    for name in pairs:
        ev.add_column(name, justify="right")
    schemes = sorted({s for p in pairs.values() for s in p.get("events", {})})
    for scheme in schemes:
        metrics = next(p["events"][scheme] for p in pairs.values() if scheme in p["events"])
        for metric in metrics:
            ev.add_row(
                scheme,
                metric,
                *(
                    " / ".join(f"{f:.3f}" for f in p["events"][scheme][metric].values())
                    if metric in p["events"].get(scheme, {})
                    else "-"
                    for p in pairs.values()
                ),
            )
    co = Table(title="coreference: F1 (entity clusters, event hoppers)", title_justify="left")
    co.add_column("chains")
    co.add_column("metric")
    for name in pairs:
        co.add_column(name, justify="right")
    chains = sorted({c for p in pairs.values() for c in p.get("coref", {})})
    for chain in chains:
        names = next(p["coref"][chain] for p in pairs.values() if chain in p["coref"])
        for metric in names:
            co.add_row(
                chain,
                metric,
                *(
                    f"{p['coref'][chain][metric]:.3f}" if chain in p["coref"] else "-"
                    for p in pairs.values()
                ),
            )
    parts += [ev, co]
    emit(parts, output, files)

"""``newsgold build``, ``validate`` and ``stats``: the commands that make and check the
corpus and its gold. Thin: they parse options, call the library and print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from newsgold.cli_common import (
    CorpusOpt,
    OutputOpt,
    SchemaOpt,
    default,
    emit,
    emit_text,
    err,
    flag,
    out,
)
from newsgold.errors import NewsgoldError, Problem
from newsgold.paths import CORPUS, GOLD, SCHEMA


def build(
    root: Annotated[
        Path | None,
        typer.Option(
            help="Project root holding seeds/ and corpus/ (default: the project root found "
            "upwards from the current directory, else the current directory).",
            show_default=False,
            file_okay=False,
        ),
    ] = None,
    check: Annotated[
        bool, flag("--check", "Write nothing; exit 1 naming stale documents.")
    ] = False,
) -> None:
    """Turn every seed in seeds/ into a document of corpus/documents.jsonl."""
    from newsgold.corpus.build import build as run_build
    from newsgold.paths import find_root

    if root is None:
        root = find_root() or Path(".")
    try:
        result = run_build(root, check=check, progress=True)
    except NewsgoldError as exc:  # seeds are named relative to the root: name them as given
        raise NewsgoldError([_under(root, p) for p in exc.problems]) from None
    if check:
        if result.stale:
            err.print(
                f"{result.path} is stale; rebuild with `newsgold build`. Documents: "
                + ", ".join(result.stale),
                soft_wrap=True,
            )
            raise typer.Exit(1)
        out.print(f"{result.path} is up to date")
    elif result.written:
        out.print(
            f"wrote {result.path} ({len(result.stale)} document(s) changed: "
            + ", ".join(result.stale)
            + ")",
            soft_wrap=True,
        )
    else:
        out.print(f"{result.path} is up to date")


def _under(root: Path, p: Problem) -> Problem:
    if p.file is None or Path(p.file).is_absolute() or root == Path("."):
        return p
    return Problem(p.message, str(root / p.file), p.line, p.doc_id, p.field, p.severity)


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to check (default: every *.jsonl under annotations/).",
            exists=True,
            show_default=False,
        ),
    ] = None,
    corpus: CorpusOpt = None,
    schema: SchemaOpt = None,
    format: Annotated[
        Literal["text", "json"],
        typer.Option("--format", help="text, or json: one object with every problem."),
    ] = "text",
    strict: Annotated[
        bool,
        flag("--strict", "A corpus document without gold is an error, not a warning."),
    ] = False,
) -> None:
    """Check annotation files against the corpus and the schema; exit 1 on any error.
    Corpus documents that the gold (gold.jsonl) does not annotate are reported."""
    from newsgold.corpus.validate import (
        Report,
        annotation_files,
        open_corpus,
        target_files,
        validate_paths,
    )
    from newsgold.corpus.validate.output import JsonSpool, LinePrinter
    from newsgold.paths import candidate_roots
    from newsgold.schema import load_schema

    if paths:
        targets = list(paths)
    else:
        roots = candidate_roots()
        folder = (roots[0] / "annotations") if roots else Path("annotations")
        targets = annotation_files(folder)
    # one task at a time, each problem printed (or spooled) as it is found: memory is that of
    # the largest document, plus a few bytes per document for the corpus index and doc_ids
    sink = JsonSpool() if format == "json" else LinePrinter(out)
    try:
        if targets:
            from newsgold.corpus.check import documents_without_gold

            docs = open_corpus(default(corpus, CORPUS, "--corpus"))
            checked_schema = load_schema(default(schema, SCHEMA, "--schema"))

            def gold_coverage(f) -> None:  # the gold (not an IAA pass) should cover the corpus
                if Path(f.path).name == "gold.jsonl":
                    for p in documents_without_gold(docs, f.path, strict=strict):
                        f.add(p)

            report = _with_bytes_progress(
                lambda progress: validate_paths(
                    targets,
                    docs,
                    checked_schema,
                    sink=sink,
                    on_file=gold_coverage,
                    progress=progress,
                ),
                target_files(targets),
                "validating",
            )
        else:
            report = Report()
        if isinstance(sink, JsonSpool):
            # plain stdout: rich would wrap long lines
            sink.write(report, lambda piece: typer.echo(piece, nl=False))
        elif not targets:
            out.print("nothing to validate: no *.jsonl under annotations/")
        else:
            sink.flush()
            for f in report.files:
                out.print(
                    f"{f.path}: {f.tasks} task(s), {f.errors} error(s), {f.warnings} warning(s)",
                    soft_wrap=True,
                )
            if not report.files:
                out.print("nothing to validate: no *.jsonl in " + ", ".join(map(str, targets)))
    finally:
        if isinstance(sink, JsonSpool):
            sink.close()
        else:
            sink.flush()
    if not report.ok:
        raise typer.Exit(1)


#: inputs at least this large show a progress bar (on stderr, gone when done)
PROGRESS_BYTES = 20 << 20


def _with_bytes_progress(run, files: list[Path], what: str):
    """``run(progress)``, with a progress bar on a terminal over the bytes of ``files``
    when they are large; ``progress(done)`` takes the bytes read so far."""
    total = sum(f.stat().st_size for f in files if f.is_file())
    if total < PROGRESS_BYTES or not err.is_terminal:  # a bar in a log is only noise
        return run(None)
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task(what, total=total)
        return run(lambda done: bar.update(task, completed=done))


def stats(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A Prodigy JSONL annotation file (default: annotations/gold.jsonl).",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    json_out: Annotated[bool, flag("--json", "Print one JSON object instead of tables.")] = False,
    output: OutputOpt = None,
) -> None:
    """Count an annotation file: per layer, label, mention type, role, realis, polarity,
    PLOVER type."""
    import orjson
    from rich.table import Table

    from newsgold.corpus.stats import BREAKDOWNS, LAYERS, count_file
    from newsgold.outputs import check_outputs

    path = default(path, GOLD, "PATH")
    check_outputs({"-o": output}, inputs=[path])
    # one task at a time: memory is the counts, not the file (and no pandas to import)
    counts = _with_bytes_progress(
        lambda progress: count_file(path, progress=progress), [path], "counting"
    )
    if json_out:
        text = orjson.dumps(counts.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"
        emit_text(text, output, [path])
        return
    layers = Table(title=f"{path}: layers")
    layers.add_column("layer")
    layers.add_column("count", justify="right")
    for layer in LAYERS:
        layers.add_row(layer, str(counts.layers[layer]))
    parts = [layers]
    for name, what in BREAKDOWNS.items():
        table = Table(title=name, caption=what)
        table.add_column("key")
        table.add_column("count", justify="right")
        for key, n in counts.rows(name):
            table.add_row(str(key), str(n))
        parts.append(table)
    emit(parts, output, [path])

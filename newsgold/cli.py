"""The ``newsgold`` command line. Thin: it parses options, calls the library and prints.

Every error caused by input is a :class:`~newsgold.errors.NewsgoldError`; it is printed as
lines naming file, line, document and field, and the command exits 1 without a traceback.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsgold.errors import NewsgoldError

app = typer.Typer(
    help="newsgold: build, validate, describe and score the gold news corpus.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def _version(value: bool) -> None:
    if value:
        from newsgold import __version__

        out.print(f"newsgold {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """newsgold: build, validate, describe and score the gold news corpus."""


def friendly(fn):
    """Turn input errors into clear messages and exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NewsgoldError as exc:
            for p in exc.problems:
                err.print(f"[red]error[/red] {p}", markup=True, soft_wrap=True)
            raise typer.Exit(1) from None
        except OSError as exc:  # a file the input names cannot be read or written
            where = f"{exc.filename}: " if exc.filename else ""
            err.print(f"[red]error[/red] {where}{exc.strerror or exc}", markup=True, soft_wrap=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None

    return wrapper


@app.command()
@friendly
def build(
    root: Annotated[Path, typer.Option(help="Project root holding seeds/ and corpus/.")] = Path(
        "."
    ),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 naming stale documents.")
    ] = False,
) -> None:
    """Turn every seed in seeds/ into a document of corpus/documents.jsonl."""
    from newsgold.corpus.build import build as run_build

    result = run_build(root, check=check, progress=True)
    if check:
        if result.stale:
            err.print(
                f"{result.path} is stale; rebuild with `newsgold build`. Documents: "
                + ", ".join(result.stale)
            )
            raise typer.Exit(1)
        out.print(f"{result.path} is up to date")
    elif result.written:
        out.print(
            f"wrote {result.path} ({len(result.stale)} document(s) changed: "
            + ", ".join(result.stale)
            + ")"
        )
    else:
        out.print(f"{result.path} is up to date")


@app.command()
@friendly
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to check (default: every *.jsonl under annotations/)."
        ),
    ] = None,
    corpus: Annotated[Path, typer.Option(help="The corpus documents.")] = Path(
        "corpus/documents.jsonl"
    ),
    schema: Annotated[
        Path | None,
        typer.Option(
            help="The annotation schema [default: annotations/schema.json, else the packaged one]."
        ),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help="text, or json: one object with every problem.")
    ] = "text",
) -> None:
    """Check annotation files against the corpus and the schema; exit 1 on any error."""
    import orjson

    from newsgold.corpus.build import load_corpus
    from newsgold.corpus.validate import Report, annotation_files, validate_paths
    from newsgold.schema import load_schema

    if format not in ("text", "json"):
        raise NewsgoldError(f"--format must be text or json, got {format!r}")
    targets = list(paths) if paths else annotation_files("annotations")
    if targets:
        report = validate_paths(targets, load_corpus(corpus), load_schema(schema))
    else:
        report = Report()
    if format == "json":
        # plain stdout: rich would wrap long lines or read ':name:' as an emoji
        typer.echo(orjson.dumps(report.to_dict()).decode())
    elif not targets:
        out.print("nothing to validate: no *.jsonl under annotations/")
    else:
        for p in report.problems:
            colour = "red" if p.severity == "error" else "yellow"
            out.print(f"[{colour}]{p.severity}[/{colour}] ", end="")
            out.print(str(p), markup=False, emoji=False, soft_wrap=True)
        for f in report.files:
            out.print(
                f"{f.path}: {f.tasks} task(s), {f.errors} error(s), {f.warnings} warning(s)",
                markup=False,
                emoji=False,
            )
        if not report.files:
            out.print("nothing to validate: no *.jsonl in " + ", ".join(map(str, targets)))
    if not report.ok:
        raise typer.Exit(1)


def _register_scoring() -> None:
    from newsgold import cli_score

    app.command("score")(friendly(cli_score.score))
    app.command("compare")(friendly(cli_score.compare))
    app.command("agreement")(friendly(cli_score.agreement))


_register_scoring()
__import__("newsgold.cli_benchmark").cli_benchmark.register(app, friendly)  # benchmark, report


@app.command()
@friendly
def stats(
    path: Annotated[Path, typer.Argument(help="A Prodigy JSONL annotation file.")] = Path(
        "annotations/gold.jsonl"
    ),
    json_out: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
) -> None:
    """Count an annotation file: per layer, label, mention type, role, realis, polarity,
    PLOVER type."""
    import orjson
    from rich.table import Table

    from newsgold.corpus.stats import BREAKDOWNS, load_annotations, stats_to_json
    from newsgold.corpus.stats import stats as compute

    tables = compute(load_annotations(path))
    if json_out:
        typer.echo(orjson.dumps(stats_to_json(tables), option=orjson.OPT_INDENT_2).decode())
        return
    layers = Table(title=f"{path}: layers")
    layers.add_column("layer")
    layers.add_column("count", justify="right")
    for row in tables["layers"].itertuples(index=False):
        layers.add_row(str(row.layer), str(row.count))
    out.print(layers)
    b = tables["breakdowns"]
    for name, what in BREAKDOWNS.items():
        part = b[b["breakdown"] == name]
        table = Table(title=name, caption=what)
        table.add_column("key")
        table.add_column("count", justify="right")
        for row in part.itertuples(index=False):
            table.add_row(str(row.key), str(row.count))
        out.print(table)


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `newsgold ... | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()

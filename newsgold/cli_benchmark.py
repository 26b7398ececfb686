"""``newsgold benchmark`` and ``newsgold report``: thin wrappers over
:mod:`newsgold.systems.benchmark` and :mod:`newsgold.report`.

Registered on the one typer app by a single line in :mod:`newsgold.cli`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsgold.cli_common import BootOpt, SeedOpt, flag


def benchmark(
    root: Annotated[
        Path, typer.Option(help="Project root: corpus/, annotations/, evaluate/.")
    ] = Path("."),
    system: Annotated[
        list[str] | None,
        typer.Option(
            "--system",
            help="Also run this system: module:function, or spacy:NAME_OR_PATH (repeat).",
        ),
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Only these systems, by name (repeat).")
    ] = None,
    rerun: Annotated[
        bool, typer.Option("--rerun", help="Run every runnable system even if its output is fresh.")
    ] = False,
    bootstrap: BootOpt = 1000,
    seed: SeedOpt = 0,
    as_json: Annotated[bool, flag("--json", "Print results.json to stdout.")] = False,
) -> None:
    """Run every available system on the corpus, score each layer with intervals, print the
    leaderboard and write evaluate/leaderboard.md and evaluate/results.json."""
    import orjson
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from newsgold.report.benchmark import rich_leaderboard, write_results
    from newsgold.systems.benchmark import run_benchmark

    out = Console(highlight=False, stderr=as_json)
    notes: list[str] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        result = run_benchmark(
            root,
            systems=system or (),
            only=only,
            rerun=rerun,
            n_resamples=bootstrap,
            seed=seed,
            progress=progress,
            say=notes.append,
        )
    results = result.to_dict()
    rj, md = write_results(results, Path(root) / "evaluate")
    for n in notes:
        out.print(n, markup=False, soft_wrap=True)
    for r in result.runs:
        if r.status in ("ran", "reused", "stored"):
            out.print(f"{r.name}: {r.status}" + (f" ({r.note})" if r.note else ""), markup=False)
    if as_json:
        typer.echo(orjson.dumps(results, option=orjson.OPT_INDENT_2).decode())
    else:
        out.print(rich_leaderboard(results))
    out.print(f"wrote {md} and {rj}", markup=False, soft_wrap=True)


def report(
    root: Annotated[Path, typer.Option(help="Project root (reads evaluate/results.json).")] = Path(
        "."
    ),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="HTML file [default: evaluate/report.html]."),
    ] = None,
    png: Annotated[
        Path | None,
        typer.Option("--png", help="Also write the plots as PNG files into this folder."),
    ] = None,
) -> None:
    """Write one self-contained HTML page of the benchmark (run `newsgold benchmark` first)."""
    from newsgold.outputs import check_output, protected_area
    from newsgold.report.benchmark_html import write_report

    # the one output rule of every command: never into annotations/, corpus/ or seeds/,
    # never over what the report reads (results.json, the systems' stored outputs)
    reads = [Path(root) / "evaluate" / "results.json", Path(root) / "evaluate" / "systems"]
    check_output(output or Path(root) / "evaluate" / "report.html", inputs=reads, flag="-o")
    if png is not None:
        area = protected_area(png / "x.png")
        if area is not None or (png.exists() and not png.is_dir()):
            check_output(png / "x.png" if area else png, inputs=reads, flag="--png")
    path = write_report(Path(root), output)
    typer.echo(f"wrote {path}")
    if png is not None:
        from newsgold.report.benchmark_plots import write_pngs

        for p in write_pngs(Path(root), png):
            typer.echo(f"wrote {p}")

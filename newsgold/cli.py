"""The ``newsgold`` command line: this module only assembles the app.

The commands live in :mod:`newsgold.cli_corpus` (build, validate, stats),
:mod:`newsgold.cli_score` (score), :mod:`newsgold.cli_compare` (compare, agreement) and
:mod:`newsgold.cli_annotate` (add, labels, import, export) and :mod:`newsgold.cli_benchmark`
(benchmark, report);
what they share (consoles, the error wrapper, option types, writing outputs) is in
:mod:`newsgold.cli_common`. Every error caused by input is a
:class:`~newsgold.errors.NewsgoldError`; it is printed as lines naming file, line, document
and field, and the command exits 1 without a traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer >= 0.2x vendors click
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import UsageError

from newsgold import cli_annotate, cli_benchmark, cli_compare, cli_corpus, cli_score
from newsgold.cli_common import err, friendly, out


class _Conventions:
    """Two conventions of the project on top of typer's: ``--help`` is shown as the flag it
    is (typer would list it as ``--help <bool>``), and a bad option or argument exits 1
    like every other input error (click's usage errors exit 2)."""

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as exc:
            exc.exit_code = 1
            raise

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option


class _Command(_Conventions, TyperCommand):
    pass


class _Group(_Conventions, TyperGroup):
    def resolve_command(self, *args, **kwargs):
        try:
            return super().resolve_command(*args, **kwargs)
        except UsageError as exc:
            exc.exit_code = 1
            raise


app = typer.Typer(
    cls=_Group,
    help="newsgold: build, validate, describe and score the gold news corpus.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from newsgold import __version__

        out.print(f"newsgold {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version.", metavar=""
        ),
    ] = False,
) -> None:
    """newsgold: build, validate, describe and score the gold news corpus."""


for _name, _command in (
    ("build", cli_corpus.build),
    ("validate", cli_corpus.validate),
    ("stats", cli_corpus.stats),
    ("score", cli_score.score),
    ("compare", cli_compare.compare),
    ("agreement", cli_compare.agreement),
    ("add", cli_annotate.add),
    ("labels", cli_annotate.labels),
    ("import", cli_annotate.import_),
    ("export", cli_annotate.export),
    ("benchmark", cli_benchmark.benchmark),
    ("report", cli_benchmark.report),
):
    app.command(_name, cls=_Command)(friendly(_command))

__all__ = ["app", "err", "friendly", "main", "out"]


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `newsgold ... | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()

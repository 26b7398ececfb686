"""What every ``newsgold`` command shares: consoles, the error wrapper, option types and the
one way of writing outputs.

* **Printing.** Both consoles have rich markup, emoji codes and highlighting off, so user
  text (a label, a doc_id, a file name, ``[bold]X[/bold]``) is printed as it is, in a
  message or a table cell alike; colour is added only through :class:`rich.text.Text`
  styles on our own words.
* **Errors.** :func:`friendly` turns :class:`~newsgold.errors.NewsgoldError` and
  :class:`OSError` into ``error FILE:LINE, ...`` lines and exit code 1, never a traceback;
  library keyword names in messages (``allow_missing``, ``format=``) are shown as the flags
  that set them (:func:`cli_words`).
* **Options.** ``Annotated`` aliases used by several commands: choices are checked by
  click (``Literal`` types), numbers by ranges, paths must exist; a new ``score`` option
  is one alias here and one parameter there.
* **Outputs.** :func:`emit` prints, or with ``-o`` writes the same text without colour
  codes, through :func:`newsgold.outputs.write_output` (refuses inputs and repository data,
  writes atomically).
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console, RenderableType
from rich.text import Text

from newsgold.errors import NewsgoldError, Problem

out = Console(highlight=False, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, markup=False, emoji=False)

# The choices are spelled here so that `newsgold --help` does not import the scorers;
# tests/test_cli_outputs.py pins them to the library's own tuples.
PRESETS = ("newsgold", "nervaluate", "nervaluate-raw", "seqeval", "conlleval", "spacy")
#: presets of the event layers (TextEE's set counting, OneIE's any-match counting)
EVENT_PRESETS = ("textee", "oneie")
FORMATS = (
    "prodigy",
    "spacy",
    "conll",
    "brat",
    "hf",
    "text",
    "oneie",
    "textee",
    "dygiepp",
    "conll2012",
    "llm-events",
)
MODES = ("strict", "exact", "partial", "ent_type")

#: library keyword names, as the command line spells them
FLAGS = {
    "allow_missing": "--allow-missing",
    "allow_unknown": "--allow-unknown",
    "allow_mismatch": "--allow-mismatch",
    "min_score": "--min-score",
    "label_map": "--label-map",
    "n_resamples": "--bootstrap",
}
#: option fields of library errors that carry no file, as flags
FIELD_FLAGS = {
    "units": "--units",
    "preset": "--preset",
    "view": "--view",
    "span": "--span",
    "labels": "--labels",
    "label_maps": "--label-map",
    "format": "--format",
}
_KEYWORD = re.compile(r"\b(" + "|".join(FLAGS) + r")\b|\bformat=")


def cli_words(text: str) -> str:
    """``text`` with library keyword names replaced by the flags that set them.

    >>> cli_words("pass allow_missing to count it; pass format= one of x")
    'pass --allow-missing to count it; pass --format one of x'
    """
    return _KEYWORD.sub(lambda m: FLAGS.get(m.group(1) or "", "--format"), text)


def problem_text(p: Problem) -> str:
    if p.file is None and p.field in FIELD_FLAGS:
        p = Problem(p.message, None, p.line, p.doc_id, FIELD_FLAGS[p.field], p.severity)
    return cli_words(str(p))


def report(severity: str, message: str | Problem) -> None:
    """Print one ``error``/``warning``/``note`` line on stderr; the message is never markup."""
    style = {"error": "red", "warning": "yellow"}.get(severity, "")
    text = problem_text(message) if isinstance(message, Problem) else cli_words(message)
    err.print(Text(severity, style=style) + Text(" " + text), soft_wrap=True)


def friendly(fn):
    """Turn input errors into clear messages and exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NewsgoldError as exc:
            for p in exc.problems:
                report("error", p)
            raise typer.Exit(1) from None
        except OSError as exc:  # a file the input names cannot be read or written
            where = f"{exc.filename}: " if exc.filename else ""
            report("error", f"{where}{exc.strerror or exc}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None

    return wrapper


def flag(name: str, help: str):
    """A boolean flag, shown in ``--help`` as a flag (no ``<bool>`` value)."""
    return typer.Option(name, help=help, metavar="")


def one_of(**flags: bool) -> str | None:
    """The one output format asked for; two at once is an error naming both flags."""
    on = [f"--{name}" for name, value in flags.items() if value]
    if len(on) > 1:
        raise NewsgoldError(
            Problem(f"{' and '.join(on)} conflict: choose one output format", field=on[1])
        )
    return on[0][2:] if on else None


def render_plain(parts: list[RenderableType | str], width: int = 200) -> str:
    """What ``parts`` print as, as plain text: no colour or style codes."""
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        color_system=None,
        force_terminal=False,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    for p in parts:
        console.print(p, soft_wrap=isinstance(p, str))
    return buf.getvalue()


def emit(parts: list[RenderableType | str], output: Path | None, inputs=()) -> None:
    """Print ``parts``, or write them as plain text to ``output`` (``-o``)."""
    if output is None:
        for p in parts:
            out.print(p, soft_wrap=isinstance(p, str))
        return
    from newsgold.outputs import write_output

    write_output(output, render_plain(parts), inputs=inputs, flag="-o")
    report("note", f"wrote {output}")


def emit_text(text: str, output: Path | None, inputs=()) -> None:
    """Print machine-readable ``text`` (JSON, CSV, Markdown) as it is, or write it (``-o``)."""
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    from newsgold.outputs import write_output

    write_output(output, text, inputs=inputs, flag="-o")
    report("note", f"wrote {output}")


def default(path: Path | None, relative: Path, flag_name: str) -> Path:
    """``path`` as given, else the project's default file (:mod:`newsgold.paths`)."""
    if path is not None:
        return path
    from newsgold.paths import default_file

    return default_file(relative, flag_name)


# -- option aliases --------------------------------------------------------------------------

Preset = Literal[PRESETS + EVENT_PRESETS]  # type: ignore[valid-type]
Format = Literal[FORMATS]  # type: ignore[valid-type]
Mode = Literal[MODES]  # type: ignore[valid-type]

_IN = {"exists": True, "dir_okay": True, "readable": True}

PredArg = Annotated[Path, typer.Argument(help="System output: a file or (brat) folder.", **_IN)]
GoldOpt = Annotated[
    Path | None,
    typer.Option(
        "--gold",
        help="Gold annotations (Prodigy JSONL, or any readable format) "
        "(default: annotations/gold.jsonl of the project).",
        show_default=False,
        **_IN,
    ),
]
GoldFormatOpt = Annotated[
    Format | None,
    typer.Option("--gold-format", help="The gold's format, when not our Prodigy JSONL."),
]
CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        help="Corpus documents (default: corpus/documents.jsonl of the project).",
        show_default=False,
        exists=True,
        dir_okay=False,
    ),
]
SchemaOpt = Annotated[
    Path | None,
    typer.Option(
        "--schema",
        help="The annotation schema (default: annotations/schema.json of the project, else the packaged one).",
        show_default=False,
        exists=True,
        dir_okay=False,
    ),
]
FormatOpt = Annotated[Format | None, typer.Option("--format", help="Default: detect.")]
PresetOpt = Annotated[
    Preset,
    typer.Option(
        "--preset",
        help="Scoring preset: an entity scorer's (nervaluate, seqeval, ...) or an event "
        "scorer's (textee, oneie; entities then use ours).",
    ),
]
ViewOpt = Annotated[
    str,
    typer.Option(
        "--view", help="ner (named + values, default), mentions, or mention types: NAM,NOM."
    ),
]
SpanOpt = Annotated[
    Literal["head", "extent"] | None,
    typer.Option("--span", help="Score heads or extents (default: the view's)."),
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
    Literal["auto", "document", "sentence"],
    typer.Option("--units", help="Bootstrap unit (auto: documents from 30 on, else sentences)."),
]
BootOpt = Annotated[
    int, typer.Option("--bootstrap", min=0, help="Bootstrap resamples (0: no intervals).")
]
SeedOpt = Annotated[int, typer.Option("--seed", min=0, help="Random seed of the resampling.")]
ResamplesOpt = Annotated[
    int,
    typer.Option("--resamples", min=1, help="Bootstrap resamples and randomisation rounds."),
]
MissingOpt = Annotated[
    bool, flag("--allow-missing", "Gold documents without a prediction: warn, score as empty.")
]
MismatchOpt = Annotated[
    bool,
    flag(
        "--allow-mismatch",
        "A prediction whose text differs from the corpus: warn, drop it (it predicts nothing).",
    ),
]
UnknownOpt = Annotated[
    bool, flag("--allow-unknown", "Predictions for documents not in the gold: warn, skip.")
]
DaskFlag = Annotated[
    bool,
    flag(
        "--dask",
        "Map the chunks of documents with dask.bag (processes; DASK_SCHEDULER picks another "
        "scheduler). Prodigy files with a corpus only; needs the dask extra.",
    ),
]
JsonFlag = Annotated[bool, flag("--json", "Print JSON (with a manifest).")]
CsvFlag = Annotated[bool, flag("--csv", "Print CSV, one row per mode and label.")]
MarkdownFlag = Annotated[bool, flag("--markdown", "Print Markdown tables.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write what would be printed to this file instead (plain text, no colour).",
        dir_okay=False,
    ),
]
ErrorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--errors",
        help="Also write every span not fully credited (JSONL, with context).",
        dir_okay=False,
    ),
]
HtmlOpt = Annotated[
    Path | None,
    typer.Option(
        "--html",
        help="Also write a self-contained HTML report with the error list.",
        dir_okay=False,
    ),
]
ErrorsModeOpt = Annotated[
    Mode, typer.Option("--errors-mode", help="The mode whose errors --errors lists.")
]
MinOverlapOpt = Annotated[
    float | None,
    typer.Option(
        "--min-overlap",
        min=1,
        max=100,
        help="nervaluate presets: nervaluate's min_overlap_percentage, 1-100 (default 1).",
    ),
]
OccurrencesOpt = Annotated[
    Literal["listed", "all"] | None,
    typer.Option(
        "--occurrences",
        help="Text-only output: 'listed' (default; each listing is one occurrence) or 'all' "
        "(a listed string stands for every occurrence). Never looks at the gold.",
    ),
]
LayersOpt = Annotated[
    str | None,
    typer.Option(
        "--layers",
        help="entities,events,plover,timex,coref (default: every layer the prediction has; "
        "timex and coref only when named).",
    ),
]
EventViewOpt = Annotated[
    Literal["ere", "content"],
    typer.Option(
        "--event-view",
        help="ere: every event, as Rich ERE counts them (default); content: without "
        "attribution-only speech events.",
    ),
]
HeadParserOpt = Annotated[
    str | None,
    typer.Option(
        "--head-parser",
        help="spaCy pipeline (name or path) giving heads of unheaded predicted arguments.",
    ),
]


def with_progress(run, n_docs: int, threshold: int = 500):
    """Run ``run(progress)`` with a progress bar on stderr when there are many documents."""
    if n_docs < threshold:
        return run(None)
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("scoring", total=n_docs)
        return run(lambda done, total: bar.update(task, completed=done))

"""Problems written out as they are found (``newsgold validate``), so that validating a large
file never holds all of them: sinks for :func:`~newsgold.corpus.validate.check_file`.

* :class:`LinePrinter` prints ``error FILE:LINE, doc D, field F: message`` lines, the
  severity coloured on a terminal. Lines go out in batches; without colour (a pipe, a file)
  they are written as the plain text rich would print, which is ~40x faster than a
  ``Console.print`` per line (a property test pins the two equal).
* :class:`JsonSpool` writes each problem as JSON to an anonymous temporary file and, at the
  end, the one object ``--format json`` prints, byte for byte what
  ``orjson.dumps(report.to_dict())`` would be with the problems kept.

>>> from rich.console import Console  # doctest: +SKIP
>>> printer = LinePrinter(Console())  # doctest: +SKIP
>>> report = validate_paths(files, corpus, schema, sink=printer); printer.flush()  # doctest: +SKIP
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable

import orjson
from rich.console import Console
from rich.control import STRIP_CONTROL_CODES, strip_control_codes
from rich.text import Text

from newsgold.corpus.validate.report import Report
from newsgold.errors import Problem

#: the control codes rich's strip_control_codes drops (rich.control.STRIP_CONTROL_CODES)
_CONTROL = re.compile("[" + "".join(map(chr, STRIP_CONTROL_CODES)) + "]")


def problem_line(p: Problem) -> str:
    """A problem as ``validate`` prints it (without the colour)."""
    return f"{p.severity} {p}"


def plain_line(line: str) -> str | None:
    """``line`` as a console without colour prints it with ``soft_wrap`` (rich drops the
    control codes BEL, BS, VT, FF, CR), or None when only rich can tell (a tab: rich expands
    it by cell width, which wide characters change)."""
    if "\t" in line:
        return None
    # most lines have no control code: a regex search is far cheaper than rich's translate
    return (strip_control_codes(line) if _CONTROL.search(line) else line) + "\n"


class LinePrinter:
    """A sink printing each problem as one line on ``console``; call :meth:`flush` at the
    end (and before printing anything else)."""

    def __init__(self, console: Console, batch: int = 1000):
        self.console = console
        self.batch = batch
        self._pending: list[Problem] = []

    def __call__(self, problem: Problem) -> None:
        self._pending.append(problem)
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        if self.console.color_system is None:  # no styles: rich would print the text as is
            chunk: list[str] = []
            for p in pending:
                line = problem_line(p)
                plain = plain_line(line)
                if plain is not None:
                    chunk.append(plain)
                    continue
                self._write(chunk)
                chunk = []
                self.console.print(Text(line), soft_wrap=True)
            self._write(chunk)
            return
        # one Text for the whole batch: rich's cost is per print, not per line
        text = Text()
        for p in pending:
            text.append(p.severity, style="red" if p.severity == "error" else "yellow")
            text.append(f" {p}\n")
        self.console.print(text, soft_wrap=True, end="")

    def _write(self, chunk: list[str]) -> None:
        if chunk:
            self.console.file.write("".join(chunk))
            self.console.file.flush()


class JsonSpool:
    """A sink keeping problems as JSON in a temporary file (deleted when closed)."""

    def __init__(self) -> None:
        # closed by close() or the with block: the spool outlives this call
        self._fh = tempfile.TemporaryFile()  # noqa: SIM115
        self._count = 0

    def __call__(self, problem: Problem) -> None:
        self._fh.write((b"," if self._count else b"") + orjson.dumps(problem.to_dict()))
        self._count += 1

    def write(self, report: Report, echo: Callable[[str | bytes], None], chunk: int = 1 << 20):
        """Write the report as one JSON object through ``echo`` (str or bytes pieces): the
        kept problems of ``report`` first, as :meth:`Report.to_dict` lists them, then the
        spooled ones, then the closing newline."""
        head = report.to_dict()
        kept = head.pop("problems")
        echo(orjson.dumps(head)[:-1] + b',"problems":[')
        if kept:
            echo(orjson.dumps(kept)[1:-1] + (b"," if self._count else b""))
        self._fh.seek(0)
        while piece := self._fh.read(chunk):
            echo(piece)
        echo(b"]}\n")

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> JsonSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""Errors that name where the problem is: file, line, document and field.

Every error a user can cause with bad input is one of these, so the command line can print
it as one clear line and exit non-zero instead of showing a traceback.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


def printable(text: str) -> str:
    """``text`` with lone surrogates (which JSON input may hold, and no UTF-8 output can
    carry) written as ``\\udXXX`` escapes; any other text unchanged.

    >>> printable("a\\ud800b")
    'a\\\\ud800b'
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


@dataclass(frozen=True)
class Problem:
    """One finding about an input: where it is and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None
    doc_id: str | None = None
    field: str | None = None
    severity: str = "error"  # "error" or "warning"

    def where(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.doc_id is not None:
            parts.append(f"doc {self.doc_id}")
        if self.field is not None:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return printable(f"{where}: {self.message}" if where else self.message)

    def to_dict(self) -> dict:
        return {k: printable(v) if isinstance(v, str) else v for k, v in asdict(self).items()}


class NewsgoldError(Exception):
    """An error caused by input, carrying one or more :class:`Problem` records."""

    def __init__(self, problems: Problem | list[Problem] | str):
        if isinstance(problems, str):
            problems = Problem(problems)
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FormatError(NewsgoldError):
    """Input that cannot be read as the format it claims to be."""

"""What validating found: problems of one task, one file, several files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsgold.errors import NewsgoldError, Problem

#: where problems go as they are found, when they are not kept (printed, spooled)
Sink = Callable[[Problem], None]


@dataclass
class FileResult:
    """What validating one file found.

    Problems are kept in ``problems``, or, with a ``sink``, handed to it as they are
    found and only counted here (``passed_errors``, ``passed_warnings``), so a file with a
    million problems does not hold them all. ``errors`` and ``warnings`` count both.
    """

    path: str
    tasks: int = 0
    problems: list[Problem] = field(default_factory=list)
    sink: Sink | None = field(default=None, repr=False, compare=False)
    passed_errors: int = 0
    passed_warnings: int = 0

    def add(self, problem: Problem) -> None:
        """Keep ``problem``, or hand it to the sink and count it."""
        if self.sink is None:
            self.problems.append(problem)
            return
        self.sink(problem)
        if problem.severity == "error":
            self.passed_errors += 1
        elif problem.severity == "warning":
            self.passed_warnings += 1

    @property
    def errors(self) -> int:
        return self.passed_errors + sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return self.passed_warnings + sum(p.severity == "warning" for p in self.problems)


@dataclass
class Report:
    """What validating several files found."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON; ``problems`` lists the kept ones (none that went to a sink)."""
        return {
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "files": [
                {"path": f.path, "tasks": f.tasks, "errors": f.errors, "warnings": f.warnings}
                for f in self.files
            ],
            "problems": [p.to_dict() for p in self.problems],
        }


class _Where:
    """Collects problems of one task, each stamped with file, line and doc_id."""

    def __init__(self, file: str | None, line: int | None, doc_id: str | None):
        self.file, self.line, self.doc_id = file, line, doc_id
        self.problems: list[Problem] = []

    def error(self, message: str, field: str | None = None) -> None:
        self.problems.append(Problem(message, self.file, self.line, self.doc_id, field))

    def warning(self, message: str, field: str | None = None) -> None:
        self.problems.append(
            Problem(message, self.file, self.line, self.doc_id, field, severity="warning")
        )

    def extend(self, exc: NewsgoldError, prefix: str = "") -> None:
        for p in exc.problems:
            f = p.field if not prefix else (prefix if p.field is None else p.field)
            self.error(p.message, f)

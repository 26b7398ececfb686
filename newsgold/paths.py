"""Where the project's data is: the project root and the default gold, corpus and schema.

The default files are looked for, in order, under

1. ``$NEWSGOLD_HOME`` when it is set (a project root: ``annotations/`` beside ``corpus/``
   or ``seeds/``);
2. the first project root found upwards from the current directory;
3. the project root the package itself sits in (an install from a checkout);
4. the copy packaged with the library (only ``schema.json`` is packaged).

so every command finds them from any working directory, and a failure says every place
it looked.
"""

from __future__ import annotations

import os
from pathlib import Path

from newsgold.errors import NewsgoldError, Problem

GOLD = Path("annotations") / "gold.jsonl"
CORPUS = Path("corpus") / "documents.jsonl"
SCHEMA = Path("annotations") / "schema.json"
PACKAGED = {SCHEMA: Path(__file__).resolve().parent / "schema.json"}


def is_project_root(path: Path) -> bool:
    """A newsgold project root: an ``annotations/`` folder beside ``corpus/`` or ``seeds/``."""
    return (path / "annotations").is_dir() and (
        (path / "corpus").is_dir() or (path / "seeds").is_dir()
    )


def find_root(start: str | Path | None = None) -> Path | None:
    """The first project root at ``start`` (default: the current directory) or above."""
    cwd = Path.cwd().resolve()
    here = Path(start or cwd).resolve()
    for folder in (here, *here.parents):
        if is_project_root(folder):
            # the current directory is named '.', so messages show short relative paths
            return Path(".") if folder == cwd else folder
    return None


def candidate_roots() -> list[Path]:
    """Project roots to look in, in order (see the module docstring)."""
    roots: list[Path] = []
    home = os.environ.get("NEWSGOLD_HOME")
    if home:
        roots.append(Path(home).expanduser())
    for r in (find_root(), find_root(Path(__file__).resolve().parent)):
        if r is not None and r not in roots:
            roots.append(r)
    return roots


def locate(relative: Path) -> tuple[Path | None, list[Path]]:
    """The first existing ``root/relative`` of :func:`candidate_roots`, else the packaged
    copy, with every path looked at."""
    looked = []
    for root in candidate_roots():
        p = root / relative
        looked.append(p)
        if p.is_file():
            return p, looked
    packaged = PACKAGED.get(relative)
    if packaged is not None:
        looked.append(packaged)
        if packaged.is_file():
            return packaged, looked
    return None, looked


def default_file(relative: Path, flag: str) -> Path:
    """The default file for ``flag``; an error naming every place looked if none exists."""
    found, looked = locate(relative)
    if found is None:
        where = ", ".join(map(str, looked)) or "(no project root found)"
        raise NewsgoldError(
            Problem(
                f"no {relative} found (looked in: {where}); pass {flag}, run inside a "
                "newsgold project, or set NEWSGOLD_HOME to its root",
                field=flag,
            )
        )
    return found

"""The corpus version: ``version:`` in ``CITATION.cff``, with a section per version in
``CHANGELOG.md``. ``add`` and ``import`` call :func:`bump`; nothing else changes it.

Semantic versioning of data: a minor bump for new documents (in the corpus or the gold),
a patch bump when gold documents are only replaced. Both files are rewritten atomically.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import write_text_atomic

CITATION = "CITATION.cff"
CHANGELOG = "CHANGELOG.md"
_VERSION = re.compile(r"^version:\s*['\"]?(\d+)\.(\d+)\.(\d+)['\"]?\s*$", re.M)
_RELEASED = re.compile(r"^date-released:.*$", re.M)
_FIRST_SECTION = re.compile(r"^## ", re.M)


def corpus_version(root: str | Path = ".") -> str | None:
    """The corpus version in ``root/CITATION.cff`` (None when there is none)."""
    path = Path(root) / CITATION
    if not path.exists():
        return None
    m = _VERSION.search(path.read_text(encoding="utf-8"))
    return ".".join(m.groups()) if m else None


def next_version(version: str, part: str) -> str:
    """``0.1.0`` -> ``0.2.0`` (minor) or ``0.1.1`` (patch).

    >>> next_version("0.1.3", "minor"), next_version("0.1.3", "patch")
    ('0.2.0', '0.1.4')
    """
    major, minor, patch = (int(x) for x in version.split("."))
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"part must be minor or patch, not {part!r}")


def bump(
    root: str | Path, part: str, changes: list[str], *, today: dt.date | None = None
) -> str | None:
    """Bump the corpus version and write what changed; return the new version.

    Nothing is written when ``changes`` is empty. Without a ``CITATION.cff`` holding a
    ``version:`` line there is no version to bump: an error, since the corpus would
    otherwise change unrecorded.
    """
    if not changes:
        return corpus_version(root)
    root = Path(root)
    cff = root / CITATION
    text = cff.read_text(encoding="utf-8") if cff.exists() else ""
    m = _VERSION.search(text)
    if m is None:
        raise NewsgoldError(
            Problem("no 'version: X.Y.Z' line: the corpus version cannot be bumped", file=str(cff))
        )
    new = next_version(".".join(m.groups()), part)
    day = (today or dt.date.today()).isoformat()
    text = text[: m.start()] + f"version: {new}" + text[m.end() :]
    text = _RELEASED.sub(f"date-released: {day}", text)
    log = root / CHANGELOG
    old = log.read_text(encoding="utf-8") if log.exists() else "# Changelog of the corpus\n\n"
    section = f"## {new} - {day}\n\n" + "".join(f"- {c}\n" for c in changes) + "\n"
    first = _FIRST_SECTION.search(old)
    new_log = old[: first.start()] + section + old[first.start() :] if first else old + section
    write_text_atomic(log, new_log)
    write_text_atomic(cff, text)
    return new

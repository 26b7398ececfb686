"""Where a command may write, and writing there without harming what the user has.

Every file a command writes (``-o``, ``--errors``, ``--html``, ``build``'s corpus) goes
through :func:`write_output`, the one mechanism, which

* refuses a path that is one of the command's inputs, compared after resolving symlinks
  and by file identity (so a hard link or ``./x/../gold.jsonl`` is caught), or lies inside
  an input folder (a brat folder);
* refuses a path under a newsgold project's ``annotations/``, ``corpus/`` or ``seeds/``
  (the repository's data), unless the caller names it as the one file it is sanctioned to
  write (``build`` writing ``corpus/documents.jsonl``);
* refuses a folder, naming the flag and the folder (not a temporary file);
* writes atomically (:func:`newsgold.formats.jsonl.write_text_atomic`: a temporary
  ``.NAME.PID.*.tmp`` beside the target, fsync, rename), so a killed write leaves the old
  file whole; temporary files left by a killed process are removed the next time the same
  target is written. Readers never see them: they start with a dot and end in ``.tmp``,
  which no reader's pattern (``*.jsonl``, ``*.ann``, the seeds folder) matches.

>>> check_output("report.html", inputs=["annotations/gold.jsonl"], flag="--html")  # doctest: +SKIP
PosixPath('report.html')
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from newsgold.errors import NewsgoldError, Problem
from newsgold.paths import is_project_root

#: folders of a project root holding the repository's data: never an output
PROTECTED = ("annotations", "corpus", "seeds")


class OutputError(NewsgoldError):
    """An output path that would overwrite an input or repository data."""


def protected_area(path: str | Path) -> Path | None:
    """The data folder of a project root (``annotations/``, ``corpus/``, ``seeds/``) that
    ``path`` lies in once resolved, or None."""
    real = Path(path).resolve()
    for folder in real.parents:
        if folder.name in PROTECTED and is_project_root(folder.parent):
            return folder
    return None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_output(
    path: str | Path,
    *,
    inputs: Iterable[str | Path | None] = (),
    flag: str = "-o",
    sanctioned: str | Path | None = None,
) -> Path:
    """Return ``path`` if a command may write there, else raise :class:`OutputError`.

    ``inputs`` are every file or folder the command reads; ``sanctioned`` is the one data
    file the command is meant to write (``build``: ``corpus/documents.jsonl``)."""
    p = Path(path)
    where = f"{flag} {path}" if flag else str(path)
    if p.is_dir():
        raise OutputError(Problem(f"{where}: is a folder; give the name of a file to write"))
    real = p.resolve()
    for inp in inputs:
        if inp is None:
            continue
        q = Path(inp)
        if not q.exists():
            continue
        if _same(p, q):
            raise OutputError(
                Problem(f"{where}: refusing to write over {inp}, an input of this command")
            )
        if q.is_dir() and q.resolve() in real.parents:
            raise OutputError(
                Problem(f"{where}: refusing to write inside {inp}, an input folder of this command")
            )
    if sanctioned is not None and _same(p, Path(sanctioned)):
        return p
    area = protected_area(p)
    if area is not None:
        raise OutputError(
            Problem(
                f"{where}: refusing to write into {area}, the repository's "
                f"{area.name}/ data; write the output somewhere else"
            )
        )
    return p


def check_outputs(
    outputs: dict[str, str | Path | None], *, inputs: Iterable[str | Path | None] = ()
) -> None:
    """Check every output of one command (flag -> path), including that no two coincide."""
    inputs = list(inputs)
    seen: dict[Path, str] = {}
    for flag, path in outputs.items():
        if path is None:
            continue
        check_output(path, inputs=inputs, flag=flag)
        real = Path(path).resolve()
        if real in seen:
            raise OutputError(Problem(f"{flag} {path}: the same file as {seen[real]}"))
        seen[real] = f"{flag} {path}"


def clean_stale_temporaries(path: str | Path, *, older_than: float = 600.0) -> list[Path]:
    """Remove the temporary files a killed write of ``path`` left beside it.

    A temporary file is ``.NAME.PID.XXXX.tmp``; it is stale when process PID no longer runs
    (or, with no readable PID, when it is older than ``older_than`` seconds)."""
    path = Path(path)
    removed = []
    try:
        candidates = list(path.parent.glob(f".{path.name}.*.tmp"))
    except OSError:
        return removed
    for tmp in candidates:
        pid_part = tmp.name[len(path.name) + 2 :].split(".", 1)[0]
        try:
            stale = not _alive(int(pid_part))
        except ValueError:
            try:
                stale = time.time() - tmp.stat().st_mtime > older_than
            except OSError:
                continue
        if stale:
            try:
                tmp.unlink()
                removed.append(tmp)
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def write_output(
    path: str | Path,
    text: str,
    *,
    inputs: Iterable[str | Path | None] = (),
    flag: str = "-o",
    sanctioned: str | Path | None = None,
) -> Path:
    """Check ``path`` (:func:`check_output`), then replace it atomically with ``text``."""
    from newsgold.formats.jsonl import write_text_atomic

    p = check_output(path, inputs=inputs, flag=flag, sanctioned=sanctioned)
    where = f"{flag} {path}" if flag else str(path)
    clean_stale_temporaries(p)
    try:
        write_text_atomic(p, text)
    except IsADirectoryError:
        raise OutputError(Problem(f"{where}: is a folder; give a file name")) from None
    except OSError as exc:  # named by the target, never by the temporary file
        raise OutputError(Problem(f"{where}: cannot write: {exc.strerror or exc}")) from None
    return p

"""JSON Lines: reading that reports every bad line by number, and atomic writing.

Lines are streamed, so a 100 MB file is never held in memory as one string. A line that is
not valid JSON, not an object, or not UTF-8 becomes a :class:`~newsgold.errors.Problem`
naming the file and line; the caller decides whether to stop or to collect.
"""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from newsgold.errors import FormatError, Problem


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any] | None, Problem | None]]:
    """Yield ``(line_number, object, problem)`` for every non-blank line of ``path``.

    Exactly one of ``object`` and ``problem`` is None. Line numbers start at 1.

    >>> for n, obj, problem in iter_jsonl("annotations/gold.jsonl"):  # doctest: +SKIP
    ...     print(n, obj["meta"]["doc_id"])
    """
    for n, _, obj, problem in iter_jsonl_offsets(path):
        yield n, obj, problem


def iter_jsonl_offsets(
    path: str | Path,
) -> Iterator[tuple[int, int, dict[str, Any] | None, Problem | None]]:
    """:func:`iter_jsonl` with each line's byte offset: ``(line, offset, object, problem)``.

    The offset lets a reader keep where a document is instead of the document itself and
    read it again later (:class:`LineReader`): what keeps memory flat when files are
    joined by document (:mod:`newsgold.corpus.index`).
    """
    path = Path(path)
    name = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise FormatError(Problem(f"cannot open: {exc.strerror}", file=name)) from None
    with fh:
        offset = 0
        for n, raw in enumerate(fh, start=1):
            at = offset
            offset += len(raw)
            if not raw.strip():
                continue
            obj, problem = parse_line(raw, n, name)
            yield n, at, obj, problem


class LineReader:
    """A JSONL file read again at the byte offsets :func:`iter_jsonl_offsets` gave: one
    handle, opened on first use (and again after pickling, for a worker process)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._fh = None

    def read(self, line: int, offset: int) -> dict[str, Any]:
        """The object on line ``line``; the file was read once already, so a problem now
        means it changed since."""
        if self._fh is None:
            self._fh = self.path.open("rb")
        self._fh.seek(offset)
        obj, problem = parse_line(self._fh.readline(), line, str(self.path))
        if obj is None:
            raise FormatError(
                problem or Problem("changed while being read", file=str(self.path), line=line)
            )
        return obj

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __del__(self) -> None:
        self.close()

    def __getstate__(self) -> dict:
        return {"path": self.path, "_fh": None}


def parse_line(raw: bytes, n: int, name: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """One JSONL line: ``(object, None)`` or ``(None, problem)`` naming file and line."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, Problem(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
            "save the file as UTF-8",
            file=name,
            line=n,
        )
    if n == 1 and line.startswith("\ufeff"):
        line = line[1:]
    try:
        obj = orjson.loads(line)
    except ValueError as exc:
        truncated = not raw.endswith(b"\n")
        hint = " (the last line looks truncated)" if truncated else ""
        return None, Problem(f"malformed JSON{hint}: {exc}", file=name, line=n)
    if not isinstance(obj, dict):
        return None, Problem(f"expected a JSON object, got {type(obj).__name__}", file=name, line=n)
    return obj, None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is read into model objects.

    Reading makes many small objects (a dict per span, a Mention, ...) and no reference
    cycles, so every collection those allocations trigger walks the growing heap and frees
    nothing; when a whole file is kept that is most of the reading time
    (``scripts/bench_prodigy.py``). Reference counting frees everything as usual; the
    collector is switched back on afterwards (also on an error), and only if it was on.

    >>> with gc_paused():  # doctest: +SKIP
    ...     anns = [task_to_annotation(t) for _, t, _ in iter_jsonl(path)]
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read every object of a JSONL file, raising one error that lists every bad line."""
    objects, problems = [], []
    for _, obj, problem in iter_jsonl(path):
        if problem is not None:
            problems.append(problem)
        else:
            objects.append(obj)
    if problems:
        raise FormatError(problems)
    return objects


def dumps_line(obj: Any) -> str:
    """One canonical JSON line (no spaces, non-ASCII kept as UTF-8, key order as given)."""
    return orjson.dumps(obj).decode("utf-8") + "\n"


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees either the old or the new file,
    never a half-written one: write a temporary file beside it, fsync, then rename."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """:func:`write_text_atomic` for bytes (Parquet, DocBin, gzip)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # the PID in the name lets newsgold.outputs.clean_stale_temporaries remove what a killed
    # write left behind without touching a write still under way
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600): give it the mode a plain open() would, or
        # keep the mode of the file it replaces
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_jsonl(path: str | Path, objects: Iterable[Any]) -> None:
    """Write objects as JSON lines, atomically."""
    write_text_atomic(path, "".join(dumps_line(o) for o in objects))

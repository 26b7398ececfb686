"""Validating tasks, files and folders: the entry points."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from newsgold.corpus.index import CorpusIndex
from newsgold.corpus.validate.clusters import _check_clusters
from newsgold.corpus.validate.document import (
    _check_answer,
    _check_segments,
    _check_tokens,
    _text_difference,
    find_document,
)
from newsgold.corpus.validate.events import _check_relations
from newsgold.corpus.validate.report import FileResult, Report, Sink, _Where
from newsgold.corpus.validate.spans import _check_spans, _read_leniently
from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import iter_jsonl_offsets
from newsgold.model import Document
from newsgold.schema import Schema

#: documents a validation keeps once read: a file's tasks seldom come back to one, and each
#: kept document is memory (its text, tokens, sentences)
CORPUS_CACHE = 8


def open_corpus(path: str | Path) -> CorpusIndex:
    """The corpus file as validation reads it: a :class:`CorpusIndex` (checked as
    ``load_corpus`` checks it, documents read on demand) keeping :data:`CORPUS_CACHE`
    documents."""
    return CorpusIndex(path, cache_size=CORPUS_CACHE)


def validate_task(
    task: Any,
    corpus: Mapping[str, Document],
    schema: Schema,
    *,
    file: str | None = None,
    line: int | None = None,
) -> list[Problem]:
    """Every problem of one Prodigy task (an empty list when it is valid).

    >>> validate_task({"text": "x"}, {}, load_schema())  # doctest: +SKIP
    [Problem(message='no corpus document has this text ...', field='meta.doc_id', ...)]
    """
    return _validate(task, corpus, schema, file, line)[0]


def _validate(
    task: Any,
    corpus: Mapping[str, Document],
    schema: Schema,
    file: str | None,
    line: int | None,
) -> tuple[list[Problem], str | None]:
    """:func:`validate_task`, and the doc_id the task annotates (its ``meta.doc_id``, else
    that of the document its text matches; None when neither), found by one lookup."""
    if not isinstance(task, dict):
        w = _Where(file, line, None)
        w.error(f"expected a JSON object, got {type(task).__name__}")
        return w.problems, None
    meta = task.get("meta", {})
    doc_id = meta.get("doc_id") if isinstance(meta, dict) else None
    key = None if doc_id is None else str(doc_id)
    w = _Where(file, line, key)
    if not isinstance(meta, dict):
        w.error("expected an object", "meta")
    _check_answer(task, w)
    text = task.get("text")
    if not isinstance(text, str):
        w.error("missing or non-string 'text'", "text")
        return w.problems, key

    doc = find_document(task, corpus)
    if doc is None:
        if doc_id is not None:
            w.error(f"unknown document {doc_id!r}: not in the corpus", "meta.doc_id")
        else:
            w.error("no meta.doc_id, and no corpus document has this text", "meta.doc_id")
    elif doc_id is None:
        key = w.doc_id = doc.doc_id
        w.warning(f"no meta.doc_id; matched corpus document {doc.doc_id} by its text", "meta")
    text_ok = doc is not None and doc.text == text
    if doc is not None and not text_ok:
        w.error(_text_difference(doc.text, text), "text")

    tokens = _check_tokens(task, doc if text_ok else None, text, w)
    if text_ok:
        _check_segments(task, doc, w)
    read = _read_leniently(task, w)
    if read is None:
        return w.problems, key
    _check_spans(read, text, tokens, schema, w)
    _check_relations(read, task, tokens, schema, w)
    _check_clusters(read, w)
    return w.problems, key


def validate_file(
    path: str | Path, corpus: Mapping[str, Document], schema: Schema
) -> list[Problem]:
    """Every problem of one JSONL file: bad lines, bad tasks, repeated doc_ids."""
    return check_file(path, corpus, schema).problems


def check_file(
    path: str | Path,
    corpus: Mapping[str, Document],
    schema: Schema,
    *,
    sink: Sink | None = None,
    progress: Callable[[int], None] | None = None,
) -> FileResult:
    """Like :func:`validate_file`, also counting the tasks read.

    The file is read one task at a time; what is kept across tasks is only the line of each
    doc_id seen (for repeated documents). With ``corpus`` a
    :class:`~newsgold.corpus.index.CorpusIndex` and a ``sink``, which is handed each problem
    as it is found instead of the result keeping it (the result then only counts them),
    memory stays that of the largest task, whatever the file's size. ``progress`` is called
    with the bytes of the file read so far.
    """
    name = str(path)
    result = FileResult(name, sink=sink)
    first_line: dict[str, int] = {}
    try:
        for n, offset, obj, problem in iter_jsonl_offsets(path):
            if progress is not None:
                progress(offset)
            if problem is not None:
                result.add(problem)
                continue
            result.tasks += 1
            problems, doc_id = _validate(obj, corpus, schema, name, n)
            for p in problems:
                result.add(p)
            if doc_id is None:
                continue
            if doc_id in first_line:
                result.add(
                    Problem(
                        f"document also annotated on line {first_line[doc_id]}; "
                        "one line per document in a file",
                        name,
                        n,
                        doc_id,
                        "meta.doc_id",
                    )
                )
            else:
                first_line[doc_id] = n
    except NewsgoldError as exc:  # the file cannot be opened
        for p in exc.problems:
            result.add(p)
    return result


#: folders of ``annotations/`` that hold work in progress, not annotations to trust: the
#: pre-annotated queue (``newsgold add``) and the backups ``newsgold import`` keeps
NOT_ANNOTATIONS = ("queue", "backup")


def annotation_files(root: str | Path = "annotations") -> list[Path]:
    """Every ``*.jsonl`` under ``root``, recursively, sorted; leftover temporary files
    (``.NAME.*.tmp``) and the :data:`NOT_ANNOTATIONS` folders below ``root`` are left out."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.rglob("*.jsonl")
        if p.is_file()
        and not p.name.startswith(".")
        and not set(p.relative_to(root).parts[:-1]) & set(NOT_ANNOTATIONS)
    )


def target_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files ``paths`` stand for, in order (a directory: its :func:`annotation_files`)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        out += annotation_files(p) if p.is_dir() else [p]
    return out


def validate_paths(
    paths: Iterable[str | Path],
    corpus: Mapping[str, Document],
    schema: Schema,
    *,
    sink: Sink | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Validate files (a directory stands for every ``*.jsonl`` under it).

    ``sink`` and ``progress`` are :func:`check_file`'s (``progress`` counts the bytes of
    every file so far); ``on_file`` is called with each file's result as soon as that file
    is read, before the next one is (to add problems of its own, in their place).
    """
    report = Report()
    done = 0
    for f in target_files(paths):
        step = None if progress is None else (lambda at, base=done: progress(base + at))
        result = check_file(f, corpus, schema, sink=sink, progress=step)
        if on_file is not None:
            on_file(result)
        report.files.append(result)
        if progress is not None:
            done += _size(f)
            progress(done)
    return report


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported by check_file
        return 0

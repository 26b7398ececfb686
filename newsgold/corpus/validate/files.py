"""Validating tasks, files and folders: the entry points."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from newsgold.corpus.validate.clusters import _check_clusters
from newsgold.corpus.validate.document import (
    _check_answer,
    _check_segments,
    _check_tokens,
    _text_difference,
    find_document,
)
from newsgold.corpus.validate.events import _check_relations
from newsgold.corpus.validate.report import FileResult, Report, _Where
from newsgold.corpus.validate.spans import _check_spans, _read_leniently
from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import iter_jsonl
from newsgold.model import Document
from newsgold.schema import Schema


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
    if not isinstance(task, dict):
        w = _Where(file, line, None)
        w.error(f"expected a JSON object, got {type(task).__name__}")
        return w.problems
    meta = task.get("meta", {})
    doc_id = meta.get("doc_id") if isinstance(meta, dict) else None
    w = _Where(file, line, None if doc_id is None else str(doc_id))
    if not isinstance(meta, dict):
        w.error("expected an object", "meta")
    _check_answer(task, w)
    text = task.get("text")
    if not isinstance(text, str):
        w.error("missing or non-string 'text'", "text")
        return w.problems

    doc = find_document(task, corpus)
    if doc is None:
        if doc_id is not None:
            w.error(f"unknown document {doc_id!r}: not in the corpus", "meta.doc_id")
        else:
            w.error("no meta.doc_id, and no corpus document has this text", "meta.doc_id")
    elif doc_id is None:
        w.doc_id = doc.doc_id
        w.warning(f"no meta.doc_id; matched corpus document {doc.doc_id} by its text", "meta")
    text_ok = doc is not None and doc.text == text
    if doc is not None and not text_ok:
        w.error(_text_difference(doc.text, text), "text")

    tokens = _check_tokens(task, doc if text_ok else None, text, w)
    if text_ok:
        _check_segments(task, doc, w)
    read = _read_leniently(task, w)
    if read is None:
        return w.problems
    _check_spans(read, text, tokens, schema, w)
    _check_relations(read, task, tokens, schema, w)
    _check_clusters(read, w)
    return w.problems


def _doc_key(task: dict[str, Any], corpus: Mapping[str, Document]) -> str | None:
    """The doc_id a task annotates: its meta.doc_id, else that of the document its text
    matches."""
    meta = task.get("meta")
    if isinstance(meta, dict) and meta.get("doc_id") is not None:
        return str(meta["doc_id"])
    doc = find_document(task, corpus)
    return doc.doc_id if doc is not None else None


def validate_file(
    path: str | Path, corpus: Mapping[str, Document], schema: Schema
) -> list[Problem]:
    """Every problem of one JSONL file: bad lines, bad tasks, repeated doc_ids."""
    return check_file(path, corpus, schema).problems


def check_file(path: str | Path, corpus: Mapping[str, Document], schema: Schema) -> FileResult:
    """Like :func:`validate_file`, also counting the tasks read."""
    name = str(path)
    result = FileResult(name)
    first_line: dict[str, int] = {}
    try:
        for n, obj, problem in iter_jsonl(path):
            if problem is not None:
                result.problems.append(problem)
                continue
            result.tasks += 1
            result.problems.extend(validate_task(obj, corpus, schema, file=name, line=n))
            doc_id = _doc_key(obj, corpus)
            if doc_id is None:
                continue
            if doc_id in first_line:
                result.problems.append(
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
        result.problems.extend(exc.problems)
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


def validate_paths(
    paths: Iterable[str | Path], corpus: Mapping[str, Document], schema: Schema
) -> Report:
    """Validate files (a directory stands for every ``*.jsonl`` under it)."""
    report = Report()
    for p in paths:
        p = Path(p)
        for f in annotation_files(p) if p.is_dir() else [p]:
            report.files.append(check_file(f, corpus, schema))
    return report

"""Reading annotation files (gold, or one annotator's pass) into :class:`Annotation` objects."""

from __future__ import annotations

from pathlib import Path

from newsgold.corpus.check import check_annotation, check_answer
from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import gc_paused, iter_jsonl
from newsgold.formats.prodigy import task_to_annotation
from newsgold.model import Annotation

DEFAULT_GOLD = Path("annotations") / "gold.jsonl"


def load_annotations(path: str | Path = DEFAULT_GOLD) -> dict[str, Annotation]:
    """Read a Prodigy JSONL annotation file into annotations by doc_id.

    Every unreadable line is reported (file, line, doc_id, field) in one error; tasks whose
    ``answer`` is ``reject`` or ``ignore`` are not annotations of the document and are skipped.
    """
    with gc_paused():  # many small objects, no cycles: see gc_paused
        return _read_annotations(Path(path))


def _read_annotations(path: Path) -> dict[str, Annotation]:
    out: dict[str, Annotation] = {}
    problems: list[Problem] = []
    for n, task, problem in iter_jsonl(path):
        if problem is not None:
            problems.append(problem)
            continue
        bad_answer = check_answer(task, file=str(path), line=n)
        if bad_answer is not None:  # "maybe", null: not silently a rejected document
            problems.append(bad_answer)
            continue
        if task.get("answer", "accept") != "accept":
            continue
        doc_id = (
            (task.get("meta") or {}).get("doc_id") if isinstance(task.get("meta"), dict) else None
        )
        try:
            ann = task_to_annotation(task)
        except NewsgoldError as exc:
            problems += [
                Problem(p.message, file=str(path), line=n, doc_id=doc_id, field=p.field)
                for p in exc.problems
            ]
            continue
        problems += check_annotation(ann, file=str(path), line=n)  # offsets, heads, attrs
        if ann.doc_id in out:
            problems.append(
                Problem(
                    "a second task for this document", file=str(path), line=n, doc_id=ann.doc_id
                )
            )
            continue
        out[ann.doc_id] = ann
    if problems:
        raise NewsgoldError(problems)
    return out

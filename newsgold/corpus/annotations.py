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
        ann, faults = read_gold_task(task, str(path), n)
        problems += faults
        if ann is None:
            continue
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


def read_gold_task(task: dict, file: str, line: int) -> tuple[Annotation | None, list[Problem]]:
    """One task of an annotation file: its annotation (None for a rejected or ignored task,
    or one that cannot be read) and its problems, each naming ``file`` and ``line``."""
    bad_answer = check_answer(task, file=file, line=line)
    if bad_answer is not None:  # "maybe", null: not silently a rejected document
        return None, [bad_answer]
    if task.get("answer", "accept") != "accept":
        return None, []
    meta = task.get("meta")
    doc_id = meta.get("doc_id") if isinstance(meta, dict) else None
    try:
        ann = task_to_annotation(task)
    except NewsgoldError as exc:
        return None, [
            Problem(p.message, file=file, line=line, doc_id=doc_id, field=p.field)
            for p in exc.problems
        ]
    return ann, check_annotation(ann, file=file, line=line)  # offsets, heads, attrs

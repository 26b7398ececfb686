"""Prodigy JSONL tasks as system output (or a second annotator's gold) -> predictions.

Spans of every kind, relations and clusters are kept as given, so events (trigger spans
with ``kind: trigger`` plus argument relations) and coreference come through unchanged.
"""

from __future__ import annotations

from pathlib import Path

from newsgold.errors import NewsgoldError
from newsgold.formats.collect import Collector


def read_prodigy(path: Path, collector: Collector) -> None:
    """Prodigy JSONL tasks: spans (any kind) and relations are kept as given; tasks whose
    ``answer`` is ``reject`` or ``ignore`` are skipped with a warning (they are not the
    system's claim); the document is ``meta.doc_id``, else the task text. One task per
    document: tasks over single sentences do not match a corpus document's text."""
    from newsgold.formats.jsonl import gc_paused

    with gc_paused():  # many small objects, no cycles: see gc_paused
        _read_prodigy(path, collector)


def _read_prodigy(path: Path, collector: Collector) -> None:
    from newsgold.formats.jsonl import iter_jsonl

    skipped: list[int] = []
    for n, task, problem in iter_jsonl(path):
        if problem is not None:
            collector.errors.append(problem)
            continue
        if not read_prodigy_task(task, n, collector, path):
            skipped.append(n)
    if skipped:
        lines = ", ".join(map(str, skipped[:10])) + (" ..." if len(skipped) > 10 else "")
        collector.warn(f"{len(skipped)} task(s) with answer reject/ignore skipped (lines {lines})")


def read_prodigy_task(task: dict, n: int, collector: Collector, path: Path | str) -> bool:
    """One task (line ``n`` of ``path``) onto the collector's documents; False when its
    ``answer`` is reject or ignore (skipped: not the system's claim)."""
    from newsgold.formats.prodigy import task_to_annotation

    if task.get("answer") in ("reject", "ignore"):
        return False
    try:
        ann = task_to_annotation(task)
    except NewsgoldError as exc:
        collector.relocate(exc, line=n)
        return True
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    doc_id = meta.get("doc_id")
    doc = collector.resolve(
        doc_id=None if doc_id is None else str(doc_id), text=ann.document.text, line=n
    )
    if doc is None:
        return True
    ok = True
    for i, m in enumerate(ann.mentions):
        f = f"spans[{i}]"
        if not collector.check_span(doc, m.start, m.end, m.label, line=n, field=f):
            ok = False
        elif m.text is not None and m.text != doc.text[m.start : m.end]:
            collector.error(
                f"span text {m.text!r} is not the text at {m.start}-{m.end} "
                f"({doc.text[m.start : m.end]!r})",
                line=n,
                doc_id=doc.doc_id,
                field=f + ".text",
            )
            ok = False
    if ok:
        for m in ann.mentions:
            m.extra.pop("_no_kind", None)
        collector.add(doc, ann.mentions, ann.relations, ann.clusters, where=f"{path}:{n}")
    return True

"""Structural checks of event input in our Prodigy JSONL, for predictions and any gold read
as one. The Prodigy reader already rejects a relation whose head or child is not a span of
the task (``formats/prodigy.resolve_endpoint``, with file and line); this adds what an event
scorer needs on top, each finding naming file, line and field:

* an argument (a relation) whose head span is not a trigger (``kind`` not ``trigger``);
* a span naming a cluster the task's ``clusters`` list does not declare;
* a cluster that lists member spans (``spans``/``members``: span ids) naming a missing span.

The validator (``newsgold validate``) checks the gold far more deeply; these are the rules
without which events cannot be read unambiguously.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from newsgold.errors import Problem
from newsgold.formats.jsonl import iter_jsonl


def check_event_task(
    task: dict, *, file: str | None = None, line: int | None = None
) -> list[Problem]:
    """Findings for one Prodigy task.

    >>> t = {"spans": [{"start": 0, "end": 5, "label": "PERSON", "id": "m1"}],
    ...      "relations": [{"head_span": {"start": 0, "end": 5, "label": "PERSON"},
    ...                     "child_span": {"start": 0, "end": 5, "label": "PERSON"},
    ...                     "label": "Agent"}]}
    >>> [p.field for p in check_event_task(t)]
    ['relations[0].head_span']
    """
    out = []
    doc_id = (task.get("meta") or {}).get("doc_id") if isinstance(task.get("meta"), dict) else None
    # a malformed task (spans not a list, ...) is the reader's to report, not these checks'
    spans = [s for s in _list(task.get("spans")) if isinstance(s, dict)]

    def problem(msg: str, field: str) -> Problem:
        return Problem(msg, file=file, line=line, doc_id=doc_id, field=field)

    # spans by id and by (start, end, label), built once: linear in the task
    by_id: dict = {}
    by_key: dict = {}
    for s in spans:
        try:
            if s.get("id") is not None:
                by_id.setdefault(s["id"], []).append(s)
            by_key.setdefault((s.get("start"), s.get("end"), s.get("label")), []).append(s)
        except TypeError:  # an unhashable id or offset: the reader reports it
            continue
    for i, rel in enumerate(_list(task.get("relations"))):
        if not isinstance(rel, dict) or not isinstance(rel.get("head_span"), dict):
            continue
        ref = rel["head_span"]
        try:
            same = (by_id.get(ref["id"], []) if ref.get("id") is not None else []) + by_key.get(
                (ref.get("start"), ref.get("end"), ref.get("label")), []
            )
        except TypeError:
            same = []
        if same and not any(s.get("kind") == "trigger" for s in same):
            out.append(
                problem(
                    f"argument {rel.get('label')!r} hangs on span {ref.get('start')}-{ref.get('end')} "
                    f"({ref.get('label')}), which is not a trigger (kind 'trigger')",
                    f"relations[{i}].head_span",
                )
            )
    clusters = task.get("clusters")
    if isinstance(clusters, list):
        # an unhashable id or cluster name: the reader reports it
        with contextlib.suppress(TypeError):
            out += _cluster_problems(clusters, spans, problem)
    return out


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _cluster_problems(clusters: list, spans: list[dict], problem) -> list[Problem]:
    out = []
    declared = {c.get("id") for c in clusters if isinstance(c, dict)}
    span_ids = {s.get("id") for s in spans if s.get("id") is not None}
    for i, s in enumerate(spans):
        # a task that declares no cluster declares them by use (formats/checks.py)
        if declared and s.get("cluster") is not None and s["cluster"] not in declared:
            out.append(
                problem(
                    f"span names cluster {s['cluster']!r}, which 'clusters' does not declare",
                    f"spans[{i}].cluster",
                )
            )
    for i, c in enumerate(clusters):
        if not isinstance(c, dict):
            continue
        for key in ("spans", "members"):
            for j, sid in enumerate(_list(c.get(key))):
                if sid not in span_ids:
                    out.append(
                        problem(
                            f"cluster {c.get('id')!r} names span {sid!r}, which the task does not have",
                            f"clusters[{i}].{key}[{j}]",
                        )
                    )
    return out


def check_event_tasks(path: str | Path) -> list[Problem]:
    """Findings for every task of a Prodigy JSONL file (unreadable lines are the reader's)."""
    out = []
    for n, obj, problem in iter_jsonl(Path(path)):
        if problem is None and isinstance(obj, dict):
            out += check_event_task(obj, file=str(path), line=n)
    return out

"""Rewrite the PLOVER roles of v1 annotation files as scheme-qualified v2 roles.

v1 wrote PLOVER roles bare (``Actor``, ``Recipient``, and ``Time``/``Place`` on a
PLOVER-only event); v2 writes them ``PLOVER.Actor``, ``PLOVER.Recipient``, ``PLOVER.Time``,
``PLOVER.Place`` (guidelines 7.5), so that they can never be pooled with an ERE role of
the same name. Nothing else changes; ``_task_hash``, which hashes relation labels, is
recomputed. Usage::

    python scripts/qualify_plover_roles.py IN.jsonl OUT.jsonl

OUT must differ from IN (inputs are never overwritten); it is written atomically.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import orjson

from newsgold.formats.prodigy import annotation_to_task, task_to_annotation
from newsgold.schema import load_schema

BARE_ALWAYS = ("Actor", "Recipient")
BARE_ON_PLOVER_ONLY = ("Time", "Place")


def qualify(task: dict, plover_types: set[str]) -> dict:
    """The task with its bare PLOVER role labels qualified (a new dict)."""
    for rel in task.get("relations", []):
        head = rel.get("head_span", {}).get("label")
        label = rel.get("label")
        plover_only = head in plover_types
        if label in BARE_ALWAYS or (plover_only and label in BARE_ON_PLOVER_ONLY):
            rel["label"] = "PLOVER." + label
    task.pop("_task_hash", None)
    return annotation_to_task(task_to_annotation(task))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or Path(argv[0]).resolve() == Path(argv[1]).resolve():
        print(__doc__, file=sys.stderr)
        return 1
    plover_types = set(load_schema().plover_types)
    lines = Path(argv[0]).read_bytes().splitlines()
    out = [orjson.dumps(qualify(orjson.loads(x), plover_types)) for x in lines if x.strip()]
    target = Path(argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(b"\n".join(out) + b"\n")
    os.replace(tmp, target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

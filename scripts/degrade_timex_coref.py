"""Write a degraded copy of the gold for the timex and coref layers (docs/timex-coref.md).

    python scripts/degrade_timex_coref.py OUT.jsonl
    newsgold score OUT.jsonl --layers timex,coref

Every fourth chained mention (by position in the task's spans) is moved to a cluster of its
own; 'today' (2021-12-01) is given the day before and 'this week' (2021-W48) the date
2021-12-01. The output is a new file; the gold is only read.
"""

from __future__ import annotations

import copy
import sys

from newsgold.corpus.annotations import load_annotations
from newsgold.formats.jsonl import write_jsonl
from newsgold.formats.prodigy import annotation_to_task
from newsgold.model import Cluster

SHIFT = {"2021-12-01": "2021-11-30", "2021-W48": "2021-12-01"}


def main(out: str) -> None:
    anns = copy.deepcopy(load_annotations())
    for a in anns.values():
        for i, m in enumerate(a.mentions):
            if m.cluster and i % 4 == 0:
                m.cluster = f"split{i}"
                a.clusters.append(Cluster(m.cluster, "hopper" if m.kind == "trigger" else "entity"))
            if m.kind == "timex" and m.attrs.get("value") in SHIFT:
                m.attrs = {**m.attrs, "value": SHIFT[m.attrs["value"]]}
    write_jsonl(out, [annotation_to_task(a) for a in anns.values()])


if __name__ == "__main__":
    main(sys.argv[1])

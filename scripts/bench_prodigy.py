"""Benchmark: reading Prodigy JSONL into the model, today's code against the previous one.

    python scripts/bench_prodigy.py [--base 480] [--events-per-doc 32] [--seed 0] [--repeat 3]

Writes the synthetic corpus of ``scripts/bench_scale.py`` (``--base`` documents: gold and
prediction as Prodigy tasks, corpus documents), reads every line into memory, then times,
best of ``--repeat``, in this process, by CPU time (``time.process_time``: the machine may
be shared, and this is one thread):

* ``orjson.loads`` of every gold and prediction line, nothing kept: the floor;
* ``orjson.loads`` + ``task_to_annotation`` + ``check_annotation`` (the border checks
  ``score`` runs on the gold), every annotation kept, with the previous implementation
  (``tests/oracles/prodigy_v1.py`` and ``check_v1.py``, copied before the rewrite) and
  with today's, both with the garbage collector on, and today's inside
  :func:`~newsgold.formats.jsonl.gc_paused` (as ``load_annotations`` and the Prodigy
  prediction reader read a whole file); then the same with nothing kept (one task at a
  time, as a streamed ``score`` reads), the collector on, and paused;
* the same on the gold with Prodigy tokens added to every task (the synthetic corpus has
  none; real tasks from ``ner.manual`` carry one per word, with ``ws``);
* ``orjson.loads`` + ``document_from_task`` on the corpus documents, previous and today.

It prints a table of seconds, tasks per second and the ratios (previous / today, and each to
orjson). It checks on the way that both give equal annotations, so the speed is of the same
work. Not a test: speed is measured here, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson
from rich.console import Console
from rich.progress import track
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))  # the oracles: the previous implementation
import bench_scale  # noqa: E402
from oracles import check_v1, prodigy_v1  # noqa: E402

from newsgold.corpus import check  # noqa: E402
from newsgold.formats import prodigy  # noqa: E402
from newsgold.formats.jsonl import gc_paused  # noqa: E402


def with_tokens(line: bytes) -> bytes:
    """The task with one Prodigy token per word of its text (``ws`` after each)."""
    task = orjson.loads(line)
    text = task["text"]
    tokens = []
    for i, m in enumerate(re.finditer(r"\S+", text)):
        ws = m.end() < len(text) and text[m.end()] == " "
        tokens.append({"text": m.group(), "start": m.start(), "end": m.end(), "id": i, "ws": ws})
    return orjson.dumps({**task, "tokens": tokens})


def best(fn: Callable[[], object], repeat: int, paused: bool = False) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        with gc_paused() if paused else contextlib.nullcontext():
            t0 = time.process_time()
            out = fn()
            times.append(time.process_time() - t0)
        del out
    return min(times)


def read_all(lines: list[bytes], to_annotation, check_annotation, keep: bool = True) -> list:
    loads = orjson.loads
    out = []
    for line in lines:
        ann = to_annotation(loads(line))
        check_annotation(ann)
        if keep:
            out.append(ann)
    return out


def documents(lines: list[bytes], from_task, keep: bool = True) -> list:
    loads = orjson.loads
    out = []
    for line in lines:
        doc = from_task(loads(line))
        if keep:
            out.append(doc)
    return out


def parse(lines: list[bytes]) -> None:
    """The floor: every line parsed, nothing kept (as ``scripts/bench_scale.py`` measures)."""
    loads = orjson.loads
    for line in lines:
        loads(line)


def same(old: list, new: list) -> None:
    """Both implementations read the same thing (annotation by annotation)."""
    for a, b in zip(old, new, strict=True):
        assert (a.document, a.mentions, a.relations, a.clusters) == (
            b.document,
            b.mentions,
            b.relations,
            b.clusters,
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=int, default=480, help="documents")
    ap.add_argument("--events-per-doc", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_scale.write_corpus(args.base, args.events_per_doc, args.seed, folder)
        tasks = [
            line
            for name in ("gold.jsonl", "pred.jsonl")
            for line in (folder / name).read_bytes().splitlines()
            if line.strip()
        ]
        gold = [x for x in (folder / "gold.jsonl").read_bytes().splitlines() if x.strip()]
        docs = [
            x
            for x in (folder / "corpus" / "documents.jsonl").read_bytes().splitlines()
            if x.strip()
        ]
    tokened = [with_tokens(x) for x in gold]
    n_spans = sum(len(orjson.loads(x).get("spans", [])) for x in tasks)
    mb = sum(map(len, tasks)) / 2**20
    cases = [
        ("gold + prediction tasks", tasks, "tasks"),
        ("gold tasks with tokens", tokened, "tasks"),
        ("corpus documents", docs, "documents"),
    ]
    # (mode, keep every object, pause the collector for today's code); the previous code
    # always ran with the collector on
    modes = (
        ("kept, GC on", True, False),
        ("kept, today in gc_paused (the loaders)", True, True),
        ("streamed: nothing kept, GC on", False, False),
        ("streamed, today in gc_paused", False, True),
    )
    rows = []
    for name, lines, unit in track(cases, description="timing"):
        t_parse = best(lambda lines=lines: parse(lines), args.repeat)
        if unit == "tasks":
            same(
                read_all(lines, prodigy_v1.task_to_annotation, check_v1.check_annotation),
                read_all(lines, prodigy.task_to_annotation, check.check_annotation),
            )
            old_read = (prodigy_v1.task_to_annotation, check_v1.check_annotation)
            new_read = (prodigy.task_to_annotation, check.check_annotation)
            read = read_all
        else:
            assert documents(lines, prodigy_v1.document_from_task) == documents(
                lines, prodigy.document_from_task
            )
            old_read, new_read, read = (
                (prodigy_v1.document_from_task,),
                (prodigy.document_from_task,),
                documents,
            )
        for mode, keep, paused in modes:
            t_old = best(
                lambda lines=lines, f=old_read, k=keep, r=read: r(lines, *f, keep=k), args.repeat
            )
            t_new = best(
                lambda lines=lines, f=new_read, k=keep, r=read: r(lines, *f, keep=k),
                args.repeat,
                paused=paused,
            )
            rows.append((name, len(lines), unit, mode, t_parse, t_old, t_new))
    table = Table(
        title=f"Prodigy JSONL -> model, {args.base} documents ({mb:.1f} MB of tasks, "
        f"{n_spans:,} spans), CPU seconds, best of {args.repeat}"
    )
    for col in (
        "input",
        "lines",
        "mode",
        "orjson",
        "previous",
        "today",
        "previous / today",
        "previous / orjson",
        "today / orjson",
    ):
        table.add_column(col, justify="right")
    for name, n, unit, mode, t_parse, t_old, t_new in rows:
        table.add_row(
            name,
            f"{n} {unit}",
            mode,
            f"{t_parse:.3f}",
            f"{t_old:.3f}",
            f"{t_new:.3f}",
            f"{t_old / t_new:.2f}x",
            f"{t_old / t_parse:.1f}x",
            f"{t_new / t_parse:.1f}x",
        )
    Console(width=200).print(table)
    print(
        "times include orjson.loads; 'previous' is tests/oracles/prodigy_v1.py + check_v1.py, "
        "'today' is newsgold.formats.prodigy + newsgold.corpus.check"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time the event readers on a scaled copy of the event samples.

The seed document is copied N times under new doc ids (an in-memory corpus) and every
sample of tests/data/formats/ (OneIE, TextEE data and predictions, DyGIE++, LLM strings) is
repeated for each copy; each file is then read with ``load_predictions`` and the wall time,
documents/s and events/s are printed. Reading should grow linearly with N (run with two
sizes to see it). Not a test: speed is measured here, never asserted.

    python scripts/bench_readers.py --docs 2000
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

import orjson
from rich.console import Console
from rich.progress import track
from rich.table import Table

from newsgold.corpus.build import load_corpus
from newsgold.formats.predictions import load_predictions

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "formats"
SAMPLES = {
    "oneie": DATA / "oneie" / "system.jsonl",
    "textee": DATA / "textee" / "gold.jsonl",
    "textee (pred)": DATA / "textee" / "pred.jsonl",
    "dygiepp": DATA / "dygiepp" / "pred.jsonl",
    "llm-events": DATA / "llm_events" / "system.jsonl",
}
ID_KEYS = ("doc_id", "doc_key")


def scaled(sample: Path, doc_ids: list[str], out: Path) -> None:
    lines = [orjson.loads(x) for x in sample.read_bytes().splitlines() if x.strip()]
    with out.open("wb") as fh:
        for d in doc_ids:
            for line in lines:
                key = next(k for k in ID_KEYS if k in line)
                fh.write(orjson.dumps({**line, key: d}) + b"\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=2000)
    args = ap.parse_args()
    (seed,) = load_corpus(ROOT / "corpus" / "documents.jsonl").values()
    ids = [f"copy{i:06d}" for i in range(args.docs)]
    corpus = {d: dataclasses.replace(seed, doc_id=d) for d in ids}
    table = Table(title=f"event readers, {args.docs} documents")
    for col in ("format", "file MB", "seconds", "docs/s", "events/s"):
        table.add_column(col, justify="right")
    with tempfile.TemporaryDirectory() as tmp:
        for name, sample in track(list(SAMPLES.items()), description="reading"):
            path = Path(tmp) / f"{name.split()[0]}.jsonl"
            scaled(sample, ids, path)
            t0 = time.perf_counter()
            preds = load_predictions(path, corpus)
            dt = time.perf_counter() - t0
            n_events = sum(len(a.events) for a in preds.annotations.values())
            table.add_row(
                name,
                f"{path.stat().st_size / 1e6:.1f}",
                f"{dt:.2f}",
                f"{args.docs / dt:,.0f}",
                f"{n_events / dt:,.0f}",
            )
    Console().print(table)


if __name__ == "__main__":
    main()

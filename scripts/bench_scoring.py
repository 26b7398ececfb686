"""Benchmark: newsgold's entity scorer against nervaluate and seqeval on one large input.

    python scripts/bench_scoring.py [--docs 10000] [--spans-per-doc 100] [--seed 0]

A seeded synthetic corpus (token offsets; 6 labels; gold spans separated by at least three
tokens) gets a realistic error mix in the predictions: exact copies, boundary shifts of one
token, relabellings, splits, misses and spurious spans. Gold and predictions are written as
JSONL files (one line a document) whose size is printed. Each scorer then runs in a fresh
process that reads those files into the structure it takes (per-document span lists for
newsgold and nervaluate, BIO tag lists for seqeval) and is timed on scoring alone:

* newsgold: all four SemEval modes (strict, exact, partial, ent_type) with per-label counts;
* nervaluate 1.2.1: ``Evaluator(...).evaluate()`` (all four modes, per label);
* seqeval 1.2.2: ``f1_score`` alone (default mode).

Peak memory is the growth of the process's maximum resident set during scoring. The script
checks that the numbers agree: seqeval's micro F1 equals newsgold's strict F1, and
nervaluate's overall counts equal newsgold's in every mode (the generator lists exact
copies before other predictions and keeps shifts inside the gaps, so nervaluate's greedy,
order-dependent alignment finds the optimum here). Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import orjson

LABELS = ("PERSON", "ORG", "GPE", "DATE", "NORP", "CARDINAL")


def generate(n_docs: int, per_doc: int, seed: int, folder: Path) -> tuple[Path, Path, int, int]:
    rng = np.random.default_rng(seed)
    gold_path, pred_path = folder / "gold.jsonl", folder / "pred.jsonl"
    n_gold = n_pred = 0
    with gold_path.open("wb") as gf, pred_path.open("wb") as pf:
        for d in range(n_docs):
            lengths = rng.integers(1, 4, per_doc)
            gaps = rng.integers(3, 8, per_doc)
            starts = np.cumsum(gaps + np.concatenate(([0], lengths[:-1])))
            ends = starts + lengths
            labels = rng.integers(0, len(LABELS), per_doc)
            n_tokens = int(ends[-1] + 5)
            gold = [[int(s), int(e), LABELS[k]] for s, e, k in zip(starts, ends, labels)]
            kind = rng.choice(6, per_doc, p=[0.78, 0.06, 0.05, 0.03, 0.05, 0.03])
            exact, other = [], []
            for (s, e, lab), k in zip(gold, kind):
                if k == 0:
                    exact.append([s, e, lab])
                elif k == 1:  # boundary shift by one token, staying inside the gap
                    if rng.random() < 0.5:
                        other.append([s - 1, e, lab])
                    else:
                        other.append([s, e + 1, lab])
                elif k == 2:  # wrong label
                    other.append([s, e, LABELS[(LABELS.index(lab) + 1) % len(LABELS)]])
                elif k == 3 and e - s > 1:  # split in two
                    other += [[s, s + 1, lab], [s + 1, e, lab]]
                elif k == 3:
                    exact.append([s, e, lab])
                # k == 4: missed
                elif k == 5:  # exact, plus a spurious span in the next gap
                    exact.append([s, e, lab])
                    other.append([e + 1, e + 2, LABELS[int(rng.integers(0, len(LABELS)))]])
            pred = exact + other
            n_gold += len(gold)
            n_pred += len(pred)
            gf.write(orjson.dumps({"doc": d, "n_tokens": n_tokens, "spans": gold}) + b"\n")
            pf.write(orjson.dumps({"doc": d, "n_tokens": n_tokens, "spans": pred}) + b"\n")
    return gold_path, pred_path, n_gold, n_pred


def _read(path: Path) -> list[dict]:
    with path.open("rb") as fh:
        return [orjson.loads(line) for line in fh]


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_newsgold(gold_path: Path, pred_path: Path, out: mp.Queue) -> None:
    from newsgold.metrics.counts import summary
    from newsgold.metrics.entities import semeval_counts_by_document

    gold = [d["spans"] for d in _read(gold_path)]
    pred = [d["spans"] for d in _read(pred_path)]
    base = _maxrss_mb()
    t0 = time.perf_counter()
    labels = tuple(sorted({s[2] for doc in gold + pred for s in doc}))
    counts = semeval_counts_by_document(gold, pred, labels)
    result = {m: summary(c)["micro"] for m, c in counts.items()}
    seconds = time.perf_counter() - t0
    out.put(("newsgold", seconds, _maxrss_mb() - base, result))


def run_nervaluate(gold_path: Path, pred_path: Path, out: mp.Queue) -> None:
    from nervaluate import Evaluator

    def conv(docs):
        return [[{"label": s[2], "start": s[0], "end": s[1] - 1} for s in d["spans"]] for d in docs]

    gold, pred = conv(_read(gold_path)), conv(_read(pred_path))
    base = _maxrss_mb()
    t0 = time.perf_counter()
    res = Evaluator(gold, pred, tags=list(LABELS), loader="dict").evaluate()
    seconds = time.perf_counter() - t0
    result = {
        m: {
            k: getattr(r, k)
            for k in ("correct", "incorrect", "partial", "missed", "spurious", "f1")
        }
        for m, r in res["overall"].items()
    }
    out.put(("nervaluate", seconds, _maxrss_mb() - base, result))


def run_seqeval(gold_path: Path, pred_path: Path, out: mp.Queue) -> None:
    from seqeval.metrics import f1_score

    def tags(docs):
        seqs = []
        for d in docs:
            t = ["O"] * d["n_tokens"]
            for s, e, lab in sorted(d["spans"]):
                # predictions from the generator never overlap one another
                t[s] = f"B-{lab}"
                for i in range(s + 1, e):
                    t[i] = f"I-{lab}"
            seqs.append(t)
        return seqs

    y_true, y_pred = tags(_read(gold_path)), tags(_read(pred_path))
    base = _maxrss_mb()
    t0 = time.perf_counter()
    f1 = f1_score(y_true, y_pred)
    seconds = time.perf_counter() - t0
    out.put(("seqeval", seconds, _maxrss_mb() - base, {"f1": f1}))


def _in_process(target, *args):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, q))
    proc.start()
    result = q.get()
    proc.join()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--spans-per-doc", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip", nargs="*", default=[], choices=["nervaluate", "seqeval"])
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        gold_path, pred_path, n_gold, n_pred = generate(
            args.docs, args.spans_per_doc, args.seed, folder
        )
        size_mb = (os.path.getsize(gold_path) + os.path.getsize(pred_path)) / 2**20
        print(
            f"input: {args.docs} documents, {n_gold} gold spans, {n_pred} predicted spans, "
            f"{len(LABELS)} labels; files {size_mb:.1f} MB (generated in {time.perf_counter() - t0:.1f} s)"
        )
        runs = {"newsgold": _in_process(run_newsgold, gold_path, pred_path)}
        if "nervaluate" not in args.skip:
            runs["nervaluate"] = _in_process(run_nervaluate, gold_path, pred_path)
        if "seqeval" not in args.skip:
            runs["seqeval"] = _in_process(run_seqeval, gold_path, pred_path)
    ours = runs["newsgold"]
    print("\n| scorer | what | wall time (s) | peak memory growth (MB) | newsgold speed-up |")
    print("|---|---|---:|---:|---:|")
    what = {
        "newsgold": "4 SemEval modes, per label",
        "nervaluate": "Evaluator.evaluate(): 4 modes, per label",
        "seqeval": "f1_score (default mode)",
    }
    for name, (_, seconds, mem, _) in runs.items():
        ratio = "1.0" if name == "newsgold" else f"{seconds / ours[1]:.1f}x"
        print(f"| {name} | {what[name]} | {seconds:.2f} | {mem:.0f} | {ratio} |")
    ok = True
    if "seqeval" in runs:
        a, b = ours[3]["strict"]["f1"], runs["seqeval"][3]["f1"]
        same = abs(a - b) < 1e-12
        ok &= same
        print(
            f"\nseqeval micro F1 {b:.6f} vs newsgold strict F1 {a:.6f}: {'agree' if same else 'DIFFER'}"
        )
    if "nervaluate" in runs:
        for mode, ref in runs["nervaluate"][3].items():
            mine = ours[3][mode]
            same = all(
                mine[k] == ref[k] for k in ("correct", "incorrect", "partial", "missed", "spurious")
            )
            same &= abs(mine["f1"] - ref["f1"]) < 1e-12
            ok &= same
            print(
                f"nervaluate {mode}: counts and F1 {'agree' if same else 'DIFFER'} (F1 {ref['f1']:.6f})"
            )
    print(f"\npeak memory growth is compared with the input files' {size_mb:.1f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

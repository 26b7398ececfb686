"""Benchmark: how ``newsgold score`` grows with its input, end to end through the command line.

    python scripts/bench_scale.py [--base 120] [--events-per-doc 32] [--seed 0]
                                  [--command score|validate|stats|all]

For 1x, 4x and 16x ``--base`` documents, a seeded synthetic corpus is written as our files:
``corpus/documents.jsonl`` (text and sentences, no labels), a Prodigy gold and a Prodigy
prediction. The documents, entity mentions (in coreference clusters), events and the
prediction's error mix are those of ``scripts/bench_events.py`` (events missed, mistyped,
too long, doubled, spurious; arguments dropped, re-roled, one token off, moved to a
coreferent mention, duplicated), plus 5% of the predicted entity mentions relabelled, so the
entity layer sees label, boundary and spurious errors too. Each size is scored in a fresh
child process (``--allow-unknown`` because a mistyped event keeps its old type's roles,
which are then scored as wrong)::

    newsgold score PRED --gold GOLD --corpus CORPUS --bootstrap 0 --json --allow-unknown -o OUT

timed by wall clock; its peak memory is the child's maximum resident set
(``getrusage(RUSAGE_CHILDREN)`` read in a fresh helper process per size, so one size's peak
cannot hide the next one's). The floor for file-based scoring is parsing the same three
files with ``orjson`` line by line, keeping no document (also in a fresh child, same
measures); the table gives
our ratio to it. Last come the log-log slopes across sizes (time ~ size^slope: 1 is linear;
memory flat would be 0). Not a test: it prints a table.

``--command validate`` (or ``stats``, or ``all`` for the three, score first) measures the
other streaming commands on the same files, the same way, one table each::

    newsgold validate GOLD --corpus CORPUS     (floor: orjson parsing GOLD and CORPUS)
    newsgold stats GOLD                        (floor: orjson parsing GOLD)

The synthetic gold is not valid gold (no tokens in the corpus, no mention types, clusters
and realis/polarity left out, roles filled by persons), so ``validate`` exits 1 after
reporting hundreds of problems a document: the table counts them, and the measure includes
printing every one. ``--gold bundled`` measures ``validate`` and ``stats`` on valid gold
instead: ``--base`` x size copies of the bundled gold document and its corpus document (the
text made distinct by letter case; ``tests/stream_corpus.py``), ~95 KB of gold and 33 KB of
corpus each, no prediction (so no ``score``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_events  # noqa: E402  (the shared generator, beside this script)

SCALES = (1, 4, 16)


def write_corpus(n_docs: int, per_doc: int, seed: int, folder: Path) -> dict:
    """Write corpus/documents.jsonl, gold.jsonl and pred.jsonl (Prodigy) under ``folder``."""
    from newsgold.formats.prodigy import annotation_to_task, document_to_json
    from newsgold.model import TRIGGER

    raw = folder / "raw"
    raw.mkdir()
    gold_rows, pred_rows, counts = bench_events.generate(n_docs, per_doc, seed, raw)
    docs: dict = {}
    gold = bench_events.to_annotations(bench_events._read(gold_rows), docs)
    pred = bench_events.to_annotations(bench_events._read(pred_rows), docs)
    rng = np.random.default_rng(seed + 1)
    # bench_events gives every document the same text; ours must differ (the text's hash is
    # the document's identity), so each token's four characters become random letters
    letters = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
    for doc in docs.values():
        buf = np.frombuffer(doc.text.encode(), dtype=np.uint8).copy()
        word = (np.arange(buf.size) % bench_events.TOK) != bench_events.TOK - 1
        buf[word] = letters[rng.integers(0, 26, int(word.sum()))]
        doc.text = buf.tobytes().decode()
    for ann in pred.values():
        for m in ann.mentions:
            if m.kind != TRIGGER and rng.random() < 0.05:
                m.label = "ORG"
    (folder / "corpus").mkdir()
    with (folder / "corpus" / "documents.jsonl").open("wb") as fh:
        for doc_id in sorted(docs):
            doc = docs[doc_id]
            doc.meta = {**doc.meta, "id": doc_id}
            fh.write(orjson.dumps(document_to_json(doc)) + b"\n")
    for name, anns in (("gold.jsonl", gold), ("pred.jsonl", pred)):
        with (folder / name).open("wb") as fh:
            for doc_id in sorted(anns):
                fh.write(orjson.dumps(annotation_to_task(anns[doc_id])) + b"\n")
    for p in raw.iterdir():
        p.unlink()
    raw.rmdir()
    return counts


def write_bundled(n_docs: int, folder: Path) -> None:
    """Write corpus/documents.jsonl and gold.jsonl: ``n_docs`` copies of the bundled ones."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from stream_corpus import iter_copies  # the tests' generator of valid copies

    (folder / "corpus").mkdir()
    with (
        (folder / "corpus" / "documents.jsonl").open("wb") as docs,
        (folder / "gold.jsonl").open("wb") as gold,
    ):
        for doc, task in iter_copies(n_docs):
            docs.write(orjson.dumps(doc) + b"\n")
            gold.write(orjson.dumps(task) + b"\n")


# --- measured in fresh children ---------------------------------------------------------------

# Run by a helper interpreter: it starts the command as its own child, waits, and prints the
# wall time and RUSAGE_CHILDREN max RSS (KiB on Linux) of that one child.
# argv[1] is where the command's stdout goes ("-": nowhere).
_RUNNER = """
import resource, subprocess, sys, time
sink = subprocess.DEVNULL if sys.argv[1] == "-" else open(sys.argv[1], "wb")
t0 = time.perf_counter()
rc = subprocess.run(sys.argv[2:], stdout=sink).returncode
wall = time.perf_counter() - t0
print(rc, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

_PARSE = """
import sys, orjson
n = 0
for path in sys.argv[1:]:
    with open(path, "rb") as fh:
        for line in fh:  # one document at a time: the bounded-memory floor
            orjson.loads(line)
            n += 1
print(n, file=sys.stderr)
"""


def measure(
    cmd: list[str], *, ok: tuple[str, ...] = ("0",), stdout: Path | None = None
) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of ``cmd`` run once in a fresh process; its exit code
    must be one of ``ok``; its output goes to ``stdout`` (default: nowhere)."""
    out = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(stdout or "-"), *cmd],
        capture_output=True,
        text=True,
        check=True,
    )
    rc, wall, kib = out.stdout.split()
    if rc not in ok:
        raise SystemExit(f"command failed ({rc}): {' '.join(cmd)}\n{out.stderr}")
    return float(wall), int(kib) / 1024


def newsgold_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("newsgold")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgold.cli"]


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) on log(x)."""
    lx, ly = np.log(xs), np.log(ys)
    return float(np.polyfit(lx, ly, 1)[0])


COMMANDS = ("score", "validate", "stats")


def measure_score(folder: Path, files: list[Path], extra: tuple = ()) -> tuple[float, float]:
    return measure(
        [
            *newsgold_cmd(),
            "score",
            str(folder / "pred.jsonl"),
            "--gold",
            str(folder / "gold.jsonl"),
            "--corpus",
            str(files[0]),
            "--bootstrap",
            "0",
            "--json",
            # mistyped events keep their old type's roles: scored as wrong
            "--allow-unknown",
            "-o",
            str(folder / "score.json"),
            *extra,
        ]
    )


def measure_validate(folder: Path, files: list[Path]) -> tuple[float, float, int]:
    """Time, peak RSS and the number of problems reported (the synthetic gold has many)."""
    printed = folder / "validate.out"
    cmd = [*newsgold_cmd(), "validate", str(folder / "gold.jsonl"), "--corpus", str(files[0])]
    t, m = measure(cmd, ok=("0", "1"), stdout=printed)
    with printed.open("rb") as fh:
        problems = sum(line.startswith((b"error ", b"warning ")) for line in fh)
    printed.unlink()
    return t, m, problems


def measure_stats(folder: Path, files: list[Path]) -> tuple[float, float]:
    return measure([*newsgold_cmd(), "stats", str(folder / "gold.jsonl")])


def print_slopes(rows: list[tuple], name: str) -> None:
    """Log-log slopes and the 1x-to-16x increments of rows (scale, n, mb, t, m, t_oj, m_oj)."""
    sizes = [r[2] for r in rows]
    s_time = slope(sizes, [r[3] for r in rows])
    s_mem = slope(sizes, [r[4] for r in rows])
    s_otime = slope(sizes, [r[5] for r in rows])
    s_omem = slope(sizes, [r[6] for r in rows])
    print(
        f"\nlog-log slope against file size: {name} time {s_time:.2f}, memory {s_mem:.2f}; "
        f"orjson time {s_otime:.2f}, memory {s_omem:.2f} (1 = linear, 0 = flat)"
    )
    # slopes include the fixed start-up cost (interpreter, imports), which flattens them at
    # small sizes; the per-size increments show the marginal growth
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        print(
            f"from {a[0]}x to {b[0]}x: {name} +{b[3] - a[3]:.2f} s, +{b[4] - a[4]:.0f} MB "
            f"({(b[3] - a[3]) / (b[2] - a[2]):.2f} s and {(b[4] - a[4]) / (b[2] - a[2]):.1f} MB "
            f"per input MB)"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=int, default=120, help="documents at 1x")
    ap.add_argument("--events-per-doc", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--command",
        choices=(*COMMANDS, "all"),
        default="score",
        help="the command measured (default: score; all: the three, one table each)",
    )
    ap.add_argument(
        "--gold",
        choices=("synthetic", "bundled"),
        default="synthetic",
        help="synthetic: bench_events' corpus (default); bundled: copies of the bundled gold "
        "(valid gold; validate and stats only)",
    )
    ap.add_argument(
        "--dask",
        action="store_true",
        help="also time `newsgold score --dask` (dask.bag, worker processes) at each size",
    )
    args = ap.parse_args(argv)
    commands = COMMANDS if args.command == "all" else (args.command,)
    if args.gold == "bundled":
        if args.command == "score":
            ap.error("--gold bundled has no prediction to score: use --command validate|stats")
        commands = tuple(c for c in commands if c != "score")
    rows = []
    dask_rows: list[tuple[int, float, float]] = []
    other: dict[str, list[tuple]] = {"validate": [], "stats": []}
    with tempfile.TemporaryDirectory() as tmp:
        for scale in SCALES:
            n = args.base * scale
            folder = Path(tmp) / f"x{scale}"
            folder.mkdir()
            t0 = time.perf_counter()
            if args.gold == "bundled":
                write_bundled(n, folder)
                counts = {}
            else:
                counts = write_corpus(n, args.events_per_doc, args.seed, folder)
            gen = time.perf_counter() - t0
            files = [
                folder / "corpus" / "documents.jsonl",
                folder / "gold.jsonl",
                folder / "pred.jsonl",
            ]
            if "score" in commands:
                mb = sum(os.path.getsize(p) for p in files) / 2**20
                t_ng, m_ng = measure_score(folder, files)
                t_oj, m_oj = measure([sys.executable, "-c", _PARSE, *map(str, files)])
                rows.append((scale, n, counts["gold_events"], mb, t_ng, m_ng, t_oj, m_oj))
                print(
                    f"x{scale}: {n} documents, {mb:.1f} MB written in {gen:.1f} s; "
                    f"newsgold {t_ng:.2f} s, orjson {t_oj:.2f} s",
                    file=sys.stderr,
                )
                if args.dask:
                    dask_rows.append((scale, *measure_score(folder, files, ("--dask",))))
            if "validate" in commands:
                read = files[:2]  # the corpus and the gold
                mb = sum(os.path.getsize(p) for p in read) / 2**20
                t_ng, m_ng, problems = measure_validate(folder, files)
                t_oj, m_oj = measure([sys.executable, "-c", _PARSE, *map(str, read)])
                other["validate"].append((scale, n, mb, t_ng, m_ng, t_oj, m_oj, problems))
                print(
                    f"x{scale}: validate {t_ng:.2f} s, {m_ng:.0f} MB; orjson {t_oj:.2f} s",
                    file=sys.stderr,
                )
            if "stats" in commands:
                mb = os.path.getsize(files[1]) / 2**20
                t_ng, m_ng = measure_stats(folder, files)
                t_oj, m_oj = measure([sys.executable, "-c", _PARSE, str(files[1])])
                other["stats"].append((scale, n, mb, t_ng, m_ng, t_oj, m_oj))
                print(
                    f"x{scale}: stats {t_ng:.2f} s, {m_ng:.0f} MB; orjson {t_oj:.2f} s",
                    file=sys.stderr,
                )
    if rows:
        print_score(rows)
    if dask_rows:
        print(
            "\n`newsgold score --dask` (wall s, peak RSS MB of the largest process): "
            + "; ".join(f"{k}x {t:.2f} s, {m:.0f} MB" for k, t, m in dask_rows)
        )
    for name in ("validate", "stats"):
        if other[name]:
            print_other(name, other[name])
    return 0


def print_score(rows: list[tuple]) -> None:
    print(
        "| size | documents | gold events | files (MB) | `newsgold score` (s) | peak RSS (MB) "
        "| orjson parse (s) | orjson peak RSS (MB) | time ratio to orjson |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scale, n, ev, mb, t_ng, m_ng, t_oj, m_oj in rows:
        print(
            f"| {scale}x | {n} | {ev} | {mb:.1f} | {t_ng:.2f} | {m_ng:.0f} | {t_oj:.2f} "
            f"| {m_oj:.0f} | {t_ng / t_oj:.1f}x |"
        )
    print_slopes([(r[0], r[1], r[3], r[4], r[5], r[6], r[7]) for r in rows], "newsgold")


def print_other(name: str, rows: list[tuple]) -> None:
    """The table of ``validate`` (with the problems it reported) or ``stats``."""
    files = "gold + corpus" if name == "validate" else "gold"
    extra = " problems reported |" if name == "validate" else ""
    print(
        f"\n| size | documents | {files} (MB) | `newsgold {name}` (s) | peak RSS (MB) "
        f"| orjson parse (s) | orjson peak RSS (MB) | time ratio to orjson |{extra}"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if extra else ""))
    for r in rows:
        scale, n, mb, t_ng, m_ng, t_oj, m_oj = r[:7]
        tail = f" {r[7]} |" if extra else ""
        print(
            f"| {scale}x | {n} | {mb:.1f} | {t_ng:.2f} | {m_ng:.0f} | {t_oj:.2f} "
            f"| {m_oj:.0f} | {t_ng / t_oj:.1f}x |{tail}"
        )
    print_slopes([r[:7] for r in rows], f"newsgold {name}")


if __name__ == "__main__":
    sys.exit(main())

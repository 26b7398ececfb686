"""Benchmark: what the command line costs before it does any work.

    python scripts/bench_startup.py [--repeat 15]

Each command runs ``--repeat`` times in a fresh interpreter (the same one that runs this
script, so the same virtual environment); the table gives the median wall time and its
ratio to ``python -c "import numpy"``, the floor the issue sets (the scorer needs numpy).
``newsgold`` is started the way its console script starts it (``newsgold.cli:main``), from
the repository root, on the bundled gold and corpus. Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = "import sys; sys.argv[0] = 'newsgold'; from newsgold.cli import main; main()"

COMMANDS = [
    ("python -c pass", ["-c", "pass"]),
    ('python -c "import numpy"', ["-c", "import numpy"]),
    ("import newsgold", ["-c", "import newsgold"]),
    ("newsgold --help", ["-c", CLI, "--help"]),
    (
        "newsgold score gold --bootstrap 0",
        ["-c", CLI, "score", "annotations/gold.jsonl", "--bootstrap", "0"],
    ),
    ("newsgold score gold (1000 resamples)", ["-c", CLI, "score", "annotations/gold.jsonl"]),
]


def median_time(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    results = [(name, median_time(a, args.repeat)) for name, a in COMMANDS]
    floor = dict(results)['python -c "import numpy"']
    print(f"median of {args.repeat} runs, {sys.executable}\n")
    print("| command | median wall time (s) | ratio to import numpy |")
    print("|---|---:|---:|")
    for name, t in results:
        print(f"| `{name}` | {t:.3f} | {t / floor:.2f} |")


if __name__ == "__main__":
    main()

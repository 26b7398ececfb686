"""Benchmark: text-only placement time against the number of listed mentions.

    python scripts/bench_textonly.py [--sizes 689,1378,2756,5512,11024] [--seed 0]

A seeded synthetic document repeats news-like sentences built from a pool of names (so
strings repeat, nest and overlap, as in a long article), and the listed mentions are the
names in text order, each listing once per occurrence (the default rule's normal case),
plus some strings that do not occur. Times ``newsgold.formats.textonly.place`` alone
(tokenization excluded; the median of ``--repeat`` runs) for each size and prints the time per mention and the slope of
log(time) against log(size): 1 is linear, 2 quadratic. Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time

from newsgold.corpus.segment import tokenize
from newsgold.formats.textonly import place
from newsgold.model import Document

NAMES = [
    "Putin", "Vladimir Putin", "Biden", "Joe Biden", "Blinken", "Lavrov", "Sergei Lavrov",
    "Wendy Sherman", "Sherman", "NATO", "Russia", "Ukraine", "Kyiv", "Moscow", "Geneva",
    "the Kremlin", "Kremlin", "Washington", "Europe", "Zelensky",
]  # fmt: skip
FILLER = ["said", "met", "warned", "told", "and", "in", "on Friday", "that", "talks with"]


def make(n_mentions: int, rng: random.Random) -> tuple[Document, list[dict]]:
    words, items = [], []
    while len(items) < n_mentions:
        name = rng.choice(NAMES)
        items.append({"text": name, "label": "X", "occurrence": None, "context": None})
        words += [name, rng.choice(FILLER), rng.choice(FILLER) + "."]
    text = " ".join(words)
    items += [
        {"text": f"Nobody{i}", "label": "X", "occurrence": None, "context": None}
        for i in range(n_mentions // 50)
    ]
    return Document("bench", text, tokens=tokenize(text)), items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="689,1378,2756,5512,11024")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5, help="median of this many runs")
    args = parser.parse_args()
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        doc, items = make(n, random.Random(args.seed))
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            placed = place(doc, items)
            times.append(time.perf_counter() - t0)
        rows.append((n, len(items), len(doc.text), statistics.median(times), placed))
    print("| listed mentions | items (with unplaceable) | text length | time (s) | µs per item |")
    print("|---:|---:|---:|---:|---:|")
    for n, k, length, t, _ in rows:
        print(f"| {n} | {k} | {length} | {t:.3f} | {1e6 * t / k:.1f} |")
    if len(rows) > 1:
        (n0, _, _, t0, _), (n1, _, _, t1, _) = rows[0], rows[-1]
        print(f"\nslope of log(time) on log(size): {math.log(t1 / t0) / math.log(n1 / n0):.2f}")


if __name__ == "__main__":
    main()

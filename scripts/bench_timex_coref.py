"""Benchmark: the timex and coref layers on a large synthetic corpus, against scorch.

    python scripts/bench_timex_coref.py [--docs 2000] [--mentions 120] [--seed 0]

Seeded synthetic documents hold ``--mentions`` entity mentions in chains (sizes 1-8) and
a tenth as many time expressions with TIMEX3 values. Predictions get an error mix: 10% of
mentions dropped, 5% shifted by one character (unaligned), 10% moved to another chain,
5% spurious singletons; timexes 10% missed, 10% one character short, 20% with a coarser,
finer or wrong value. Prints the scoring time of ``score_coref`` and ``score_timex`` (no
bootstrap; then with 1000 resamples), and the time scorch takes for MUC, B³ and CEAF-e on
the same aligned clusterings, after checking that every document's scores are equal.
Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import math
import random
import time

from newsgold.metrics import coref
from newsgold.model import Annotation, Document, Mention
from newsgold.timex_coref_scoring import LayerOptions, score_coref, score_timex

VALUES = ["2021-12-01", "2021-12", "2021-W48", "2021", "P3D", "PXY", "PAST_REF", "2021-11-30"]
ALT = {"2021-12-01": ["2021-12", "2021-11-30", "2021-W48"], "2021-W48": ["2021-12-01"]}


def corpus(n_docs: int, n_mentions: int, seed: int):
    rng = random.Random(seed)
    gold, pred = {}, {}
    for d in range(n_docs):
        doc = Document(f"d{d}", "w" * (n_mentions * 10 + 10))
        g, p = [], []
        chain = 0
        pos = 0
        while len(g) < n_mentions:
            chain += 1
            for _ in range(rng.randint(1, 8)):
                g.append(Mention(pos, pos + 4, "PER", "entity", cluster=f"c{chain}"))
                pos += 10
        for m in g:
            r = rng.random()
            if r < 0.10:
                continue
            if r < 0.15:
                p.append(Mention(m.start + 1, m.end + 1, "PER", "entity", cluster=m.cluster))
            elif r < 0.25:
                p.append(
                    Mention(m.start, m.end, "PER", "entity", cluster=f"c{rng.randint(1, chain)}")
                )
            else:
                p.append(Mention(m.start, m.end, "PER", "entity", cluster=m.cluster))
        for k in range(n_mentions // 20):
            p.append(Mention(pos + 10 * k, pos + 10 * k + 4, "PER", "entity", cluster=f"s{k}"))
        for k in range(n_mentions // 10):
            s = 10 * k + 5
            v = rng.choice(VALUES)
            g.append(Mention(s, s + 4, "DATE", "timex", attrs={"type": "DATE", "value": v}))
            r = rng.random()
            if r < 0.1:
                continue
            e = s + 3 if r < 0.2 else s + 4
            pv = rng.choice(ALT.get(v, VALUES)) if r > 0.8 else v
            p.append(Mention(s, e, "DATE", "timex", attrs={"type": "DATE", "value": pv}))
        gold[doc.doc_id] = Annotation(doc, g)
        pred[doc.doc_id] = Annotation(doc, p)
    return gold, pred


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--mentions", type=int, default=120)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    gold, pred = corpus(args.docs, args.mentions, args.seed)
    n_m = sum(len(a.mentions) for a in gold.values())
    print(f"{args.docs} documents, {n_m} gold mentions (entities and timexes)")
    rows = []
    for name, fn, boot in (
        ("score_coref", score_coref, 0),
        ("score_coref, 1000 resamples", score_coref, 1000),
        ("score_timex", score_timex, 0),
        ("score_timex, 1000 resamples", score_timex, 1000),
    ):
        t = time.perf_counter()
        fn(gold, pred, LayerOptions(n_resamples=boot, units="document"))
        rows.append((name, time.perf_counter() - t))
    try:
        from scorch import scores
    except ImportError:
        scores = None
    if scores is not None:
        pairs = []
        for d in gold:
            g, _ = coref.chain_mentions(gold[d], "entities")
            p, _ = coref.chain_mentions(pred[d], "entities")
            key, resp, _ = coref.aligned_clusters(g, p)
            pairs.append((coref.add_twinless(key, resp), resp))
        t = time.perf_counter()
        ref = [[fn(k, r) for fn in (scores.muc, scores.b_cubed, scores.ceaf_e)] for k, r in pairs]
        rows.append(("scorch MUC + B3 + CEAF-e (same clusterings)", time.perf_counter() - t))
        for (k, r), want in zip(pairs, ref):
            ours = coref.score_clusters(k, r, twinless=False)
            for m, w in zip(("MUC", "B3", "CEAFe"), want):
                assert all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(coref.prf(ours[m]), w))
        print("every document's MUC, B3 and CEAF-e equal scorch's")
    for name, sec in rows:
        print(f"{name:48s} {sec:8.2f} s")


if __name__ == "__main__":
    main()

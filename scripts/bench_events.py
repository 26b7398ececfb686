"""Benchmark: newsgold's event scorer against TextEE's and OneIE's counting on one large input.

    python scripts/bench_events.py [--docs 10000] [--events-per-doc 32] [--seed 0]

A seeded synthetic corpus (documents of 40 sentences of 16 tokens; entity mentions in
coreference clusters; events of 6 ERE types with 2 arguments on average) gets a realistic
error mix in the predictions: events missed (10%), mistyped (7%), with a trigger one token
too long (5%), predicted twice (3%), spurious events (5% more); arguments dropped (10%),
with the wrong role (8%), a boundary one token off (7%), a coreferent mention instead of the
gold one (5%), and duplicated (2%). Gold and predictions are written as JSONL (one line a
document) whose size is printed. Each scorer runs in a fresh process that reads those files
into the structure it takes (our Annotations; TextEE's windows; OneIE's sentence graphs) and
is timed on scoring alone:

* newsgold: every metric of ``score_events`` at every level (exact, head, overlap, coref),
  whole-event alignment, nuggets and the argument error causes, ERE layer, no bootstrap;
* newsgold ``--preset textee`` and ``--preset oneie``;
* TextEE: ``compute_E2E_*`` (six metrics, Python sets), as ``TextEE/scorer.py`` (ej0cl6/TextEE
  @db8a95e) computes them;
* OneIE: ``score_graphs`` (triggers and roles), as ``oneie/scorer.py`` (GAIA-IE/oneie
  @9df8cfa) computes it.

Peak memory is the growth of the process's maximum resident set during scoring. The script
checks that the presets' counts equal the references' exactly, and prints how far our
one-to-one counts are from TextEE's sets (they differ only where TextEE collapses
duplicates). Not a test: it prints a table.
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

TYPES = {
    "Contact.Meet": ("Entity", "Place", "Time"),
    "Conflict.Attack": ("Attacker", "Target", "Place"),
    "Movement.Transport-Person": ("Agent", "Person", "Destination"),
    "Life.Die": ("Victim", "Agent", "Place"),
    "Justice.Arrest-Jail": ("Agent", "Person", "Place"),
    "Contact.Broadcast": ("Entity", "Audience", "Place"),
}
TYPE_NAMES = tuple(TYPES)
SENTS, SENT_LEN, TOK = 40, 16, 5  # token i covers characters [5i, 5i + 4)


def generate(n_docs: int, per_doc: int, seed: int, folder: Path):
    rng = np.random.default_rng(seed)
    gold_path, pred_path = folder / "gold.jsonl", folder / "pred.jsonl"
    counts = {"gold_events": 0, "gold_args": 0, "pred_events": 0, "pred_args": 0}
    with gold_path.open("wb") as gf, pf_open(pred_path) as pf:
        for d in range(n_docs):
            # entity mentions: 3 per sentence, 1-2 tokens, in clusters of about 3
            mentions = []
            for s in range(SENTS):
                base = s * SENT_LEN
                for k in (1, 6, 11):
                    t0 = base + k
                    mentions.append([t0, t0 + int(rng.integers(1, 3)), int(rng.integers(0, 40))])
            events = []
            for _ in range(per_doc):
                s = int(rng.integers(0, SENTS))
                t0 = s * SENT_LEN + int(rng.choice((0, 4, 9, 14)))
                etype = TYPE_NAMES[int(rng.integers(0, len(TYPE_NAMES)))]
                roles = TYPES[etype]
                n_args = int(rng.choice((1, 2, 3), p=(0.3, 0.4, 0.3)))
                cands = [3 * s + j for j in range(3)]
                args = [[roles[j], cands[j]] for j in range(n_args)]
                events.append([t0, t0 + 1, etype, args])
            gold = {"doc": d, "mentions": mentions, "events": events}
            pred_mentions = [list(m) for m in mentions]
            pred_events = []
            for t0, t1, etype, args in events:
                r = rng.random()
                if r < 0.10:
                    continue
                if r < 0.17:
                    etype = TYPE_NAMES[(TYPE_NAMES.index(etype) + 1) % len(TYPE_NAMES)]
                elif r < 0.22:
                    t1 += 1
                new_args = []
                for role, m in args:
                    q = rng.random()
                    if q < 0.10:
                        continue
                    if q < 0.18:
                        role = (
                            TYPES[etype][(TYPES[etype].index(role) + 1) % 3]
                            if role in TYPES[etype]
                            else role
                        )
                    elif q < 0.25:  # boundary: a new mention one token off
                        ms, me, c = mentions[m]
                        pred_mentions.append([ms, me + 1, c])
                        m = len(pred_mentions) - 1
                    elif q < 0.30:  # another mention of the same entity, if any
                        same = [
                            i for i, x in enumerate(mentions) if x[2] == mentions[m][2] and i != m
                        ]
                        if same:
                            m = same[0]
                    new_args.append([role, m])
                    if q > 0.98:
                        new_args.append([role, m])
                pred_events.append([t0, t1, etype, new_args])
                if r > 0.97:
                    pred_events.append([t0, t1, etype, list(new_args)])
            for _ in range(int(rng.binomial(per_doc, 0.05))):
                s = int(rng.integers(0, SENTS))
                t0 = s * SENT_LEN + 2
                etype = TYPE_NAMES[int(rng.integers(0, len(TYPE_NAMES)))]
                pred_events.append([t0, t0 + 1, etype, [[TYPES[etype][0], 3 * s]]])
            pred = {"doc": d, "mentions": pred_mentions, "events": pred_events}
            counts["gold_events"] += len(events)
            counts["gold_args"] += sum(len(e[3]) for e in events)
            counts["pred_events"] += len(pred_events)
            counts["pred_args"] += sum(len(e[3]) for e in pred_events)
            gf.write(orjson.dumps(gold) + b"\n")
            pf.write(orjson.dumps(pred) + b"\n")
    return gold_path, pred_path, counts


def pf_open(path: Path):
    return path.open("wb")


def _read(path: Path) -> list[dict]:
    with path.open("rb") as fh:
        return [orjson.loads(line) for line in fh]


# --- our structures --------------------------------------------------------------------------


def to_annotations(rows: list[dict], docs: dict | None = None):
    from newsgold.model import Annotation, Document, Mention, Relation, Segment

    out = {}
    n_tok = SENTS * SENT_LEN
    for row in rows:
        doc_id = f"d{row['doc']}"
        if docs is None or doc_id not in docs:
            sents = [
                Segment(
                    s * SENT_LEN * TOK,
                    ((s + 1) * SENT_LEN - 1) * TOK + 4,
                    s * SENT_LEN,
                    (s + 1) * SENT_LEN - 1,
                )
                for s in range(SENTS)
            ]
            doc = Document(doc_id, "abcd " * n_tok, sentences=sents)
            if docs is not None:
                docs[doc_id] = doc
        else:
            doc = docs[doc_id]
        ms = [
            Mention(t0 * TOK, (t1 - 1) * TOK + 4, "PERSON", cluster=f"E{c}")
            for t0, t1, c in row["mentions"]
        ]
        mentions, rels = list(ms), []
        for t0, t1, etype, args in row["events"]:
            trig = Mention(t0 * TOK, (t1 - 1) * TOK + 4, etype, kind="trigger")
            mentions.append(trig)
            rels += [Relation(trig, ms[m], role) for role, m in args]
        out[doc_id] = Annotation(doc, mentions, rels)
    return out


# --- TextEE and OneIE, as their code computes ------------------------------------------------


def textee_windows(rows: list[dict]) -> list[dict]:
    """TextEE's E2E input: one window a sentence, token offsets (end exclusive)."""
    out = []
    for row in rows:
        by_wnd = [[] for _ in range(SENTS)]
        for t0, t1, etype, args in row["events"]:
            arguments = [[row["mentions"][m][0], row["mentions"][m][1], role] for role, m in args]
            by_wnd[t0 // SENT_LEN].append({"trigger": [t0, t1, etype], "arguments": arguments})
        for w, evs in enumerate(by_wnd):
            out.append({"doc_id": f"d{row['doc']}", "wnd_id": f"d{row['doc']}_{w}", "events": evs})
    return out


def _textee_metric(preds, golds, key_fn, arguments: bool) -> dict:
    gold_set, pred_set = [], []
    for pred, gold in zip(preds, golds):
        assert pred["doc_id"] == gold["doc_id"] and pred["wnd_id"] == gold["wnd_id"]
        for x, lst in ((gold, gold_set), (pred, pred_set)):
            for e in x["events"]:
                if arguments:
                    lst.extend(key_fn(x, e, r) for r in e["arguments"])
                else:
                    lst.append(key_fn(x, e, None))
    g, p = set(gold_set), set(pred_set)
    return {"match_num": len(g & p), "gold_num": len(g), "pred_num": len(p)}


def textee_scores(preds, golds) -> dict:
    """``compute_E2E_scores``: the six metrics, each over Python sets of tuples."""
    keys = {
        "Trig-I": (
            lambda x, e, r: (x["doc_id"], x["wnd_id"], e["trigger"][0], e["trigger"][1]),
            False,
        ),
        "Trig-C": (
            lambda x, e, r: (
                x["doc_id"],
                x["wnd_id"],
                e["trigger"][0],
                e["trigger"][1],
                e["trigger"][2],
            ),
            False,
        ),
        "Arg-I": (lambda x, e, r: (x["doc_id"], x["wnd_id"], e["trigger"][2], r[0], r[1]), True),
        "Arg-C": (
            lambda x, e, r: (x["doc_id"], x["wnd_id"], e["trigger"][2], r[0], r[1], r[2]),
            True,
        ),
        "Arg-I+": (
            lambda x, e, r: (
                x["doc_id"],
                x["wnd_id"],
                e["trigger"][0],
                e["trigger"][1],
                e["trigger"][2],
                r[0],
                r[1],
            ),
            True,
        ),
        "Arg-C+": (
            lambda x, e, r: (
                x["doc_id"],
                x["wnd_id"],
                e["trigger"][0],
                e["trigger"][1],
                e["trigger"][2],
                r[0],
                r[1],
                r[2],
            ),
            True,
        ),
    }
    return {name: _textee_metric(preds, golds, fn, arg) for name, (fn, arg) in keys.items()}


def oneie_graphs(rows: list[dict]) -> list[dict]:
    """OneIE's input: one graph a sentence (entities, triggers, roles by index)."""
    out = []
    for row in rows:
        graphs = [{"entities": [], "triggers": [], "roles": [], "_ent": {}} for _ in range(SENTS)]
        for t0, t1, etype, args in row["events"]:
            g = graphs[t0 // SENT_LEN]
            g["triggers"].append((t0, t1, etype))
            for role, m in args:
                span = (row["mentions"][m][0], row["mentions"][m][1])
                if span not in g["_ent"]:
                    g["_ent"][span] = len(g["entities"])
                    g["entities"].append((span[0], span[1], "PER"))
                g["roles"].append((len(g["triggers"]) - 1, g["_ent"][span], role))
        out += graphs
    return out


def _convert_arguments(triggers, entities, roles):
    args = set()
    for trigger_idx, entity_idx, role in roles:
        arg_start, arg_end, _ = entities[entity_idx]
        trigger_label = triggers[trigger_idx][-1]
        args.add((arg_start, arg_end, trigger_label, role))
    return args


def oneie_scores(gold_graphs, pred_graphs) -> dict:
    """``score_graphs``, trigger and role parts."""
    gold_arg_num = pred_arg_num = arg_idn_num = arg_class_num = 0
    gold_trigger_num = pred_trigger_num = trigger_idn_num = trigger_class_num = 0
    for gold_graph, pred_graph in zip(gold_graphs, pred_graphs):
        gold_triggers, pred_triggers = gold_graph["triggers"], pred_graph["triggers"]
        gold_trigger_num += len(gold_triggers)
        pred_trigger_num += len(pred_triggers)
        for trg_start, trg_end, event_type in pred_triggers:
            matched = [
                item for item in gold_triggers if item[0] == trg_start and item[1] == trg_end
            ]
            if matched:
                trigger_idn_num += 1
                if matched[0][-1] == event_type:
                    trigger_class_num += 1
        gold_args = _convert_arguments(gold_triggers, gold_graph["entities"], gold_graph["roles"])
        pred_args = _convert_arguments(pred_triggers, pred_graph["entities"], pred_graph["roles"])
        gold_arg_num += len(gold_args)
        pred_arg_num += len(pred_args)
        for arg_start, arg_end, event_type, role in pred_args:
            gold_idn = {
                item
                for item in gold_args
                if item[0] == arg_start and item[1] == arg_end and item[2] == event_type
            }
            if gold_idn:
                arg_idn_num += 1
                if {item for item in gold_idn if item[-1] == role}:
                    arg_class_num += 1
    return {
        "Trig-I": {
            "match_num": trigger_idn_num,
            "gold_num": gold_trigger_num,
            "pred_num": pred_trigger_num,
        },
        "Trig-C": {
            "match_num": trigger_class_num,
            "gold_num": gold_trigger_num,
            "pred_num": pred_trigger_num,
        },
        "Arg-I": {"match_num": arg_idn_num, "gold_num": gold_arg_num, "pred_num": pred_arg_num},
        "Arg-C": {"match_num": arg_class_num, "gold_num": gold_arg_num, "pred_num": pred_arg_num},
    }


# --- workers ---------------------------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _worker(name: str, gold_path: str, pred_path: str, queue) -> None:
    g_rows, p_rows = _read(Path(gold_path)), _read(Path(pred_path))
    if name.startswith("newsgold"):
        from newsgold.event_scoring import EventOptions, score_events

        docs: dict = {}
        gold, pred = to_annotations(g_rows, docs), to_annotations(p_rows, docs)
        del g_rows, p_rows
        preset = name.split(":")[1] if ":" in name else "newsgold"
        opts = EventOptions(preset=preset, n_resamples=0, units="document", allow_unknown=True)
        run = lambda: score_events(gold, pred, opts, schemes=("ere",))["events"]  # noqa: E731
    elif name == "textee":
        gw, pw = textee_windows(g_rows), textee_windows(p_rows)
        run = lambda: textee_scores(pw, gw)  # noqa: E731
    else:
        gg, pg = oneie_graphs(g_rows), oneie_graphs(p_rows)
        run = lambda: oneie_scores(gg, pg)  # noqa: E731
    before = _rss_mb()
    t0 = time.perf_counter()
    result = run()
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if name.startswith("newsgold"):
        result = {
            m: {lv: (c["tp"], c["n_gold"], c["n_pred"], c["f1"]) for lv, c in levels.items()}
            for m, levels in result.summaries.items()
        }
    queue.put((wall, max(peak - before, 0.0), result))


def run_worker(name: str, gold: Path, pred: Path):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_worker, args=(name, str(gold), str(pred), q))
    p.start()
    out = q.get()
    p.join()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--events-per-doc", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        gold, pred, n = generate(args.docs, args.events_per_doc, args.seed, Path(tmp))
        size = (os.path.getsize(gold) + os.path.getsize(pred)) / 1e6
        print(
            f"input: {args.docs} documents, {n['gold_events']} gold events with {n['gold_args']} "
            f"arguments, {n['pred_events']} predicted events with {n['pred_args']} arguments; "
            f"files {size:.1f} MB (generated in {time.perf_counter() - t0:.1f} s)\n"
        )
        runs = {}
        for name in ("newsgold", "newsgold:textee", "newsgold:oneie", "textee", "oneie"):
            runs[name] = run_worker(name, gold, pred)
            print(f"  {name}: {runs[name][0]:.2f} s", file=sys.stderr)
    what = {
        "newsgold": "15 metrics x 4 levels, whole events, nuggets, error causes",
        "newsgold:textee": "--preset textee (6 metrics, sets)",
        "newsgold:oneie": "--preset oneie (4 metrics, any-match)",
        "textee": "compute_E2E_scores: 6 metrics, exact",
        "oneie": "score_graphs: triggers and roles, exact",
    }
    base = runs["textee"][0]
    print("| scorer | what | wall time (s) | peak memory growth (MB) | time / TextEE's |")
    print("|---|---|---:|---:|---:|")
    for name, (wall, mem, _) in runs.items():
        print(f"| {name} | {what[name]} | {wall:.2f} | {mem:.0f} | {wall / base:.2f} |")
    print()
    ok = True
    for preset, ref_name in (("newsgold:textee", "textee"), ("newsgold:oneie", "oneie")):
        ours, ref = runs[preset][2], runs[ref_name][2]
        for metric, r in ref.items():
            tp, ng, np_, _ = ours[metric]["exact"]
            same = (round(tp), ng, np_) == (r["match_num"], r["gold_num"], r["pred_num"])
            ok &= same
            print(
                f"{preset} {metric}: ({round(tp)}, {ng}, {np_}) vs {ref_name} "
                f"({r['match_num']}, {r['gold_num']}, {r['pred_num']}): {'agree' if same else 'DIFFER'}"
            )
    ours, ref = runs["newsgold"][2], runs["textee"][2]
    for metric, r in ref.items():
        tp, ng, np_, f1 = ours[metric]["exact"]
        print(
            f"newsgold one-to-one {metric} exact: tp {tp:.0f} / gold {ng} / pred {np_} (F1 {f1:.4f}) "
            f"vs TextEE sets {r['match_num']} / {r['gold_num']} / {r['pred_num']}"
        )
    lv = ours["Event-Arg-C"]
    print(
        "newsgold Event-Arg-C F1 by level: " + ", ".join(f"{k} {v[3]:.4f}" for k, v in lv.items())
    )
    print(f"\npeak memory growth is compared with the input files' {size:.1f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

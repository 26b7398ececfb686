"""Event-layer inter-annotator agreement: triggers, arguments, realis, in two event views.

`newsgold agreement` gives exact-match F1 per layer; this script adds the event levels that
a blind double annotation of events needs, until the event scorer has them:

* ``trigger_overlap``: triggers aligned one-to-one when their spans share a character
  (the TAC KBP EvmEval "span overlap" notion, without its Dice weighting), label-blind;
* ``trigger_type``: aligned pairs whose event type (label) is also equal;
* ``arg_span_<layer>`` / ``arg_head_<layer>``: arguments of type-matched triggers whose
  role and filler span (or filler head: ``head_start``/``head_end`` of an entity mention,
  the span itself for timexes and values) are equal, per role layer: ``ere`` (bare roles)
  and ``plover`` (``PLOVER.``-qualified roles), never pooled (guidelines 7.5);
* ``realis`` / ``polarity`` / ``plover``: among type-matched trigger pairs, the share with
  the same attribute value (percent agreement, and Cohen's kappa for realis).

Every F1 is symmetric, ``2 m / (|A| + |B|)`` with ``m`` the one-to-one matches, so it needs
no reference side (Hripcsak and Rothschild 2005). Alignment goes through
:mod:`newsgold.match` (optimal one-to-one; same type preferred over a different type).

Views (guidelines 7.6): ``ere`` keeps every event mention, as Rich ERE counts them;
``content`` drops attribution-only speech events (``attrs.attribution: true``) and their
arguments, from both sides.

Usage::

    python scripts/iaa_events.py A.jsonl B.jsonl [C.jsonl ...] [--view ere|content] [--json]
    python scripts/iaa_events.py --views annotations/gold.jsonl   # events per view

Files are Prodigy JSONL (one task per document); documents are paired by ``doc_id`` and
counts are summed over the documents both files annotate.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import numpy as np

from newsgold.errors import NewsgoldError
from newsgold.match import SpanArrays, align, overlap_pairs
from newsgold.model import ENTITY, TRIGGER, Annotation, Mention

VIEWS = ("ere", "content")
PLOVER_PREFIX = "PLOVER."
F1_LEVELS = (
    "trigger_overlap",
    "trigger_type",
    "arg_span_ere",
    "arg_head_ere",
    "arg_span_plover",
    "arg_head_plover",
)
ATTRS = ("realis", "polarity", "plover")


def in_view(trigger: Mention, view: str) -> bool:
    """Whether an event mention belongs to an event view (``ere``: all; ``content``: all but
    attribution-only speech events)."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; one of {', '.join(VIEWS)}")
    return view == "ere" or trigger.attrs.get("attribution") is not True


def _triggers(ann: Annotation, view: str) -> list[Mention]:
    return sorted(
        (m for m in ann.mentions if m.kind == TRIGGER and in_view(m, view)),
        key=lambda m: (m.start, m.end, m.label),
    )


def _head(m: Mention) -> tuple[int, int]:
    if m.kind == ENTITY and m.head_start is not None and m.head_end is not None:
        return (m.head_start, m.head_end)
    return (m.start, m.end)


def align_triggers(a: list[Mention], b: list[Mention]) -> list[tuple[int, int]]:
    """One-to-one pairs (index in ``a``, index in ``b``) of overlapping triggers, preferring
    pairs of the same event type (credit 2) over overlapping ones of another type (1).

    >>> from newsgold.model import Mention
    >>> a = [Mention(0, 4, "Contact.Meet", "trigger"), Mention(10, 14, "REQUEST", "trigger")]
    >>> b = [Mention(2, 4, "Contact.Meet", "trigger"), Mention(20, 24, "REQUEST", "trigger")]
    >>> align_triggers(a, b)
    [(0, 0)]
    """
    if not a or not b:
        return []
    labels = {lab: i for i, lab in enumerate(sorted({m.label for m in a + b}))}

    def arrays(ms: list[Mention]) -> SpanArrays:
        return SpanArrays.from_lists(
            [0] * len(ms), [m.start for m in ms], [m.end for m in ms],
            [labels[m.label] for m in ms],
        )  # fmt: skip

    sa, sb = arrays(a), arrays(b)
    cand = overlap_pairs(sa, sb)
    credit = np.where(sa.label[cand.gold] == sb.label[cand.pred], 2, 1)
    chosen = align(cand, credit, len(a), len(b))
    return sorted(zip(chosen.gold.tolist(), chosen.pred.tolist(), strict=True))


def _args(ann: Annotation, trigger: Mention, layer: str, head: bool) -> Counter:
    out: Counter = Counter()
    for ev in ann.events:
        if ev.trigger is not trigger:
            continue
        for arg in ev.arguments:
            is_plover = arg.role.startswith(PLOVER_PREFIX)
            if is_plover == (layer == "plover"):
                span = _head(arg.mention) if head else (arg.mention.start, arg.mention.end)
                out[(arg.role, span)] += 1
    return out


def _kappa(x: list[str], y: list[str]) -> float | None:
    """Cohen's kappa of two label sequences (None when undefined: fewer than one pair, or
    both annotators used a single, identical label throughout)."""
    if not x:
        return None
    if len(set(x) | set(y)) < 2:
        return None
    from sklearn.metrics import cohen_kappa_score  # lazy: only this number needs it

    return float(cohen_kappa_score(x, y))


def document_counts(a: Annotation, b: Annotation, view: str = "ere") -> dict:
    """Raw counts of one document pair: per F1 level ``{"a", "b", "matched"}``, and per
    attribute the value pairs of the type-matched triggers."""
    ta, tb = _triggers(a, view), _triggers(b, view)
    pairs = align_triggers(ta, tb)
    typed = [(i, j) for i, j in pairs if ta[i].label == tb[j].label]
    out: dict = {
        "trigger_overlap": {"a": len(ta), "b": len(tb), "matched": len(pairs)},
        "trigger_type": {"a": len(ta), "b": len(tb), "matched": len(typed)},
    }
    partner = dict(typed)
    for layer in ("ere", "plover"):
        for head in (False, True):
            key = f"arg_{'head' if head else 'span'}_{layer}"
            na = sum(sum(_args(a, t, layer, head).values()) for t in ta)
            nb = sum(sum(_args(b, t, layer, head).values()) for t in tb)
            m = sum(
                sum((_args(a, ta[i], layer, head) & _args(b, tb[j], layer, head)).values())
                for i, j in partner.items()
            )
            out[key] = {"a": na, "b": nb, "matched": m}
    out["attr_pairs"] = {
        name: [(str(ta[i].attrs.get(name)), str(tb[j].attrs.get(name))) for i, j in typed]
        for name in ATTRS
    }
    return out


def summarise(counts: list[dict]) -> dict:
    """Pool document counts (micro) and compute F1, percent agreement and kappa."""
    out: dict = {}
    for level in F1_LEVELS:
        a = sum(c[level]["a"] for c in counts)
        b = sum(c[level]["b"] for c in counts)
        m = sum(c[level]["matched"] for c in counts)
        out[level] = {"a": a, "b": b, "matched": m, "f1": 2 * m / (a + b) if a + b else 1.0}
    for name in ATTRS:
        pairs = [p for c in counts for p in c["attr_pairs"][name]]
        same = sum(x == y for x, y in pairs)
        row = {"pairs": len(pairs), "same": same, "agreement": same / len(pairs) if pairs else None}
        if name == "realis":
            row["kappa"] = _kappa([x for x, _ in pairs], [y for _, y in pairs])
        out[name] = row
    return out


def agreement(a: dict[str, Annotation], b: dict[str, Annotation], view: str = "ere") -> dict:
    """Event agreement of two annotation sets (doc_id -> Annotation), pooled over the
    documents both annotated.

    >>> from newsgold.model import Document, Mention
    >>> doc = Document("d", "They met and talked.")
    >>> x = Annotation(doc, [Mention(5, 8, "Contact.Meet", "trigger", attrs={"realis": "ACTUAL"})])
    >>> y = Annotation(doc, [Mention(5, 8, "Contact.Meet", "trigger", attrs={"realis": "OTHER"})])
    >>> r = agreement({"d": x}, {"d": y})
    >>> r["trigger_type"]["f1"], r["realis"]["agreement"]
    (1.0, 0.0)
    """
    docs = sorted(set(a) & set(b))
    return summarise([document_counts(a[d], b[d], view) for d in docs])


def view_counts(ann: Annotation) -> dict[str, int]:
    """Event mentions and arguments per view of one annotation."""
    out = {}
    for view in VIEWS:
        ts = {id(t) for t in _triggers(ann, view)}
        evs = [e for e in ann.events if id(e.trigger) in ts]
        out[f"events_{view}"] = len(evs)
        out[f"arguments_{view}"] = sum(len(e.arguments) for e in evs)
    out["attribution_only"] = out["events_ere"] - out["events_content"]
    return out


def _load(path: str) -> dict[str, Annotation]:
    from newsgold.corpus.stats import load_annotations

    return {ann.doc_id: ann for ann in load_annotations(path)}


def _table(names: list[str], results: dict[tuple[str, str], dict]) -> str:
    pairs = list(results)
    head = "| level | " + " | ".join(f"{x} vs {y}" for x, y in pairs) + " |"
    rows = [head, "|---|" + "---:|" * len(pairs)]
    for level in F1_LEVELS:
        cells = [
            f"{r[level]['f1']:.3f} ({r[level]['matched']}/{r[level]['a']}/{r[level]['b']})"
            for r in results.values()
        ]
        rows.append(f"| {level} | " + " | ".join(cells) + " |")
    for name in ATTRS:
        cells = []
        for r in results.values():
            row = r[name]
            if row["agreement"] is None:
                cells.append("–")
                continue
            cell = f"{row['agreement']:.3f} ({row['same']}/{row['pairs']})"
            if name == "realis":
                k = row["kappa"]
                cell += f", κ {k:.3f}" if k is not None else ", κ –"
            cells.append(cell)
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="Prodigy JSONL annotation files")
    parser.add_argument("--view", choices=VIEWS, default="content")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--views", action="store_true", help="print events per view and stop")
    args = parser.parse_args(argv)
    try:
        loaded = {f: _load(f) for f in args.files}
    except NewsgoldError as exc:
        for p in exc.problems:
            print(f"error: {p}", file=sys.stderr)
        return 1
    if args.views:
        counts = {}
        for f, anns in loaded.items():
            per_doc = [view_counts(a) for a in anns.values()]
            counts[f] = {k: sum(c[k] for c in per_doc) for k in (per_doc[0] if per_doc else {})}
        print(json.dumps(counts, indent=2) if args.json else "\n".join(
            f"{f}: " + ", ".join(f"{k} {v}" for k, v in c.items()) for f, c in counts.items()
        ))  # fmt: skip
        return 0
    if len(args.files) < 2:
        print("error: agreement needs at least two files", file=sys.stderr)
        return 1
    names = [Path(f).stem for f in args.files]
    results = {
        (names[i], names[j]): agreement(loaded[args.files[i]], loaded[args.files[j]], args.view)
        for i, j in combinations(range(len(args.files)), 2)
    }
    if args.json:
        print(json.dumps({f"{x} vs {y}": r for (x, y), r in results.items()}, indent=2))
    else:
        print(f"event view: {args.view}; cells: F1 (matched / in A / in B)")
        print(_table(names, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Why each argument was lost: one cause per missed gold and per spurious predicted argument.

The causes explain the headline in-frame argument score (``Event-Arg-C`` at the exact level,
:mod:`newsgold.metrics.events`): a gold argument is *missed* and a predicted one *spurious*
when that alignment leaves it unpaired, so the table adds up to ``n_gold - tp`` and
``n_pred - tp``. Each row gets the first cause that applies, in this order:

missed gold argument

1. ``trigger missed``: its event is aligned to no predicted event;
2. ``trigger mistyped``: aligned to a predicted event of another type;
3. ``role confusion``: the aligned event has the same span under another role;
4. ``boundary error``: the aligned event has the role on an overlapping span;
5. ``coreferent mention``: the aligned event has the role on another mention of the
   same entity;

(3-5 look only at the aligned event's arguments that are not credited themselves);
6. ``attached to another event``: another predicted event has this span in this role;
7. ``argument missed``: none of these.

spurious predicted argument

1. ``spurious trigger``: its event is aligned to no gold event;
2. ``trigger mistyped``;
3. ``duplicate``: a credited argument of the same event has the same role and the same
   span or gold entity;
4. ``role confusion``, 5. ``boundary error``, 6. ``coreferent mention`` (against the aligned
   gold event's arguments);
7. ``attached to another event``: another gold event has this span in this role;
8. ``not in the text``: the span overlaps no gold mention at all (nothing the gold marks is
   there: an invented or misplaced argument);
9. ``spurious argument``: none of these.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from newsgold.match import SpanArrays, equal_pairs, overlap_pairs
from newsgold.metrics.event_items import Side, Vocab
from newsgold.metrics.events import Aligned, _split_groups
from newsgold.model import Document

MISSED_CAUSES = (
    "trigger missed",
    "trigger mistyped",
    "role confusion",
    "boundary error",
    "coreferent mention",
    "attached to another event",
    "argument missed",
)
SPURIOUS_CAUSES = (
    "spurious trigger",
    "trigger mistyped",
    "duplicate",
    "role confusion",
    "boundary error",
    "coreferent mention",
    "attached to another event",
    "not in the text",
    "spurious argument",
)


def _by_event(ev: np.ndarray, n_events: int) -> list:
    """The argument rows of each event (rows are grouped by event, in event order)."""
    ev = np.asarray(ev, np.int64)
    if len(ev) > 1 and not np.all(ev[1:] >= ev[:-1]):  # not grouped: collect them
        out: list[list[int]] = [[] for _ in range(n_events)]
        for i, e in enumerate(ev.tolist()):
            out[e].append(i)
        return out
    cut = np.searchsorted(ev, np.arange(n_events + 1)).tolist()
    return [range(a, b) for a, b in zip(cut[:-1], cut[1:])]


def _against(i: int, a: dict, others: list[int], b: dict, free: list[bool]) -> str | None:
    """Cause 'role confusion' / 'boundary error' / 'coreferent mention' of row ``i`` of
    ``a`` against the rows ``others`` of ``b`` (the aligned event's arguments) that are
    not credited themselves (``free``)."""
    s, e, r, ent = int(a["s"][i]), int(a["e"][i]), int(a["role"][i]), int(a["ent"][i])
    others = [j for j in others if free[j]]
    for j in others:
        if int(b["s"][j]) == s and int(b["e"][j]) == e and int(b["role"][j]) != r:
            return "role confusion"
    for j in others:
        if int(b["role"][j]) == r and max(s, int(b["s"][j])) < min(e, int(b["e"][j])):
            return "boundary error"
    if ent >= 0:
        for j in others:
            if int(b["role"][j]) == r and int(b["ent"][j]) == ent:
                return "coreferent mention"
    return None


def _elsewhere(gold: Side, pred: Side, p2g: np.ndarray, g2p: np.ndarray):
    """Per gold argument: does a predicted event other than its aligned one carry the same
    (role, span)? Per predicted argument: does a gold event other than its aligned one?"""
    ga, pa = gold.arg, pred.arg
    gk, pk = _split_groups(
        [ga["doc"], ga["role"], ga["s"], ga["e"]], [pa["doc"], pa["role"], pa["s"], pa["e"]]
    )
    pairs = equal_pairs(gk, pk)
    g_ev, p_ev = ga["ev"][pairs.gold], pa["ev"][pairs.pred]
    not_aligned_g = g2p[g_ev] != p_ev if len(g2p) else np.ones(len(pairs), bool)
    not_aligned_p = p2g[p_ev] != g_ev if len(p2g) else np.ones(len(pairs), bool)
    og = np.bincount(pairs.gold[not_aligned_g], minlength=len(ga["doc"])) > 0
    op = np.bincount(pairs.pred[not_aligned_p], minlength=len(pa["doc"])) > 0
    return og.tolist(), op.tolist()


def _in_text(pred: Side, gold_mentions: list[list[tuple[int, int]]]) -> list[bool]:
    """Per predicted argument: does its span overlap any gold mention of its document?"""
    docs = np.repeat(np.arange(len(gold_mentions)), [len(x) for x in gold_mentions])
    se = np.array([x for spans in gold_mentions for x in spans], np.int64).reshape(-1, 2)
    pa = pred.arg
    gold = SpanArrays(docs.astype(np.int64), se[:, 0], se[:, 1], np.zeros(len(docs), np.int64))
    p = SpanArrays(pa["doc"], pa["s"], pa["e"], np.zeros_like(pa["doc"]))
    pairs = overlap_pairs(gold, p)
    return (np.bincount(pairs.pred, minlength=len(pa["doc"])) > 0).tolist()


def argument_causes(
    gold: Side,
    pred: Side,
    p2g: np.ndarray,
    g2p: np.ndarray,
    inframe: Aligned,
    gold_mentions: list[list[tuple[int, int]]],
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """``(gold row, cause)`` for every missed and ``(pred row, cause)`` for every spurious
    argument of the exact in-frame alignment ``inframe``. ``gold_mentions[d]`` holds the
    (start, end) of every gold mention of document ``d`` (for ``not in the text``)."""
    # plain Python lists: element access on numpy arrays is slow in these loops
    cols = ("doc", "ev", "s", "e", "role", "ent")
    ga = {c: gold.arg[c].tolist() for c in cols}
    pa = {c: pred.arg[c].tolist() for c in cols}
    k = inframe.chosen[inframe.score[inframe.chosen] > 0]
    hit_g_arr = np.zeros(len(ga["doc"]), bool)
    hit_p_arr = np.zeros(len(pa["doc"]), bool)
    hit_g_arr[inframe.cand.gold[k]] = True
    hit_p_arr[inframe.cand.pred[k]] = True
    hit_p = hit_p_arr.tolist()
    free_g, free_p = (~hit_g_arr).tolist(), (~hit_p_arr).tolist()
    g_ev = _by_event(gold.arg["ev"], len(gold.ev["doc"]))
    p_ev = _by_event(pred.arg["ev"], len(pred.ev["doc"]))
    g_type, p_type = gold.ev["type"].tolist(), pred.ev["type"].tolist()
    other_g, other_p = _elsewhere(gold, pred, p2g, g2p)
    in_text = _in_text(pred, gold_mentions)
    g2p, p2g = g2p.tolist(), p2g.tolist()
    missed = []
    for i in np.flatnonzero(~hit_g_arr).tolist():
        ev = int(ga["ev"][i])
        pe = int(g2p[ev]) if len(g2p) else -1
        if pe < 0:
            cause = "trigger missed"
        elif p_type[pe] != g_type[ev]:
            cause = "trigger mistyped"
        else:
            cause = _against(i, ga, p_ev[pe], pa, free_p)
            if cause is None:
                cause = "attached to another event" if other_g[i] else "argument missed"
        missed.append((i, cause))
    spurious = []
    for i in np.flatnonzero(~hit_p_arr).tolist():
        ev = int(pa["ev"][i])
        ge = int(p2g[ev]) if len(p2g) else -1
        s, e, r, ent = int(pa["s"][i]), int(pa["e"][i]), int(pa["role"][i]), int(pa["ent"][i])
        if ge < 0:
            cause = "spurious trigger"
        elif g_type[ge] != p_type[ev]:
            cause = "trigger mistyped"
        elif any(
            hit_p[j]
            and int(pa["role"][j]) == r
            and (
                (int(pa["s"][j]), int(pa["e"][j])) == (s, e)
                or (ent >= 0 and int(pa["ent"][j]) == ent)
            )
            for j in p_ev[ev]
            if j != i
        ):
            cause = "duplicate"
        else:
            cause = _against(i, pa, g_ev[ge], ga, free_g)
            if cause is None:
                if other_p[i]:
                    cause = "attached to another event"
                elif not in_text[i]:
                    cause = "not in the text"
                else:
                    cause = "spurious argument"
        spurious.append((i, cause))
    return missed, spurious


def cause_table(
    missed: list[tuple[int, str]], spurious: list[tuple[int, str]], gold: Side, pred: Side
) -> dict[str, dict[int, Counter]]:
    """Cause counts per document index: ``{"missed": {doc: Counter}, "spurious": ...}``."""
    out: dict[str, dict[int, Counter]] = {"missed": {}, "spurious": {}}
    for rows, side, name in ((missed, gold, "missed"), (spurious, pred, "spurious")):
        docs = side.arg["doc"].tolist()  # Python ints: numpy scalars are slow to index
        per_doc = out[name]
        for i, cause in rows:
            d = docs[i]
            if d not in per_doc:
                per_doc[d] = Counter()
            per_doc[d][cause] += 1
    return out


def error_rows(rows, side: Side, outcome: str, docs: list[Document], types: Vocab) -> list[dict]:
    """One report row (document, cause, event type, trigger, role, argument with its
    context) per ``(row, cause)`` of :func:`argument_causes`."""
    names = types.names
    out = []
    for i, cause in rows:
        d, m, role = side.arg_ref[i]
        trig = side.ev_ref[int(side.arg["ev"][i])][1]
        text = docs[d].text
        out.append(
            {
                "doc_id": docs[d].doc_id,
                "outcome": outcome,
                "cause": cause,
                "event_type": names[int(side.arg["type"][i])],
                "trigger": {
                    "start": trig.start,
                    "end": trig.end,
                    "text": text[trig.start : trig.end],
                },
                "role": role,
                "argument": {"start": m.start, "end": m.end, "text": text[m.start : m.end]},
                "left": text[max(0, m.start - 40) : m.start],
                "right": text[m.end : m.end + 40],
            }
        )
    return out

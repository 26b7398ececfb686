"""Event metrics: triggers, arguments, whole events and attributes, at every matching level.

Each metric is defined here once, beside the reference it follows; every alignment goes
through :mod:`newsgold.match`. Inputs are the flat arrays of
:mod:`newsgold.metrics.event_items` (one chunk of documents); outputs are per-unit count
arrays ``[unit, label, channel]`` in the channels of :mod:`newsgold.metrics.counts`
(``correct`` = credit under the gold event type, ``correct_pred`` = the same credit under the
predicted type, ``n_gold``, ``n_pred``), so that micro/macro averages, bootstrap intervals
and paired tests are sums of them. Credit may be fractional (the overlap level).

**Metrics** (TextEE names, ``TextEE/scorer.py``, ej0cl6/TextEE @db8a95e):

=========  ===========================================================
``Trig-I``  trigger span
``Trig-C``  trigger span + event type
``Arg-I``   (event type, argument span); the trigger is *not* part of it
``Arg-C``   (event type, argument span, role)
``Arg-I+``  (trigger span, event type, argument span)
``Arg-C+``  (trigger span, event type, argument span, role)
=========  ===========================================================

TextEE counts Python sets (duplicates collapse) and OneIE counts any-match hits (recall can
exceed 1); here every metric is a **one-to-one** optimal alignment of gold and predicted
items (multiset counting at the exact level), so TP <= min(n_gold, n_pred). The presets of
:mod:`newsgold.metrics.event_presets` reproduce both references exactly.

**Matching levels**, each the previous one relaxed (so exact <= head <= overlap <= coref):

* ``exact``: the spans are equal;
* ``head``: equal spans, or equal heads (:class:`~newsgold.metrics.event_items.HeadRule`);
* ``overlap``: credit 1 where ``head`` credits, else the Dice coefficient over characters
  ``2|g ∩ s| / (|g| + |s|)``, as fractional credit (TAC KBP EvmEval ``scorer_v1.8.py``);
* ``coref`` (arguments): credit 1 where the predicted argument is a mention (extent or head)
  of the gold argument's entity, else the overlap credit. Items stay mentions on both sides
  and the alignment is one-to-one, so several predicted mentions of one entity earn one
  credit per gold (event, role) slot and the others are false positives (``duplicate``);
  a prediction that is no gold mention cannot align by entity and counts in n_pred (it is
  never discarded, unlike TAC KBP EAL). Triggers have no coref level (hoppers do not
  relax a trigger): their coref numbers are the overlap ones.

For ``Arg-I+``/``Arg-C+`` the trigger part is matched at the same level: equal trigger
spans (exact), equal spans or heads (head), overlapping triggers (overlap, coref).

**Whole events** (``Event-*``, the headline; no reference scorer has it): predicted and gold
events of a document are aligned one to one by the Hungarian algorithm on pairs with
overlapping triggers, maximising, in order, equal event type, the number of arguments both
give exactly (role and span), and trigger Dice. ``Event-C`` credits aligned pairs of one
type; ``Event-Arg-I``/``Event-Arg-C`` score the arguments *inside* aligned pairs of one type
(span, or span and role), at every level (the alignment maximises ``Event-Arg-C``; the
role-blind ``Event-Arg-I`` is read inside that same alignment, so unlike every other
metric it can lose recall when a correct prediction is added); an argument of an unaligned or mistyped event
earns nothing. ``Arg-C|trig`` is ``Arg-C`` over the events whose trigger and type the system
got exactly right (both sides restricted to those pairs): the argument score "given gold
triggers" that one end-to-end run can measure.

**Attributes** (``Nugget-*``, TAC KBP EvmEval): triggers aligned by Dice with fractional
credit, the alignment restricted to pairs agreeing on the attributes: ``plain``, ``type``,
``realis``, ``type+realis``, ``polarity``. A gold attribute that is not annotated agrees
with anything (EvmEval's ``NOT_ANNOTATED``). EvmEval maps greedily (``get_tp_greedy``);
we align optimally by default and greedily with ``greedy=True``.
"""

from __future__ import annotations

import numpy as np

from newsgold.match import (
    Pairs,
    SpanArrays,
    align,
    align_scores,
    dice,
    equal_pairs,
    greedy_align,
    overlap_pairs,
)
from newsgold.metrics.event_align import (  # noqa: F401  (re-exported: the public names)
    LEVELS,
    Aligned,
    _align_levels,
    _candidates,
    _nonneg,
    _split_groups,
    _trigger_gate,
    count_array,
    group_ids,
    level_credits,
    restrict,
)
from newsgold.metrics.event_items import Side

TRIGGER_METRICS = ("Trig-I", "Trig-C")
ARGUMENT_METRICS = ("Arg-I", "Arg-C", "Arg-I+", "Arg-C+")
EVENT_METRICS = ("Event-C", "Event-Arg-I", "Event-Arg-C", "Arg-C|trig")
NUGGET_ATTRS = {
    "plain": (),
    "type": ("type",),
    "realis": ("realis",),
    "type+realis": ("type", "realis"),
    "polarity": ("polarity",),
}


def trigger_alignments(gold: Side, pred: Side) -> dict[str, dict[str, Aligned]]:
    """``Trig-I`` and ``Trig-C`` at every level."""
    g, p = gold.ev, pred.ev
    ng, np_ = len(g["doc"]), len(p["doc"])
    out = {}
    span, head = ("ts", "te"), ("ths", "the")
    for name, gk, pk in (
        ("Trig-I", g["doc"], p["doc"]),
        ("Trig-C", *_split_groups([g["doc"], g["type"]], [p["doc"], p["type"]])),
    ):
        cand = _candidates(gk, pk, g, p, span=span, head=head, entity=False)
        credits = level_credits(cand, g, p, span=span, head=head, entity=False)
        keys = _split_groups([gk, g["ts"], g["te"]], [pk, p["ts"], p["te"]])
        out[name] = _align_levels(cand, credits, ng, np_, exact_keys=keys)
    return out


def argument_alignments(
    gold: Side, pred: Side, g_key=None, p_key=None, metrics=ARGUMENT_METRICS
) -> dict[str, dict[str, Aligned]]:
    """The argument metrics at every level. ``g_key``/``p_key`` (optional) replace the
    (document, event type) part of the key, e.g. by an aligned event pair."""
    g, p = gold.arg, pred.arg
    ng, np_ = len(g["doc"]), len(p["doc"])
    base_g = g_key if g_key is not None else group_ids(g["doc"], g["type"])
    base_p = p_key if p_key is not None else None
    if base_p is None:
        base_g, base_p = _split_groups([g["doc"], g["type"]], [p["doc"], p["type"]])
    out = {}
    shared: dict[bool, tuple] = {}  # Arg-I and Arg-I+ (Arg-C, Arg-C+) share candidates
    for name in metrics:
        classed = name.startswith("Arg-C") or name.endswith("-C")
        if classed not in shared:
            if classed:
                gk, pk = _split_groups([base_g, g["role"]], [base_p, p["role"]])
                gk = np.where(base_g >= 0, gk, -1)
                pk = np.where(base_p >= 0, pk, -2)
            else:
                gk, pk = base_g, np.where(base_p >= 0, base_p, -2)
            gk = _nonneg(gk, offset=0)
            pk = _nonneg(pk, offset=int(gk.max(initial=0)) + 1)
            cand = _candidates(gk, pk, g, p, entity=True)
            shared[classed] = (gk, pk, cand, level_credits(cand, g, p, entity=True), [])
        gk, pk, cand, credits, memo = shared[classed]
        plus = name.endswith("+")
        gate = _trigger_gate(cand, g, p) if plus else None
        cols = ("s", "e", "ts", "te") if plus else ("s", "e")
        keys = _split_groups([gk, *(g[c] for c in cols)], [pk, *(p[c] for c in cols)])
        out[name] = _align_levels(cand, credits, ng, np_, gate, exact_keys=keys, memo=memo)
    return out


def event_alignment(gold: Side, pred: Side) -> tuple[np.ndarray, np.ndarray]:
    """Whole events aligned one to one (Hungarian on overlapping triggers; most equal
    types, then most exactly shared arguments, then trigger Dice). Returns the gold index
    of each predicted event (-1: unaligned) and the predicted index of each gold event."""
    g, p = gold.ev, pred.ev
    ng, np_ = len(g["doc"]), len(p["doc"])
    g2p = np.full(ng, -1, np.int64)
    p2g = np.full(np_, -1, np.int64)
    if ng == 0 or np_ == 0:
        return p2g, g2p
    cand = overlap_pairs(
        SpanArrays(g["doc"], g["ts"], g["te"], g["type"]),
        SpanArrays(p["doc"], p["ts"], p["te"], p["type"]),
    )
    if len(cand) == 0:
        return p2g, g2p
    same_type = (g["type"][cand.gold] == p["type"][cand.pred]).astype(np.int64)
    # arguments both events give exactly: join argument rows on (doc, role, span)
    ga, pa = gold.arg, pred.arg
    gk, pk = _split_groups(
        [ga["doc"], ga["role"], ga["s"], ga["e"]], [pa["doc"], pa["role"], pa["s"], pa["e"]]
    )
    joined = equal_pairs(gk, pk)
    shared = np.zeros(len(cand), np.int64)
    if len(joined):
        ev_pairs = np.unique(
            np.stack([ga["ev"][joined.gold], pa["ev"][joined.pred], gk[joined.gold]], 1), axis=0
        )
        code = ev_pairs[:, 0] * np_ + ev_pairs[:, 1]
        cc = cand.gold * np_ + cand.pred
        order = np.argsort(cc)
        pos = np.searchsorted(cc[order], code)
        ok = (pos < len(cc)) & (cc[order][np.minimum(pos, len(cc) - 1)] == code)
        np.add.at(shared, order[pos[ok]], 1)
    d = np.rint(1000 * dice(cand, g["te"] - g["ts"], p["te"] - p["ts"])).astype(np.int64)
    step = 1001
    big = step * (int(shared.max(initial=0)) + 2)
    credit = same_type * big + shared * step + d + 1
    chosen = align(cand, credit, ng, np_)
    g2p[chosen.gold] = chosen.pred
    p2g[chosen.pred] = chosen.gold
    return p2g, g2p


def event_alignments(gold: Side, pred: Side, p2g: np.ndarray):
    """``Event-C`` (one level) and the in-frame argument metrics at every level."""
    g, p = gold.ev, pred.ev
    typed = np.zeros(len(p2g), bool)
    if len(g["type"]):
        typed = (p2g >= 0) & (p["type"] == g["type"][np.maximum(p2g, 0)])
    # Event-C: aligned pairs of one type; credit 1
    pi = np.flatnonzero(typed)
    cand = Pairs(p2g[pi], pi, np.zeros(len(pi), np.int64))
    ev_c = Aligned(cand, np.ones(len(pi)), np.arange(len(pi)))
    out: dict[str, dict[str, Aligned]] = {"Event-C": {lv: ev_c for lv in LEVELS}}
    # in-frame arguments: the key is the gold event (for predictions: the gold event their
    # event is aligned to, when the types agree)
    frame_p = np.where(typed, p2g, -1)
    inframe = argument_alignments(
        gold,
        pred,
        g_key=gold.arg["ev"],
        p_key=frame_p[pred.arg["ev"]] if len(pred.arg["ev"]) else np.empty(0, np.int64),
        metrics=("Event-Arg-I", "Event-Arg-C"),
    )
    out.update(inframe)
    # Arg-C|trig: the aligned pairs whose trigger span and type are exactly right
    ok = typed.copy()
    if ok.any():
        gi = p2g[ok]
        ok[ok] = (g["ts"][gi] == p["ts"][ok]) & (g["te"][gi] == p["te"][ok])
    right_g = np.full(len(g["doc"]), -1, np.int64)
    right_p = np.full(len(p["doc"]), -1, np.int64)
    right_g[p2g[ok]] = p2g[ok]
    right_p[ok] = p2g[ok]
    keep_g = right_g[gold.arg["ev"]] if len(gold.arg["ev"]) else np.empty(0, np.int64)
    keep_p = right_p[pred.arg["ev"]] if len(pred.arg["ev"]) else np.empty(0, np.int64)
    out["Arg-C|trig"] = argument_alignments(
        gold, pred, g_key=keep_g, p_key=keep_p, metrics=("Event-Arg-C",)
    )["Event-Arg-C"]
    return out, keep_g >= 0, keep_p >= 0


def nugget_alignments(gold: Side, pred: Side, *, greedy: bool = False) -> dict[str, Aligned]:
    """TAC KBP event nuggets: Dice-credited trigger alignments restricted per attribute set."""
    g, p = gold.ev, pred.ev
    ng, np_ = len(g["doc"]), len(p["doc"])
    cand = overlap_pairs(
        SpanArrays(g["doc"], g["ts"], g["te"], g["type"]),
        SpanArrays(p["doc"], p["ts"], p["te"], p["type"]),
    )
    d = dice(cand, g["te"] - g["ts"], p["te"] - p["ts"])
    out = {}
    for name, attrs in NUGGET_ATTRS.items():
        ok = np.ones(len(cand), bool)
        for a in attrs:
            gv, pv = g[a][cand.gold], p[a][cand.pred]
            ok &= (gv == pv) | (gv < 0)  # gold not annotated: any value agrees
        score = d * ok
        chosen = greedy_align(cand, score) if greedy else align_scores(cand, score, ng, np_)
        out[name] = Aligned(cand, score, chosen)
    return out


def arg_label_arrays(side: Side) -> tuple[np.ndarray, np.ndarray]:
    return side.arg["unit"], side.arg["type"]


def ev_label_arrays(side: Side) -> tuple[np.ndarray, np.ndarray]:
    return side.ev["unit"], side.ev["type"]

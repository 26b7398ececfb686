"""Compatibility presets: the event counts TextEE and OneIE compute, quirks included.

Both key items on token offsets inside a window (TextEE's ``wnd_id``, OneIE's sentence
graph); we key on character offsets inside the sentence of the trigger, which is the same
thing for spans on token boundaries (every span of our corpus). Exact matching only.

``textee`` (``TextEE/scorer.py``, ej0cl6/TextEE @db8a95e, ``compute_E2E_*``): every metric
is P/R/F over Python **sets** of tuples pooled over the corpus, so duplicates collapse (two
same-type events of one window sharing an argument give one ``Arg-I`` tuple):

    Tri-I  (doc, wnd, t_start, t_end)        Tri-C  (+ event type)
    Arg-I  (doc, wnd, type, a_start, a_end)  Arg-C  (+ role)
    Arg-I+ (doc, wnd, t_start, t_end, type, a_start, a_end)   Arg-C+ (+ role)

``oneie`` (``oneie/scorer.py``, GAIA-IE/oneie @9df8cfa, ``score_graphs``, adapted from
DyGIE++): per sentence graph, each predicted trigger counts when *any* gold trigger has its
span (Trig-I), and Trig-C when the *first* such gold trigger (in the gold's order) has its
type; predicted triggers are a list (duplicates count twice). Arguments become a per-graph
set of ``(a_start, a_end, trigger type, role)``; each predicted tuple counts for ``Arg-I``
when any gold tuple shares span and type, and for ``Arg-C`` when one also shares the role.
The numerator of both P and R is that hit count, so an argument predicted under two roles
gives two ``Arg-I`` hits against one gold tuple: **recall can exceed 1**. No ``+`` metrics.

Counts come per unit, like ours (a unit is a document or a sentence, never smaller than a
window, so the sets partition over units and the per-unit counts sum to the references').
"""

from __future__ import annotations

import numpy as np

from newsgold.metrics.counts import CH, CHANNELS
from newsgold.metrics.event_items import Side
from newsgold.metrics.events import group_ids

PRESETS = ("newsgold", "textee", "oneie")

_TEXTEE_KEYS = {
    "Trig-I": ("ev", ("doc", "wnd", "ts", "te")),
    "Trig-C": ("ev", ("doc", "wnd", "ts", "te", "type")),
    "Arg-I": ("arg", ("doc", "wnd", "type", "s", "e")),
    "Arg-C": ("arg", ("doc", "wnd", "type", "s", "e", "role")),
    "Arg-I+": ("arg", ("doc", "wnd", "ts", "te", "type", "s", "e")),
    "Arg-C+": ("arg", ("doc", "wnd", "ts", "te", "type", "s", "e", "role")),
}


def _counts(n_units: int, gold_u, pred_u, tp_g_u, tp_p_u) -> np.ndarray:
    out = np.zeros((n_units, 1, len(CHANNELS)))
    out[:, 0, CH["n_gold"]] = np.bincount(gold_u, minlength=n_units)
    out[:, 0, CH["n_pred"]] = np.bincount(pred_u, minlength=n_units)
    out[:, 0, CH["correct"]] = np.bincount(tp_g_u, minlength=n_units)
    out[:, 0, CH["correct_pred"]] = np.bincount(tp_p_u, minlength=n_units)
    out[:, 0, CH["missed"]] = out[:, 0, CH["n_gold"]] - out[:, 0, CH["correct"]]
    out[:, 0, CH["spurious"]] = out[:, 0, CH["n_pred"]] - out[:, 0, CH["correct_pred"]]
    return out


def textee_counts(gold: Side, pred: Side, n_units: int) -> dict[str, np.ndarray]:
    """TextEE's six E2E metrics as per-unit ``[unit, 1, channel]`` counts."""
    out = {}
    for name, (table, cols) in _TEXTEE_KEYS.items():
        g, p = getattr(gold, table), getattr(pred, table)
        n = len(g["doc"])
        ids = group_ids(*(np.concatenate([g[c], p[c]]) for c in cols))
        units = np.concatenate([g["unit"], p["unit"]])
        gid, g_first = np.unique(ids[:n], return_index=True)
        pid, p_first = np.unique(ids[n:], return_index=True)
        both = np.isin(gid, pid)
        tp_units = units[:n][g_first[both]]
        out[name] = _counts(n_units, units[:n][g_first], units[n:][p_first], tp_units, tp_units)
    return out


def oneie_counts(gold: Side, pred: Side, n_units: int) -> dict[str, np.ndarray]:
    """OneIE's trigger and role scores as per-unit counts (``correct`` = the hit count)."""
    g, p = gold.ev, pred.ev
    ng = len(g["doc"])
    span = group_ids(*(np.concatenate([g[c], p[c]]) for c in ("doc", "wnd", "ts", "te")))
    g_span, p_span = span[:ng], span[ng:]
    # the first gold trigger (gold order) of each span decides Trig-C
    first_type = np.full(int(span.max(initial=-1)) + 1, -1, np.int64)
    # rows in the gold's listing order, reversed: later rows written first, the first wins
    order = np.lexsort((g["pos"], g["doc"]))[::-1]
    first_type[g_span[order]] = g["type"][order]
    has = np.zeros(len(first_type), bool)
    has[g_span] = True
    idn = has[p_span]
    cls = idn & (first_type[p_span] == p["type"])
    out = {
        "Trig-I": _counts(n_units, g["unit"], p["unit"], p["unit"][idn], p["unit"][idn]),
        "Trig-C": _counts(n_units, g["unit"], p["unit"], p["unit"][cls], p["unit"][cls]),
    }
    ga, pa = gold.arg, pred.arg
    na = len(ga["doc"])
    cols = ("doc", "wnd", "s", "e", "type", "role")
    full = group_ids(*(np.concatenate([ga[c], pa[c]]) for c in cols))
    units = np.concatenate([ga["unit"], pa["unit"]])
    gid, g_first = np.unique(full[:na], return_index=True)
    pid, p_first = np.unique(full[na:], return_index=True)
    # span + type key of each distinct tuple
    st = group_ids(*(np.concatenate([ga[c], pa[c]]) for c in cols[:5]))
    g_st = set(st[:na][g_first].tolist())
    p_st = st[na:][p_first]
    arg_idn = np.array([k in g_st for k in p_st.tolist()], bool)
    arg_cls = np.isin(pid, gid)
    pu = units[na:][p_first]
    gu = units[:na][g_first]
    out["Arg-I"] = _counts(n_units, gu, pu, pu[arg_idn], pu[arg_idn])
    out["Arg-C"] = _counts(n_units, gu, pu, pu[arg_cls], pu[arg_cls])
    return out

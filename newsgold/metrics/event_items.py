"""What the event layers score: events and arguments of one role scheme, as flat arrays.

An annotation's events are split into two **role schemes** (``ere``, ``plover``), scored
separately and never pooled, and filtered by an **event view** (``ere``, ``content``):
:mod:`newsgold.metrics.event_schemes` says which events and roles belong where. Heads (the
head matching level) follow :mod:`newsgold.metrics.event_heads`.

Arrays are built for a chunk of documents at once; ``doc`` indexes the chunk, ``unit`` the
bootstrap unit (document, or the sentence holding the trigger).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from newsgold.metrics.event_heads import HeadRule, find_head, parse_heads  # noqa: F401
from newsgold.metrics.event_schemes import (  # noqa: F401  (re-exported: the public names)
    SCHEMES,
    VIEWS,
    RoleSchemes,
    in_view,
)
from newsgold.model import TRIGGER, Annotation, Document, Mention

# --- flat arrays ------------------------------------------------------------------------

EVENT_COLS = ("doc", "pos", "unit", "wnd", "type", "ts", "te", "ths", "the", "realis", "polarity")
ARG_COLS = (
    "doc",
    "unit",
    "wnd",
    "ev",
    "type",
    "role",
    "s",
    "e",
    "hs",
    "he",
    "ent",
    "ts",
    "te",
    "ths",
    "the",
)


@dataclass
class Side:
    """One side (gold or prediction) of a chunk: events and arguments as int64 columns."""

    ev: dict[str, np.ndarray]
    arg: dict[str, np.ndarray]
    # for error rows and reports: (doc index, Mention) per event and per argument
    ev_ref: list[tuple[int, Mention]]
    arg_ref: list[tuple[int, Mention, str]]
    entity_of: list[dict[tuple[int, int], int]] | None = None
    #: per document, the gold's attribution-only trigger spans (``content`` view only)
    ignored: list[list[tuple[int, int]]] | None = None


class Vocab:
    """Strings to dense ints, shared by gold and prediction (``-1`` is "none")."""

    def __init__(self, items: tuple[str, ...] = ()):
        self.index: dict[str, int] = {}
        for x in items:
            self(x)

    def __call__(self, s: str | None) -> int:
        if s is None:
            return -1
        if s not in self.index:
            self.index[s] = len(self.index)
        return self.index[s]

    def ids(self, items: list[str | None]) -> list[int]:
        """``[self(x) for x in items]``, in one pass: new strings get ids in order of first
        appearance, as one call each would give them."""
        index = self.index
        for x in dict.fromkeys(items):
            if x is not None and x not in index:
                index[x] = len(index)
        return [-1 if x is None else index[x] for x in items]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.index)


RawEvent = tuple[Mention, list[tuple[str, Mention]]]


def raw_events(ann: Annotation) -> list[RawEvent]:
    """:attr:`~newsgold.model.Annotation.events` as ``(trigger, [(role, mention), ...])``:
    the same events and arguments in the same order, without building Event objects."""
    args: dict[int, list[tuple[str, Mention]]] = {}
    for rel in ann.relations:
        if rel.head.kind == TRIGGER:
            args.setdefault(id(rel.head), []).append((rel.label, rel.child))
    return [(m, args.get(id(m), [])) for m in ann.mentions if m.kind == TRIGGER]


def _as_raw(evs: list) -> list[RawEvent]:
    """Events given as :class:`~newsgold.model.Event` objects or already raw."""
    if not evs or isinstance(evs[0], tuple):
        return evs
    return [(ev.trigger, [(a.role, a.mention) for a in ev.arguments]) for ev in evs]


def _entity_maps(anns, docs, heads: HeadRule) -> list[dict[tuple[int, int], int]]:
    """Per document, the gold entity of every gold mention's extent and head (its cluster,
    or the mention alone; the first mention listed wins a span)."""
    parsed = heads.parser is not None
    maps = []
    n_ent = 0
    for d, ann in enumerate(anns):
        ent: dict[tuple[int, int], int] = {}
        maps.append(ent)
        if ann is None:
            continue
        ids: dict[str, int] = {}
        for m in ann.mentions:
            if m.kind == TRIGGER:
                continue
            c = m.cluster
            if c is None:
                eid = n_ent
                n_ent += 1
            else:
                eid = ids.get(c, -1)
                if eid < 0:
                    eid = ids[c] = n_ent
                    n_ent += 1
            ent.setdefault((m.start, m.end), eid)
            if m.head_start is not None and m.head_end is not None:
                ent.setdefault((m.head_start, m.head_end), eid)
            elif parsed:
                ent.setdefault(heads.head(m, docs[d]), eid)
    return maps


def _heads(ms: list[Mention], doc_of: list[int], docs, heads: HeadRule):
    """Head starts and ends of mentions (annotated, parsed, or the span)."""
    if not heads.parser:
        hs = [m.start if (h := m.head_start) is None or m.head_end is None else h for m in ms]
        he = [m.end if m.head_start is None or (h := m.head_end) is None else h for m in ms]
        return hs, he
    hs = [m.head_start if m.head_end is not None else None for m in ms]
    he = [m.head_end if m.head_start is not None else None for m in ms]
    for i in [i for i, x in enumerate(hs) if x is None]:
        hs[i], he[i] = heads.head(ms[i], docs[doc_of[i]])
    return hs, he


def _rank(values: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each string's rank in Python's order of the distinct strings, and those strings."""
    names = sorted(set(values))
    order = {v: i for i, v in enumerate(names)}
    return np.fromiter(map(order.__getitem__, values), np.int64, len(values)), names


def _scheme_type(trig: Mention, scheme: str, plover_types) -> str | None:
    """``RoleSchemes.event_types(trig).get(scheme)``."""
    if trig.label in plover_types:
        return trig.label if scheme == "plover" else None
    if scheme == "ere":
        return trig.label
    v = trig.attrs.get("plover")
    return v if isinstance(v, str) else None


def _content_order(trigs: list[Mention], args: list, doc: np.ndarray) -> np.ndarray:
    """Events in content order per document (:func:`_event_key`), ties by listed order:
    a numpy sort on (document, start, end, label), the full key only within ties."""
    start = np.array([t.start for t in trigs], np.int64)
    end = np.array([t.end for t in trigs], np.int64)
    label = _rank([t.label for t in trigs])[0]
    order = np.lexsort((np.arange(len(trigs)), label, end, start, doc))
    if len(order) < 2:
        return order
    cols = [c[order] for c in (doc, start, end, label)]
    same = np.ones(len(order) - 1, bool)
    for c in cols:
        same &= c[1:] == c[:-1]
    if not same.any():
        return order
    out = order.tolist()
    tied = np.flatnonzero(same)
    run_start = tied[np.r_[True, np.diff(tied) > 1]]
    run_end = tied[np.r_[np.diff(tied) > 1, True]] + 2
    for lo, hi in zip(run_start.tolist(), run_end.tolist()):
        run = out[lo:hi]
        out[lo:hi] = sorted(run, key=lambda i: _event_key(trigs[i], args[i])[3:])
    return np.array(out, np.int64)


def build_side(
    anns: list[Annotation | None],
    docs: list[Document],
    sentences: list[np.ndarray],
    unit_base: list[int],
    by_sentence: bool,
    scheme: str,
    *,
    schemes: RoleSchemes,
    view: str,
    heads: HeadRule,
    types: Vocab,
    roles: Vocab,
    attrs: Vocab,
    entity_of: list[dict[tuple[int, int], int]] | None = None,
    events: list[list] | None = None,
    ignored: list[list[tuple[int, int]]] | None = None,
) -> Side:
    """Events and arguments of ``scheme`` in each annotation of a chunk.

    ``sentences[d]`` holds the sentence starts of document ``d``; an event's window
    (``wnd``) is the sentence of its trigger, and its unit ``unit_base[d]`` plus that
    sentence (``by_sentence``) or plus nothing (one unit per document). The gold side
    (``entity_of`` None) records, per document, the gold entity of every gold mention's
    extent and head (``Side.entity_of``: a cluster, or the mention alone); a predicted side
    passes those maps, so that its arguments are resolved to gold entities (an argument
    that is no gold mention gets ``-1``). ``events[d]`` optionally gives document ``d``'s
    events (:class:`~newsgold.model.Event` objects or :func:`raw_events` pairs).

    Rows are in content order (document, then :func:`_event_key`; arguments by
    :func:`_arg_order`), so the alignments' positional tie-breaks depend on content only.
    The columns are built from flat lists in one go: Python touches each mention a few
    times, numpy sorts.
    """
    maps = _entity_maps(anns, docs, heads) if entity_of is None else entity_of
    gold_ignored: list[list[tuple[int, int]]] = [[] for _ in anns]
    plover_types = schemes.plover_roles
    e_doc: list[int] = []
    e_pos: list[int] = []
    e_trig: list[Mention] = []
    e_args: list[list[tuple[str, Mention]]] = []
    for d, ann in enumerate(anns):
        if ann is None:
            continue
        evs = raw_events(ann) if events is None else _as_raw(events[d])
        if view == "content":
            if ignored is None:  # the gold side: its don't-care regions
                gold_ignored[d] = [
                    (t.start, t.end) for t, _ in evs if t.attrs.get("attribution") is True
                ]
            skip = ignored[d] if ignored is not None else ()
            pos = [k for k, (t, _) in enumerate(evs) if in_view(t, view, skip)]
            evs = [evs[k] for k in pos]
        else:
            pos = range(len(evs))
        e_doc += [d] * len(evs)
        e_pos += pos
        e_trig += [t for t, _ in evs]
        e_args += [a for _, a in evs]
    etype = [_scheme_type(t, scheme, plover_types) for t in e_trig]
    keep = [i for i, x in enumerate(etype) if x is not None]
    if len(keep) < len(etype):
        e_doc, e_pos = [e_doc[i] for i in keep], [e_pos[i] for i in keep]
        e_trig, e_args = [e_trig[i] for i in keep], [e_args[i] for i in keep]
        etype = [etype[i] for i in keep]
    doc = np.array(e_doc, np.int64)
    order = _content_order(e_trig, e_args, doc).tolist()
    trigs = [e_trig[i] for i in order]
    ev_doc = doc[order] if len(order) else np.empty(0, np.int64)
    ts = np.fromiter(map(_START, trigs), np.int64, len(trigs))
    te = np.fromiter(map(_END, trigs), np.int64, len(trigs))
    doc_l = ev_doc.tolist()
    ths, the = _heads(trigs, doc_l, docs, heads)
    wnd = _windows(ev_doc, ts, sentences)
    base = np.asarray(unit_base, np.int64)[ev_doc] if len(ev_doc) else np.empty(0, np.int64)
    both = attrs.ids(
        [
            v if isinstance(v := t.attrs.get(name), str) else None
            for t in trigs
            for name in ("realis", "polarity")
        ]
    )
    ev = {
        "doc": ev_doc,
        "pos": np.array([e_pos[i] for i in order], np.int64),
        "unit": base + wnd if by_sentence else base,
        "wnd": wnd,
        "type": np.array(types.ids([etype[i] for i in order]), np.int64),
        "ts": ts,
        "te": te,
        "ths": np.array(ths, np.int64),
        "the": np.array(the, np.int64),
        "realis": np.array(both[0::2], np.int64),
        "polarity": np.array(both[1::2], np.int64),
    }
    ev = {c: ev[c] for c in EVENT_COLS}
    arg = _arguments(order, trigs, e_args, ev, scheme, schemes, maps, docs, heads, roles)
    side = Side(ev, arg, list(zip(doc_l, trigs)), arg.pop("_ref"))
    side.entity_of = maps
    side.ignored = gold_ignored if ignored is None else ignored
    return side


def _windows(doc: np.ndarray, start: np.ndarray, sentences: list[np.ndarray]) -> np.ndarray:
    """The sentence of each trigger: the last sentence starting at or before it (else 0)."""
    starts = {d: sentences[d].tolist() for d in dict.fromkeys(doc.tolist())}
    return np.array(
        [max(bisect_right(starts[d], x) - 1, 0) for d, x in zip(doc.tolist(), start.tolist())],
        np.int64,
    )


def _arguments(order, trigs, e_args, ev, scheme, schemes, maps, docs, heads, roles) -> dict:
    """The argument columns: per event row (in order), its arguments by :func:`_arg_order`,
    those of ``scheme`` only."""
    flat = [x for i in order for x in e_args[i]]
    n = len(flat)
    a_role: list[str] = []
    a_m: list[Mention] = []
    row = np.empty(0, np.int64)
    s_a = e_a = row
    if n:
        a_role, a_m = (list(x) for x in zip(*flat))
        row = np.repeat(np.arange(len(order)), [len(e_args[i]) for i in order])
        s_a = np.fromiter(map(_START, a_m), np.int64, n)
        e_a = np.fromiter(map(_END, a_m), np.int64, n)
        role_rank, role_names = _rank(a_role)
        label_rank = _rank(list(map(_LABEL, a_m)))[0]
        perm = np.lexsort((np.arange(n), label_rank, e_a, s_a, role_rank, row))
        # the scheme of each (event label, role) pair, asked once per distinct pair
        ev_rank, ev_names = _rank([t.label for t in trigs])
        width = len(role_names)
        pairs, inv = np.unique(ev_rank[row] * width + role_rank, return_inverse=True)
        ok = np.array(
            [
                schemes.role_scheme(ev_names[x // width], role_names[x % width]) == scheme
                for x in pairs.tolist()
            ]
        )[inv.reshape(-1)]
        perm = perm[ok[perm]]
        row, s_a, e_a = row[perm], s_a[perm], e_a[perm]
        a_role = [a_role[k] for k in perm.tolist()]
        a_m = [a_m[k] for k in perm.tolist()]
    d_l = ev["doc"][row].tolist()
    hs, he = _heads(a_m, d_l, docs, heads)
    s_l, e_l = s_a.tolist(), e_a.tolist()
    # the gold entity of the extent, else of the head
    ent = [maps[d].get((s, e), -1) for d, s, e in zip(d_l, s_l, e_l)]
    for i in [i for i, x in enumerate(ent) if x < 0]:
        if (hs[i], he[i]) != (s_l[i], e_l[i]):
            ent[i] = maps[d_l[i]].get((hs[i], he[i]), -1)
    out = {
        "doc": ev["doc"][row],
        "unit": ev["unit"][row],
        "wnd": ev["wnd"][row],
        "ev": row,
        "type": ev["type"][row],
        "role": np.array(roles.ids(a_role), np.int64),
        "s": s_a,
        "e": e_a,
        "hs": np.array(hs, np.int64),
        "he": np.array(he, np.int64),
        "ent": np.array(ent, np.int64),
        "ts": ev["ts"][row],
        "te": ev["te"][row],
        "ths": ev["ths"][row],
        "the": ev["the"][row],
    }
    out = {c: out[c] for c in ARG_COLS}
    out["_ref"] = list(zip(d_l, a_m, a_role))
    return out


_START, _END, _LABEL = attrgetter("start"), attrgetter("end"), attrgetter("label")


def _arg_order(a) -> tuple:
    """An argument's content key (an Argument, or a raw ``(role, mention)`` pair)."""
    role, m = (a.role, a.mention) if hasattr(a, "role") else a
    return (role, m.start, m.end, m.label)


def _event_key(t: Mention, args: list) -> tuple:
    """Content order: the alignments' positional tie-breaks then depend on content only."""
    attrs = tuple(sorted((k, str(v)) for k, v in t.attrs.items())) if t.attrs else ()
    return (t.start, t.end, t.label, attrs, tuple(sorted(map(_arg_order, args))))

"""The event arrays are built as before: ``build_side`` against the implementation it
replaced (kept below, verbatim but for its name, as the reference), on random chunks made to
hit every rule: tied triggers (same span and label, different attributes or arguments),
annotated and missing heads, clusters, mentions sharing spans, ERE, PLOVER and unknown
roles, PLOVER labels and attributes, attribution-only events (the content view), triggers
before the first sentence, and documents with no prediction. Everything a Side holds is
compared: every column, the mentions behind each row, the entity maps, the don't-care
regions and the vocabularies' order (which fixes the alignments' tie-breaks)."""

from __future__ import annotations

from bisect import bisect_right

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.metrics.event_items import (
    ARG_COLS,
    EVENT_COLS,
    HeadRule,
    RoleSchemes,
    Side,
    Vocab,
    build_side,
    in_view,
    raw_events,
)
from newsgold.model import TRIGGER, Annotation, Document, Mention, Relation
from newsgold.schema import load_schema

RS = RoleSchemes.from_schema(load_schema())

# --- the implementation before the rewrite (the reference) ------------------------------


def _columns(rows: list[tuple], cols: tuple[str, ...]) -> dict[str, np.ndarray]:
    if not rows:
        return {c: np.empty(0, np.int64) for c in cols}
    arr = np.array(rows, dtype=np.int64).reshape(len(rows), len(cols))
    return {c: arr[:, i] for i, c in enumerate(cols)}


def reference_build_side(
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
    (``entity_of`` None) records, per document, the gold entity of every gold mention's extent and head (``Side.entity_of``: a cluster,
    or the mention alone); a predicted side passes those maps, so that its arguments are
    resolved to gold entities (an argument that is no gold mention gets ``-1``).
    """
    ev_rows, arg_rows, ev_ref, arg_ref = [], [], [], []
    maps: list[dict[tuple[int, int], int]] = []
    gold_ignored: list[list[tuple[int, int]]] = [[] for _ in anns]
    n_ent = 0
    parsed = heads.parser is not None
    scheme_of = schemes.role_scheme
    for d, ann in enumerate(anns):
        doc = docs[d]

        def head(m: Mention, doc: Document = doc) -> tuple[int, int]:
            if m.head_start is not None and m.head_end is not None:
                return (m.head_start, m.head_end)
            return heads.head(m, doc) if parsed else (m.start, m.end)

        if entity_of is None:
            ent: dict[tuple[int, int], int] = {}
            if ann is not None:
                ids: dict[tuple, int] = {}
                for k, m in enumerate(ann.mentions):
                    if m.kind == TRIGGER:
                        continue
                    key = ("c", m.cluster) if m.cluster is not None else ("m", k)
                    if key not in ids:
                        ids[key] = n_ent
                        n_ent += 1
                    ent.setdefault((m.start, m.end), ids[key])
                    ent.setdefault(head(m), ids[key])
            maps.append(ent)
            entity_of_d = ent
        else:
            entity_of_d = entity_of[d]
        if ann is None:
            continue
        starts_l = sentences[d].tolist()
        evs = ann.events if events is None else events[d]
        if ignored is None and view == "content":  # the gold side: its don't-care regions
            gold_ignored[d] = [
                (ev.trigger.start, ev.trigger.end)
                for ev in evs
                if ev.trigger.attrs.get("attribution") is True
            ]
        skip = ignored[d] if ignored is not None else ()
        ordered = []
        for k, ev in enumerate(evs):
            args = sorted(ev.arguments, key=_arg_order)
            ordered.append((_event_key(ev.trigger, args), k, ev, args))
        ordered.sort(key=lambda x: x[0])
        for _, listed, ev, args in ordered:
            trig = ev.trigger
            if not in_view(trig, view, skip):
                continue
            etype = schemes.event_types(trig).get(scheme)
            if etype is None:
                continue
            wnd = max(bisect_right(starts_l, trig.start) - 1, 0)
            unit = unit_base[d] + (wnd if by_sentence else 0)
            row = len(ev_rows)
            ths, the = head(trig)
            tid = types(etype)
            ev_rows.append(
                (
                    d,
                    listed,
                    unit,
                    wnd,
                    tid,
                    trig.start,
                    trig.end,
                    ths,
                    the,
                    attrs(_attr(trig, "realis")),
                    attrs(_attr(trig, "polarity")),
                )
            )
            ev_ref.append((d, trig))
            label, ts, te = trig.label, trig.start, trig.end
            for a in args:
                if scheme_of(label, a.role) != scheme:
                    continue
                m = a.mention
                hs, he = head(m)
                eid = entity_of_d.get((m.start, m.end), entity_of_d.get((hs, he), -1))
                arg_rows.append(
                    (d, unit, wnd, row, tid, roles(a.role), m.start, m.end, hs, he, eid, ts, te)
                    + (ths, the)
                )
                arg_ref.append((d, m, a.role))
    side = Side(_columns(ev_rows, EVENT_COLS), _columns(arg_rows, ARG_COLS), ev_ref, arg_ref)
    side.entity_of = maps if entity_of is None else entity_of
    side.ignored = gold_ignored if ignored is None else ignored
    return side


def _arg_order(a) -> tuple:
    return (a.role, a.mention.start, a.mention.end, a.mention.label)


def _event_key(t: Mention, sorted_args: list) -> tuple:
    """Content order: the alignments' positional tie-breaks then depend on content only."""
    attrs = tuple(sorted((k, str(v)) for k, v in t.attrs.items())) if t.attrs else ()
    return (t.start, t.end, t.label, attrs, tuple(map(_arg_order, sorted_args)))


def _attr(m: Mention, name: str) -> str | None:
    v = m.attrs.get(name)
    return v if isinstance(v, str) else None


# --- random chunks ----------------------------------------------------------------------

LABELS = ("Conflict.Attack", "Contact.Meet", "Life.Die", "AGREE", "Made.Up")
ROLES = ("Attacker", "Target", "Place", "Entity", "Victim", "PLOVER.Actor", "Actor", "Odd")


@st.composite
def chunks(draw):
    n_docs = draw(st.integers(1, 4))
    anns, preds, docs, sents = [], [], [], []
    for d in range(n_docs):
        doc = Document(f"d{d}", "x" * 80)
        starts = sorted(draw(st.sets(st.integers(0, 70), min_size=1, max_size=4)))
        docs.append(doc)
        sents.append(np.array(starts, np.int64))
        for side in ("gold", "pred"):
            if side == "pred" and draw(st.integers(0, 5)) == 0:
                preds.append(None)
                continue
            ments = []
            for _ in range(draw(st.integers(0, 6))):
                s = draw(st.integers(0, 60))
                e = s + draw(st.integers(1, 6))
                head = draw(st.one_of(st.none(), st.tuples(st.just(s), st.integers(s + 1, e))))
                ments.append(
                    Mention(
                        s,
                        e,
                        draw(st.sampled_from(("PER", "ORG"))),
                        cluster=draw(st.one_of(st.none(), st.sampled_from(("E1", "E2")))),
                        head_start=None if head is None else head[0],
                        head_end=None if head is None else head[1],
                    )
                )
            trigs, rels = [], []
            for _ in range(draw(st.integers(0, 5))):
                s = draw(st.sampled_from((0, 3, 20, 40)))  # few positions: many ties
                attrs = {}
                if draw(st.booleans()):
                    attrs["realis"] = draw(st.sampled_from(("ACTUAL", "OTHER", 3)))
                if draw(st.booleans()):
                    attrs["polarity"] = "NEGATIVE"
                if draw(st.booleans()):
                    attrs["plover"] = draw(st.sampled_from(("AGREE", "CONSULT", "NOPE")))
                if draw(st.integers(0, 4)) == 0:
                    attrs["attribution"] = True
                t = Mention(
                    s,
                    s + draw(st.sampled_from((2, 3))),
                    draw(st.sampled_from(LABELS)),
                    kind=TRIGGER,
                    attrs=attrs,
                    head_start=s if draw(st.booleans()) else None,
                    head_end=s + 1,
                )
                trigs.append(t)
                for _ in range(draw(st.integers(0, 3))):
                    if ments:
                        m = ments[draw(st.integers(0, len(ments) - 1))]
                        rels.append(Relation(t, m, draw(st.sampled_from(ROLES))))
            order = draw(st.permutations(list(range(len(ments) + len(trigs)))))
            allm = ments + trigs
            rels = draw(st.permutations(rels))
            ann = Annotation(doc, [allm[i] for i in order], rels)
            (anns if side == "gold" else preds).append(ann)
    return anns, preds, docs, sents


def _same_side(a: Side, b: Side) -> None:
    for cols, x, y in ((EVENT_COLS, a.ev, b.ev), (ARG_COLS, a.arg, b.arg)):
        assert list(x) == list(y) == list(cols)
        for c in cols:
            assert x[c].dtype == y[c].dtype and x[c].tolist() == y[c].tolist(), c
    assert [(d, id(m)) for d, m in a.ev_ref] == [(d, id(m)) for d, m in b.ev_ref]
    assert [(d, id(m), r) for d, m, r in a.arg_ref] == [(d, id(m), r) for d, m, r in b.arg_ref]
    assert a.entity_of == b.entity_of
    assert a.ignored == b.ignored


def _both(anns, preds, docs, sents, scheme, view, by_sentence, events):
    """Gold and predicted sides by both implementations, with fresh vocabularies."""
    out = []
    for fn in (reference_build_side, build_side):
        vocabs = {"types": Vocab(("Life.Die",)), "roles": Vocab(), "attrs": Vocab()}
        common = dict(schemes=RS, view=view, heads=HeadRule(), **vocabs)
        base = [3 * d for d in range(len(docs))]
        g_ev = p_ev = None
        if events == "Event":
            g_ev = [a.events for a in anns]
            p_ev = [a.events if a is not None else None for a in preds]
        elif events == "raw" and fn is build_side:
            g_ev = [raw_events(a) for a in anns]
            p_ev = [raw_events(a) if a is not None else None for a in preds]
        gs = fn(anns, docs, sents, base, by_sentence, scheme, events=g_ev, **common)
        ps = fn(
            preds,
            docs,
            sents,
            base,
            by_sentence,
            scheme,
            entity_of=gs.entity_of,
            ignored=gs.ignored,
            events=p_ev,
            **common,
        )
        out.append((gs, ps, {k: v.names for k, v in vocabs.items()}))
    return out


@settings(max_examples=400, deadline=None)
@given(
    chunks(),
    st.sampled_from(("ere", "plover")),
    st.sampled_from(("ere", "content")),
    st.booleans(),
    st.sampled_from((None, "Event", "raw")),
)
def test_build_side_equals_the_reference(chunk, scheme, view, by_sentence, events):
    (g0, p0, v0), (g1, p1, v1) = _both(*chunk, scheme, view, by_sentence, events)
    _same_side(g0, g1)
    _same_side(p0, p1)
    assert v0 == v1


def test_raw_events_are_annotation_events():
    doc = Document("d", "x" * 20)
    t1, t2 = Mention(0, 2, "Life.Die", kind=TRIGGER), Mention(5, 7, "AGREE", kind=TRIGGER)
    a, b = Mention(10, 12, "PER"), Mention(14, 16, "PER")
    ann = Annotation(
        doc,
        [a, t2, b, t1],
        [
            Relation(t1, a, "Victim"),
            Relation(t2, b, "X"),
            Relation(t1, b, "Place"),
            Relation(a, b, "rel"),
        ],
    )
    got = [(t, [(r, id(m)) for r, m in args]) for t, args in raw_events(ann)]
    want = [(e.trigger, [(x.role, id(x.mention)) for x in e.arguments]) for e in ann.events]
    assert got == want
    assert [t for t, _ in got] == [t2, t1]


def test_unsorted_sentence_starts_give_bisects_answer():
    doc = Document("d", "x" * 40)
    t = Mention(12, 14, "Life.Die", kind=TRIGGER)
    ann = Annotation(doc, [t])
    sents = [np.array([30, 0, 10, 20], np.int64)]
    side = build_side(
        [ann],
        [doc],
        sents,
        [0],
        True,
        "ere",
        schemes=RS,
        view="ere",
        heads=HeadRule(),
        types=Vocab(),
        roles=Vocab(),
        attrs=Vocab(),
    )
    assert side.ev["wnd"].tolist() == [max(bisect_right([30, 0, 10, 20], 12) - 1, 0)]


@pytest.mark.parametrize("view", ["ere", "content"])
def test_in_view_is_still_exported(view):
    assert in_view(Mention(0, 1, "X", kind=TRIGGER), view) is True


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(LABELS + ("CONSULT",)),
    st.one_of(st.none(), st.sampled_from(("AGREE", "CONSULT", "NOPE")), st.integers()),
    st.sampled_from(("ere", "plover")),
)
def test_scheme_type_is_event_types(label, plover, scheme):
    from newsgold.metrics.event_items import _scheme_type

    attrs = {} if plover is None else {"plover": plover}
    t = Mention(0, 1, label, kind=TRIGGER, attrs=attrs)
    assert _scheme_type(t, scheme, RS.plover_roles) == RS.event_types(t).get(scheme)

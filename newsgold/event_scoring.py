"""Scoring events against the gold: a map over documents, then a sum.

:func:`event_document_counts` is the map: a chunk of documents (gold and predicted
annotations) in, per-unit count arrays out, for every metric and matching level of
:mod:`newsgold.metrics.events` (or of a preset, :mod:`newsgold.metrics.event_presets`),
plus the argument error causes (:mod:`newsgold.metrics.event_errors`). :func:`sum_counts`
is the reduce: it stacks the chunks' units. :func:`score_events` does both and adds the
bootstrap intervals (:mod:`newsgold.stats`), one :class:`EventResult` per role scheme
(layer ``events`` for Rich ERE, ``plover`` for PLOVER).
"""

from __future__ import annotations

import functools
import gc
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np

from newsgold.errors import NewsgoldError, Problem
from newsgold.event_results import (  # noqa: F401  (re-exported: the public names)
    ChunkCounts,
    EventOptions,
    EventResult,
    _result,
    compare_events,
)
from newsgold.event_results import compact_counts as _compact
from newsgold.metrics.event_align import reindex as _reindex
from newsgold.metrics.event_errors import argument_causes, cause_table
from newsgold.metrics.event_errors import error_rows as _error_rows
from newsgold.metrics.event_items import (
    VIEWS,
    HeadRule,
    RoleSchemes,
    Vocab,
    _as_raw,
    _scheme_type,
    build_side,
    raw_events,
)
from newsgold.metrics.event_presets import PRESETS, oneie_counts, textee_counts
from newsgold.metrics.events import (
    argument_alignments,
    count_array,
    event_alignment,
    event_alignments,
    nugget_alignments,
    restrict,
    trigger_alignments,
)
from newsgold.model import Annotation, Document
from newsgold.schema import Schema, load_schema

LAYER_OF_SCHEME = {"ere": "events", "plover": "plover"}
#: metrics reported per role too (PLOVER: actor and recipient; ERE: every role)
ROLE_METRICS = ("Arg-C", "Arg-C+", "Event-Arg-C")
MIN_DOCUMENT_UNITS = 30


def _gc_paused(fn: Callable) -> Callable:
    """Run ``fn`` with the cyclic garbage collector paused (and restored after).

    Scoring allocates millions of small tuples, lists and arrays that hold no reference
    cycles (refcounting frees them), while the annotations being scored are millions of
    long-lived objects: each full collection the allocations trigger walks all of them, and
    on a 10,000-document input that was a third of the scoring time. Cycles made meanwhile
    are collected once the collector runs again.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not gc.isenabled():  # paused already (a nested call) or by the caller
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper


def _unit_kind(units: str, n_docs: int) -> str:
    if units == "auto":
        return "document" if n_docs >= MIN_DOCUMENT_UNITS else "sentence"
    if units not in ("document", "sentence"):
        raise NewsgoldError(Problem(f"units must be auto, document or sentence, not {units!r}"))
    return units


def _sentence_starts(doc: Document) -> np.ndarray:
    return np.asarray([s.start for s in doc.sentences] or [0], np.int64)


@_gc_paused
def event_document_counts(
    gold: list[Annotation],
    pred: list[Annotation | None],
    scheme: str,
    *,
    types: Vocab,
    options: EventOptions,
    schemes: RoleSchemes,
    by_sentence: bool,
    heads: HeadRule | None = None,
    events: tuple[list, list] | None = None,
) -> ChunkCounts:
    """The map step: counts of every metric and level for a chunk of documents.

    ``types`` fixes the label axis (the same for every chunk); a document with no
    prediction (``None``) predicts nothing. ``events`` optionally gives each annotation's
    :attr:`~newsgold.model.Annotation.events`, already derived (gold list, pred list), as
    Event objects or :func:`~newsgold.metrics.event_items.raw_events` pairs.
    """
    heads = heads or HeadRule(options.head_parser)
    docs = [g.document for g in gold]
    sentences = [_sentence_starts(d) for d in docs]
    unit_names: list[str] = []
    base = []
    for d, s in zip(docs, sentences):
        base.append(len(unit_names))
        unit_names += [f"{d.doc_id}#s{i}" for i in range(len(s))] if by_sentence else [d.doc_id]
    roles, attrs = Vocab(), Vocab()
    common = dict(schemes=schemes, view=options.view, heads=heads, types=types)
    g_ev, p_ev = events if events is not None else (None, None)
    gs = build_side(
        gold,
        docs,
        sentences,
        base,
        by_sentence,
        scheme,
        roles=roles,
        attrs=attrs,
        events=g_ev,
        **common,
    )
    ps = build_side(
        pred,
        docs,
        sentences,
        base,
        by_sentence,
        scheme,
        roles=roles,
        attrs=attrs,
        entity_of=gs.entity_of,
        events=p_ev,
        ignored=gs.ignored,
        **common,
    )
    nu, nl = len(unit_names), max(len(types.names), 1)
    if options.preset != "newsgold":
        fn = textee_counts if options.preset == "textee" else oneie_counts
        arrays = {(m, "exact"): a for m, a in fn(gs, ps, nu).items()}
        return _compact(ChunkCounts(unit_names, arrays, {"missed": {}, "spurious": {}}, []))
    arrays: dict[tuple[str, str], np.ndarray] = {}
    gev, pev = (gs.ev["unit"], gs.ev["type"]), (ps.ev["unit"], ps.ev["type"])
    garg, parg = (gs.arg["unit"], gs.arg["type"]), (ps.arg["unit"], ps.arg["type"])
    trig = trigger_alignments(gs, ps)
    for name, by_level in trig.items():
        for lv, al in by_level.items():
            arrays[(name, lv)] = count_array(*gev, *pev, al, nu, nl)
    by_role: dict[tuple[str, str], dict[str, np.ndarray]] = {}
    nr = max(len(roles.names), 1)
    zg, zp = np.zeros_like(gs.arg["unit"]), np.zeros_like(ps.arg["unit"])

    def per_role(al) -> dict[str, np.ndarray]:
        arr = count_array(zg, gs.arg["role"], zp, ps.arg["role"], al, 1, nr)[0]
        return {r: arr[i] for i, r in enumerate(roles.names)}

    for name, by_level in argument_alignments(gs, ps).items():
        for lv, al in by_level.items():
            arrays[(name, lv)] = count_array(*garg, *parg, al, nu, nl)
            if name in ROLE_METRICS:
                by_role[(name, lv)] = per_role(al)
    p2g, g2p = event_alignment(gs, ps)
    frame, keep_g, keep_p = event_alignments(gs, ps, p2g)
    for lv, al in frame.pop("Event-C").items():
        arrays[("Event-C", lv)] = count_array(*gev, *pev, al, nu, nl)
    for name, by_level in frame.items():
        for lv, al in by_level.items():
            if name == "Arg-C|trig":
                arrays[(name, lv)] = count_array(
                    gs.arg["unit"][keep_g],
                    gs.arg["type"][keep_g],
                    ps.arg["unit"][keep_p],
                    ps.arg["type"][keep_p],
                    _reindex(restrict(al, keep_g, keep_p), keep_g, keep_p),
                    nu,
                    nl,
                )
            else:
                arrays[(name, lv)] = count_array(*garg, *parg, al, nu, nl)
                if name in ROLE_METRICS:
                    by_role[(name, lv)] = per_role(al)
    for name, al in nugget_alignments(gs, ps, greedy=options.greedy_nuggets).items():
        arrays[(f"Nugget-{name}", "overlap")] = count_array(*gev, *pev, al, nu, nl)
    mentions = [[(m.start, m.end) for m in g.mentions] for g in gold]
    missed, spurious = argument_causes(gs, ps, p2g, g2p, frame["Event-Arg-C"]["exact"], mentions)
    table = cause_table(missed, spurious, gs, ps)
    causes = {
        kind: {docs[d].doc_id: c for d, c in per_doc.items()} for kind, per_doc in table.items()
    }
    rows = []
    if options.error_rows:
        rows = _error_rows(missed, gs, "missed", docs, types)
        rows += _error_rows(spurious, ps, "spurious", docs, types)
    part = _compact(ChunkCounts(unit_names, arrays, causes, rows))
    part.by_role = by_role
    return part


def sum_counts(parts: list[ChunkCounts]) -> ChunkCounts:
    """The reduce step: the chunks' units stacked (sums of these are every score)."""
    keys = list(parts[0].arrays) if parts else []
    stacked: dict[tuple[int, ...], np.ndarray] = {}
    arrays = {}
    for k in keys:
        ident = tuple(id(p.arrays[k]) for p in parts)  # shared arrays stay shared
        if ident not in stacked:
            stacked[ident] = np.concatenate([p.arrays[k] for p in parts])
        arrays[k] = stacked[ident]
    by_label = {k: sum(p.by_label[k] for p in parts) for k in keys}
    by_role: dict[tuple[str, str], dict[str, np.ndarray]] = {}
    for p in parts:
        for k, roles in p.by_role.items():
            acc = by_role.setdefault(k, {})
            for r, v in roles.items():
                acc[r] = acc[r] + v if r in acc else v.copy()
    causes: dict[str, dict[str, Counter]] = {"missed": {}, "spurious": {}}
    for p in parts:
        for kind in causes:
            causes[kind].update(p.causes[kind])
    units = [u for p in parts for u in p.units]
    rows = [r for p in parts for r in p.rows]
    return ChunkCounts(units, arrays, causes, rows, by_label, by_role)


def unknown_labels(
    pred: dict[str, Annotation], schemes: RoleSchemes, events: dict | None = None
) -> dict[str, dict[str, int]]:
    """Predicted event types and (type, role) pairs the schema does not define, counted.
    ``events`` optionally gives each document's events (Event objects or
    :func:`~newsgold.metrics.event_items.raw_events` pairs)."""
    types: Counter = Counter()
    roles: Counter = Counter()
    bad: dict[tuple, str | None] = {}
    for doc_id, ann in pred.items():
        evs = raw_events(ann) if events is None else _as_raw(events[doc_id])
        for trig, args in evs:
            label = trig.label
            in_schema = label in schemes.ere_roles or label in schemes.plover_roles
            if not in_schema:
                types[label] += 1
            plover = trig.attrs.get("plover")
            if isinstance(plover, str) and plover not in schemes.plover_roles:
                types[f"plover:{plover}"] += 1
            if not in_schema or not args:
                continue
            for role, _ in args:
                key = (label, plover if isinstance(plover, str) else None, role)
                if key not in bad:  # the verdict depends on these three only
                    scheme = schemes.role_scheme(label, role)
                    etype = schemes.event_types(trig).get(scheme)
                    known = etype is not None and schemes.is_known_role(scheme, etype, role)
                    bad[key] = None if known else f"{etype or label}/{role}"
                if bad[key] is not None:
                    roles[bad[key]] += 1
    return {"types": dict(sorted(types.items())), "roles": dict(sorted(roles.items()))}


def unknown_problems(unknown: dict[str, dict[str, int]]) -> list[Problem]:
    """The errors for predicted event types and roles outside the schema, with counts."""
    return [
        Problem(
            f"predicted event type {k!r} is not in the schema ({n}x; --allow-unknown scores it as wrong)",
            field="label",
        )
        for k, n in unknown["types"].items()
    ] + [
        Problem(
            f"predicted role {k!r} is not a role of that type in the schema ({n}x; --allow-unknown scores it as wrong)",
            field="relations.label",
        )
        for k, n in unknown["roles"].items()
    ]


@_gc_paused
def score_events(
    gold: dict[str, Annotation],
    pred: dict[str, Annotation],
    options: EventOptions | None = None,
    *,
    schema: Schema | None = None,
    manifest: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    schemes: tuple[str, ...] = ("ere", "plover"),
) -> dict[str, EventResult]:
    """Score predicted events against the gold: ``{"events": ..., "plover": ...}``.

    Every gold document is scored; a gold document without a prediction predicts nothing.
    A predicted event type or role outside the schema is an error listing each with its
    count, unless ``options.allow_unknown`` (then it is scored, as wrong).

    >>> from newsgold.model import Annotation, Document, Mention, Relation
    >>> doc = Document("d", "Putin met Biden.")
    >>> t, a = Mention(6, 9, "Contact.Meet", kind="trigger"), Mention(0, 5, "PERSON")
    >>> g = Annotation(doc, [t, a], [Relation(t, a, "Entity")])
    >>> r = score_events({"d": g}, {"d": g}, EventOptions(n_resamples=0))["events"]
    >>> r.summaries["Arg-C"]["exact"]["f1"], r.summaries["Event-Arg-C"]["coref"]["f1"]
    (1.0, 1.0)
    """
    options = options or EventOptions()
    schema = schema or load_schema()
    if options.preset not in PRESETS:
        raise NewsgoldError(
            Problem(
                f"unknown event preset {options.preset!r}; choose from {PRESETS}", field="preset"
            )
        )
    if options.view not in VIEWS:
        raise NewsgoldError(
            Problem(f"unknown event view {options.view!r}; choose from {VIEWS}", field="event-view")
        )
    rs = RoleSchemes.from_schema(schema)
    # derived once (Annotation.events walks the relations on every access), as plain
    # (trigger, [(role, mention)]) pairs: no Event objects to build
    ev_of = {("g", d): raw_events(a) for d, a in gold.items()}
    ev_of.update({("p", d): raw_events(a) for d, a in pred.items()})
    unknown = unknown_labels(pred, rs, {d: ev_of[("p", d)] for d in pred})
    if (unknown["types"] or unknown["roles"]) and not options.allow_unknown:
        raise NewsgoldError(unknown_problems(unknown))
    doc_ids = sorted(gold)
    unit = (
        "document"
        if options.preset != "newsgold" and options.units == "auto"
        else _unit_kind(options.units, len(doc_ids))
    )
    by_sentence = unit == "sentence"
    heads = HeadRule(options.head_parser)
    results = {}
    for scheme in schemes:
        labels = sorted(
            {
                _scheme_type(trig, scheme, rs.plover_roles)
                for evs in ev_of.values()
                for trig, _ in evs
            }
            - {None}
        )
        types = Vocab(tuple(labels))
        parts = []
        for start in range(0, len(doc_ids), options.chunk):
            ids = doc_ids[start : start + options.chunk]
            parts.append(
                event_document_counts(
                    [gold[d] for d in ids],
                    [pred.get(d) for d in ids],
                    scheme,
                    types=types,
                    options=options,
                    schemes=rs,
                    by_sentence=by_sentence,
                    heads=heads,
                    events=(
                        [ev_of[("g", d)] for d in ids],
                        [ev_of.get(("p", d)) for d in ids],
                    ),
                )
            )
            if progress is not None:
                progress(min(start + options.chunk, len(doc_ids)), len(doc_ids))
        total = sum_counts(parts)
        results[LAYER_OF_SCHEME[scheme]] = _result(
            LAYER_OF_SCHEME[scheme],
            total,
            tuple(labels) or ("-",),
            unit,
            options,
            unknown,
            manifest,
        )
    return results

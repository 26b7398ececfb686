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

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from newsgold import __version__
from newsgold.errors import NewsgoldError, Problem
from newsgold.metrics.counts import CH, Counts, prf
from newsgold.metrics.event_errors import argument_causes, cause_table
from newsgold.metrics.event_items import VIEWS, HeadRule, RoleSchemes, Side, Vocab, build_side
from newsgold.metrics.event_presets import PRESETS, oneie_counts, textee_counts
from newsgold.metrics.events import (
    LEVELS,
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
from newsgold.stats import bootstrap_ci

LAYER_OF_SCHEME = {"ere": "events", "plover": "plover"}
#: metrics reported per role too (PLOVER: actor and recipient; ERE: every role)
ROLE_METRICS = ("Arg-C", "Arg-C+", "Event-Arg-C")
MIN_DOCUMENT_UNITS = 30


@dataclass
class EventOptions:
    preset: str = "newsgold"  # newsgold, textee, oneie
    view: str = "ere"  # ere (every event) or content (attribution-only speech events out)
    units: str = "auto"  # auto, document, sentence
    n_resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0
    head_parser: str | None = None  # a spaCy pipeline for heads of unheaded mentions
    allow_unknown: bool = False  # predicted types/roles outside the schema: scored as wrong
    greedy_nuggets: bool = False  # EvmEval's greedy mapping for the Nugget-* metrics
    chunk: int = 250  # documents per map step
    error_rows: bool = False  # keep one row per lost argument (for --errors and --html)


@dataclass
class ChunkCounts:
    """The map step's output: per-unit counts of one chunk."""

    units: list[str]
    arrays: dict[tuple[str, str], np.ndarray]  # (metric, level) -> [unit, 1, channel]
    causes: dict[str, dict[str, Counter]]  # missed/spurious -> doc_id -> Counter
    rows: list[dict[str, Any]]
    by_label: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # [label, ch]
    by_role: dict[tuple[str, str], dict[str, np.ndarray]] = field(default_factory=dict)


@dataclass
class EventResult:
    layer: str
    preset: str
    unit: str
    labels: tuple[str, ...]
    counts: dict[str, dict[str, Counts]]
    summaries: dict[str, dict[str, dict]]
    causes: dict[str, dict[str, int]]
    causes_by_document: dict[str, dict[str, dict[str, int]]]
    error_rows: list[dict[str, Any]]
    unknown: dict[str, dict[str, int]]
    manifest: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "preset": self.preset,
            "unit": self.unit,
            "metrics": self.summaries,
            "argument_errors": {"total": self.causes, "by_document": self.causes_by_document},
            "unknown": self.unknown,
            "manifest": self.manifest,
        }


def _unit_kind(units: str, n_docs: int) -> str:
    if units == "auto":
        return "document" if n_docs >= MIN_DOCUMENT_UNITS else "sentence"
    if units not in ("document", "sentence"):
        raise NewsgoldError(Problem(f"units must be auto, document or sentence, not {units!r}"))
    return units


def _sentence_starts(doc: Document) -> np.ndarray:
    return np.asarray([s.start for s in doc.sentences] or [0], np.int64)


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
    :attr:`~newsgold.model.Annotation.events`, already derived (gold list, pred list).
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


def _compact(part: ChunkCounts) -> ChunkCounts:
    """Per-unit vectors summed over labels (what the bootstrap and compare use) and
    per-label totals summed over units (the breakdowns): ``[unit, label, channel]`` arrays
    for every metric and level would not fit in memory for a large corpus. Equal arrays
    (a level that credits as the previous one) are stored once."""
    seen: dict[bytes, np.ndarray] = {}
    arrays, by_label = {}, {}
    for key, arr in part.arrays.items():
        unit = arr.sum(axis=1, keepdims=True)
        arrays[key] = seen.setdefault(unit.tobytes(), unit)
        by_label[key] = arr.sum(axis=0)
    return ChunkCounts(part.units, arrays, part.causes, part.rows, by_label)


def _reindex(al, keep_g: np.ndarray, keep_p: np.ndarray):
    """Candidates renumbered into the kept rows (for counting over the kept rows only)."""
    from newsgold.match import Pairs
    from newsgold.metrics.events import Aligned

    new_g = np.cumsum(keep_g) - 1
    new_p = np.cumsum(keep_p) - 1
    cand = Pairs(new_g[al.cand.gold], new_p[al.cand.pred], al.cand.overlap)
    return Aligned(cand, al.score, al.chosen)


def _error_rows(rows, side: Side, outcome: str, docs: list[Document], types: Vocab) -> list[dict]:
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


def _summary(
    c: Counts, interval: dict | None, by_label: np.ndarray, labels: tuple[str, ...]
) -> dict[str, Any]:
    tot = c.data.sum(axis=(0, 1))
    p, r, f = prf(tot)
    per_type = {}
    for i, lbl in enumerate(labels):
        row = by_label[i]
        if row[CH["n_gold"]] == 0 and row[CH["n_pred"]] == 0:
            continue
        lp, lr, lf = prf(row)
        per_type[lbl] = {
            "tp": float(row[CH["correct"]]),
            "n_gold": int(row[CH["n_gold"]]),
            "n_pred": int(row[CH["n_pred"]]),
            "precision": float(lp),
            "recall": float(lr),
            "f1": float(lf),
        }
    return {
        "tp": float(tot[CH["correct"]]),
        "tp_pred": float(tot[CH["correct_pred"]]),
        "n_gold": int(tot[CH["n_gold"]]),
        "n_pred": int(tot[CH["n_pred"]]),
        "precision": float(p),
        "recall": float(r),
        "f1": float(f),
        "interval": interval or {},
        "per_type": per_type,
    }


def unknown_labels(
    pred: dict[str, Annotation], schemes: RoleSchemes, events: dict | None = None
) -> dict[str, dict[str, int]]:
    """Predicted event types and (type, role) pairs the schema does not define, counted."""
    types: Counter = Counter()
    roles: Counter = Counter()
    for doc_id, ann in pred.items():
        for ev in ann.events if events is None else events[doc_id]:
            label = ev.trigger.label
            in_schema = label in schemes.ere_roles or label in schemes.plover_roles
            if not in_schema:
                types[label] += 1
            plover = ev.trigger.attrs.get("plover")
            if isinstance(plover, str) and plover not in schemes.plover_roles:
                types[f"plover:{plover}"] += 1
            for a in ev.arguments:
                scheme = schemes.role_scheme(label, a.role)
                etype = schemes.event_types(ev.trigger).get(scheme)
                if in_schema and (
                    etype is None or not schemes.is_known_role(scheme, etype, a.role)
                ):
                    roles[f"{etype or label}/{a.role}"] += 1
    return {"types": dict(sorted(types.items())), "roles": dict(sorted(roles.items()))}


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
    # derived once: Annotation.events walks the relations on every access
    ev_of = {("g", d): a.events for d, a in gold.items()}
    ev_of.update({("p", d): a.events for d, a in pred.items()})
    unknown = unknown_labels(pred, rs, {d: ev_of[("p", d)] for d in pred})
    if (unknown["types"] or unknown["roles"]) and not options.allow_unknown:
        problems = [
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
        raise NewsgoldError(problems)
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
                t
                for evs in ev_of.values()
                for ev in evs
                for s, t in rs.event_types(ev.trigger).items()
                if s == scheme
            }
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


def _result(
    layer, total: ChunkCounts, labels, unit, options: EventOptions, unknown, manifest
) -> EventResult:
    counts: dict[str, dict[str, Counts]] = {}
    summaries: dict[str, dict[str, dict]] = {}
    boot = dict(n_resamples=options.n_resamples, confidence=options.confidence, seed=options.seed)
    cache: dict[int, dict] = {}
    for (metric, level), arr in total.arrays.items():
        per_label = total.by_label[(metric, level)]
        lab = labels if len(per_label) == len(labels) else ("all",)
        c = Counts(f"{metric}@{level}", ("all",), tuple(total.units), arr)
        counts.setdefault(metric, {})[level] = c
        ci = None
        if options.n_resamples > 0 and len(total.units):
            key = hash(arr.tobytes())
            if key not in cache:
                cache[key] = bootstrap_ci(c, **boot)
            ci = cache[key]
        summ = _summary(c, ci, per_label, lab)
        if (metric, level) in total.by_role:
            roles = total.by_role[(metric, level)]
            summ["per_role"] = _summary(c, None, np.array(list(roles.values())), tuple(roles))[
                "per_type"
            ]
            summ["per_role"] = dict(sorted(summ["per_role"].items()))
        summaries.setdefault(metric, {})[level] = summ
    tot = {k: Counter() for k in ("missed", "spurious")}
    for kind, per_doc in total.causes.items():
        for c in per_doc.values():
            tot[kind].update(c)
    man = {
        "newsgold_version": __version__,
        "layer": layer,
        "options": asdict(options),
        "unit": unit,
        "n_units": len(total.units),
        "levels": list(LEVELS),
        **(manifest or {}),
    }
    return EventResult(
        layer,
        options.preset,
        unit,
        labels,
        counts,
        summaries,
        {k: dict(sorted(v.items())) for k, v in tot.items()},
        {kind: {d: dict(c) for d, c in per.items()} for kind, per in total.causes.items()},
        total.rows,
        unknown,
        man,
    )


def compare_events(
    a: EventResult,
    b: EventResult,
    *,
    n_resamples: int = 10000,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Is system B better than A? For every metric and level: the micro-F1 difference
    ``B - A``, the paired bootstrap p-value and interval, the approximate-randomisation
    p-value, all from the per-unit count vectors (:mod:`newsgold.stats`)."""
    from newsgold.stats import approximate_randomization, paired_bootstrap

    if a.counts.keys() != b.counts.keys():
        raise NewsgoldError(Problem("the two results were scored with different presets"))
    rows = []
    for metric, levels in a.counts.items():
        for level, ca in levels.items():
            # micro scores only need the label sum; the two label axes may differ
            ca = Counts(ca.mode, ("all",), ca.units, ca.data.sum(axis=1, keepdims=True))
            cb = b.counts[metric][level]
            cb = Counts(cb.mode, ("all",), cb.units, cb.data.sum(axis=1, keepdims=True))
            pb = paired_bootstrap(ca, cb, n_resamples=n_resamples, seed=seed)
            ar = approximate_randomization(ca, cb, n_rounds=n_resamples, seed=seed)
            rows.append(
                {
                    "metric": metric,
                    "level": level,
                    "f1_a": a.summaries[metric][level]["f1"],
                    "f1_b": b.summaries[metric][level]["f1"],
                    "difference": pb["difference"],
                    "p_bootstrap": pb["p_value"],
                    "ci_low": pb["ci_low"],
                    "ci_high": pb["ci_high"],
                    "p_randomization": ar["p_value"],
                }
            )
    return rows

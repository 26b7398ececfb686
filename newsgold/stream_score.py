"""``newsgold score`` streamed: the map over chunks of documents and the sum, for files of
any size.

The whole-file score (:func:`newsgold.scoring.score_entities`,
:func:`newsgold.event_scoring.score_events`) holds every document at once. Here the gold and
the prediction are read a chunk at a time (:mod:`newsgold.stream_join`) and each chunk is
scored by those same functions, keeping only its per-unit count vectors. The sum then
gives the same result as the whole-file score, number for number (tests/test_stream_score.py):

* units are documents (or their sentences) in doc_id order, as there, so the bootstrap
  draws the same resamples;
* each chunk has its own label axis; the sum puts every chunk on the union of labels (a
  label a chunk lacks counts zero there). The event type axis is one growing
  :class:`~newsgold.metrics.event_items.Vocab` shared by the chunks, seeded with the
  schema's types so that a per-type array is never mistaken for a total;
* the unit kind (``--units auto``) needs the number of gold documents, which the first
  pass counts;
* what depends on the whole gold (labels a system uses that the gold has nowhere, the
  ``--labels`` check) is decided at the end from per-chunk sets.

Every layer is streamed (entities, events, PLOVER, and timex and coreference when named
in ``--layers``); other formats than Prodigy JSONL, text-only placement and a gold without a
corpus file use the whole-file path (:func:`streamable`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from newsgold.metrics.counts import Counts
from newsgold.model import TRIGGER, Annotation

#: layers this module scores (every layer of ``newsgold score``)
STREAM_LAYERS = ("entities", "events", "plover", "timex", "coref")


def streamable(gold_fmt: str, pred_fmt: str, corpus, layers: list[str] | None) -> bool:
    """Whether ``newsgold score`` can stream these inputs."""
    return (
        gold_fmt == "prodigy"
        and pred_fmt == "prodigy"
        and corpus is not None
        and corpus.is_file()
        and (layers is None or all(x in STREAM_LAYERS for x in layers))
    )


# --- entities ----------------------------------------------------------------------------


def _on_labels(c: Counts, labels: tuple[str, ...]) -> np.ndarray:
    """``c.data`` with its label axis put on ``labels`` (a superset; zeros elsewhere)."""
    if c.labels == labels:
        return c.data
    out = np.zeros((c.data.shape[0], len(labels), c.data.shape[2]), c.data.dtype)
    out[:, [labels.index(x) for x in c.labels], :] = c.data
    return out


def _gold_labels(counts: dict[str, Counts]) -> set[str]:
    """The labels with gold spans in a chunk's counts (any mode: all count every gold span)."""
    from newsgold.metrics.counts import CH

    c = next(iter(counts.values()), None)
    if c is None:
        return set()
    support = c.data[:, :, CH["n_gold"]].sum(axis=0)
    return {label for label, n in zip(c.labels, support) if n > 0}


@dataclass
class EntitySum:
    """Entity counts of every chunk, and what the result needs besides them."""

    options: Any
    unit: str
    schema: Any
    errors_mode: str | None = None
    parts: list[dict[str, Counts]] = field(default_factory=list)
    label_report: dict[str, Counter] = field(default_factory=dict)
    have: set[str] = field(default_factory=set)  # gold labels in the view, no --labels
    system: set[str] = field(default_factory=set)
    rows: list[dict] = field(default_factory=list)
    documents: int = 0
    gold_spans: int = 0
    pred_spans: int = 0

    def part(self, gold: dict[str, Annotation], pred: dict[str, Annotation]) -> dict[str, Any]:
        """The map for one chunk (no state changed: a worker process may run it)."""
        from newsgold.cli_score import gold_view_labels
        from newsgold.scoring import entity_errors, score_entities

        opts = replace(self.options, units=self.unit, n_resamples=0)
        r = score_entities(gold, pred, opts, schema=self.schema)
        rows = []
        if self.errors_mode is not None:
            rows = entity_errors(gold, pred, opts, mode=self.errors_mode, schema=self.schema)
        if self.options.labels:  # --labels: the gold's labels before that filter
            have = gold_view_labels(gold, self.options, self.schema)
        else:  # the labels with gold support (the same, without selecting twice)
            have = _gold_labels(r.counts)
        return {
            "counts": r.counts,
            "label_report": r.label_report,
            "have": have,
            "manifest": r.manifest,
            "rows": rows,
        }

    def merge(self, part: dict[str, Any]) -> None:
        self.parts.append(part["counts"])
        for key, counts in part["label_report"].items():
            self.label_report.setdefault(key, Counter()).update(counts)
        self.have |= part["have"]
        self.documents += part["manifest"]["documents"]
        self.gold_spans += part["manifest"]["gold_spans"]
        self.pred_spans += part["manifest"]["pred_spans"]
        self.rows += part["rows"]

    def result(self, manifest: dict):
        from newsgold.scoring import entity_result

        labels = tuple(sorted({x for p in self.parts for c in p.values() for x in c.labels}))
        counts: dict[str, Counts] = {}
        for mode, first in (self.parts[0] if self.parts else {}).items():
            cs = [p[mode] for p in self.parts]
            data = np.concatenate([_on_labels(c, labels) for c in cs])
            overall = None
            if first.overall is not None:
                overall = np.concatenate([c.overall for c in cs])
            units = tuple(u for c in cs for u in c.units)
            counts[mode] = Counts(first.mode, labels, units, data, overall)
        report = {k: dict(sorted(v.items())) for k, v in self.label_report.items()}
        # a system label is unknown when the gold has it nowhere, not merely in its chunk
        if "pred_unknown" in report:
            report["pred_unknown"] = {
                k: v for k, v in report["pred_unknown"].items() if k not in self.have
            }
        return entity_result(
            counts,
            self.options,
            self.unit,
            report,
            documents=self.documents,
            gold_spans=self.gold_spans,
            pred_spans=self.pred_spans,
            labels=labels,
            manifest=manifest,
        )


# --- events ------------------------------------------------------------------------------


@dataclass
class EventSum:
    """Event counts of one role scheme (``ere`` or ``plover``) over every chunk."""

    scheme: str
    options: Any
    unit: str
    schemes: Any  # RoleSchemes
    heads: Any
    parts: list = field(default_factory=list)  # (ChunkCounts, the type axis's names)
    seen: set[str] = field(default_factory=set)

    def part(self, gold: dict[str, Annotation], pred: dict[str, Annotation], events):
        """The map for one chunk: its counts, its type axis, the types it has."""
        from newsgold.event_scoring import event_document_counts
        from newsgold.metrics.event_items import Vocab

        rs = self.schemes
        known = rs.ere_roles if self.scheme == "ere" else rs.plover_roles
        # a sentinel first: at least two types, so a per-type array (one row per type) is
        # never the same length as a total over types (one row)
        vocab = Vocab(("", *sorted(known)))
        ids = sorted(gold)
        g_ev = [events[("g", d)] for d in ids]
        p_ev = [events.get(("p", d)) for d in ids]
        seen = set()
        for evs in (*g_ev, *(e for e in p_ev if e is not None)):
            for ev in evs:
                t = rs.event_types(ev.trigger).get(self.scheme)
                if t is not None:
                    seen.add(t)
        counts = event_document_counts(
            [gold[d] for d in ids],
            [pred.get(d) for d in ids],
            self.scheme,
            types=vocab,
            options=self.options,
            schemes=rs,
            by_sentence=self.unit == "sentence",
            heads=self.heads,
            events=(g_ev, p_ev),
        )
        return counts, vocab.names, seen

    def merge(self, part) -> None:
        counts, names, seen = part
        self.parts.append((counts, names))
        self.seen |= seen

    def result(self, manifest: dict, unknown: dict[str, dict[str, int]]):
        from newsgold.event_results import _result
        from newsgold.event_scoring import LAYER_OF_SCHEME, sum_counts

        labels = tuple(sorted(self.seen))
        parts = []
        for part, names in self.parts:
            where = {x: i for i, x in enumerate(names)}
            idx = [where.get(x, -1) for x in labels]
            by_label = {}
            for key, arr in part.by_label.items():
                if len(arr) != len(names):  # a total over types: as it is
                    by_label[key] = arr
                    continue
                # the chunk's rows on the labels' order; a label it lacks counts zero
                padded = np.vstack([arr, np.zeros((1, arr.shape[1]), arr.dtype)])
                # no type at all: one row of zeros, as the whole-file score's "-" type
                by_label[key] = padded[idx] if idx else padded[-1:]
            parts.append(replace(part, by_label=by_label))
        total = sum_counts(parts)
        layer = LAYER_OF_SCHEME[self.scheme]
        return _result(
            layer,
            total,
            labels or ("-",),
            self.unit,
            self.options,
            unknown,
            manifest,
        )


# --- time expressions and coreference ----------------------------------------------------


@dataclass
class TimexCorefSum:
    """``timex`` or ``coref`` parts (their chunk functions have fixed axes: a plain list)."""

    name: str
    options: Any  # LayerOptions
    unit: str
    parts: list = field(default_factory=list)

    def part(self, gold: dict[str, Annotation], pred: dict[str, Annotation]):
        from newsgold.timex_coref_scoring import coref_chunk, timex_chunk

        ids = sorted(gold)
        if self.name == "timex":
            return timex_chunk(gold, pred, ids, self.unit == "sentence")
        return coref_chunk(gold, pred, ids)

    def merge(self, part) -> None:
        self.parts.append(part)

    def result(self, manifest: dict):
        from newsgold.timex_coref_scoring import coref_result, timex_result

        if self.name == "timex":
            return timex_result(self.parts, self.unit, self.options, manifest)
        return coref_result(self.parts, self.options, manifest)


# --- the streamed score ------------------------------------------------------------------


def present_layers(pred: dict[str, Annotation], schemes) -> set[str]:
    """The default layers ``pred`` has (as :func:`newsgold.layers.layers_present`)."""
    out = set()
    for ann in pred.values():
        if "entities" not in out and any(m.kind != TRIGGER for m in ann.mentions):
            out.add("entities")
        for ev in ann.events:
            for s in schemes.event_types(ev.trigger):
                out.add("events" if s == "ere" else s)
    return out


@dataclass
class Sums:
    """Every layer's sum, and what the checks after scoring need."""

    entity: EntitySum | None
    events: dict[str, EventSum]
    others: dict[str, TimexCorefSum] = field(default_factory=dict)
    schemes: Any = None  # RoleSchemes
    present: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    system: set[str] = field(default_factory=set)
    unknown: dict[str, Counter] = field(default_factory=dict)
    n_docs: int = 0
    n_events: int = 0

    def __post_init__(self) -> None:
        if self.schemes is None:
            from newsgold.metrics.event_items import RoleSchemes
            from newsgold.schema import load_schema

            self.schemes = RoleSchemes.from_schema(load_schema())
        self.unknown = {"types": Counter(), "roles": Counter()}

    def unknown_counts(self) -> dict[str, dict[str, int]]:
        """Predicted event types and (type/role)s outside the schema, over every prediction."""
        return {k: dict(sorted(v.items())) for k, v in self.unknown.items()}


@dataclass
class ChunkOut:
    """What the map returns for one chunk: picklable, no document in it."""

    n_gold: int
    problems: dict[str, list]  # gold, gold_check, pred, pred_warnings
    missing: list[str]
    seen: dict[str, Any]  # present layers, unknown labels, system labels
    parts: dict[str, Any] | None = None  # layer -> part; None: not scored (a problem)
    n_events: int = 0


def _seen(sums: Sums, pred: dict[str, Annotation]) -> dict[str, Any]:
    from newsgold.cli_score import system_labels
    from newsgold.event_scoring import unknown_labels

    return {
        "present": present_layers(pred, sums.schemes),
        "unknown": unknown_labels(pred, sums.schemes) if sums.events else {},
        "system": system_labels(pred, sums.entity.options) if sums.entity else set(),
    }


def map_chunk(join, sums: Sums, ids: list[str]) -> ChunkOut:
    """The map: read the gold documents ``ids`` and their predictions, score every layer.

    Pure (reads files, changes nothing), so an engine may run it in another process:
    ``newsgold score --dask`` maps it with ``dask.bag``."""
    from newsgold.formats.jsonl import gc_paused

    # a chunk's objects make no reference cycles: the collector would walk them for
    # nothing (it runs again between chunks, so nothing accumulates)
    with gc_paused():
        return _map_chunk(join, sums, ids)


def _map_chunk(join, sums: Sums, ids: list[str]) -> ChunkOut:
    chunk = join.read_chunk(ids)
    out = ChunkOut(len(chunk.gold), chunk.problems, chunk.missing, _seen(sums, chunk.pred))
    if any(chunk.problems[k] for k in ("gold", "gold_check", "pred")):
        return out
    ev_of = {("g", d): a.events for d, a in chunk.gold.items()}
    ev_of.update({("p", d): a.events for d, a in chunk.pred.items()})
    out.n_events = sum(len(ev_of[("g", d)]) for d in chunk.gold)
    parts: dict[str, Any] = {}
    if sums.entity is not None:
        parts["entities"] = sums.entity.part(chunk.gold, chunk.pred)
    for layer, acc in sums.events.items():
        parts[layer] = acc.part(chunk.gold, chunk.pred, ev_of)
    for name, acc in sums.others.items():
        parts[name] = acc.part(chunk.gold, chunk.pred)
    out.parts = parts
    return out


def _merge_seen(sums: Sums, seen: dict[str, Any]) -> None:
    sums.present |= seen["present"]
    for k, v in seen["unknown"].items():
        sums.unknown[k].update(v)
    sums.system |= seen["system"]


def merge_chunk(join, sums: Sums, out: ChunkOut) -> None:
    """The sum: one chunk's output into ``sums`` (chunks merged in doc_id order)."""
    join.add_problems(out.problems)
    sums.missing += out.missing
    _merge_seen(sums, out.seen)
    if out.parts is None or join.has_errors():
        return  # once anything is wrong only the problems are collected
    sums.n_docs += out.n_gold
    sums.n_events += out.n_events
    if sums.entity is not None:
        sums.entity.merge(out.parts["entities"])
    for layer, acc in sums.events.items():
        acc.merge(out.parts[layer])
    for name, acc in sums.others.items():
        acc.merge(out.parts[name])


def score_chunks(
    join,
    sums: Sums,
    *,
    progress: Callable[[int, int], None] | None = None,
    mapper: Callable | None = None,
) -> Sums:
    """Map every chunk of ``join`` and sum them into ``sums``; then read the predictions
    the gold does not score (checked, not scored). ``mapper(function, items)`` runs the
    map (default: here, in order; ``newsgold score --dask``: a ``dask.bag``)."""
    from functools import partial

    fn = partial(map_chunk, join, sums)
    done = 0
    if mapper is None:
        for ids in join.chunk_ids():
            if join.has_errors():  # only read for the problems from now on
                out = join.read_chunk(ids)
                join.add_problems(out.problems)
                sums.missing += out.missing
                _merge_seen(sums, _seen(sums, out.pred))
            else:
                merge_chunk(join, sums, fn(ids))
            done += len(ids)
            if progress is not None:
                progress(done, join.n_gold)
    else:
        for out in mapper(fn, join.chunk_ids()):
            merge_chunk(join, sums, out)
    for pred in join.rest():
        _merge_seen(sums, _seen(sums, pred))
    return sums

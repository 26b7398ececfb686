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

    def add(self, gold: dict[str, Annotation], pred: dict[str, Annotation]) -> None:
        from newsgold.cli_score import gold_view_labels
        from newsgold.scoring import entity_errors, score_entities

        opts = replace(self.options, units=self.unit, n_resamples=0)
        r = score_entities(gold, pred, opts, schema=self.schema)
        self.parts.append(r.counts)
        for key, counts in r.label_report.items():
            self.label_report.setdefault(key, Counter()).update(counts)
        self.have |= gold_view_labels(gold, self.options, self.schema)
        self.documents += r.manifest["documents"]
        self.gold_spans += r.manifest["gold_spans"]
        self.pred_spans += r.manifest["pred_spans"]
        if self.errors_mode is not None:
            self.rows += entity_errors(gold, pred, opts, mode=self.errors_mode, schema=self.schema)

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
    vocab: Any = None
    parts: list = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        from newsgold.metrics.event_items import Vocab

        rs = self.schemes
        known = rs.ere_roles if self.scheme == "ere" else rs.plover_roles
        # a sentinel first: at least two types, so a per-type array (one row per type) is
        # never the same length as a total over types (one row)
        self.vocab = Vocab(("", *sorted(known)))

    def add(self, gold: dict[str, Annotation], pred: dict[str, Annotation], events) -> None:
        from newsgold.event_scoring import event_document_counts

        ids = sorted(gold)
        g_ev = [events[("g", d)] for d in ids]
        p_ev = [events.get(("p", d)) for d in ids]
        for evs in (*g_ev, *(e for e in p_ev if e is not None)):
            for ev in evs:
                t = self.schemes.event_types(ev.trigger).get(self.scheme)
                if t is not None:
                    self.seen.add(t)
        part = event_document_counts(
            [gold[d] for d in ids],
            [pred.get(d) for d in ids],
            self.scheme,
            types=self.vocab,
            options=self.options,
            schemes=self.schemes,
            by_sentence=self.unit == "sentence",
            heads=self.heads,
            events=(g_ev, p_ev),
        )
        self.parts.append((part, len(self.vocab.names)))

    def result(self, manifest: dict, unknown: dict[str, dict[str, int]]):
        from newsgold.event_results import _result
        from newsgold.event_scoring import LAYER_OF_SCHEME, sum_counts

        labels = tuple(sorted(self.seen))
        idx = [self.vocab.index[x] for x in labels]
        width = len(self.vocab.names)
        parts = []
        for part, nl in self.parts:
            by_label = {}
            for key, arr in part.by_label.items():
                if len(arr) != nl:  # a total over types: as it is
                    by_label[key] = arr
                    continue
                full = np.zeros((width, arr.shape[1]), arr.dtype)
                full[:nl] = arr
                # no type at all: one row of zeros, as the whole-file score's "-" type
                by_label[key] = full[idx] if idx else full[:1] * 0
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

    def add(self, gold: dict[str, Annotation], pred: dict[str, Annotation]) -> None:
        from newsgold.timex_coref_scoring import coref_chunk, timex_chunk

        ids = sorted(gold)
        if self.name == "timex":
            self.parts.append(timex_chunk(gold, pred, ids, self.unit == "sentence"))
        else:
            self.parts.append(coref_chunk(gold, pred, ids))

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
class Streamed:
    """What a streamed score found: per-layer sums, the layers present, the gold's size."""

    entity: EntitySum | None
    events: dict[str, EventSum]
    present: set[str]
    n_docs: int
    n_events: int
    missing: list[str]
    #: predicted event types and (type/role)s outside the schema, over every prediction
    unknown: dict[str, dict[str, int]]


def score_chunks(
    join,
    *,
    entity: EntitySum | None,
    events: dict[str, EventSum],
    others: dict[str, TimexCorefSum] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Streamed:
    """Map every chunk of ``join`` into the sums (skipping scoring once a problem is found:
    the rest is still read, so every problem is reported)."""
    from newsgold.cli_score import system_labels
    from newsgold.event_scoring import unknown_labels
    from newsgold.metrics.event_items import RoleSchemes
    from newsgold.schema import load_schema

    rs = next(iter(events.values())).schemes if events else RoleSchemes.from_schema(load_schema())
    present: set[str] = set()
    missing: list[str] = []
    unknown: dict[str, Counter] = {"types": Counter(), "roles": Counter()}

    def seen(pred: dict[str, Annotation]) -> None:
        nonlocal present
        present |= present_layers(pred, rs)
        if events:
            for k, v in unknown_labels(pred, rs).items():
                unknown[k].update(v)
        if entity is not None:
            entity.system |= system_labels(pred, entity.options)

    n_docs = n_events = done = 0
    for chunk in join.chunks():
        done += len(chunk.gold)
        missing += chunk.missing
        seen(chunk.pred)
        if join.gold_problems or join.gold_check_problems or join.pred_problems:
            continue
        ev_of = {("g", d): a.events for d, a in chunk.gold.items()}
        ev_of.update({("p", d): a.events for d, a in chunk.pred.items()})
        n_docs += len(chunk.gold)
        n_events += sum(len(ev_of[("g", d)]) for d in chunk.gold)
        if entity is not None:
            entity.add(chunk.gold, chunk.pred)
        for acc in events.values():
            acc.add(chunk.gold, chunk.pred, ev_of)
        for other in (others or {}).values():
            other.add(chunk.gold, chunk.pred)
        if progress is not None:
            progress(done, join.n_gold)
    for pred in join.rest():
        seen(pred)
    unknown_sorted = {k: dict(sorted(v.items())) for k, v in unknown.items()}
    return Streamed(entity, events, present, n_docs, n_events, missing, unknown_sorted)

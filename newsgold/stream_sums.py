"""The per-layer sums of a streamed score: each layer's map over one chunk (``part``, which
changes nothing and may run in another process) and its sum (``merge``, then ``result``).

Each sum keeps only per-unit count vectors and what its result needs besides them (label
sets, label reports, error rows); :mod:`newsgold.stream_score` drives them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from newsgold.metrics.counts import Counts
from newsgold.model import Annotation

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
    rows: list[dict] = field(default_factory=list)
    documents: int = 0
    gold_spans: int = 0
    pred_spans: int = 0

    def part(self, gold: dict[str, Annotation], pred: dict[str, Annotation]) -> dict[str, Any]:
        """The map for one chunk (no state changed: a worker process may run it)."""
        from newsgold.entity_errors import entity_errors
        from newsgold.scoring import score_entities
        from newsgold.selection import gold_view_labels

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
            for trigger, _ in evs:
                t = rs.event_types(trigger).get(self.scheme)
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

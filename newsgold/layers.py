"""Layers: what ``newsgold score`` iterates over, and the one shape every layer has.

A **layer** is three things:

1. a *selection*: which items of an :class:`~newsgold.model.Annotation` it scores
   (:meth:`Layer.present` says whether an annotation has any);
2. a *credit rule per matching level* (exact, head, overlap, coreference), applied through
   the one alignment engine :mod:`newsgold.match`;
3. one ``newsgold/metrics/<layer>.py`` that turns aligned pairs into **per-unit count
   vectors** (:class:`~newsgold.metrics.counts.Counts`: ``[unit, label, channel]``).

Scoring is a **map** over documents and a **sum**:

* :meth:`Layer.plan` reads the whole input once for what must be fixed before mapping (the
  label axis, the unit kind): a small, picklable object;
* :meth:`Layer.map` takes a plan and a chunk of document ids and returns
  :class:`LayerCounts` for those documents only (no state shared between chunks: this is the
  function a ``dask.bag`` would map);
* :func:`sum_counts` stacks the chunks' units. Micro and macro averages are sums over units
  and labels, bootstrap resamples are weighted sums over units, ``compare`` pairs two
  systems' vectors unit by unit: none of them knows a layer's insides.

:func:`map_documents` and :func:`sum_counts` are the public map and sum; :func:`score_layer`
does both. For an external engine (``dask.bag``, see docs/scale.md) the map is split in
three: :func:`plan_layer` once, :func:`document_chunks` for the items, :func:`map_chunk` per
item. Layers today: ``entities`` (:func:`newsgold.scoring.score_entities`, wrapped),
``events`` (Rich ERE) and ``plover`` (:mod:`newsgold.event_scoring`). Time expressions and
coreference slot in by adding a :class:`Layer` subclass to :data:`LAYERS`; its ``score``
returns an object with ``to_dict()`` and ``counts`` (metric -> level -> Counts).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from newsgold.metrics.counts import Counts
from newsgold.model import TRIGGER, Annotation


@dataclass
class LayerCounts:
    """Per-unit counts of one layer: ``counts[metric][level]`` (same units throughout)."""

    layer: str
    units: tuple[str, ...]
    counts: dict[str, dict[str, Counts]]


@dataclass
class Plan:
    layer: str
    gold: dict[str, Annotation]
    pred: dict[str, Annotation]
    options: Any
    fixed: dict[str, Any]


class Layer:
    name = "layer"

    def present(self, ann: Annotation) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def plan(self, gold, pred, options) -> Plan:  # pragma: no cover - interface
        raise NotImplementedError

    def map(self, plan: Plan, doc_ids: list[str]) -> LayerCounts:  # pragma: no cover
        raise NotImplementedError

    def score(self, gold, pred, options, **kw):  # pragma: no cover - interface
        raise NotImplementedError


class EntityLayer(Layer):
    """Entity mentions (and timexes, values) as :mod:`newsgold.scoring` scores them."""

    name = "entities"

    def present(self, ann: Annotation) -> bool:
        return any(m.kind != TRIGGER for m in ann.mentions)

    def plan(self, gold, pred, options) -> Plan:
        from newsgold.scoring import EntityOptions, _unit_kind

        options = options or EntityOptions()
        unit = _unit_kind(options.units, len(gold))
        return Plan(self.name, gold, pred, replace(options, units=unit, n_resamples=0), {})

    def map(self, plan: Plan, doc_ids: list[str]) -> LayerCounts:
        from newsgold.scoring import score_entities

        g = {d: plan.gold[d] for d in doc_ids}
        p = {d: plan.pred[d] for d in doc_ids if d in plan.pred}
        r = score_entities(g, p, plan.options)
        units = next(iter(r.counts.values())).units if r.counts else ()
        return LayerCounts(self.name, units, {m: {"exact": c} for m, c in r.counts.items()})

    def score(self, gold, pred, options, **kw):
        from newsgold.scoring import score_entities

        return score_entities(gold, pred, options, **kw)


class EventLayer(Layer):
    """Events of one role scheme (``ere`` -> layer ``events``, ``plover`` -> ``plover``)."""

    def __init__(self, scheme: str):
        self.scheme = scheme
        self.name = "events" if scheme == "ere" else scheme

    def _schemes(self):
        from newsgold.metrics.event_items import RoleSchemes
        from newsgold.schema import load_schema

        return RoleSchemes.from_schema(load_schema())

    def present(self, ann: Annotation) -> bool:
        rs = self._schemes()
        return any(self.scheme in rs.event_types(ev.trigger) for ev in ann.events)

    def plan(self, gold, pred, options) -> Plan:
        from newsgold.event_scoring import EventOptions, _unit_kind

        options = options or EventOptions()
        rs = self._schemes()
        labels = sorted(
            {
                t
                for ann in (*gold.values(), *pred.values())
                for ev in ann.events
                for s, t in rs.event_types(ev.trigger).items()
                if s == self.scheme
            }
        )
        preset_default = options.preset != "newsgold" and options.units == "auto"
        unit = "document" if preset_default else _unit_kind(options.units, len(gold))
        return Plan(self.name, gold, pred, options, {"labels": labels, "unit": unit, "rs": rs})

    def map(self, plan: Plan, doc_ids: list[str]) -> LayerCounts:
        from newsgold.event_scoring import event_document_counts
        from newsgold.metrics.event_items import Vocab

        labels = tuple(plan.fixed["labels"]) or ("-",)  # the type axis, summed per unit
        part = event_document_counts(
            [plan.gold[d] for d in doc_ids],
            [plan.pred.get(d) for d in doc_ids],
            self.scheme,
            types=Vocab(labels),
            options=plan.options,
            schemes=plan.fixed["rs"],
            by_sentence=plan.fixed["unit"] == "sentence",
        )
        counts: dict[str, dict[str, Counts]] = {}
        for (metric, level), arr in part.arrays.items():
            counts.setdefault(metric, {})[level] = Counts(
                f"{metric}@{level}", ("all",), tuple(part.units), arr
            )
        return LayerCounts(self.name, tuple(part.units), counts)

    def score(self, gold, pred, options, **kw):
        from newsgold.event_scoring import score_events

        return score_events(gold, pred, options, schemes=(self.scheme,), **kw)[self.name]


LAYERS: dict[str, Layer] = {
    "entities": EntityLayer(),
    "events": EventLayer("ere"),
    "plover": EventLayer("plover"),
}


def layers_present(pred: dict[str, Annotation], *, opt_in: bool = False) -> list[str]:
    """The layers a prediction has (in :data:`LAYERS` order); the :data:`OPT_IN_LAYERS`
    (timex, coref) only with ``opt_in``."""
    return [
        name
        for name, layer in LAYERS.items()
        if (opt_in or name not in OPT_IN_LAYERS) and any(layer.present(a) for a in pred.values())
    ]


def map_documents(
    layer: str | Layer,
    gold: dict[str, Annotation],
    pred: dict[str, Annotation],
    options: Any = None,
    *,
    chunk: int = 250,
) -> Iterator[LayerCounts]:
    """The map: per-unit counts of ``layer``, one :class:`LayerCounts` per chunk of
    (sorted) gold documents."""
    plan = plan_layer(layer, gold, pred, options)
    for ids in document_chunks(gold, chunk):
        yield map_chunk(plan, ids)


def plan_layer(
    layer: str | Layer, gold: dict[str, Annotation], pred: dict[str, Annotation], options=None
) -> Plan:
    """What :func:`map_chunk` needs, fixed once over the whole input (label axis, unit kind).

    The plan is picklable and holds ``gold`` and ``pred`` themselves, so an engine that maps
    in other processes ships it to them (see docs/scale.md).
    """
    lay = LAYERS[layer] if isinstance(layer, str) else layer
    return lay.plan(gold, pred, options)


def document_chunks(gold: dict[str, Annotation], chunk: int = 250) -> list[list[str]]:
    """The gold's document ids, sorted, in lists of ``chunk``: the items an engine maps over.

    >>> document_chunks(dict.fromkeys(["b", "a", "c"]), 2)
    [['a', 'b'], ['c']]
    """
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    ids = sorted(gold)
    return [ids[start : start + chunk] for start in range(0, len(ids), chunk)]


def map_chunk(plan: Plan, doc_ids: list[str]) -> LayerCounts:
    """The map for one chunk: per-unit counts of ``plan``'s layer for ``doc_ids`` only.

    Pure (no state shared between chunks), so ``functools.partial(map_chunk, plan)`` is the
    function a ``dask.bag`` maps over :func:`document_chunks`.
    """
    return LAYERS[plan.layer].map(plan, doc_ids)


def sum_counts(parts: Iterable[LayerCounts]) -> LayerCounts:
    """The sum: the chunks' units stacked, metric by metric and level by level.

    >>> from newsgold.metrics.counts import CHANNELS
    >>> a = Counts("m", ("X",), ("d1",), np.ones((1, 1, len(CHANNELS))))
    >>> b = Counts("m", ("X",), ("d2",), np.ones((1, 1, len(CHANNELS))))
    >>> s = sum_counts([LayerCounts("t", ("d1",), {"m": {"exact": a}}),
    ...                 LayerCounts("t", ("d2",), {"m": {"exact": b}})])
    >>> s.units, s.counts["m"]["exact"].data.shape
    (('d1', 'd2'), (2, 1, 9))
    """
    # any iterable (a dask partition is an iterator); summing sums is a sum too, so this is
    # both the per-partition and the aggregate step of a ``Bag.reduction``
    parts = list(parts)
    if not parts:
        raise ValueError("nothing to sum")
    units = tuple(u for p in parts for u in p.units)
    out: dict[str, dict[str, Counts]] = {}
    for metric, levels in parts[0].counts.items():
        for level, c in levels.items():
            data = np.concatenate([p.counts[metric][level].data for p in parts])
            out.setdefault(metric, {})[level] = Counts(c.mode, c.labels, units, data)
    return LayerCounts(parts[0].layer, units, out)


def score_layer(layer: str, gold, pred, options=None, **kw):
    """Score one layer in full (map, sum, intervals) with its own result type."""
    return LAYERS[layer].score(gold, pred, options, **kw)


# --- time expressions and coreference (newsgold.timex_coref_scoring) ----------------------


class TimexLayer(Layer):
    """Time expressions: TempEval-3 strict/relaxed extent, type and value (and our
    value_compatible), all read off one overlap alignment."""

    name = "timex"

    def present(self, ann: Annotation) -> bool:
        from newsgold.metrics.timex import timex_mentions

        return bool(timex_mentions(ann))

    def plan(self, gold, pred, options) -> Plan:
        from newsgold.timex_coref_scoring import LayerOptions, _unit

        options = options or LayerOptions()
        return Plan(self.name, gold, pred, options, {"unit": _unit(options.units, len(gold))})

    def map(self, plan: Plan, doc_ids: list[str]) -> LayerCounts:
        from newsgold.metrics.timex import LABELS, METRICS
        from newsgold.timex_coref_scoring import TIMEX_LEVEL, timex_chunk

        part = timex_chunk(plan.gold, plan.pred, doc_ids, plan.fixed["unit"] == "sentence")
        units = tuple(part.units)
        counts = {m: {TIMEX_LEVEL: Counts(m, LABELS, units, part.arrays[m])} for m in METRICS}
        return LayerCounts(self.name, units, counts)

    def score(self, gold, pred, options, **kw):
        from newsgold.timex_coref_scoring import score_timex

        return score_timex(gold, pred, options, **kw)


class CorefLayer(Layer):
    """Entity clusters and event hoppers: MUC, B³, CEAF-e, LEA (CoNLL in the result)."""

    name = "coref"

    def present(self, ann: Annotation) -> bool:
        return any(m.cluster is not None for m in ann.mentions)

    def plan(self, gold, pred, options) -> Plan:
        from newsgold.timex_coref_scoring import LayerOptions

        return Plan(self.name, gold, pred, options or LayerOptions(), {"unit": "document"})

    def map(self, plan: Plan, doc_ids: list[str]) -> LayerCounts:
        from newsgold.timex_coref_scoring import COREF_LEVEL, coref_chunk

        units, arrays, _ = coref_chunk(plan.gold, plan.pred, doc_ids)
        counts = {
            f"{ch}/{m}": {COREF_LEVEL: Counts(f"{ch}/{m}", ("all",), tuple(units), a)}
            for ch, by_metric in arrays.items()
            for m, a in by_metric.items()
        }
        return LayerCounts(self.name, tuple(units), counts)

    def score(self, gold, pred, options, **kw):
        from newsgold.timex_coref_scoring import score_coref

        return score_coref(gold, pred, options, **kw)


LAYERS["timex"] = TimexLayer()
LAYERS["coref"] = CorefLayer()
#: layers scored only when named in ``--layers`` (the default output stays as it was)
OPT_IN_LAYERS = ("timex", "coref")

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
from dataclasses import dataclass, field
from typing import Any

from newsgold.model import TRIGGER, Annotation
from newsgold.stream_sums import EntitySum, EventSum, TimexCorefSum

__all__ = [
    "STREAM_LAYERS",
    "ChunkOut",
    "EntitySum",
    "EventSum",
    "Sums",
    "TimexCorefSum",
    "map_chunk",
    "merge_chunk",
    "score_chunks",
    "streamable",
]

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


# --- the streamed score ------------------------------------------------------------------


def present_layers(pred: dict[str, Annotation], schemes) -> set[str]:
    """The default layers ``pred`` has (as :func:`newsgold.layers.layers_present`)."""
    out = set()
    for ann in pred.values():
        if "entities" not in out and any(m.kind != TRIGGER for m in ann.mentions):
            out.add("entities")
        for m in ann.mentions:
            if m.kind == TRIGGER:
                for s in schemes.event_types(m):
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
    from newsgold.event_scoring import unknown_labels
    from newsgold.selection import system_labels

    return {
        "present": present_layers(pred, sums.schemes),
        "unknown": unknown_labels(pred, sums.schemes) if sums.events else {},
        "system": system_labels(pred, sums.entity.options) if sums.entity else set(),
    }


def map_chunk(join, sums: Sums, ids: list[str], *, read_only: bool = False) -> ChunkOut:
    """The map: read the gold documents ``ids`` and their predictions, score every layer
    (with ``read_only``, or when the chunk has a problem: read and check only).

    Pure (reads files, changes nothing), so an engine may run it in another process:
    ``newsgold score --dask`` maps it with ``dask.bag``."""
    from newsgold.formats.jsonl import gc_paused

    # a chunk's objects make no reference cycles: the collector would walk them for
    # nothing (it runs again between chunks, so nothing accumulates)
    with gc_paused():
        return _map_chunk(join, sums, ids, read_only)


def _map_chunk(join, sums: Sums, ids: list[str], read_only: bool) -> ChunkOut:
    chunk = join.read_chunk(ids)
    out = ChunkOut(len(chunk.gold), chunk.problems, chunk.missing, _seen(sums, chunk.pred))
    if read_only or any(chunk.problems[k] for k in ("gold", "gold_check", "pred")):
        return out
    from newsgold.metrics.event_items import raw_events

    # derived once per chunk as plain (trigger, [(role, mention)]) pairs
    ev_of = {("g", d): raw_events(a) for d, a in chunk.gold.items()}
    ev_of.update({("p", d): raw_events(a) for d, a in chunk.pred.items()})
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
            # once anything is wrong, the rest is only read for its problems
            merge_chunk(join, sums, fn(ids, read_only=join.has_errors()))
            done += len(ids)
            if progress is not None:
                progress(done, join.n_gold)
    else:
        for out in mapper(fn, join.chunk_ids()):
            merge_chunk(join, sums, out)
    for pred in join.rest():
        _merge_seen(sums, _seen(sums, pred))
    return sums

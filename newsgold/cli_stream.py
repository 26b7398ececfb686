"""``newsgold score`` on Prodigy JSONL files, streamed (:mod:`newsgold.stream_score`).

The same checks in the same order as the whole-file path (:mod:`newsgold.cli_score`,
:mod:`newsgold.cli_events`), and the same outputs, written by the same functions; only the
reading differs: a chunk of documents at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newsgold.errors import NewsgoldError, Problem


def _raise(problems: list[Problem], cap: int | None = None) -> None:
    if not problems:
        return
    if cap is not None and len(problems) > cap:
        file = problems[0].file
        more = Problem(f"... and {len(problems) - cap} more errors", file=file)
        problems = [*problems[:cap], more]
    raise NewsgoldError(problems)


@dataclass
class Scored:
    """A streamed score's results, before any output."""

    entity: Any  # EntityResult | None
    rows: list[dict]  # entity error rows (--errors, --html)
    events: dict[str, Any]  # layer -> EventResult
    others: dict[str, Any]  # timex / coref results
    chosen: list[str]
    preds: Any  # Predictions: the reader's warnings
    hint: str | None
    n_events: int
    n_docs: int

    @property
    def entity_only(self) -> bool:
        return not self.events and not self.others


def score_streamed(*, kind, output, errors, html, errors_mode, inputs, **kw) -> None:
    """Score as ``newsgold score`` does, reading a chunk of documents at a time, and write
    its outputs (the whole-file path's own functions); ``kw`` as :func:`stream_results`."""
    from newsgold.cli_events import report_unknown, write_layer_outputs
    from newsgold.cli_score import print_reports, write_entity_outputs

    want_rows = errors is not None or html is not None
    r = stream_results(errors_mode=errors_mode if want_rows else None, **kw)
    pred, gold = kw["pred"], kw["gold"]
    if r.entity_only:
        print_reports(r.preds, r.entity, r.hint)
        write_entity_outputs(
            r.entity,
            r.rows,
            kind=kind,
            output=output,
            errors=errors,
            html=html,
            errors_mode=errors_mode,
            pred=pred,
            gold=gold,
            inputs=inputs,
        )
        return
    report_unknown(r.events)
    print_reports(r.preds, r.entity, r.hint if r.entity is not None else None)
    write_layer_outputs(
        r.entity,
        r.events,
        r.rows if r.entity is not None else [],
        r.others,
        chosen=r.chosen,
        n_events=r.n_events,
        n_docs=r.n_docs,
        kind=kind,
        output=output,
        errors=errors,
        html=html,
        pred_path=pred,
        inputs=inputs,
    )


def stream_results(
    *,
    pred: Path,
    gold: Path,
    corpus: Path,
    schema: Any,
    options: Any,
    layers: list[str] | None,
    preset: str,
    event_view: str,
    head_parser: str | None,
    units: str,
    bootstrap: int,
    seed: int,
    allow_missing: bool,
    allow_unknown: bool,
    allow_mismatch: bool,
    manifest: dict,
    errors_mode: str | None = None,
    dask: bool = False,
) -> Scored:
    """The checks and results of ``newsgold score``, reading a chunk of documents at a
    time; ``errors_mode`` asks for the entity error rows; with ``dask``, the chunks are
    mapped by ``dask.bag`` (:func:`dask_mapper`)."""
    from newsgold.cli_common import with_progress
    from newsgold.cli_events import EVENT_LAYERS, EVENT_PRESETS, event_options
    from newsgold.cli_score import check_labels, label_map_hint
    from newsgold.corpus.index import CorpusIndex
    from newsgold.event_scoring import _unit_kind as event_unit
    from newsgold.event_scoring import unknown_problems
    from newsgold.formats.collect import MAX_ERRORS, Predictions
    from newsgold.metrics.entities import MODES
    from newsgold.metrics.event_items import HeadRule, RoleSchemes
    from newsgold.scoring import _check_options, _unit_kind
    from newsgold.stream_join import Join
    from newsgold.stream_score import EntitySum, EventSum, Sums, TimexCorefSum, score_chunks

    want_rows = errors_mode is not None
    if want_rows and errors_mode not in MODES:
        raise NewsgoldError(Problem(f"--errors-mode must be one of {MODES}", field="--errors-mode"))
    entity_opts = options
    if options.preset in EVENT_PRESETS:  # events scored with theirs, entities with ours
        entity_opts = replace(options, preset="newsgold")
    _check_options(entity_opts)
    join = Join(
        gold,
        pred,
        CorpusIndex(corpus),
        allow_unknown=allow_unknown,
        allow_mismatch=allow_mismatch,
        schema=schema,
    ).scan()
    if join.gold_problems:  # unreadable lines: nothing else is worth reading
        _raise(sorted(join.gold_problems + join.extra_gold_problems(), key=lambda p: p.line or 0))
    if join.n_gold == 0:
        _raise(join.extra_gold_problems())
        raise NewsgoldError(Problem("the gold holds no annotated document", file=str(gold)))

    entity = None
    if layers is None or "entities" in layers:
        entity = EntitySum(
            entity_opts,
            _unit_kind(options.units, join.n_gold),
            schema,
            errors_mode=errors_mode,
        )
    ev_opts = event_options(
        preset, event_view, units, bootstrap, seed, head_parser, allow_unknown, error_rows=want_rows
    )
    ev_preset = ev_opts.preset
    ev_unit = (
        "document"
        if ev_preset != "newsgold" and units == "auto"
        else event_unit(units, join.n_gold)
    )
    rs, heads = RoleSchemes.from_schema(schema), HeadRule(head_parser)
    events = {
        layer: EventSum("ere" if layer == "events" else layer, ev_opts, ev_unit, rs, heads)
        for layer in EVENT_LAYERS
        if layers is None or layer in layers or ev_preset != "newsgold"
    }
    others = {}
    for name in ("timex", "coref"):
        if layers is not None and name in layers:  # imported only when asked for
            from newsgold.timex_coref_scoring import LayerOptions
            from newsgold.timex_coref_scoring import _unit as other_unit

            unit = other_unit(units, join.n_gold) if name == "timex" else "document"
            opts = LayerOptions(units=units, n_resamples=bootstrap, seed=seed)
            others[name] = TimexCorefSum(name, opts, unit)
    sums = Sums(entity, events, others, rs)
    mapper = dask_mapper() if dask else None
    done = with_progress(
        lambda progress: score_chunks(join, sums, progress=progress, mapper=mapper),
        join.n_gold,
    )
    # the whole-file path's order: the gold, the prediction, then what scoring checks
    gold_problems = join.gold_problems + join.extra_gold_problems()
    _raise(sorted(gold_problems, key=lambda p: p.line or 0))
    _raise(join.gold_check_problems)
    _raise(join.pred_problems, cap=MAX_ERRORS)
    if done.missing and not allow_missing:
        _raise(
            [
                Problem(
                    "gold document with no prediction (use --allow-missing to score it as empty)",
                    file=str(pred),
                    doc_id=d,
                )
                for d in done.missing
            ]
        )
    if entity is not None:
        check_labels(None, options, schema, have=entity.have)

    unknown = done.unknown_counts()
    chosen = layers
    if chosen is None:
        chosen = [x for x in ("entities", *EVENT_LAYERS) if x in done.present] or ["entities"]
        if "entities" not in chosen and preset not in EVENT_PRESETS:
            chosen = ["entities", *chosen]
    ev_layers = [x for x in chosen if x in EVENT_LAYERS]
    if preset in EVENT_PRESETS and not ev_layers:
        ev_layers = list(EVENT_LAYERS)
    if ev_layers or others:
        _raise(join.event_problems)
    if ev_layers and (unknown["types"] or unknown["roles"]) and not allow_unknown:
        _raise([replace(p, file=str(pred)) for p in unknown_problems(unknown)])
    preds = Predictions({}, join.pred_warnings, format="prodigy")
    result = hint = None
    if "entities" in chosen and entity is not None:
        result = entity.result(manifest)
        hint = label_map_hint({}, options, schema, system=done.system)
    if not ev_layers and not others:
        ev_results: dict[str, Any] = {}
    else:
        ev_results = {layer: events[layer].result(manifest, unknown) for layer in ev_layers}
    return Scored(
        result,
        entity.rows if entity is not None else [],
        ev_results,
        {name: acc.result(manifest) for name, acc in others.items()},
        chosen,
        preds,
        hint,
        done.n_events,
        done.n_docs,
    )


#: dask's names of its local schedulers
SCHEDULERS = ("processes", "threads", "synchronous", "single-threaded", "sync")


def dask_mapper():
    """``mapper(function, items)`` for :func:`newsgold.stream_score.score_chunks` that maps
    with ``dask.bag`` (its default scheduler: processes; ``DASK_SCHEDULER=threads`` or
    ``synchronous`` picks another), results in the items' order."""
    try:
        import dask.bag as db
    except ImportError:
        raise NewsgoldError(
            Problem("--dask needs dask: pip install 'newsgold[dask]'", field="--dask")
        ) from None
    import os

    def mapper(fn, items):
        items = list(items)
        if not items:
            return []
        n = max(1, min(len(items), 4 * (os.cpu_count() or 1)))
        bag = db.from_sequence(items, npartitions=n).map(fn)
        # read when scoring, not when dask was first imported (dask reads DASK_* then)
        scheduler = os.environ.get("DASK_SCHEDULER") or None
        if scheduler is not None and scheduler not in SCHEDULERS:
            raise NewsgoldError(
                Problem(
                    f"DASK_SCHEDULER={scheduler!r}: use one of {', '.join(SCHEDULERS)}",
                    field="--dask",
                )
            )
        return bag.compute(scheduler=scheduler)

    return mapper

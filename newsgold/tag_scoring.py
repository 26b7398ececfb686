"""Scoring two tag sequences (IOB/BIOES lists, the way seqeval and nervaluate are called)
with the entity scorer: tags become spans, spans are scored as
:func:`newsgold.scoring.score_entities` scores them."""

from __future__ import annotations

from dataclasses import asdict

from newsgold.errors import FormatError, Problem
from newsgold.metrics.counts import SpanUnits
from newsgold.metrics.entities import semeval_counts_by_document
from newsgold.metrics.presets import PRESETS
from newsgold.scoring import (
    EntityOptions,
    EntityResult,
    _intervals,
    _preset_counts,
    _summaries,
    _version,
)


def score_tags(
    y_true: list[list[str]],
    y_pred: list[list[str]],
    *,
    preset: str = "newsgold",
    n_resamples: int = 0,
    confidence: float = 0.95,
    seed: int = 0,
) -> EntityResult:
    """Score tag sequences (BIO/IOB1/IOB2/BIOES), the input seqeval and nervaluate take.

    Each sequence is decoded leniently with seqeval's rules (an ``I-`` after ``O`` starts an
    entity; see :mod:`newsgold.formats.conll`) into token spans, one unit per sequence.

    >>> r = score_tags([["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "B-ORG"]])
    >>> r.summaries["strict"]["micro"]["f1"], r.summaries["ent_type"]["micro"]["f1"]
    (0.5, 0.5)
    """
    from newsgold.formats.conll import decode, split_tag

    if len(y_true) != len(y_pred):
        raise FormatError(Problem(f"{len(y_true)} gold sequences but {len(y_pred)} predicted ones"))
    gold_lists, pred_lists = [], []
    for i, (t, p) in enumerate(zip(y_true, y_pred)):
        if len(t) != len(p):
            raise FormatError(Problem(f"sequence {i}: {len(t)} gold tags but {len(p)} predicted"))
        for seq, out in ((t, gold_lists), (p, pred_lists)):
            pairs = []
            for k, tag in enumerate(seq):
                parsed = split_tag(tag)
                if parsed is None:
                    raise FormatError(Problem(f"sequence {i}, tag {k}: not a tag: {tag!r}"))
                pairs.append(parsed)
            out.append([(first, last + 1, typ) for typ, first, last in decode(pairs)])
    labels = tuple(sorted({lbl for doc in gold_lists + pred_lists for _, _, lbl in doc}))
    units = tuple(f"s{i}" for i in range(len(y_true)))
    options = EntityOptions(
        preset=preset, units="sentence", n_resamples=n_resamples, confidence=confidence, seed=seed
    )
    if preset == "newsgold":
        counts = semeval_counts_by_document(gold_lists, pred_lists, labels, units=units)
        macro_over = "gold"
    else:
        if preset not in PRESETS:
            raise FormatError(
                Problem(f"unknown preset {preset!r}; choose from {PRESETS}", field="preset")
            )

        def tokens() -> list[list[tuple[int, int]]]:
            return [[(k, k + 1) for k in range(len(t))] for t in y_true]

        unit_spans = SpanUnits.by_document(gold_lists, pred_lists, names=units)
        counts, macro_over = _preset_counts(
            preset, gold_lists, pred_lists, labels, tokens, unit_spans
        )
    summaries = _summaries(counts, macro_over)
    manifest = {
        "newsgold_version": _version(),
        "layer": "entities",
        "input": "tag sequences",
        "options": asdict(options),
        "unit": "sentence",
        "n_units": len(units),
        "gold_spans": sum(map(len, gold_lists)),
        "pred_spans": sum(map(len, pred_lists)),
        "labels": list(labels),
    }
    return EntityResult(
        preset, "sentence", counts, summaries, _intervals(counts, macro_over, options), {}, manifest
    )

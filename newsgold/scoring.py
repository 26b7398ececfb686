"""Scoring a system against the gold: selection, label maps, units, metrics, intervals.

This module wires layers together and holds no metric definition of its own: spans are
matched in :mod:`newsgold.match`, counted in :mod:`newsgold.metrics`, and resampled in
:mod:`newsgold.stats`.

Which spans are scored and how labels are mapped: :mod:`newsgold.selection`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from newsgold.errors import FormatError, Problem
from newsgold.metrics.counts import Counts, Outcome, SpanUnits, summary
from newsgold.metrics.entities import MODES, semeval_counts_by_document, semeval_outcomes
from newsgold.metrics.presets import (
    PRESETS,
    nervaluate_counts,
    nervaluate_outcomes,
    set_match_counts,
    set_match_outcomes,
    spacy_counts,
    spacy_outcomes,
)
from newsgold.model import Annotation, Document
from newsgold.schema import Schema, load_schema
from newsgold.selection import LabelMapper, select_corpus
from newsgold.stats import bootstrap_ci


def _version() -> str:
    import newsgold

    return newsgold.__version__


#: documents needed before the bootstrap resamples documents rather than sentences
MIN_DOCUMENT_UNITS = 30


@dataclass
class EntityOptions:
    view: str = "ner"
    span: str | None = None  # "head" or "extent"; None: the view's default
    label_map: str | None = None
    rename: dict[str, str] = field(default_factory=dict)
    labels: tuple[str, ...] | None = None
    preset: str = "newsgold"
    units: str = "auto"  # auto, document, sentence
    n_resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0
    #: nervaluate's ``min_overlap_percentage`` (1-100) for the nervaluate presets; None: 1
    min_overlap: float | None = None


@dataclass
class EntityResult:
    preset: str
    unit: str
    counts: dict[str, Counts]
    summaries: dict[str, dict]
    intervals: dict[str, dict[str, dict[str, tuple[float, float]]]]
    label_report: dict[str, dict[str, int]]
    manifest: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        modes = {}
        for mode, s in self.summaries.items():
            modes[mode] = {**s, "ci": self.intervals.get(mode, {})}
        return {
            "preset": self.preset,
            "unit": self.unit,
            "modes": modes,
            "labels": self.label_report,
            "manifest": self.manifest,
        }

    def to_frame(self):
        """One row per mode and label (plus ``micro``/``macro`` rows), as a DataFrame."""
        import pandas as pd

        rows = []
        for mode, s in self.summaries.items():
            ci = self.intervals.get(mode, {})
            for avg in ("micro", "macro"):
                if avg in s:
                    row = {
                        "mode": mode,
                        "label": avg,
                        **{k: v for k, v in s[avg].items() if k != "over"},
                    }
                    for metric, (lo, hi) in ci.get(avg, {}).items():
                        row[f"{metric}_low"], row[f"{metric}_high"] = lo, hi
                    rows.append(row)
            for label, row in s["per_label"].items():
                rows.append({"mode": mode, "label": label, **row})
        return pd.DataFrame(rows)


def _unit_kind(units: str, n_docs: int) -> str:
    if units == "auto":
        return "document" if n_docs >= MIN_DOCUMENT_UNITS else "sentence"
    if units not in ("document", "sentence"):
        raise FormatError(
            Problem(f"units must be auto, document or sentence, not {units!r}", field="units")
        )
    return units


def _sentence_starts(doc: Document) -> list[int]:
    return [s.start for s in doc.sentences] or [0]


def span_units(docs: list[Document], unit: str) -> SpanUnits:
    """The resampling units of ``docs`` (in that order): documents, or their sentences."""
    ids = [d.doc_id for d in docs]
    if unit == "document":
        return SpanUnits.by_document(ids, names=ids)
    return SpanUnits.by_segments(ids, [_sentence_starts(d) for d in docs])


#: how per-label rows of label-blind modes credit a span with the right boundaries but
#: another label (see :mod:`newsgold.metrics.counts`)
LABEL_BLIND_NOTE = (
    "label-blind mode: a span with the gold boundaries but another label is credited in "
    "the recall of its gold label and in the precision of its predicted label, so a "
    "label's P and R can count different spans"
)


def _check_options(options: EntityOptions) -> None:
    if options.preset not in PRESETS:
        raise FormatError(
            Problem(f"unknown preset {options.preset!r}; choose from {PRESETS}", field="preset")
        )
    if options.min_overlap is not None:
        if not options.preset.startswith("nervaluate"):
            raise FormatError(
                Problem(
                    "--min-overlap is nervaluate's min_overlap_percentage: it applies to the "
                    f"nervaluate presets only, not to {options.preset!r}",
                    field="--min-overlap",
                )
            )
        if not 1.0 <= options.min_overlap <= 100.0:
            raise FormatError(
                Problem(
                    f"--min-overlap must be between 1 and 100 (percent), not {options.min_overlap}",
                    field="--min-overlap",
                )
            )


def _select(gold, pred, options: EntityOptions, schema: Schema):
    """The label mapper, scored doc_ids, per-document span lists and the label set."""
    mapper = LabelMapper(schema, options.label_map, options.rename)
    doc_ids = sorted(gold)
    gold_lists, pred_lists = select_corpus(
        gold,
        pred,
        doc_ids,
        schema,
        mapper,
        view=options.view,
        span=options.span,
        labels=options.labels,
    )
    labels = tuple(sorted({lbl for doc in gold_lists + pred_lists for _, _, lbl in doc}))
    return mapper, doc_ids, gold_lists, pred_lists, labels


def _token_offsets(docs: list[Document]) -> list[list[tuple[int, int]]]:
    from newsgold.corpus.segment import tokenize

    return [[(t.start, t.end) for t in (doc.tokens or tokenize(doc.text))] for doc in docs]


# --- scoring ------------------------------------------------------------------------------


def file_sha256(path: str | Path) -> str | None:
    p = Path(path)
    if p.is_file():
        h = hashlib.sha256()
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    if p.is_dir():  # a brat folder: hash of the sorted files' hashes
        h = hashlib.sha256()
        for f in sorted(p.rglob("*")):
            if f.is_file():
                h.update(str(f.relative_to(p)).encode() + b"\0" + (file_sha256(f) or "").encode())
        return h.hexdigest()
    return None


def score_entities(
    gold: dict[str, Annotation],
    pred: dict[str, Annotation],
    options: EntityOptions | None = None,
    *,
    schema: Schema | None = None,
    manifest: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EntityResult:
    """Score predicted entity mentions against the gold, in every mode of the preset.

    ``gold`` and ``pred`` map doc_id to annotations; every gold document is scored, and a
    gold document without a prediction counts as predicting nothing (the readers decide
    whether that is allowed). ``progress(done, total)`` is called as documents are scored.

    >>> from newsgold.model import Document, Mention, Annotation
    >>> doc = Document("d1", "Putin met Blinken.")
    >>> g = Annotation(doc, [Mention(0, 5, "PERSON", mention_type="NAM"),
    ...                      Mention(10, 17, "PERSON", mention_type="NAM")])
    >>> p = Annotation(doc, [Mention(0, 5, "PERSON")])
    >>> r = score_entities({"d1": g}, {"d1": p}, EntityOptions(n_resamples=0))
    >>> round(r.summaries["strict"]["micro"]["f1"], 3)
    0.667
    """
    options = options or EntityOptions()
    schema = schema or load_schema()
    _check_options(options)
    mapper, doc_ids, gold_lists, pred_lists, labels = _select(gold, pred, options, schema)
    docs = [gold[d].document for d in doc_ids]
    # every preset resamples the same units as the default: the unit decides the intervals
    # and the paired tests, never the preset
    unit = _unit_kind(options.units, len(doc_ids))
    units = span_units(docs, unit)
    if options.preset == "newsgold":
        report = None if progress is None else (lambda done: progress(done, len(doc_ids)))
        counts = semeval_counts_by_document(
            gold_lists,
            pred_lists,
            labels,
            units=units.names,
            unit_of=None if unit == "document" else (lambda a: units.units_of(a.doc, a.start)),
            progress=report,
        )
    else:
        counts, _ = _preset_counts(
            options.preset,
            gold_lists,
            pred_lists,
            labels,
            lambda: _token_offsets(docs),
            units,
            min_overlap=options.min_overlap,
        )
    return entity_result(
        counts,
        options,
        unit,
        mapper.report(),
        documents=len(doc_ids),
        gold_spans=sum(len(g) for g in gold_lists),
        pred_spans=sum(len(p) for p in pred_lists),
        labels=labels,
        manifest=manifest,
    )


def macro_policy(preset: str) -> str:
    """Which labels a preset's macro average runs over (see :func:`newsgold.metrics.counts.macro`):
    ``gold`` (labels with gold support: ours, nervaluate), ``any`` (seqeval: gold or
    predicted), ``none`` (conlleval and spaCy report no macro average)."""
    return {"seqeval": "any", "conlleval": "none", "spacy": "none"}.get(preset, "gold")


def entity_result(
    counts: dict[str, Counts],
    options: EntityOptions,
    unit: str,
    label_report: dict[str, dict[str, int]],
    *,
    documents: int,
    gold_spans: int,
    pred_spans: int,
    labels: tuple[str, ...],
    manifest: dict[str, Any] | None = None,
) -> EntityResult:
    """The result from summed per-unit counts: summaries, intervals and the manifest (the
    last step of :func:`score_entities`, and of a streamed score)."""
    macro_over = macro_policy(options.preset)
    summaries = _summaries(counts, macro_over)
    intervals = _intervals(counts, macro_over, options)
    man = {
        "newsgold_version": _version(),
        "layer": "entities",
        "options": {**asdict(options), "labels": list(options.labels) if options.labels else None},
        "unit": unit,
        "n_units": len(next(iter(counts.values())).units) if counts else 0,
        "documents": documents,
        "gold_spans": gold_spans,
        "pred_spans": pred_spans,
        "labels": list(labels),
        **(manifest or {}),
    }
    return EntityResult(options.preset, unit, counts, summaries, intervals, label_report, man)


def _summaries(counts: dict[str, Counts], macro_over: str) -> dict[str, dict]:
    out = {}
    for m, c in counts.items():
        out[m] = summary(c, macro_over=macro_over)
        if m in ("exact", "partial"):
            out[m]["note"] = LABEL_BLIND_NOTE
    return out


def _preset_counts(
    preset: str,
    gold_lists: list[list[tuple[int, int, str]]],
    pred_lists: list[list[tuple[int, int, str]]],
    labels: tuple[str, ...],
    tokens: Callable[[], list[list[tuple[int, int]]]],
    units: SpanUnits,
    *,
    min_overlap: float | None = None,
) -> tuple[dict[str, Counts], str]:
    """Counts of a compatibility preset over ``units`` and its macro policy."""
    if preset in ("nervaluate", "nervaluate-raw"):
        counts = nervaluate_counts(
            gold_lists,
            pred_lists,
            labels,
            raw_ends=preset == "nervaluate-raw",
            min_overlap_percentage=1.0 if min_overlap is None else min_overlap,
            units=units,
        )
        return counts, macro_policy(preset)
    if preset in ("seqeval", "conlleval"):
        counts = set_match_counts(gold_lists, pred_lists, labels, preset, units=units)
        return {preset: counts}, macro_policy(preset)
    spacy = spacy_counts(gold_lists, pred_lists, tokens(), labels, units=units)
    return {"spacy": spacy}, macro_policy(preset)


def preset_outcomes(
    preset: str,
    mode: str,
    gold_lists: list[list[tuple[int, int, str]]],
    pred_lists: list[list[tuple[int, int, str]]],
    labels: tuple[str, ...],
    tokens: Callable[[], list[list[tuple[int, int]]]],
    *,
    min_overlap: float | None = None,
) -> list[list[Outcome]]:
    """The alignment behind the micro counts of ``preset`` in ``mode``, per document."""
    if preset == "newsgold":
        return semeval_outcomes(gold_lists, pred_lists, labels, mode)
    if preset in ("nervaluate", "nervaluate-raw"):
        return nervaluate_outcomes(
            gold_lists,
            pred_lists,
            mode,
            raw_ends=preset == "nervaluate-raw",
            min_overlap_percentage=1.0 if min_overlap is None else min_overlap,
        )
    if preset in ("seqeval", "conlleval"):
        return set_match_outcomes(gold_lists, pred_lists)
    return spacy_outcomes(gold_lists, pred_lists, tokens())


def _intervals(counts: dict[str, Counts], macro_over: str, options: EntityOptions) -> dict:
    """Bootstrap intervals of the micro (and macro) scores of every mode."""
    out: dict[str, dict] = {}
    if options.n_resamples <= 0:
        return out
    common = {
        "n_resamples": options.n_resamples,
        "confidence": options.confidence,
        "seed": options.seed,
    }
    for m, c in counts.items():
        out[m] = {"micro": bootstrap_ci(c, **common)}
        if macro_over != "none":
            out[m]["macro"] = bootstrap_ci(c, average="macro", macro_over=macro_over, **common)
    return out


def __getattr__(name: str):
    # entity_errors and score_tags moved to their own modules; lazy names here, so neither
    # module imports this one back
    if name == "entity_errors":
        from newsgold.entity_errors import entity_errors

        return entity_errors
    if name == "score_tags":
        from newsgold.tag_scoring import score_tags

        return score_tags
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MODES",
    "EntityOptions",
    "EntityResult",
    "file_sha256",
    "score_entities",
    "span_units",
]

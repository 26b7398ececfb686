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

import numpy as np

from newsgold import __version__
from newsgold.errors import FormatError, Problem
from newsgold.match import SpanArrays
from newsgold.metrics.counts import Counts, summary
from newsgold.metrics.entities import MODES, semeval_counts_by_document, semeval_outcomes
from newsgold.metrics.presets import (
    PRESETS,
    nervaluate_counts,
    set_match_counts,
    spacy_counts,
)
from newsgold.model import Annotation, Document
from newsgold.schema import Schema, load_schema
from newsgold.selection import LabelMapper, select_corpus
from newsgold.stats import bootstrap_ci

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
    if options.preset not in PRESETS:
        raise FormatError(
            Problem(f"unknown preset {options.preset!r}; choose from {PRESETS}", field="preset")
        )
    mapper = LabelMapper(schema, options.label_map, options.rename)
    doc_ids = sorted(gold)
    gold_lists, pred_lists = select_corpus(gold, pred, doc_ids, options, schema, mapper)
    labels = tuple(sorted({lbl for doc in gold_lists + pred_lists for _, _, lbl in doc}))
    if options.preset == "newsgold":
        unit = _unit_kind(options.units, len(doc_ids))
        report = None if progress is None else (lambda done: progress(done, len(doc_ids)))
        counts = _newsgold_counts(gold, doc_ids, gold_lists, pred_lists, labels, unit, report)
        macro_over = "gold"
    else:
        unit = "document"

        def tokens() -> list[list[tuple[int, int]]]:
            from newsgold.corpus.segment import tokenize

            docs = [gold[d].document for d in doc_ids]
            return [[(t.start, t.end) for t in (doc.tokens or tokenize(doc.text))] for doc in docs]

        counts, macro_over = _preset_counts(options.preset, gold_lists, pred_lists, labels, tokens)
        counts = {m: _rename_units(c, doc_ids) for m, c in counts.items()}
    summaries = {m: summary(c, macro_over=macro_over) for m, c in counts.items()}
    intervals = _intervals(counts, macro_over, options)
    man = {
        "newsgold_version": __version__,
        "layer": "entities",
        "options": {**asdict(options), "labels": list(options.labels) if options.labels else None},
        "unit": unit,
        "n_units": len(next(iter(counts.values())).units) if counts else 0,
        "documents": len(doc_ids),
        "gold_spans": sum(len(g) for g in gold_lists),
        "pred_spans": sum(len(p) for p in pred_lists),
        "labels": list(labels),
        **(manifest or {}),
    }
    return EntityResult(options.preset, unit, counts, summaries, intervals, mapper.report(), man)


def _preset_counts(
    preset: str,
    gold_lists: list[list[tuple[int, int, str]]],
    pred_lists: list[list[tuple[int, int, str]]],
    labels: tuple[str, ...],
    tokens: Callable[[], list[list[tuple[int, int]]]],
) -> tuple[dict[str, Counts], str]:
    """Counts of a compatibility preset (one unit per document) and its macro policy."""
    if preset in ("nervaluate", "nervaluate-raw"):
        raw = preset == "nervaluate-raw"
        return nervaluate_counts(gold_lists, pred_lists, labels, raw_ends=raw), "gold"
    if preset in ("seqeval", "conlleval"):
        counts = set_match_counts(gold_lists, pred_lists, labels, preset)
        return {preset: counts}, "any" if preset == "seqeval" else "none"
    return {"spacy": spacy_counts(gold_lists, pred_lists, tokens(), labels)}, "none"


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

        counts, macro_over = _preset_counts(preset, gold_lists, pred_lists, labels, tokens)
    summaries = {m: summary(c, macro_over=macro_over) for m, c in counts.items()}
    manifest = {
        "newsgold_version": __version__,
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


def entity_errors(
    gold: dict[str, Annotation],
    pred: dict[str, Annotation],
    options: EntityOptions | None = None,
    *,
    mode: str = "strict",
    schema: Schema | None = None,
    context: int = 40,
    include_correct: bool = False,
) -> list[dict[str, Any]]:
    """Every gold and predicted span that ``mode`` does not credit in full (``partial``,
    ``incorrect``, ``missed``, ``spurious``), with its text and context, in document order.

    Rows come from the same alignment as the scores (:func:`semeval_outcomes`), so the
    error list adds up to the counts. Context is ``context`` characters either side.
    """
    options = options or EntityOptions()
    schema = schema or load_schema()
    mapper = LabelMapper(schema, options.label_map, options.rename)
    doc_ids = sorted(gold)
    gold_lists, pred_lists = select_corpus(gold, pred, doc_ids, options, schema, mapper)
    labels = tuple(sorted({lbl for doc in gold_lists + pred_lists for _, _, lbl in doc}))
    outcomes = semeval_outcomes(gold_lists, pred_lists, labels, mode)
    rows = []
    for d, gl, pl, doc_rows in zip(doc_ids, gold_lists, pred_lists, outcomes):
        text = gold[d].document.text
        for outcome, gi, pi in doc_rows:
            if outcome == "correct" and not include_correct:
                continue
            g_span = gl[gi] if gi is not None else None
            p_span = pl[pi] if pi is not None else None
            spans = [x for x in (g_span, p_span) if x is not None]
            lo = min(s for s, _, _ in spans)
            hi = max(e for _, e, _ in spans)
            rows.append(
                {
                    "doc_id": d,
                    "mode": mode,
                    "outcome": outcome,
                    "gold": _span_row(g_span, text),
                    "pred": _span_row(p_span, text),
                    "left": text[max(0, lo - context) : lo],
                    "span": text[lo:hi],
                    "right": text[hi : hi + context],
                }
            )
    return rows


def _span_row(span: tuple[int, int, str] | None, text: str) -> dict[str, Any] | None:
    if span is None:
        return None
    s, e, lbl = span
    return {"start": s, "end": e, "label": lbl, "text": text[s:e]}


def _rename_units(c: Counts, doc_ids: list[str]) -> Counts:
    return Counts(c.mode, c.labels, tuple(doc_ids), c.data, c.overall)


def _newsgold_counts(
    gold: dict[str, Annotation],
    doc_ids: list[str],
    gold_lists: list[list[tuple[int, int, str]]],
    pred_lists: list[list[tuple[int, int, str]]],
    labels: tuple[str, ...],
    unit: str,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Counts]:
    if unit == "document":
        return semeval_counts_by_document(
            gold_lists, pred_lists, labels, units=tuple(doc_ids), progress=progress
        )
    unit_names: list[str] = []
    bases, starts = [], []
    for d in doc_ids:
        s = _sentence_starts(gold[d].document)
        bases.append(len(unit_names))
        starts.append(np.asarray(s, np.int64))
        unit_names += [f"{d}#s{i}" for i in range(len(s))]

    def unit_of(arr: SpanArrays) -> np.ndarray:
        out = np.empty(len(arr), np.int64)
        for doc in np.unique(arr.doc).tolist():
            rows = arr.doc == doc
            idx = np.searchsorted(starts[doc], arr.start[rows], side="right") - 1
            out[rows] = bases[doc] + np.maximum(idx, 0)
        return out

    return semeval_counts_by_document(
        gold_lists, pred_lists, labels, units=tuple(unit_names), unit_of=unit_of, progress=progress
    )


__all__ = [
    "MODES",
    "EntityOptions",
    "EntityResult",
    "entity_errors",
    "file_sha256",
    "score_entities",
    "score_tags",
]

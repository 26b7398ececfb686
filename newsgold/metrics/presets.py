"""Compatibility presets: the numbers other scorers give, reproduced on our spans.

Each preset turns per-document span lists into :class:`~newsgold.metrics.counts.Counts`, so
tables, bootstrap and paired tests work the same for every preset. The definitions they
deviate from live in :mod:`newsgold.metrics.entities`; here is only how each reference tool
counts, with what it does that we do not do by default.

``nervaluate`` (nervaluate 1.2.1, ``nervaluate/strategies.py``)
    The four SemEval modes, aligned **greedily in the order predictions are listed**: each
    prediction takes the first listed, still free gold span it matches (an exact match
    anywhere in the list wins over an earlier overlap). Overlap is measured on inclusive
    ends, as a percentage of the gold span's length that must reach
    ``min_overlap_percentage`` (default 1%): on long character spans a one-character overlap
    can fall below it. Per-label results come from a second pass over lists filtered to that
    label, so they never show label confusions and need not sum to the overall counts. We
    feed nervaluate inclusive ends (``end - 1``), the way its own loaders build them from
    tags; passing exclusive character ends straight to it would make touching spans overlap.
``seqeval`` (seqeval 1.2.2 default mode) and ``conlleval``
    Exact ``(label, start, end)`` matches between *sets* (duplicates collapse).
    seqeval's macro average runs over every label in gold *or* prediction; conlleval reports
    no macro average. The lenient reading of tags (an ``I-`` after ``O`` starts an entity) is
    a property of the tag decoder, applied when CoNLL files are read.
``spacy`` (spaCy 3.x ``spacy.scorer.get_ner_prf``)
    Gold spans go through ``spacy.util.filter_spans`` (``doc.ents`` cannot nest or overlap),
    and so do predictions; each prediction is snapped outward to the reference tokens it
    touches; a prediction counts once against a *set* of gold keys ``(label, token_start,
    token_end)``, and remaining gold keys are false negatives. No macro average.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from newsgold.metrics.counts import CH, CHANNELS, Counts
from newsgold.metrics.entities import MODES

PRESETS = ("newsgold", "nervaluate", "nervaluate-raw", "seqeval", "conlleval", "spacy")

Span = tuple[int, int, str]  # start, end (exclusive), label


# --- nervaluate -----------------------------------------------------------------------


@dataclass
class _E:
    label: str
    start: int
    end: int  # inclusive


def _overlap_pct(p: _E, t: _E) -> float:
    if p.start > t.end or p.end < t.start:
        return 0.0
    return (min(p.end, t.end) - max(p.start, t.start) + 1) / (t.end - t.start + 1) * 100.0


def _nerv_strategy(mode: str, true: list[_E], pred: list[_E], min_pct: float) -> Counter:
    """One document, one mode: a line-by-line port of nervaluate 1.2.1's strategies."""
    res: Counter = Counter()
    matched: set[int] = set()
    for p in pred:
        found, other = False, None
        best_dist = None
        for ti, t in enumerate(true):
            if ti in matched:
                continue
            ok = _overlap_pct(p, t) >= min_pct
            if mode in ("strict", "exact"):
                same = p.start == t.start and p.end == t.end
                if same and (mode == "exact" or p.label == t.label):
                    res["correct"] += 1
                    matched.add(ti)
                    found = True
                    break
                if ok and other is None:
                    other = ti
            elif mode == "partial":
                if ok:
                    if p.start == t.start and p.end == t.end:
                        res["correct"] += 1
                        matched.add(ti)
                        found = True
                        break
                    if other is None:
                        other = ti
            else:  # ent_type: closest boundaries among same-label overlaps
                if ok:
                    dist = abs(p.start - t.start) + abs(p.end - t.end)
                    if p.label == t.label:
                        if best_dist is None or dist < best_dist:
                            best, best_dist, found = ti, dist, True
                    elif other is None:
                        other = ti
        if mode == "ent_type" and found:
            res["correct"] += 1
            matched.add(best)
        elif not found:
            if other is not None:
                res["partial" if mode == "partial" else "incorrect"] += 1
                matched.add(other)
            else:
                res["spurious"] += 1
    res["missed"] += len(true) - len(matched)
    return res


def _fill(row: np.ndarray, c: Counter, n_pred: int, n_gold: int) -> None:
    for k in ("correct", "incorrect", "partial", "missed", "spurious"):
        row[CH[k]] += c[k]
    row[CH["correct_pred"]] += c["correct"]
    row[CH["partial_pred"]] += c["partial"]
    row[CH["n_pred"]] += n_pred
    row[CH["n_gold"]] += n_gold


def nervaluate_counts(
    gold: Sequence[Sequence[Span]],
    pred: Sequence[Sequence[Span]],
    labels: tuple[str, ...],
    *,
    min_overlap_percentage: float = 1.0,
    modes: tuple[str, ...] = MODES,
    raw_ends: bool = False,
) -> dict[str, Counts]:
    """nervaluate's counts, one unit per document (see the module docstring).

    ``raw_ends=True`` gives nervaluate our exclusive ends as they are, which it reads as
    inclusive: what a user gets who passes Prodigy or character spans to it unchanged
    (touching spans then overlap, and every span is one character longer). That is the
    ``nervaluate-raw`` preset.

    >>> c = nervaluate_counts([[(0, 5, "PER")]], [[(0, 3, "PER"), (0, 5, "PER")]], ("PER",))
    >>> c["strict"].overall_totals()[:5].tolist()  # the partial one, listed first, wins
    [0, 1, 0, 0, 1]
    """
    lab = {name: i for i, name in enumerate(labels)}
    units = tuple(str(i) for i in range(len(gold)))
    out = {}
    for mode in modes:
        data = np.zeros((len(units), len(labels), len(CHANNELS)), np.int64)
        overall = np.zeros((len(units), len(CHANNELS)), np.int64)
        for u, (g, p) in enumerate(zip(gold, pred, strict=True)):
            shift = 0 if raw_ends else 1
            true = [_E(lbl, s, e - shift) for s, e, lbl in g if lbl in lab]
            prd = [_E(lbl, s, e - shift) for s, e, lbl in p if lbl in lab]
            _fill(
                overall[u],
                _nerv_strategy(mode, true, prd, min_overlap_percentage),
                len(prd),
                len(true),
            )
            for name in {e.label for e in true} | {e.label for e in prd}:
                t = [e for e in true if e.label == name]
                q = [e for e in prd if e.label == name]
                _fill(
                    data[u, lab[name]],
                    _nerv_strategy(mode, t, q, min_overlap_percentage),
                    len(q),
                    len(t),
                )
        out[mode] = Counts(mode, labels, units, data, overall)
    return out


# --- seqeval / conlleval ------------------------------------------------------------------


def set_match_counts(
    gold: Sequence[Sequence[Span]],
    pred: Sequence[Sequence[Span]],
    labels: tuple[str, ...],
    mode: str,
) -> Counts:
    """Exact ``(label, start, end)`` matches between per-document sets (seqeval, conlleval).

    >>> c = set_match_counts([[(0, 5, "PER")]], [[(0, 5, "PER"), (0, 5, "PER")]], ("PER",), "seqeval")
    >>> c.overall_totals()[[0, 7, 8]].tolist()  # correct, n_pred, n_gold: duplicates collapse
    [1, 1, 1]
    """
    lab = {name: i for i, name in enumerate(labels)}
    data = np.zeros((len(gold), len(labels), len(CHANNELS)), np.int64)
    for u, (g, p) in enumerate(zip(gold, pred, strict=True)):
        gs, ps = set(g), set(p)
        for s, e, lbl in gs:
            data[u, lab[lbl], CH["n_gold"]] += 1
            if (s, e, lbl) in ps:
                data[u, lab[lbl], CH["correct"]] += 1
                data[u, lab[lbl], CH["correct_pred"]] += 1
            else:
                data[u, lab[lbl], CH["missed"]] += 1
        for s, e, lbl in ps:
            data[u, lab[lbl], CH["n_pred"]] += 1
            if (s, e, lbl) not in gs:
                data[u, lab[lbl], CH["spurious"]] += 1
    return Counts(mode, labels, tuple(str(i) for i in range(len(gold))), data)


# --- spaCy --------------------------------------------------------------------------------


class _TokSpan(NamedTuple):
    start: int  # token index
    end: int  # token index, exclusive
    label: str


def _to_tokens(span: Span, starts: np.ndarray, ends: np.ndarray) -> _TokSpan | None:
    """Snap a character span outward to the tokens it touches (spaCy's alignment of a
    prediction to the reference tokens)."""
    s, e, lbl = span
    i = int(np.searchsorted(ends, s, side="right"))
    j = int(np.searchsorted(starts, e, side="left"))
    if j <= i:
        return None
    return _TokSpan(i, j, lbl)


def spacy_counts(
    gold: Sequence[Sequence[Span]],
    pred: Sequence[Sequence[Span]],
    tokens: Sequence[Sequence[tuple[int, int]]],
    labels: tuple[str, ...],
) -> Counts:
    """spaCy's ``get_ner_prf`` counts (see the module docstring); ``tokens`` are the
    reference tokens of each document as ``(start, end)`` character offsets."""
    from spacy.util import filter_spans

    lab = {name: i for i, name in enumerate(labels)}
    data = np.zeros((len(gold), len(labels), len(CHANNELS)), np.int64)
    for u, (g, p, toks) in enumerate(zip(gold, pred, tokens, strict=True)):
        starts = np.array([t[0] for t in toks], np.int64)
        ends = np.array([t[1] for t in toks], np.int64)
        g_tok = [t for t in (_to_tokens(s, starts, ends) for s in g) if t is not None]
        p_tok = [t for t in (_to_tokens(s, starts, ends) for s in p) if t is not None]
        golds = {(t.label, t.start, t.end) for t in filter_spans(g_tok)}
        per: dict[str, Counter] = defaultdict(Counter)
        for t in filter_spans(p_tok):
            key = (t.label, t.start, t.end)
            if key in golds:
                per[t.label]["tp"] += 1
                golds.remove(key)
            else:
                per[t.label]["fp"] += 1
        for lbl, _, _ in golds:
            per[lbl]["fn"] += 1
        for lbl, c in per.items():
            row = data[u, lab[lbl]]
            row[CH["correct"]] += c["tp"]
            row[CH["correct_pred"]] += c["tp"]
            row[CH["spurious"]] += c["fp"]
            row[CH["missed"]] += c["fn"]
            row[CH["n_pred"]] += c["tp"] + c["fp"]
            row[CH["n_gold"]] += c["tp"] + c["fn"]
    return Counts("spacy", labels, tuple(str(i) for i in range(len(gold))), data)

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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from newsgold.metrics.counts import CHANNELS, Counts, Outcome, SpanUnits, counts_from_outcomes
from newsgold.metrics.entities import MODES

PRESETS = ("newsgold", "nervaluate", "nervaluate-raw", "seqeval", "conlleval", "spacy")
#: the modes each preset reports (the error list of a preset comes from one of these)
PRESET_MODES = {
    "newsgold": MODES,
    "nervaluate": MODES,
    "nervaluate-raw": MODES,
    "seqeval": ("seqeval",),
    "conlleval": ("conlleval",),
    "spacy": ("spacy",),
}

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


def _nerv_strategy(mode: str, true: list[_E], pred: list[_E], min_pct: float) -> list[Outcome]:
    """One document, one mode: a line-by-line port of nervaluate 1.2.1's strategies,
    returning the fate of every span as ``(outcome, true_index, pred_index)``."""
    out: list[Outcome] = []
    matched: set[int] = set()
    for pi, p in enumerate(pred):
        found, other = False, None
        best, best_dist = -1, None
        for ti, t in enumerate(true):
            if ti in matched:
                continue
            ok = _overlap_pct(p, t) >= min_pct
            if mode in ("strict", "exact"):
                same = p.start == t.start and p.end == t.end
                if same and (mode == "exact" or p.label == t.label):
                    best, found = ti, True
                    break
                if ok and other is None:
                    other = ti
            elif mode == "partial":
                if ok:
                    if p.start == t.start and p.end == t.end:
                        best, found = ti, True
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
        if found:
            out.append(("correct", best, pi))
            matched.add(best)
        elif other is not None:
            out.append(("partial" if mode == "partial" else "incorrect", other, pi))
            matched.add(other)
        else:
            out.append(("spurious", None, pi))
    out += [("missed", ti, None) for ti in range(len(true)) if ti not in matched]
    return out


def _check_min_overlap(pct: float) -> None:
    # nervaluate's own bounds (EvaluationStrategy.__init__)
    if not 1.0 <= pct <= 100.0:
        raise ValueError(f"min_overlap_percentage must be between 1 and 100, not {pct}")


def nervaluate_outcomes(
    gold: Sequence[Sequence[Span]],
    pred: Sequence[Sequence[Span]],
    mode: str,
    *,
    min_overlap_percentage: float = 1.0,
    raw_ends: bool = False,
    label: str | None = None,
) -> list[list[Outcome]]:
    """nervaluate's alignment under ``mode``, per document: ``(outcome, gold_index,
    pred_index)`` with indices into the given lists. ``label`` restricts both sides to one
    label first (nervaluate's per-label pass).

    >>> nervaluate_outcomes([[(0, 5, "PER")]], [[(0, 3, "PER"), (0, 5, "PER")]], "strict")
    [[('incorrect', 0, 0), ('spurious', None, 1)]]
    """
    _check_min_overlap(min_overlap_percentage)
    shift = 0 if raw_ends else 1
    out = []
    for g, p in zip(gold, pred, strict=True):
        gi = [i for i, x in enumerate(g) if label is None or x[2] == label]
        pi = [i for i, x in enumerate(p) if label is None or x[2] == label]
        true = [_E(g[i][2], g[i][0], g[i][1] - shift) for i in gi]
        prd = [_E(p[i][2], p[i][0], p[i][1] - shift) for i in pi]
        rows = _nerv_strategy(mode, true, prd, min_overlap_percentage)
        out.append(
            [(k, None if t is None else gi[t], None if q is None else pi[q]) for k, t, q in rows]
        )
    return out


def nervaluate_counts(
    gold: Sequence[Sequence[Span]],
    pred: Sequence[Sequence[Span]],
    labels: tuple[str, ...],
    *,
    min_overlap_percentage: float = 1.0,
    modes: tuple[str, ...] = MODES,
    raw_ends: bool = False,
    units: SpanUnits | None = None,
) -> dict[str, Counts]:
    """nervaluate's counts (see the module docstring), one unit per document unless
    ``units`` places each span in a unit (:class:`~newsgold.metrics.counts.SpanUnits`).

    ``raw_ends=True`` gives nervaluate our exclusive ends as they are, which it reads as
    inclusive: what a user gets who passes Prodigy or character spans to it unchanged
    (touching spans then overlap, and every span is one character longer). That is the
    ``nervaluate-raw`` preset. ``min_overlap_percentage`` is nervaluate's (1 to 100).

    >>> c = nervaluate_counts([[(0, 5, "PER")]], [[(0, 3, "PER"), (0, 5, "PER")]], ("PER",))
    >>> c["strict"].overall_totals()[:5].tolist()  # the partial one, listed first, wins
    [0, 1, 0, 0, 1]
    """
    lab = set(labels)
    gold = [[x for x in d if x[2] in lab] for d in gold]
    pred = [[x for x in d if x[2] in lab] for d in pred]
    units = units or SpanUnits.by_document(gold, pred)
    kw = {"min_overlap_percentage": min_overlap_percentage, "raw_ends": raw_ends}
    out = {}
    for mode in modes:
        overall = counts_from_outcomes(
            mode, labels, gold, pred, nervaluate_outcomes(gold, pred, mode, **kw), units
        ).data.sum(axis=1)
        data = np.zeros((len(units.names), len(labels), len(CHANNELS)), np.int64)
        used = {x[2] for d in gold for x in d} | {x[2] for d in pred for x in d}
        for name in sorted(used):
            rows = nervaluate_outcomes(gold, pred, mode, label=name, **kw)
            data += counts_from_outcomes(mode, labels, gold, pred, rows, units).data
        out[mode] = Counts(mode, labels, units.names, data, overall)
    return out


# --- seqeval / conlleval ------------------------------------------------------------------


def set_match_outcomes(
    gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]
) -> list[list[Outcome]]:
    """Exact ``(label, start, end)`` matches between per-document *sets*: a repeated span
    counts once (the first listing stands for it).

    >>> set_match_outcomes([[(0, 5, "PER")]], [[(0, 5, "PER"), (0, 5, "PER"), (6, 9, "LOC")]])
    [[('correct', 0, 0), ('spurious', None, 2)]]
    """
    out = []
    for g, p in zip(gold, pred, strict=True):
        gs: dict[Span, int] = {}
        for i, x in enumerate(g):
            gs.setdefault(tuple(x), i)  # type: ignore[arg-type]
        ps: dict[Span, int] = {}
        for j, x in enumerate(p):
            ps.setdefault(tuple(x), j)  # type: ignore[arg-type]
        rows: list[Outcome] = [
            ("correct", i, ps[k]) if k in ps else ("missed", i, None) for k, i in gs.items()
        ]
        rows += [("spurious", None, j) for k, j in ps.items() if k not in gs]
        out.append(rows)
    return out


def set_match_counts(
    gold: Sequence[Sequence[Span]],
    pred: Sequence[Sequence[Span]],
    labels: tuple[str, ...],
    mode: str,
    *,
    units: SpanUnits | None = None,
) -> Counts:
    """Exact ``(label, start, end)`` matches between per-document sets (seqeval, conlleval).

    >>> c = set_match_counts([[(0, 5, "PER")]], [[(0, 5, "PER"), (0, 5, "PER")]], ("PER",), "seqeval")
    >>> c.overall_totals()[[0, 7, 8]].tolist()  # correct, n_pred, n_gold: duplicates collapse
    [1, 1, 1]
    """
    units = units or SpanUnits.by_document(gold, pred)
    return counts_from_outcomes(mode, labels, gold, pred, set_match_outcomes(gold, pred), units)


# --- spaCy --------------------------------------------------------------------------------


class _TokSpan(NamedTuple):
    start: int  # token index
    end: int  # token index, exclusive
    label: str
    index: int  # position in the document's list of character spans


def _to_tokens(span: Span, index: int, starts: np.ndarray, ends: np.ndarray) -> _TokSpan | None:
    """Snap a character span outward to the tokens it touches (spaCy's alignment of a
    prediction to the reference tokens)."""
    s, e, lbl = span
    i = int(np.searchsorted(ends, s, side="right"))
    j = int(np.searchsorted(starts, e, side="left"))
    if j <= i:
        return None
    return _TokSpan(i, j, lbl, index)


def spacy_outcomes(
    gold: Sequence[Sequence[Span]],
    pred: Sequence[Sequence[Span]],
    tokens: Sequence[Sequence[tuple[int, int]]],
) -> list[list[Outcome]]:
    """spaCy's ``get_ner_prf`` alignment per document (see the module docstring): spans
    that ``filter_spans`` drops, or that touch no token, take no part."""
    from spacy.util import filter_spans

    out = []
    for g, p, toks in zip(gold, pred, tokens, strict=True):
        starts = np.array([t[0] for t in toks], np.int64)
        ends = np.array([t[1] for t in toks], np.int64)
        g_tok = [t for t in (_to_tokens(s, i, starts, ends) for i, s in enumerate(g)) if t]
        p_tok = [t for t in (_to_tokens(s, i, starts, ends) for i, s in enumerate(p)) if t]
        golds = {(t.label, t.start, t.end): t.index for t in filter_spans(g_tok)}
        rows: list[Outcome] = []
        for t in filter_spans(p_tok):
            gi = golds.pop((t.label, t.start, t.end), None)
            rows.append(("spurious", None, t.index) if gi is None else ("correct", gi, t.index))
        rows += [("missed", gi, None) for gi in golds.values()]
        out.append(rows)
    return out


def spacy_counts(
    gold: Sequence[Sequence[Span]],
    pred: Sequence[Sequence[Span]],
    tokens: Sequence[Sequence[tuple[int, int]]],
    labels: tuple[str, ...],
    *,
    units: SpanUnits | None = None,
) -> Counts:
    """spaCy's ``get_ner_prf`` counts (see the module docstring); ``tokens`` are the
    reference tokens of each document as ``(start, end)`` character offsets."""
    units = units or SpanUnits.by_document(gold, pred)
    rows = spacy_outcomes(gold, pred, tokens)
    return counts_from_outcomes("spacy", labels, gold, pred, rows, units)

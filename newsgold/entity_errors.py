"""The entity scorer's error list: every span a mode does not credit in full, in context.

Rows come from the same alignment as the micro scores of the preset
(:func:`newsgold.scoring.preset_outcomes`), so the list adds up to the counts printed
beside it (``newsgold score --errors``, the HTML report, the benchmark report).
"""

from __future__ import annotations

from typing import Any

from newsgold.errors import FormatError, Problem
from newsgold.metrics.presets import PRESET_MODES
from newsgold.model import Annotation
from newsgold.schema import Schema, load_schema
from newsgold.scoring import (
    EntityOptions,
    _check_options,
    _select,
    _token_offsets,
    preset_outcomes,
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

    Rows come from the same alignment as the micro scores of ``options.preset``
    (:func:`preset_outcomes`), so the error list adds up to the counts printed beside it;
    a preset with one mode (seqeval, conlleval, spacy) lists the errors of that mode
    whatever ``mode`` says. Context is ``context`` characters either side.
    """
    options = options or EntityOptions()
    schema = schema or load_schema()
    _check_options(options)
    modes = PRESET_MODES[options.preset]
    if mode not in modes:
        if len(modes) != 1:
            raise FormatError(
                Problem(f"mode {mode!r} is not one of {modes}", field="--errors-mode")
            )
        mode = modes[0]  # a one-mode preset (seqeval, conlleval, spacy): its own alignment
    _, doc_ids, gold_lists, pred_lists, labels = _select(gold, pred, options, schema)
    docs = [gold[d].document for d in doc_ids]
    outcomes = preset_outcomes(
        options.preset,
        mode,
        gold_lists,
        pred_lists,
        labels,
        lambda: _token_offsets(docs),
        min_overlap=options.min_overlap,
    )
    rows = []
    for d, gl, pl, doc_rows in zip(doc_ids, gold_lists, pred_lists, outcomes):
        text = gold[d].document.text
        doc_rows = sorted(
            doc_rows, key=lambda r: (gl[r[1]][0] if r[1] is not None else pl[r[2]][0], r[1] is None)
        )
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

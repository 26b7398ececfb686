"""The benchmark's timex value column: TempEval-3 value F1, by the library's timex scorer.

``timex_value`` is :func:`newsgold.timex_coref_scoring.score_timex`'s ``value`` metric
(TE3's attribute F1 for the value: an aligned pair earns credit when the TIMEX3 value
strings are equal; P = correct / predicted, R = correct / gold; docs/timex-coref.md), with
its bootstrap interval over the same units as the other columns. It is reproduced by
``newsgold score OUTPUT --layers timex --json``: the number is
``layers.timex.metrics.value`` there, its per-type rows ``layers.timex.per_type.value``.

Only systems that claim the ``timex`` layer **and write values** get the column: a system
whose time expressions carry no ``attrs.value`` at all (an NER system's bare ``DATE``
spans, a text-only list without ``value``) is '—', not 0, as it does not claim values.

Its gold differs from the extent column's by design: the TE3 scorer counts every gold
time expression, while the extent column uses the ``ner`` view, which leaves out
``PAST_REF``-like values ('recently') that OntoNotes NER does not tag
(:mod:`newsgold.selection`).
"""

from __future__ import annotations

from typing import Any

from newsgold.model import Annotation, Mention
from newsgold.schema import Schema

#: the scorer's metric shown (``value_compatible``, ours, stays in ``--layers timex``)
METRIC = "value"
TITLE = "Timex values (TempEval-3 value F1)"


def writes_values(pred: dict[str, Annotation]) -> bool:
    """Does any time expression of the output, as the timex scorer selects them, carry a
    value?"""
    from newsgold.metrics.timex import timex_mentions, timex_value

    return any(timex_value(m) for a in pred.values() for m in timex_mentions(a))


def _per_label(result, n_resamples: int, seed: int) -> dict[str, dict[str, Any]]:
    """The scorer's per-type rows, each with the bootstrap interval of its slice of the
    same per-unit counts (resampled as for the micro figure)."""
    from newsgold.metrics.counts import Counts
    from newsgold.stats import bootstrap_ci
    from newsgold.timex_coref_scoring import TIMEX_LEVEL

    counts = result.counts[METRIC][TIMEX_LEVEL]
    out = {}
    for label, row in result.per_type[METRIC].items():
        keep = {k: row[k] for k in ("precision", "recall", "f1", "n_gold", "n_pred")}
        if n_resamples > 0 and counts.units:
            i = counts.labels.index(label)
            one = Counts(counts.mode, (label,), counts.units, counts.data[:, i : i + 1, :])
            ci = bootstrap_ci(one, n_resamples=n_resamples, seed=seed)
            keep["ci"] = {k: [float(v[0]), float(v[1])] for k, v in ci.items()}
        out[label] = keep
    return out


def timex_value_layer(
    gold: dict[str, Annotation],
    pred: dict[str, Annotation],
    *,
    schema: Schema,
    output: str,
    n_resamples: int,
    seed: int,
    cli_args: list[str],
    cache: dict | None = None,
):
    """The column's :class:`~newsgold.systems.layers.LayerScore`, or None when the
    output writes no timex value (the system does not claim the column)."""
    from newsgold.systems.layers import LayerScore
    from newsgold.timex_coref_scoring import LayerOptions, score_timex

    if not writes_values(pred):
        return None
    result = score_timex(gold, pred, LayerOptions(n_resamples=n_resamples, seed=seed))
    s = result.summaries[METRIC]
    ci = s.get("interval") or {}
    command = ["newsgold", "score", output, *cli_args, "--layers", "timex"]
    if n_resamples != 1000:
        command += ["--bootstrap", str(n_resamples)]
    if seed != 0:
        command += ["--seed", str(seed)]
    return LayerScore(
        layer="timex_value",
        metric=f"TempEval-3 {METRIC}",
        precision=s["precision"],
        recall=s["recall"],
        f1=s["f1"],
        ci={k: (float(v[0]), float(v[1])) for k, v in ci.items()},
        n_gold=int(s["n_gold"]),
        n_pred=int(s["n_pred"]),
        command=command,
        result={
            "json_path": ["layers", "timex", "metrics", METRIC],
            "per_label_path": ["layers", "timex", "per_type", METRIC],
            "unit": result.unit,
            "value_relations": result.relations,
            "invalid_values": result.invalid,
        },
        per_label=_per_label(result, n_resamples, seed),
    )


def value_errors(
    gold: dict[str, Annotation], pred: dict[str, Annotation], context: int = 40
) -> list[dict[str, Any]]:
    """Every gold and predicted time expression as a report row, from the scorer's own
    alignment (:func:`newsgold.metrics.timex.aligned_pairs`), so the rows add up to the
    column's counts: an aligned pair is ``correct`` when the values are equal (TE3 value
    credit, whatever the extents) and ``value`` otherwise, its cause the value relation
    (:func:`newsgold.timex_values.relation`); unaligned timexes are ``missed`` or
    ``spurious``. Each span's ``tag`` is its value (``∅`` when it has none).

    >>> from newsgold.model import Document, Mention
    >>> doc = Document("d", "Today and Friday")
    >>> t = lambda a, b, v: Mention(a, b, "DATE", "timex", attrs={"value": v})
    >>> g = {"d": Annotation(doc, [t(0, 5, "2021-12-01"), t(10, 16, "2021-12-03")])}
    >>> p = {"d": Annotation(doc, [t(0, 5, "2021-12")])}
    >>> [(r["kind"], r.get("cause")) for r in value_errors(g, p)]
    [('value', 'value coarser: gold 2021-12-01, predicted 2021-12'), ('missed', None)]
    """
    from newsgold.match import SpanArrays
    from newsgold.metrics.timex import aligned_pairs, timex_mentions, timex_type, timex_value
    from newsgold.timex_values import relation

    def side(m: Mention | None, text: str) -> dict[str, Any] | None:
        if m is None:
            return None
        label = timex_type(m) or m.label
        value = timex_value(m)
        span = {"start": m.start, "end": m.end, "label": label, "text": text[m.start : m.end]}
        return {**span, "value": value, "tag": value or "∅"}

    def arrays(ms: list[Mention]) -> SpanArrays:
        n = len(ms)
        return SpanArrays.from_lists([0] * n, [m.start for m in ms], [m.end for m in ms], [0] * n)

    rows = []
    for d in sorted(gold):
        text = gold[d].document.text
        gs, ps = timex_mentions(gold[d]), timex_mentions(pred.get(d))
        pairs = aligned_pairs(arrays(gs), arrays(ps)) if gs and ps else []
        g_used, p_used = {i for i, _ in pairs}, {j for _, j in pairs}
        found = [(gs[i], ps[j]) for i, j in pairs]
        found += [(m, None) for i, m in enumerate(gs) if i not in g_used]
        found += [(None, m) for j, m in enumerate(ps) if j not in p_used]
        for g, p in sorted(found, key=lambda x: ((x[0] or x[1]).start, x[0] is None)):
            row: dict[str, Any] = {"doc_id": d, "gold": side(g, text), "pred": side(p, text)}
            if g is not None and p is not None:
                gv, pv = timex_value(g), timex_value(p)
                row["kind"] = "correct" if gv == pv else "value"
                if gv != pv:
                    row["cause"] = (
                        f"value {relation(gv, pv)}: gold {gv or '∅'}, predicted {pv or '∅'}"
                    )
            else:
                row["kind"] = "missed" if p is None else "spurious"
            lo = min(m.start for m in (g, p) if m is not None)
            hi = max(m.end for m in (g, p) if m is not None)
            row["left"] = text[max(0, lo - context) : lo]
            row["span"], row["right"] = text[lo:hi], text[hi : hi + context]
            rows.append(row)
    return rows

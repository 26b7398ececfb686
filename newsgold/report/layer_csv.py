"""``newsgold score --csv`` when more than the entity layer is scored: one long table.

One row per layer, metric, level and label (``micro`` for the whole layer, then each
type, and ``role:ROLE`` for the per-role rows of argument metrics), with the counts, P, R,
F1 and, when bootstrapped, each interval's bounds. The entity rows are the entity-only
CSV's (its ``mode`` is the ``metric``; entities have no matching level). Every number is
the one ``--json`` holds; ``tests/test_layer_csv.py`` checks that.
"""

from __future__ import annotations

from typing import Any

COLUMNS = ("layer", "metric", "level", "label", "tp", "n_gold", "n_pred")
SCORES = ("precision", "recall", "f1")


def _row(layer: str, metric: str, level: str, label: str, s: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"layer": layer, "metric": metric, "level": level, "label": label}
    for k in ("tp", "n_gold", "n_pred", *SCORES):
        if k in s:
            row[k] = s[k]
    for k, bounds in (s.get("interval") or {}).items():
        row[f"{k}_low"], row[f"{k}_high"] = bounds
    return row


def event_rows(result) -> list[dict[str, Any]]:
    """Rows of an event layer's result (:class:`~newsgold.event_results.EventResult`)."""
    rows = []
    for metric, levels in result.summaries.items():
        for level, s in levels.items():
            rows.append(_row(result.layer, metric, level, "micro", s))
            for label, t in s.get("per_type", {}).items():
                rows.append(_row(result.layer, metric, level, label, t))
            for role, t in s.get("per_role", {}).items():
                rows.append(_row(result.layer, metric, level, f"role:{role}", t))
    return rows


def other_rows(name: str, result) -> list[dict[str, Any]]:
    """Rows of a timex or coreference result."""
    rows = []
    if name == "timex":
        from newsgold.timex_coref_scoring import TIMEX_LEVEL

        for metric, s in result.summaries.items():
            rows.append(_row(name, metric, TIMEX_LEVEL, "micro", s))
            for label, t in result.per_type.get(metric, {}).items():
                rows.append(_row(name, metric, TIMEX_LEVEL, label, t))
        return rows
    from newsgold.timex_coref_scoring import COREF_LEVEL

    for chain, metrics in result.summaries.items():
        for metric, s in metrics.items():
            rows.append(_row(name, f"{chain}/{metric}", COREF_LEVEL, "micro", s))
    return rows


def layers_csv(entity, ev_results: dict, other: dict) -> str:
    """The long CSV of every scored layer."""
    import pandas as pd

    frames = []
    if entity is not None:
        from newsgold.report.tables import entity_frame

        ent = entity_frame(entity).rename(columns={"mode": "metric"})
        ent.insert(0, "layer", "entities")
        ent.insert(2, "level", "")
        frames.append(ent)
    rows = [r for res in ev_results.values() for r in event_rows(res)]
    rows += [r for name, res in other.items() for r in other_rows(name, res)]
    if rows:
        frames.append(pd.DataFrame(rows))
    if not frames:
        return ""
    frame = pd.concat(frames, ignore_index=True)
    first = [c for c in COLUMNS if c in frame.columns]
    frame = frame[first + [c for c in frame.columns if c not in first]]
    for c in ("n_gold", "n_pred"):
        if c in frame.columns and frame[c].dropna().map(float.is_integer).all():
            frame[c] = frame[c].astype("Int64")
    return frame.to_csv(index=False)

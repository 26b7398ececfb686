"""What the benchmark report shows, gathered from ``results.json`` and the stored outputs.

Scores come from ``results.json`` as the benchmark wrote them. The per-document view and
the confusion matrix come from the library's alignment of each stored output against the
gold (:func:`newsgold.entity_errors.entity_errors`, ``strict`` mode, correct spans included), so
they are the same pairs the scores counted. Each aligned or unaligned span gets one kind:

* ``correct``: same bounds and label;
* ``type``: same bounds, another label;
* ``boundary``: overlapping bounds, same label;
* ``boundary+type``: overlapping bounds and another label;
* ``missed``: a gold span with no predicted span aligned; ``spurious``: the reverse.

Time expression values (the ``timex_value`` layer) come from the timex scorer's own
alignment (:func:`newsgold.systems.timex_layers.value_errors`): an aligned pair is
``correct`` when the TIMEX3 values are equal and ``value`` otherwise, with the value
relation as its cause.

Event arguments (the ``arguments`` layer) come with the event scorer's own cause for each
missed or spurious argument (:mod:`newsgold.metrics.event_errors`), shown as the kind of
:data:`CAUSE_KIND` (a role confusion or an argument attached to another event: ``role``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from newsgold.errors import NewsgoldError, Problem

KINDS = ("correct", "missed", "spurious", "boundary", "type", "boundary+type", "role", "value")
#: the event scorer's argument-error causes, as the report's error kinds
CAUSE_KIND = {
    "trigger missed": "missed",
    "argument missed": "missed",
    "spurious trigger": "spurious",
    "spurious argument": "spurious",
    "duplicate": "spurious",
    "not in the text": "spurious",
    "trigger mistyped": "type",
    "role confusion": "role",
    "attached to another event": "role",
    "boundary error": "boundary",
    "coreferent mention": "boundary",
}
NONE = "∅"  # the confusion matrix's row/column for 'no aligned span'


def load_results(root: Path) -> dict[str, Any]:
    path = root / "evaluate" / "results.json"
    if not path.exists():
        raise NewsgoldError(
            Problem("no benchmark results; run `newsgold benchmark` first", file=str(path))
        )
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise NewsgoldError(Problem(f"malformed JSON: {exc}", file=str(path))) from None


def kind_of(row: dict[str, Any]) -> str:
    """The error kind of one row of :func:`newsgold.entity_errors.entity_errors`."""
    g, p = row["gold"], row["pred"]
    if p is None:
        return "missed"
    if g is None:
        return "spurious"
    same_bounds = (g["start"], g["end"]) == (p["start"], p["end"])
    same_label = g["label"] == p["label"]
    if same_bounds:
        return "correct" if same_label else "type"
    return "boundary" if same_label else "boundary+type"


def _layer_options(score: dict[str, Any]):
    from newsgold.scoring import EntityOptions

    cmd = score["command"]
    labels = None
    if "--labels" in cmd:
        labels = tuple(cmd[cmd.index("--labels") + 1].split(","))
    return EntityOptions(labels=labels, n_resamples=0)


def confusion(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of (gold label, predicted label) over aligned and unaligned spans, with
    scikit-learn's :func:`~sklearn.metrics.confusion_matrix`."""
    from sklearn.metrics import confusion_matrix

    y_true = [r["gold"]["label"] if r["gold"] else NONE for r in rows]
    y_pred = [r["pred"]["label"] if r["pred"] else NONE for r in rows]
    labels = sorted((set(y_true) | set(y_pred)) - {NONE}) + [NONE]
    if not rows:
        return {"labels": [], "matrix": []}
    m = confusion_matrix(y_true, y_pred, labels=labels)
    return {"labels": labels, "matrix": m.tolist()}


def gather(root: Path, results: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Per scored system and layer: its error rows (with kinds) and confusion matrix; and
    the text of every gold document."""
    from newsgold.corpus.annotations import load_annotations
    from newsgold.corpus.build import load_corpus
    from newsgold.entity_errors import entity_errors
    from newsgold.schema import load_schema
    from newsgold.systems.benchmark import _load_predictions

    man = results["manifest"]
    gold = load_annotations(root / man["gold"]["path"])
    corpus = load_corpus(root / man["corpus"]["path"])
    schema_path = root / man["schema"]["path"]
    schema = load_schema(schema_path if schema_path.exists() else None)
    out = []
    for s in results["systems"]:
        if not s.get("scores"):
            continue
        preds = _load_predictions(
            root / s["output"]["path"], corpus, gold, s["output"].get("format")
        )
        for layer, score in s["scores"].items():
            if "error_rows" in score:
                out.append(
                    {
                        "system": s["name"],
                        "layer": layer,
                        "rows": event_rows(score["error_rows"]),
                        "confusion": None,
                    }
                )
                continue
            if layer == "timex_value":
                from newsgold.systems.timex_layers import value_errors

                rows = value_errors(gold, preds.annotations)
                out.append({"system": s["name"], "layer": layer, "rows": rows, "confusion": None})
                continue
            if "--layers" in score["command"]:
                continue  # other event columns: scores and bars only
            rows = entity_errors(
                gold,
                preds.annotations,
                _layer_options(score),
                mode="strict",
                schema=schema,
                include_correct=True,
            )
            for r in rows:
                r["kind"] = kind_of(r)
            out.append(
                {
                    "system": s["name"],
                    "layer": layer,
                    "rows": rows,
                    "confusion": confusion(rows),
                }
            )
    return out, {d: a.document.text for d, a in sorted(gold.items())}


def event_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The event scorer's argument error rows in the shape of the entity rows: the
    argument span on the gold side (missed) or the predicted side (spurious)."""
    out = []
    for r in rows:
        arg = r["argument"]
        span = {
            "start": arg["start"],
            "end": arg["end"],
            "label": f"{r['event_type']}/{r['role']}",
            "text": arg["text"],
        }
        trig = r["trigger"]
        out.append(
            {
                "doc_id": r["doc_id"],
                "gold": span if r["outcome"] == "missed" else None,
                "pred": span if r["outcome"] != "missed" else None,
                "kind": CAUSE_KIND.get(
                    r["cause"], "missed" if r["outcome"] == "missed" else "spurious"
                ),
                "cause": r["cause"],
                "trigger": trig,
                "left": r.get("left", ""),
                "span": arg["text"],
                "right": r.get("right", ""),
            }
        )
    return out

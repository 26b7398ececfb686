"""``newsgold report``: one self-contained HTML page of the benchmark.

Sections: the leaderboard and the best system per layer (from ``results.json``), per-label
F1 bars with their intervals, the confusion matrix of aligned gold vs predicted labels, the
argument errors by cause (when the event layer is scored), and the documents with gold and
predicted mentions side by side, coloured by error kind (:mod:`.benchmark_data`). A small
inline script filters by system, layer, label and error kind; everything else is plain HTML
and inline SVG. No network at view time: a Content-Security-Policy admits only the page's
own script (by hash) and inline styles. Every string from data is escaped by Jinja2's
autoescaping (and :func:`markupsafe.escape` in the marked text).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from newsgold.formats.jsonl import write_text_atomic
from newsgold.report.benchmark import layers_present, rows
from newsgold.report.benchmark_data import KINDS, gather, load_results
from newsgold.report.tables import percent

TEMPLATES = Path(__file__).parent / "templates"
_JS = (TEMPLATES / "benchmark.js").read_text(encoding="utf-8")
_CSS = (TEMPLATES / "benchmark.css").read_text(encoding="utf-8")
_HASH = base64.b64encode(hashlib.sha256(_JS.encode()).digest()).decode()
CSP = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{_HASH}'"


def marked(text: str, spans: list[dict[str, Any]]) -> Markup:
    """``text`` with ``<mark>`` around each span (``start``, ``end``, ``label``, ``kind``,
    ``title``), the label after the span's last character.

    Nested spans nest; a span that crosses another is closed where the other ends and
    reopened after it, so the HTML stays well formed. Everything is escaped.
    """

    def opening(i: int) -> str:
        sp = spans[i]
        return (
            f'<mark class="k-{escape(sp["kind"])}" data-kind="{escape(sp["kind"])}" '
            f'data-label="{escape(sp["label"])}" title="{escape(sp["title"])}">'
        )

    starts: dict[int, list[int]] = {}
    for i in sorted(range(len(spans)), key=lambda i: -spans[i]["end"]):  # outer first
        if spans[i]["start"] < spans[i]["end"]:
            starts.setdefault(spans[i]["start"], []).append(i)
    cuts = sorted({0, len(text), *(sp["start"] for sp in spans), *(sp["end"] for sp in spans)})
    out: list[str] = []
    stack: list[int] = []
    pos = 0
    for c in cuts:
        out.append(str(escape(text[pos:c])))
        pos = c
        reopen = []
        while any(spans[i]["end"] == c for i in stack):
            i = stack.pop()
            if spans[i]["end"] == c:
                # an event argument's label is TYPE/ROLE: the tag shows the role; a
                # span may bring its own tag (a time expression's value)
                tag = spans[i].get("tag") or spans[i]["label"].rsplit("/", 1)[-1]
                out.append(f'<span class="tag">{escape(tag)}</span></mark>')
            else:
                out.append("</mark>")
                reopen.append(i)
        for i in reversed(reopen):
            out.append(opening(i))
            stack.append(i)
        for i in starts.get(c, []):
            out.append(opening(i))
            stack.append(i)
    return Markup("".join(out))


def _bars(per_label: dict[str, dict[str, Any]]) -> dict[str, Any]:
    bw, h = 360, 20
    lw = 16 + 7 * max((len(x) for x in per_label), default=8)  # room for the longest label
    bars = []
    for i, (label, row) in enumerate(sorted(per_label.items())):
        ci = row.get("ci", {}).get("f1")
        lo, hi = ci if ci else (row["f1"], row["f1"])
        bars.append(
            {
                "label": label,
                "f1": row["f1"],
                "text": percent(row["f1"], 1),
                "ci": f"[{percent(lo, 1)}, {percent(hi, 1)}]" if ci else "",
                "has_ci": bool(ci),
                "y": 4 + i * h,
                "w": round(bw * row["f1"], 1),
                "lo": round(lw + bw * lo, 1),
                "hi": round(lw + bw * hi, 1),
                "n_gold": row["n_gold"],
            }
        )
    return {"bars": bars, "lw": lw, "bw": bw, "width": lw + bw + 130, "height": 8 + h * len(bars)}


def _documents(entry: dict[str, Any], texts: dict[str, str]) -> list[dict[str, Any]]:
    docs = []
    for doc_id, text in texts.items():
        gold, pred, errors = [], [], []
        for r in (r for r in entry["rows"] if r["doc_id"] == doc_id):
            g, p, k = r["gold"], r["pred"], r["kind"]
            other = lambda x: f"{x['label']} {x['text']!r}" if x else "nothing"  # noqa: E731
            why = ""
            if "cause" in r:  # event arguments name their trigger; timex values do not
                trigger = f"; trigger {r['trigger']['text']!r}" if r.get("trigger") else ""
                why = f" ({r['cause']}{trigger})"
            if g:
                gold.append(
                    {**g, "kind": k, "title": f"{k}: gold {g['label']}, predicted {other(p)}{why}"}
                )
            if p:
                pred.append(
                    {**p, "kind": k, "title": f"{k}: predicted {p['label']}, gold {other(g)}{why}"}
                )
            if k != "correct":
                errors.append(r)
        docs.append(
            {
                "doc_id": doc_id,
                "gold": marked(text, gold),
                "pred": marked(text, pred),
                "errors": errors,
            }
        )
    return docs


def context(results: dict[str, Any], gathered: list[dict[str, Any]], texts: dict[str, str]):
    layers = layers_present(results)
    board = []
    for r in rows(results):
        cells = []
        for layer in layers:
            sc = r["scores"].get(layer)
            if sc is None:
                cells.append(None)
                continue
            ci = sc["ci"].get("f1")
            cells.append(
                {
                    "layer": layer,
                    "f1": sc["f1"],
                    "f1_text": percent(sc["f1"], 1),
                    "ci_text": f"[{percent(ci[0], 1)}, {percent(ci[1], 1)}]" if ci else "",
                    "p_text": percent(sc["precision"], 1),
                    "r_text": percent(sc["recall"], 1),
                }
            )
        board.append({"name": r["name"], "hand_written": r["hand_written"], "cells": cells})
    by_key = {(e["system"], e["layer"]): e for e in gathered}
    panels = []
    for s in results["systems"]:
        for layer, sc in s.get("scores", {}).items():
            entry = by_key.get((s["name"], layer))
            confusion = entry["confusion"] if entry else None
            panels.append(
                {
                    "system": s["name"],
                    "layer": layer,
                    "title": results["layers"][layer]["title"],
                    "bars": _bars(sc["per_label"]),
                    "confusion": confusion,
                    "max_cell": max((max(r) for r in confusion["matrix"]), default=1)
                    if confusion and confusion["matrix"]
                    else 1,
                    "documents": _documents(entry, texts) if entry else [],
                    "argument_errors": sc.get("argument_errors"),
                }
            )
    labels = sorted({lbl for p in panels for lbl in (b["label"] for b in p["bars"]["bars"])})
    return {
        "manifest": results["manifest"],
        "layers": [(x, results["layers"][x]["title"]) for x in layers],
        "metrics": {x: results["layers"][x]["metric"] for x in layers},
        "board": board,
        "best": results.get("best", {}),
        "panels": panels,
        "systems": list(dict.fromkeys(p["system"] for p in panels)),
        "labels": labels,
        "kinds": [k for k in KINDS if k != "correct"],
        "percent": percent,
        "csp": CSP,
        "css": _CSS,
        "js": _JS,
    }


_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(results: dict[str, Any], gathered, texts) -> str:
    return _ENV.get_template("benchmark.html.j2").render(**context(results, gathered, texts))


def write_report(root: Path, output: Path | None = None) -> Path:
    """Render ``root/evaluate/results.json`` and the stored outputs to one HTML file."""
    results = load_results(root)
    gathered, texts = gather(root, results)
    path = output or root / "evaluate" / "report.html"
    write_text_atomic(path, render(results, gathered, texts))
    return path

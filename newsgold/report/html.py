"""One self-contained HTML page of an entity-scoring result and its error list.

The page needs no network, no external file and no JavaScript to be read: CSS is inline,
the F1 chart is inline SVG, and a small inline script only adds click-to-sort to tables.
Every string that comes from data (texts, labels, paths, doc ids) goes through Jinja2's
autoescaping; a Content-Security-Policy that admits only our own script (by its hash) and
no fetches at all is a second line of defence should a value ever slip through unescaped.
"""

from __future__ import annotations

from typing import Any

from newsgold.report.html_common import _CSP, _CSS, _ENV, _SORT_JS

# the event sections live in html_events; their names stay importable from here
from newsgold.report.html_events import (  # noqa: F401
    render_event_page,
    render_event_section,
    with_event_sections,
)
from newsgold.report.tables import interval_text, percent
from newsgold.scoring import EntityResult

_COLUMNS = ("correct", "incorrect", "partial", "missed", "spurious")
_SUPPORT = ("n_gold", "n_pred")  # the denominators of R and P, as in the terminal table
_SHORT = ("cor", "inc", "par", "mis", "spu")
_OUTCOMES = ("partial", "incorrect", "missed", "spurious")
_LABEL_NOTES = {
    "gold_unmapped": "gold labels with no counterpart in the label map, left out",
    "pred_unmapped": "system labels with no counterpart in the label map, left out",
    "pred_unknown": "system labels not in the gold label set, scored as errors",
}

_TEMPLATE = """{% macro chart(mode, c) %}
<svg class="f1-chart" role="img" width="{{ c.width }}" height="{{ c.height }}"
 viewBox="0 0 {{ c.width }} {{ c.height }}" xmlns="http://www.w3.org/2000/svg">
<title>per-label F1 ({{ mode }})</title>
{% for label, f1, y, w in c.bars %}<g class="bar"><title>{{ label }}: F1 {{ f1 }}</title>
<text x="{{ c.lw - 6 }}" y="{{ y + 13 }}" text-anchor="end">{{ label }}</text>
<rect class="track" x="{{ c.lw }}" y="{{ y }}" width="{{ c.bw }}" height="16"/>
<rect class="bar" x="{{ c.lw }}" y="{{ y }}" width="{{ w }}" height="16"/>
<text x="{{ c.lw + c.bw + 6 }}" y="{{ y + 13 }}">{{ f1 }}</text></g>
{% endfor %}</svg>
{% endmacro %}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title><style>{{ css|safe }}</style></head>
<body>
<h1>{{ title }}</h1>
<dl class="manifest" id="manifest">
{% for key, value in manifest %}<dt>{{ key }}</dt><dd>{{ value }}</dd>
{% endfor %}</dl>

{% for m in modes %}
<section class="mode" id="mode-{{ m.name }}">
<h2>{{ m.name }}</h2>
<table class="scores">
<thead><tr><th>label</th>{% for c in short %}<th>{{ c }}</th>{% endfor %}
<th>gold</th><th>pred</th><th>P</th><th>R</th><th>F1</th><th>P {{ level }} CI</th><th>R {{ level }} CI</th>
<th>F1 {{ level }} CI</th></tr></thead>
<tbody class="sortable">
{% for r in m.labels %}<tr class="label-row">{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
<tbody class="avg">
{% for r in m.averages %}<tr class="avg-row">{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
<p class="caption">cor/inc/par/mis/spu: correct, incorrect, partial, missed, spurious
(SemEval-2013); P, R, F1 in percent{% if m.macro_note is not none %}; macro/N: mean over N
labels{{ m.macro_note }}{% endif %}. Intervals: {{ level }} bootstrap over {{ units }}{{ no_ci }}.</p>
{% if m.chart %}<h3>F1 per label</h3>
{{ chart(m.name, m.chart) }}{% endif %}
</section>
{% endfor %}

<h2>Labels</h2>
<section id="label-report">
{% for note, counts in label_report %}
<p>{{ note }}: {% for k, v in counts %}<code>{{ k }}</code> {{ v }}{{ ", " if not loop.last }}{% endfor %}</p>
{% else %}<p>Every label was mapped and known to the gold label set.</p>
{% endfor %}
</section>

<h2>Errors</h2>
<section id="errors">
{% if errors is none %}<p>No error list was given.</p>
{% elif not errors %}<p>No errors: every span was credited in full.</p>
{% else %}
{% for m in errors %}<p class="error-counts">{{ m.mode }}: {{ m.n }} spans not fully credited:
{% for g in m.groups %}{{ g.outcome }} {{ g.rows|length }}{{ ", " if not loop.last }}{% endfor %}.</p>
{% endfor %}
<p>Highlight: <mark class="both">gold and predicted</mark> <mark class="gold">gold only</mark>
<mark class="pred">predicted only</mark>; line breaks shown as ⏎.</p>
{% for m in errors %}{% for g in m.groups %}
<details open class="outcome" id="errors-{{ m.mode }}-{{ g.outcome }}">
<summary><b>{{ g.outcome }}</b> ({{ m.mode }}): {{ g.rows|length }}</summary>
<ol class="errors">
{% for e in g.rows %}<li class="error"><span class="ctx">{{ e.left }}{% for cls, text in e.pieces %}<mark class="{{ cls }}">{{ text }}</mark>{% endfor %}{{ e.right }}</span>
{% if e.gold %}<span class="lbl gold">gold {{ e.gold.label }}</span>{% endif %}
{% if e.pred %}<span class="lbl pred">pred {{ e.pred.label }}</span>{% endif %}
<span class="doc">{{ e.doc_id }}</span></li>
{% endfor %}</ol></details>
{% endfor %}{% endfor %}{% endif %}
</section>
<script>{{ sort_js|safe }}</script>
</body></html>
"""

_PAGE = _ENV.from_string(_TEMPLATE)


def render_html(
    result: EntityResult,
    errors: list[dict[str, Any]] | None = None,
    *,
    title: str = "newsgold entity scores",
) -> str:
    """The whole page, as a string (no I/O): manifest, per-mode tables with intervals, a
    per-label F1 chart, the label report and ``errors`` (rows of
    :func:`newsgold.entity_errors.entity_errors`) grouped by outcome.

    >>> from newsgold.tag_scoring import score_tags
    >>> page = render_html(score_tags([["B-PER", "O"]], [["B-ORG", "O"]]), [])
    >>> page.startswith("<!DOCTYPE html>"), "No errors" in page
    (True, True)
    """
    confidence = result.manifest.get("options", {}).get("confidence", 0.95)
    modes = []
    for mode, s in result.summaries.items():
        macro = s.get("macro")
        # None: no macro average at all (spaCy, conlleval); else what it averages over
        note = None if macro is None else " with gold support" if macro["over"] == "gold" else ""
        modes.append(
            {
                "name": mode,
                "labels": [_label_row(lbl, row) for lbl, row in s["per_label"].items()],
                "averages": _average_rows(result, mode, s),
                "macro_note": note,
                "chart": _chart(s["per_label"]),
            }
        )
    return _PAGE.render(
        title=title,
        csp=_CSP,
        css=_CSS,
        sort_js=_SORT_JS,
        manifest=_manifest_items(result),
        modes=modes,
        short=_SHORT,
        level=f"{confidence:.0%}",
        units=_units(result),
        no_ci="" if result.intervals else " (not computed: no resamples)",
        label_report=[
            (note, list(result.label_report[key].items()))
            for key, note in _LABEL_NOTES.items()
            if result.label_report.get(key)
        ],
        errors=None if errors is None else _group_errors(errors),
    )


def _label_row(label: str, row: dict) -> list[str]:
    return [
        label,
        *(str(row[c]) for c in _COLUMNS),
        *(str(row[c]) for c in _SUPPORT),
        *(percent(row[k]) for k in ("precision", "recall", "f1")),
        "",
        "",
        "",
    ]


def _average_rows(result: EntityResult, mode: str, s: dict) -> list[list[str]]:
    m = s["micro"]
    rows = [
        [
            "micro",
            *(str(m[c]) for c in _COLUMNS),
            *(str(m[c]) for c in _SUPPORT),
            *(percent(m[k]) for k in ("precision", "recall", "f1")),
            *(interval_text(result, mode, "micro", k) for k in ("precision", "recall", "f1")),
        ]
    ]
    if "macro" in s:
        a = s["macro"]
        rows.append(
            [
                f"macro/{a['labels']}",
                *("" for _ in _COLUMNS),
                *("" for _ in _SUPPORT),
                *(percent(a[k]) for k in ("precision", "recall", "f1")),
                *(interval_text(result, mode, "macro", k) for k in ("precision", "recall", "f1")),
            ]
        )
    return rows


def _manifest_items(result: EntityResult) -> list[tuple[str, str]]:
    """What was scored against what, and how: the lines a reader needs to reproduce it."""
    man = result.manifest
    opts = man.get("options", {})
    items = []
    for key in ("gold", "pred"):
        f = man.get(key) or {}
        if f:
            fmt = f" ({f['format']})" if f.get("format") else ""
            items.append((key, f"{f.get('path')}{fmt}"))
            items.append((f"{key} sha256", f.get("sha256") or "-"))
    items += [
        ("preset", result.preset),
        ("view / span", f"{opts.get('view', '-')} / {opts.get('span') or 'default'}"),
        ("units", _units(result)),
        ("documents", str(man.get("documents", "-"))),
        ("spans", f"gold {man.get('gold_spans', '?')}, predicted {man.get('pred_spans', '?')}"),
        (
            "bootstrap",
            f"{opts.get('n_resamples', 0)} resamples, seed {opts.get('seed', 0)}",
        ),
        ("newsgold", str(man.get("newsgold_version", "?"))),
    ]
    if opts.get("label_map"):
        items.insert(-1, ("label map", opts["label_map"]))
    return items


def _units(result: EntityResult) -> str:
    n = result.manifest.get("n_units", "?")
    return f"{n} {result.unit}{'' if n == 1 else 's'}"


def _chart(per_label: dict[str, dict]) -> dict[str, Any] | None:
    """Geometry of the per-label F1 bars (percent, 0-100) that the template draws as SVG."""
    if not per_label:
        return None
    lw = 10 + 8 * max(len(lbl) for lbl in per_label)  # room for the longest label
    bw, row = 300, 20
    bars = [
        (lbl, percent(r["f1"]), 4 + i * row, round(bw * r["f1"], 1))
        for i, (lbl, r) in enumerate(per_label.items())
    ]
    return {"bars": bars, "lw": lw, "bw": bw, "width": lw + bw + 60, "height": 8 + row * len(bars)}


def _group_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Errors by mode (in the order given), then by outcome (partial, incorrect, missed,
    spurious), each row with its context on one line and its span cut into pieces."""
    order = {o: i for i, o in enumerate(_OUTCOMES)}
    by_mode: dict[str, dict[str, list]] = {}
    for e in errors:
        shown = {
            **e,
            "left": _oneline(e["left"]),
            "right": _oneline(e["right"]),
            "pieces": [(cls, _oneline(t)) for cls, t in _pieces(e)],
        }
        by_mode.setdefault(e["mode"], {}).setdefault(e["outcome"], []).append(shown)
    return [
        {
            "mode": mode,
            "n": sum(map(len, groups.values())),
            "groups": [
                {"outcome": o, "rows": groups[o]}
                for o in sorted(groups, key=lambda o: (order.get(o, len(order)), o))
            ],
        }
        for mode, groups in by_mode.items()
    ]


def _oneline(text: str) -> str:
    """Line breaks shown as a visible mark, so each error stays on one line."""
    return text.replace("\r\n", "\n").replace("\n", " \u23ce ")


def _pieces(e: dict[str, Any]) -> list[tuple[str, str]]:
    """The error's span cut where the gold and predicted spans start or end, each piece
    classed ``both``, ``gold`` or ``pred`` (so a boundary error shows which side ran over).

    >>> _pieces({"span": "the tens", "gold": {"start": 14, "end": 18},
    ...          "pred": {"start": 10, "end": 18}})
    [('pred', 'the '), ('both', 'tens')]
    """
    g, p = e.get("gold"), e.get("pred")
    spans = [(s["start"], s["end"]) for s in (g, p) if s]
    lo = min(s for s, _ in spans)
    cuts = sorted({x - lo for pair in spans for x in pair} | {0, len(e["span"])})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        pos = lo + a
        in_g = bool(g) and g["start"] <= pos < g["end"]
        in_p = bool(p) and p["start"] <= pos < p["end"]
        if a < b:
            cls = "both" if in_g and in_p else "gold" if in_g else "pred" if in_p else "gap"
            out.append((cls, e["span"][a:b]))
    return out

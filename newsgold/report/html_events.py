"""The event section of an HTML scoring page (layers ``events``, ``plover``): added to an
entity page (:func:`with_event_sections`) or on a page of its own
(:func:`render_event_page`). Every value goes through Jinja2's autoescaping."""

from __future__ import annotations

from typing import Any

from newsgold.report.html_common import _CSP, _CSS, _ENV, _SORT_JS

_EVENT_TEMPLATE = """<h2 id="events-{{ layer }}">Events: {{ layer }}</h2>
<section class="event-layer" id="layer-{{ layer }}">
<p class="caption">{{ preset }} preset; intervals: bootstrap over {{ units }}. Levels: exact,
head, overlap (Dice credit), coref; TP may be fractional at the overlap level.</p>
<table class="scores">
<thead><tr>{% for h in header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody class="sortable">
{% for r in rows %}<tr class="metric-row">{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<h3>Why arguments were lost (Event-Arg-C, exact)</h3>
{% if causes %}<table class="scores" id="argument-errors-{{ layer }}">
<thead><tr><th>cause</th><th>missed</th><th>spurious</th></tr></thead>
<tbody class="sortable">
{% for r in causes %}<tr>{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% else %}<p>No argument was lost.</p>{% endif %}
{% if by_document %}<details><summary>per document</summary>
<table class="scores" id="argument-errors-by-document-{{ layer }}">
<thead><tr><th>document</th><th>cause</th><th>missed</th><th>spurious</th></tr></thead>
<tbody class="sortable">
{% for r in by_document %}<tr>{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></details>{% endif %}
{% if errors %}<details><summary>{{ errors|length }} lost arguments</summary>
<ol class="errors">
{% for e in errors %}<li class="error"><b>{{ e.cause }}</b> ({{ e.outcome }})
<span class="ctx">{{ e.left }}<mark class="{{ 'gold' if e.outcome == 'missed' else 'pred' }}">{{ e.argument.text }}</mark>{{ e.right }}</span>
<span class="lbl">{{ e.event_type }} / {{ e.role }}</span> trigger <code>{{ e.trigger.text }}</code>
<span class="doc">{{ e.doc_id }}</span></li>
{% endfor %}</ol></details>{% endif %}
</section>
"""
_EVENT_SECTION = _ENV.from_string(_EVENT_TEMPLATE)


def render_event_section(result: Any) -> str:
    """One event layer's metric table and argument-error table, as an HTML fragment
    (every value escaped). ``result`` is an :class:`newsgold.event_scoring.EventResult`."""
    from newsgold.report.event_tables import (
        HEADER,
        cause_rows,
        cause_rows_by_document,
        metric_rows,
    )

    return _EVENT_SECTION.render(
        layer=result.layer,
        preset=result.preset,
        units=f"{result.manifest.get('n_units', 0)} {result.unit}s",
        header=HEADER,
        rows=metric_rows(result),
        causes=cause_rows(result),
        by_document=cause_rows_by_document(result),
        errors=result.error_rows,
    )


def with_event_sections(page: str, results: list[Any]) -> str:
    """The page with the event sections inserted before its closing script and body."""
    fragment = "".join(render_event_section(r) for r in results)
    cut = page.rfind("<script>")
    cut = cut if cut >= 0 else page.rfind("</body>")
    return page[:cut] + fragment + page[cut:]


def render_event_page(results: list[Any], *, title: str = "newsgold event scores") -> str:
    """A page with only event sections (``--layers events``)."""
    head = _ENV.from_string(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="{{ csp }}">'
        "<title>{{ title }}</title><style>{{ css|safe }}</style></head>\n<body>"
        "<h1>{{ title }}</h1>\n"
    ).render(csp=_CSP, css=_CSS, title=title)
    return with_event_sections(head + f"<script>{_SORT_JS}</script>\n</body></html>\n", results)

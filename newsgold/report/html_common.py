"""What every newsgold HTML page shares: the stylesheet, the click-to-sort script, the
Content-Security-Policy that admits only that script (by its hash) and no fetches, and the
autoescaping Jinja2 environment every template is rendered in."""

from __future__ import annotations

import base64
import hashlib

from jinja2 import Environment

# Sorts a table by the clicked header: numbers numerically, text alphabetically; rows of
# the <tbody class="sortable"> only, so micro/macro rows stay at the bottom.
_SORT_JS = """
document.querySelectorAll("table.scores th").forEach(function (th) {
  th.addEventListener("click", function () {
    var body = th.closest("table").querySelector("tbody.sortable");
    var i = th.cellIndex, asc = th.dataset.asc !== "1";
    th.dataset.asc = asc ? "1" : "0";
    var key = function (tr) {
      var t = tr.cells[i].textContent, n = parseFloat(t);
      return isNaN(n) ? t : n;
    };
    Array.from(body.rows).sort(function (a, b) {
      var x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
    }).forEach(function (tr) { body.appendChild(tr); });
  });
});
"""
_SORT_HASH = base64.b64encode(hashlib.sha256(_SORT_JS.encode()).digest()).decode()
_CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SORT_HASH}'"

_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.5em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { padding: .2em .6em; text-align: right; white-space: nowrap; }
th { border-bottom: 2px solid #888; cursor: pointer; }
td:first-child, th:first-child { text-align: left; }
tbody.avg tr:first-child td { border-top: 1px solid #888; }
tbody.avg td { font-weight: bold; }
dl.manifest { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; }
dl.manifest dt { font-weight: bold; } dl.manifest dd { margin: 0; word-break: break-all; }
code, .ctx { font-family: ui-monospace, monospace; font-size: 13px; }
.caption { color: #555; font-size: 12px; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
svg rect.bar { fill: #4a7bb7; } svg rect.track { fill: #eee; }
ol.errors li { margin: .4em 0; }
.ctx { white-space: pre-wrap; background: #f6f6f6; padding: .1em .3em; }
.ctx mark { padding: 0 1px; }
mark.both { background: #ffe08a; } mark.gold { background: #a8e0a8; }
mark.pred { background: #f4b0b0; }
.lbl { white-space: nowrap; font-size: 12px; border-radius: 3px; padding: 0 .3em; margin-left: .3em; }
.lbl.gold { background: #dff3df; } .lbl.pred { background: #fbe0e0; }
.doc { color: #666; font-size: 12px; }
"""

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

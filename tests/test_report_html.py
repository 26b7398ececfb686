"""The HTML report: escaping, tables, errors, presets, and the page in a real headless browser."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console

from newsgold.model import Annotation, Document, Mention, Segment
from newsgold.report.html import render_html
from newsgold.report.tables import rich_tables
from newsgold.scoring import EntityOptions, entity_errors, score_entities

CHROMIUM = Path("/usr/bin/chromium")
TEXT = "Putin said <script>alert(1)</script> & Blinken met him in Kyiv and Lviv."
#       0    5    10 11                       36 38 39    46          58  62  67  71
NASTY_LABEL = "X&\"'<u>"
NASTY_DOC = 'd<1>&"x'
NASTY_PATH = "gold&\"'<i>.jsonl"


def _data():
    doc = Document(NASTY_DOC, TEXT, sentences=[Segment(0, len(TEXT), 0, 20)], meta={})
    gold = [
        Mention(0, 5, "PERSON", mention_type="NAM"),
        Mention(39, 46, "PERSON", mention_type="NAM"),
        Mention(58, 62, "GPE", mention_type="NAM"),
        Mention(67, 71, "GPE", mention_type="NAM"),
    ]
    pred = [
        Mention(0, 5, "PERSON"),
        Mention(11, 36, NASTY_LABEL),  # the <script> element, as a spurious span
        Mention(37, 46, "PERSON"),  # "& Blinken": a boundary error
        Mention(58, 62, "ORG"),
    ]
    return {doc.doc_id: Annotation(doc, gold)}, {doc.doc_id: Annotation(doc, pred)}


MANIFEST = {
    "gold": {"path": NASTY_PATH, "sha256": "ab" * 32},
    "pred": {"path": "sys/<b>&'\".spacy", "sha256": None, "format": "spacy"},
}


@pytest.fixture(scope="module")
def scored():
    gold, pred = _data()
    result = score_entities(gold, pred, EntityOptions(n_resamples=50), manifest=MANIFEST)
    errors = entity_errors(gold, pred, mode="strict") + entity_errors(gold, pred, mode="partial")
    return result, errors


class _Page(HTMLParser):
    """Tags, visible text and table rows (cells by row class) of a page."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.rows: list[tuple[str, list[str]]] = []
        self._cell: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append((dict(attrs).get("class") or "", []))
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1][1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def test_data_is_escaped_everywhere(scored):
    page = render_html(*scored, title="<i>t&'\"</i>")
    parsed = _Page(page)
    # markup in data never becomes a tag: the only script is ours, no <u>/<i>/<b> from data
    assert parsed.tags.count("script") == 1
    assert "u" not in parsed.tags and "i" not in parsed.tags
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = "".join(parsed.text)
    for value in (NASTY_LABEL, NASTY_DOC, NASTY_PATH, "sys/<b>&'\".spacy", "<i>t&'\"</i>"):
        assert value in text  # shown literally, as text
        if any(c in value for c in "<&\"'"):
            assert value not in page  # and never raw in the source
    # the unknown label is reported with its count
    assert f"{NASTY_LABEL} 1" in text.replace("\n", " ")


def test_every_label_row_and_numbers_as_in_the_terminal(scored):
    result, errors = scored
    rows = _Page(render_html(result, errors)).rows
    label_rows = [cells for cls, cells in rows if cls == "label-row"]
    avg_rows = [cells for cls, cells in rows if cls == "avg-row"]
    assert len(label_rows) == sum(len(s["per_label"]) for s in result.summaries.values())
    assert len(avg_rows) == 2 * len(result.summaries)  # micro and macro in every mode
    # the terminal table, row by row: the same cells, the same formatting
    console = Console(file=io.StringIO(), width=200, record=True)
    for t in rich_tables(result):
        console.print(t)
    terminal = [line.split() for line in console.export_text().splitlines()]
    by_label = {}
    for line in terminal:
        if line and line[0] in result.summaries["strict"]["per_label"]:
            by_label.setdefault(line[0], line)  # strict comes first in both
    for cells in label_rows[: len(result.summaries["strict"]["per_label"])]:
        assert [c for c in cells if c] == by_label[cells[0]]
    micro_html = avg_rows[0]
    micro_term = next(line for line in terminal if line[:1] == ["micro"])
    assert micro_html[:11] + micro_html[-1:] == micro_term
    assert "-" in micro_html[11] and "-" in micro_html[12]  # P and R intervals too


def test_errors_grouped_by_mode_and_outcome_with_counts(scored):
    result, errors = scored
    page = render_html(result, errors)
    parsed = _Page(page)
    text = " ".join(" ".join(parsed.text).split())
    strict = [e for e in errors if e["mode"] == "strict"]
    counts = {
        o: sum(e["outcome"] == o for e in strict) for o in ("incorrect", "missed", "spurious")
    }
    assert counts == {"incorrect": 2, "missed": 1, "spurious": 1}
    assert (
        f"strict: {len(strict)} spans not fully credited: incorrect 2, missed 1, spurious 1."
        in text
    )
    for outcome, n in counts.items():
        assert f"{outcome} (strict): {n}" in text
    assert "partial (partial): 1" in text
    # modes in the order given (strict first), outcomes in a fixed order within each
    assert page.index('id="errors-strict-spurious"') < page.index('id="errors-partial-partial"')
    # groups in outcome order, each listing only its own rows
    assert page.index('id="errors-strict-incorrect"') < page.index('id="errors-strict-missed"')
    assert page.index('id="errors-strict-missed"') < page.index('id="errors-strict-spurious"')
    assert parsed.tags.count("li") == len(errors)
    # a boundary error shows which side ran over: "& " predicted only, "Blinken" both
    assert '<mark class="pred">&amp; </mark><mark class="both">Blinken</mark>' in page


def test_empty_and_absent_error_lists(scored):
    result, _ = scored
    assert "No errors: every span was credited in full." in render_html(result, [])
    page = render_html(result, None)
    assert "No error list was given." in page and 'class="error"' not in page


def test_spacy_preset_has_no_macro_row():
    gold, pred = _data()
    result = score_entities(gold, pred, EntityOptions(preset="spacy", n_resamples=20))
    rows = _Page(render_html(result, [])).rows
    assert [cells[0] for cls, cells in rows if cls == "avg-row"] == ["micro"]
    assert "macro/" not in render_html(result, [])
    assert len([r for r in rows if r[0] == "label-row"]) == len(
        result.summaries["spacy"]["per_label"]
    )


def test_no_resamples_says_so_and_leaves_intervals_empty():
    gold, pred = _data()
    result = score_entities(gold, pred, EntityOptions(n_resamples=0))
    page = render_html(result, [])
    assert "not computed: no resamples" in page
    micro = next(cells for cls, cells in _Page(page).rows if cls == "avg-row")
    assert micro[-3:] == ["", "", ""]


# --- in a real browser ---------------------------------------------------------------------


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_page_in_headless_chromium(scored, tmp_path):
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    result, errors = scored
    path = tmp_path / "report.html"
    path.write_text(render_html(result, errors), encoding="utf-8")
    dialogs, requests, problems = [], [], []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
            viewport={"width": 1100, "height": 900},
        )
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(path.as_uri())

            strict = page.locator("#mode-strict")
            n_labels = len(result.summaries["strict"]["per_label"])
            assert strict.locator("tr.label-row").count() == n_labels
            assert strict.locator("tr.avg-row").count() == 2
            assert strict.locator("svg.f1-chart g.bar").count() == n_labels
            assert page.locator("li.error").count() == len(errors)
            # the injected element is text on the page, not a script that ran
            assert page.get_by_text("<script>alert(1)</script>").first.is_visible()
            assert page.get_by_text(NASTY_LABEL).first.is_visible()

            # our own script does run (the CSP hash matches it): sort labels by F1
            f1 = strict.locator("th", has_text="F1").first
            f1.click()
            cells = strict.locator("tr.label-row td:nth-child(9)").all_inner_texts()
            assert cells == sorted(cells, key=float)
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)

            # the dialog listener works: a dialog we open ourselves is seen
            page.evaluate("alert('control')")
        finally:
            browser.close()
    assert dialogs == ["control"]
    assert problems == []
    assert requests and all(u.startswith("file://") for u in requests)
    assert (tmp_path / "report.png").stat().st_size > 10_000

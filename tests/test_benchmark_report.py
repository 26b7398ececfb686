"""``newsgold report``: escaping, numbers equal to results.json, filters, and the page in
headless Chromium (Debian's /usr/bin/chromium through Playwright; skipped without it)."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.corpus.segment import segment
from newsgold.formats.jsonl import write_jsonl
from newsgold.formats.prodigy import annotation_to_task, document_to_json
from newsgold.model import Annotation, Document, Mention
from newsgold.report.benchmark import write_results
from newsgold.report.benchmark_data import kind_of
from newsgold.report.benchmark_html import marked, write_report
from newsgold.systems.benchmark import run_benchmark

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
TEXT = 'Putin said <script>alert("x")</script> & Blinken met him in Kyiv.\n\nLviv & Kyiv.'
NASTY_DOC = 'd<script>1</script>&"'
NASTY_LABEL = "<i>X</i>"
NASTY_SYSTEM = "<script>alert(2)</script>"


def _span(text: str, s: str, label: str, k: int = 0, **kw) -> Mention:
    i = -1
    for _ in range(k + 1):
        i = text.index(s, i + 1)
    return Mention(i, i + len(s), label, **kw)


def _nasty_project(tmp: Path) -> Path:
    root = tmp / "nasty"
    tokens, sentences, paragraphs = segment(TEXT)
    doc = Document(NASTY_DOC, TEXT, tokens, sentences, paragraphs, meta={"doc_id": NASTY_DOC})
    write_jsonl(root / "corpus" / "documents.jsonl", [document_to_json(doc)])
    gold = Annotation(
        doc,
        [
            _span(TEXT, "Putin", "PERSON", mention_type="NAM"),
            _span(TEXT, "Blinken", "PERSON", mention_type="NAM"),
            _span(TEXT, "Kyiv", "GPE", mention_type="NAM"),
            _span(TEXT, "Lviv", "GPE", mention_type="NAM"),
            _span(TEXT, "Kyiv", "GPE", 1, mention_type="NAM"),
            _span(TEXT, "script", NASTY_LABEL, mention_type="NAM"),
        ],
    )
    write_jsonl(root / "annotations" / "gold.jsonl", [annotation_to_task(gold)])
    shutil.copy(ROOT / "annotations" / "schema.json", root / "annotations" / "schema.json")
    pred = Annotation(
        Document(NASTY_DOC, TEXT, meta={"doc_id": NASTY_DOC}),
        [
            _span(TEXT, "Putin", "PERSON"),  # correct
            _span(TEXT, "<script>", "ORG"),  # spurious, overlapping the nasty-labelled gold
            _span(TEXT, "& Blinken", "PERSON"),  # boundary
            _span(TEXT, "Kyiv", "ORG"),  # type
            _span(TEXT, "Lviv &", "LOC"),  # boundary+type
        ],
    )
    sha = __import__("newsgold.scoring", fromlist=["file_sha256"]).file_sha256(
        root / "corpus" / "documents.jsonl"
    )
    for folder, name, layers in (
        ("nasty", NASTY_SYSTEM, ["entities"]),
        ("plain", "plain", ["entities", "timex"]),
    ):
        d = root / "evaluate" / "systems" / folder
        # the nasty-named system predicts its first two spans and a spurious one
        mine = pred
        if folder != "plain":
            mine = Annotation(pred.document, [*pred.mentions[:2], _span(TEXT, "met", "ORG")])
        write_jsonl(d / "out.jsonl", [annotation_to_task(mine)])
        info = {
            "name": name,
            "version": "1",
            "layers": layers,
            "command": "hand-made test output",
            "date": "2026-12-01",
            "corpus_sha256": sha,
            "output": "out.jsonl",
            "format": "prodigy",
            "runnable": False,
        }
        (d / "system.json").write_text(json.dumps(info))
    return root


@pytest.fixture(scope="module")
def nasty(tmp_path_factory):
    root = _nasty_project(tmp_path_factory.mktemp("report"))
    result = run_benchmark(root, builtin=False, n_resamples=100)
    results = result.to_dict()
    write_results(results, root / "evaluate")
    page = write_report(root)
    return root, results, page


class _Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_every_text_is_escaped(nasty):
    _, _, page = nasty
    html = page.read_text(encoding="utf-8")
    parsed = _Tags(html)
    assert parsed.tags.count("script") == 1  # only the page's own
    assert "i" not in parsed.tags
    text = "".join(parsed.text)
    for s in ('<script>alert("x")</script>', NASTY_DOC, NASTY_LABEL, NASTY_SYSTEM):
        assert s in text, s


def test_error_kinds_come_from_the_alignment():
    g = {"start": 0, "end": 5, "label": "PERSON"}
    assert kind_of({"gold": g, "pred": dict(g)}) == "correct"
    assert kind_of({"gold": g, "pred": {**g, "label": "ORG"}}) == "type"
    assert kind_of({"gold": g, "pred": {**g, "end": 4}}) == "boundary"
    assert kind_of({"gold": g, "pred": {"start": 1, "end": 6, "label": "ORG"}}) == "boundary+type"
    assert kind_of({"gold": g, "pred": None}) == "missed"
    assert kind_of({"gold": None, "pred": g}) == "spurious"


def test_marked_text_nests_and_escapes():
    spans = [
        {"start": 0, "end": 9, "label": "A", "kind": "correct", "title": "t"},
        {"start": 4, "end": 9, "label": "<b>", "kind": "type", "title": "t"},
    ]
    html = str(marked("<x> & y z", spans))
    assert html.count("<mark") == 2 and "&lt;x&gt; <mark" in html and "&lt;b&gt;" in html
    parsed = _Tags(html)
    assert "b" not in parsed.tags and "x" not in parsed.tags


def _launch(pw, tmp_path):
    return pw.chromium.launch_persistent_context(
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
        viewport={"width": 1300, "height": 1000},
    )


def _visible(page, selector: str) -> int:
    return page.eval_on_selector_all(
        selector, "els => els.filter(e => e.offsetParent !== null).length"
    )


def _undimmed(page) -> int:
    return page.eval_on_selector_all(
        ".panel:not([hidden]) .text mark",
        "els => els.filter(e => !e.classList.contains('dim')).length",
    )


def _check_page(page_path: Path, results: dict, tmp_path: Path, screenshot: Path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    problems: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = _launch(pw, tmp_path)
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(page_path.as_uri())
            # numbers on the page equal results.json
            for s in results["systems"]:
                for layer, sc in s["scores"].items():
                    cell = page.locator(
                        f'#leaderboard tr.system-row[data-system="{_css(s["name"])}"] td[data-layer="{layer}"]'
                    )
                    assert float(cell.get_attribute("data-value")) == sc["f1"]
                    assert cell.locator(".f1-text").inner_text() == f"{100 * sc['f1']:.1f}"
            # exactly one panel shows; each filter changes what is shown
            assert _visible(page, ".panel") == 1
            first = page.locator(".panel:not([hidden])").get_attribute("data-system")
            systems = page.eval_on_selector_all("#f-system option", "o => o.map(x => x.value)")
            errors = {}
            for s in systems:
                page.select_option("#f-system", s)
                assert page.locator(".panel:not([hidden])").get_attribute("data-system") == s
                errors[s] = page.eval_on_selector_all(
                    ".panel:not([hidden]) .text mark",
                    "els => Array.from(new Set(els.map(e => e.dataset.kind))).sort()",
                )
            assert first in systems and len({tuple(v) for v in errors.values()}) > 1
            # the system with the most kinds of error shows every filter's effect best
            page.select_option("#f-system", max(errors, key=lambda x: len(errors[x])))
            layers = page.eval_on_selector_all("#f-layer option", "o => o.map(x => x.value)")
            current = page.locator(".panel:not([hidden])").get_attribute("data-layer")
            for other in (x for x in layers if x != current):
                page.select_option("#f-layer", other)
                shown = page.locator(".panel:not([hidden])")
                if shown.count():
                    assert shown.get_attribute("data-layer") == other
                else:  # the system does not claim the layer: said so
                    assert page.locator("#no-panel").is_visible()
            page.select_option("#f-layer", current)
            rows_all = _visible(page, ".panel tr.error-row")
            marks_all = _undimmed(page)
            kinds = page.eval_on_selector_all("#f-kind option", "o => o.map(x => x.value)")
            counts = []
            for k in kinds[1:]:
                page.select_option("#f-kind", k)
                counts.append(_visible(page, ".panel tr.error-row"))
                assert _undimmed(page) < marks_all
            assert sum(counts) == rows_all and max(counts) < rows_all
            page.select_option("#f-kind", "")
            labels = page.eval_on_selector_all("#f-label option", "o => o.map(x => x.value)")
            page.select_option("#f-label", labels[1])
            assert _undimmed(page) < marks_all
            page.select_option("#f-label", "")
            assert (
                _undimmed(page) == marks_all and _visible(page, ".panel tr.error-row") == rows_all
            )
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert not problems, problems
    assert not dialogs, dialogs
    assert all(u.startswith("file:") for u in requests), requests
    assert screenshot.stat().st_size > 10_000


def _css(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_nasty_page_in_headless_chromium(nasty, tmp_path):
    _, results, page = nasty
    _check_page(page, results, tmp_path, tmp_path / "nasty.png")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundled") / "project"
    shutil.copytree(ROOT / "corpus", root / "corpus")
    shutil.copytree(ROOT / "annotations", root / "annotations")
    shutil.copytree(ROOT / "evaluate" / "systems", root / "evaluate" / "systems")
    # only the stored outputs (made on this corpus: tests/test_benchmark.py checks it)
    result = run_benchmark(root, builtin=False, n_resamples=200)
    results = result.to_dict()
    assert len(result.scored) >= 4
    write_results(results, root / "evaluate")
    return root, results, write_report(root)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_bundled_benchmark_page_in_headless_chromium(bundled, tmp_path):
    _, results, page = bundled
    _check_page(page, results, tmp_path, tmp_path / "benchmark.png")


def test_event_argument_errors_reach_the_document_view(bundled):
    root, results, page = bundled
    scored = [s for s in results["systems"] if "arguments" in s["scores"]]
    if not scored:
        pytest.skip("the event scorer is not present")
    args = scored[0]["scores"]["arguments"]
    lost = sum(c["missed"] + c["spurious"] for c in args["argument_errors"].values())
    assert len(args["error_rows"]) == lost > 0  # one row per lost argument, with its cause
    html = page.read_text(encoding="utf-8")
    assert html.count('class="error-row" data-kind=') >= lost


def test_pngs_of_the_bundled_benchmark(bundled, tmp_path):
    pytest.importorskip("matplotlib")
    from newsgold.report.benchmark_plots import write_pngs

    root, results, _ = bundled
    names = {f.name for f in write_pngs(root, tmp_path / "plots")}
    assert {"leaderboard.png", "per_label_entities.png", "confusion_entities.png"} <= names
    assert {f"per_label_{layer}.png" for layer in results["best"]} <= names


def test_marked_text_closes_and_reopens_a_crossing_span():
    spans = [
        {"start": 0, "end": 5, "label": "A", "kind": "correct", "title": "t"},
        {"start": 3, "end": 8, "label": "B", "kind": "spurious", "title": "t"},
    ]
    html = str(marked("abcdefghij", spans))
    assert html.count("<mark") == 3 and html.count("</mark>") == 3
    assert html.endswith("ij") and html.count('class="tag"') == 2


@st.composite
def _text_and_spans(draw):
    text = draw(st.text(alphabet="ab <>&\"'\n", min_size=1, max_size=30))
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        s = draw(st.integers(0, n - 1))
        e = draw(st.integers(s + 1, n))
        label = draw(st.sampled_from(["A", "<b>", "&"]))
        kind = draw(st.sampled_from(["correct", "missed", "boundary+type"]))
        spans.append({"start": s, "end": e, "label": label, "kind": kind, "title": "<t>"})
    return text, spans


class _Marks(HTMLParser):
    """Text outside the label tags, and whether every mark closes in order."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ok = True
        self.text: list[str] = []
        self.tags = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.tags += tag == "span"

    def handle_endtag(self, tag):
        self.ok &= bool(self.stack) and self.stack.pop() == tag

    def handle_data(self, data):
        if not self.stack or self.stack[-1] != "span":
            self.text.append(data)


@settings(max_examples=300, deadline=None)
@given(_text_and_spans())
def test_marked_text_is_well_formed_and_keeps_the_text(case):
    text, spans = case
    parsed = _Marks(str(marked(text, spans)))
    assert parsed.ok and not parsed.stack
    assert "".join(parsed.text) == text
    assert parsed.tags == len(spans)  # one label per span


def test_pngs_are_written(nasty, tmp_path):
    pytest.importorskip("matplotlib")
    from newsgold.report.benchmark_plots import write_pngs

    root, _, _ = nasty
    files = write_pngs(root, tmp_path / "plots")
    names = {f.name for f in files}
    assert {"leaderboard.png", "per_label_entities.png", "confusion_entities.png"} <= names
    for f in files:
        assert f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

"""`validate` one task at a time: the streamed result equals the whole-corpus one, problems
printed or spooled as found are what the kept report prints, and memory stays flat."""

from __future__ import annotations

import gc
import io
import tracemalloc
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from stream_corpus import BREAKS, break_task, copies, write_jsonl
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.build import load_corpus
from newsgold.corpus.check import documents_without_gold
from newsgold.corpus.validate import Report, open_corpus, validate_paths
from newsgold.corpus.validate.files import CORPUS_CACHE
from newsgold.corpus.validate.output import JsonSpool, LinePrinter, plain_line
from newsgold.errors import Problem
from newsgold.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
N_DOCS = 6


@pytest.fixture(scope="module")
def schema():
    return load_schema(ROOT / "annotations" / "schema.json")


@pytest.fixture(scope="module")
def made():
    return copies(4 * 10)


def _rows(made, picks):
    """Gold lines: for each pick (document, how it is broken or None) a task; a pick of
    document -1 is a line that is not JSON."""
    docs, tasks = made
    rows = []
    for i, how, k in picks:
        if i < 0:
            rows.append(b"{not json")
        else:
            rows.append(tasks[i] if how is None else break_task(tasks[i], how, k))
    return rows


def _write_gold(path: Path, rows) -> Path:
    with path.open("wb") as fh:
        for r in rows:
            fh.write((r if isinstance(r, bytes) else orjson.dumps(r)) + b"\n")
    return path


picks = st.lists(
    st.tuples(
        st.integers(-1, N_DOCS - 1),
        st.one_of(st.none(), st.sampled_from(BREAKS)),
        st.integers(0, 200),
    ),
    min_size=1,
    max_size=9,  # more lines than documents: repeated documents
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picks=picks)
def test_streamed_equals_whole_corpus(tmp_path_factory, made, schema, picks):
    """check_file through open_corpus (documents read on demand, found by doc_id or by the
    hash of their text) with a sink equals check_file on load_corpus's dict (scanned)
    keeping every problem: the same problems in the same order, the same counts."""
    tmp = tmp_path_factory.mktemp("s")
    corpus = write_jsonl(tmp / "documents.jsonl", made[0][:N_DOCS])
    gold = _write_gold(tmp / "gold.jsonl", _rows(made, picks))
    whole = validate_paths([gold], load_corpus(corpus), schema)
    seen: list[Problem] = []
    streamed = validate_paths([gold], open_corpus(corpus), schema, sink=seen.append)
    assert seen == whole.problems
    assert streamed.problems == []  # handed to the sink, not kept
    assert (streamed.errors, streamed.warnings) == (whole.errors, whole.warnings)
    assert [f.tasks for f in streamed.files] == [f.tasks for f in whole.files]


def _expected_text(report: Report) -> str:
    """What `validate` printed before it streamed: every problem, one rich print each, then
    one summary line per file."""
    buf = io.StringIO()
    console = Console(file=buf, highlight=False, markup=False, emoji=False)
    for p in report.problems:
        colour = "red" if p.severity == "error" else "yellow"
        console.print(Text(p.severity, style=colour) + Text(f" {p}"), soft_wrap=True)
    for f in report.files:
        console.print(
            f"{f.path}: {f.tasks} task(s), {f.errors} error(s), {f.warnings} warning(s)",
            soft_wrap=True,
        )
    return buf.getvalue()


def test_cli_prints_what_the_kept_report_holds(tmp_path, made, schema):
    """`newsgold validate` (text and --format json) prints exactly what the report with
    every problem kept gives, the gold's missing documents included, in their place."""
    rows = _rows(made, [(0, None, 0), (1, "label", 3), (-1, None, 0), (2, "no-doc-id", 0)])
    rows += _rows(made, [(2, "offset", 5), (1, "text", 0)])
    corpus = write_jsonl(tmp_path / "documents.jsonl", made[0][:N_DOCS])
    (tmp_path / "a").mkdir()
    gold = _write_gold(tmp_path / "a" / "gold.jsonl", rows)
    other = _write_gold(tmp_path / "b.jsonl", _rows(made, [(3, "unknown", 0), (4, "answer", 0)]))

    whole = validate_paths([gold, other], load_corpus(corpus), schema)
    whole.files[0].problems += documents_without_gold(load_corpus(corpus), gold)
    assert whole.errors and whole.warnings and len(whole.files[0].problems) > 3

    args = ["validate", str(gold), str(other), "--corpus", str(corpus)]
    text = CliRunner().invoke(app, args)
    assert text.exit_code == 1
    assert text.stdout == _expected_text(whole)
    as_json = CliRunner().invoke(app, [*args, "--format", "json"])
    assert as_json.exit_code == 1
    assert as_json.stdout == orjson.dumps(whole.to_dict()).decode() + "\n"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="ab \t\x07\x08\x0b\x0c\r\n\x1b\x00\u4e2d\u200b")))
def test_plain_lines_are_what_rich_prints(line):
    """Without colour, LinePrinter writes lines itself; they are rich's, byte for byte."""
    buf = io.StringIO()
    Console(file=buf, highlight=False, markup=False, emoji=False).print(Text(line), soft_wrap=True)
    plain = plain_line(line)
    assert plain is None or plain == buf.getvalue()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.sampled_from(["error", "warning"]))))
def test_line_printer_batches_print_as_one_print_each(items):
    problems = [Problem(m, "f.jsonl", 3, "d\t1" if "\t" in m else "d", "x", s) for m, s in items]
    want, got = io.StringIO(), io.StringIO()
    console = Console(file=want, highlight=False, markup=False, emoji=False)
    for p in problems:
        colour = "red" if p.severity == "error" else "yellow"
        console.print(Text(p.severity, style=colour) + Text(f" {p}"), soft_wrap=True)
    printer = LinePrinter(Console(file=got, highlight=False, markup=False, emoji=False), batch=3)
    for p in problems:
        printer(p)
    printer.flush()
    assert got.getvalue() == want.getvalue()


def test_json_spool_with_kept_problems():
    kept, spooled = Problem("a", "f", 1), Problem("b", "f", 2, severity="warning")
    report = Report()
    from newsgold.corpus.validate import FileResult

    report.files.append(FileResult("f", tasks=2, problems=[kept]))
    pieces: list[bytes] = []
    with JsonSpool() as spool:
        report.files[0].sink = spool
        report.files[0].add(spooled)
        spool.write(report, lambda b: pieces.append(b if isinstance(b, bytes) else b.encode()))
    got = orjson.loads(b"".join(pieces))
    assert got["problems"] == [kept.to_dict(), spooled.to_dict()]
    assert (got["errors"], got["warnings"]) == (1, 1)


# --- memory ------------------------------------------------------------------------------


def _peak_validating(tmp: Path, made, schema, n: int) -> int:
    """tracemalloc's peak while indexing a corpus of ``n`` documents and validating a gold
    of ``n`` tasks, each with its entity labels broken (hundreds of problems, spooled as
    `validate --format json` does)."""
    docs, tasks = made
    corpus = write_jsonl(tmp / f"documents{n}.jsonl", docs[:n])
    rows = []
    for task in tasks[:n]:
        task = orjson.loads(orjson.dumps(task))
        for s in task["spans"]:
            if s.get("kind") == "entity":
                s["label"] = "NOT-A-LABEL"
        rows.append(task)
    gold = write_jsonl(tmp / f"gold{n}.jsonl", rows)
    gc.collect()
    tracemalloc.start()
    try:
        with JsonSpool() as spool:
            report = validate_paths([gold], open_corpus(corpus), schema, sink=spool)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.files[0].tasks == n and report.errors > 100 * n
    return peak


def test_memory_is_flat_in_the_number_of_documents(tmp_path, made, schema):
    """Validating 4x the documents (and 4x the problems) peaks at about the same memory: the
    peak is one task's work, not the corpus's (which load_corpus held: ~4x here). The
    margin, 25%, is far above the few hundred bytes a document adds (its offset, text hash
    and doc_id) and far below the 300% growth of holding the corpus."""
    n = len(made[0]) // 4
    assert n > CORPUS_CACHE  # both runs fill the cache of documents read
    _peak_validating(tmp_path, made, schema, 2)  # imports and caches filled once, not measured
    small = _peak_validating(tmp_path, made, schema, n)
    large = _peak_validating(tmp_path, made, schema, 4 * n)
    assert large < 1.25 * small, (small, large)


# --- the one-pass reading of a task ----------------------------------------------------------


def _spoil(task: dict, name: str, k: int) -> None:
    """Make part of ``task`` unreadable (when the part is there to spoil)."""
    spans, rels = task.get("spans"), task.get("relations")
    if name in ("span label", "span start") and isinstance(spans, list) and spans:
        spans[k % len(spans)].update({"label": 3} if name == "span label" else {"start": "0"})
    elif name in ("endpoint", "relation") and isinstance(rels, list) and rels:
        if name == "endpoint" and isinstance(rels[k % len(rels)], dict):
            rels[k % len(rels)]["child_span"] = {"start": -5, "end": -1}
        else:
            rels[k % len(rels)] = 7
    elif name == "cluster" and isinstance(task.get("clusters"), list):
        task["clusters"].append({"kind": "entity"})
    elif name == "spans":
        task["spans"] = {}
    elif name == "no relations":
        task.pop("relations", None)


UNREADABLE = ("span label", "span start", "endpoint", "relation", "cluster", "spans")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.sampled_from((*UNREADABLE, "no relations")), st.integers(0, 300))),
    st.sampled_from((None, *BREAKS)),
)
def test_one_pass_reading_equals_the_lenient_one(made, schema, monkeypatch, spoil, how):
    """_read_whole (the whole task read at once, when it can be) gives what reading span by
    span, relation by relation gives: the same problems (which name what was left out)."""
    import newsgold.corpus.validate.spans as spans
    from newsgold.corpus.validate import validate_task
    from newsgold.formats.prodigy import document_from_json

    task = made[1][0] if how is None else break_task(made[1][0], how, 2)
    task = orjson.loads(orjson.dumps(task))
    for name, k in spoil[:3]:
        _spoil(task, name, k)
    doc = document_from_json(made[0][0])
    fast = validate_task(task, {doc.doc_id: doc}, schema, file="g", line=1)
    with monkeypatch.context() as m:
        m.setattr(spans, "_read_whole", lambda good: None)
        slow = validate_task(task, {doc.doc_id: doc}, schema, file="g", line=1)
    assert fast == slow

"""Property: random JSON in any field of a task, of the schema or of any reader's input,
run through the command line, ends with exit code 0 or 1 and never a traceback (issue 8 §2).

Each property runs a modest number of examples so the suite stays fast; set
``NEWSGOLD_FUZZ_EXAMPLES`` (e.g. 2000) for a long run.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgold.corpus.build import document_from_seed
from newsgold.formats.prodigy import annotation_to_task, document_to_json
from newsgold.model import Annotation, Mention
from tests.cli_helpers import ROOT, run

EXAMPLES = int(os.environ.get("NEWSGOLD_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["[/", "[bold]x[/bold]", "PERSON", "entity", "accept", "\ud800", "", "-"]),
)
_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-3, max_value=300),
    st.floats(allow_nan=False),
    _TEXT,
)
JSON = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=10,
)


def _seed_doc():
    seed = ROOT / "tests" / "data" / "formats" / "seeds"
    return document_from_seed(sorted(seed.glob("*.txt"))[-1])


DOC = _seed_doc()


def _task() -> dict:
    text = DOC.text
    first = DOC.tokens[0]
    mentions = [
        Mention(first.start, first.end, "PERSON", mention_type="NAM", cluster="E1"),
        Mention(
            DOC.tokens[2].start,
            DOC.tokens[2].end,
            "DATE",
            kind="timex",
            attrs={"type": "DATE", "value": "2021"},
        ),
    ]
    assert text
    return annotation_to_task(Annotation(DOC, mentions))


TASK = _task()


def _paths(obj, prefix=()):
    """Every path to a value inside ``obj`` (dict keys and list indexes)."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:3]):
            yield from _paths(v, (*prefix, i))


TASK_PATHS = [p for p in _paths(TASK) if p and p[0] not in ("tokens",)] + [
    ("tokens", 0, "start"),
    ("tokens", 0, "end"),
    ("tokens", 0, "text"),
    ("tokens",),
]


def _replace(obj, path, value):
    obj = json.loads(json.dumps(obj))
    if not path:
        return value
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return obj


def _check(res) -> None:
    what = (res.exit_code, res.output[-2000:], repr(res.exception))
    assert res.exit_code in (0, 1), what
    assert res.exception is None or isinstance(res.exception, SystemExit), what
    assert "Traceback" not in res.output, what


def _write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(text, encoding="utf-8", errors="surrogatepass")
    return p


@FUZZ
@given(path=st.sampled_from(TASK_PATHS), value=JSON)
def test_random_json_in_any_field_of_a_task(path, value):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        corpus = _write(d, "corpus.jsonl", json.dumps(document_to_json(DOC)) + "\n")
        good = _write(d, "good.jsonl", json.dumps(TASK) + "\n")
        bad = _write(d, "bad.jsonl", json.dumps(_replace(TASK, path, value)) + "\n")
        common = ["--corpus", corpus, "--bootstrap", "0"]
        _check(run("score", bad, "--gold", good, *common))
        _check(run("score", good, "--gold", bad, *common))
        _check(run("validate", bad, "--corpus", corpus))
        _check(run("stats", bad))
        _check(run("agreement", good, bad))


SCHEMA = json.loads((ROOT / "newsgold" / "schema.json").read_text(encoding="utf-8"))
SCHEMA_PATHS = [p for p in _paths(SCHEMA) if len(p) <= 3]


@FUZZ
@given(path=st.sampled_from(SCHEMA_PATHS), value=JSON)
def test_random_json_in_any_field_of_the_schema(path, value):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        corpus = _write(d, "corpus.jsonl", json.dumps(document_to_json(DOC)) + "\n")
        gold = _write(d, "gold.jsonl", json.dumps(TASK) + "\n")
        schema = _write(d, "schema.json", json.dumps(_replace(SCHEMA, path, value)))
        _check(run("validate", gold, "--corpus", corpus, "--schema", schema))
        _check(run("score", gold, "--gold", gold, "--corpus", corpus, "--schema", schema))


def _line(value) -> str:
    return json.dumps(value)


READER_INPUTS = {
    "hf": lambda v: _line({"doc_id": DOC.doc_id, "entities": [v]}),
    "hf-list": lambda v: _line([v]),
    "text": lambda v: _line({"doc_id": DOC.doc_id, "mentions": [v]}),
    "text-field": lambda v: _line({"doc_id": v, "mentions": [{"text": "x", "label": "PERSON"}]}),
    "prodigy": lambda v: _line({"text": DOC.text, "meta": {"doc_id": DOC.doc_id}, "spans": [v]}),
    "conll": lambda v: (
        f"-DOCSTART- {DOC.doc_id}\n{DOC.tokens[0].text} {v if isinstance(v, str) else json.dumps(v)}\n"
    ),
    "brat": lambda v: f"T1\t{v if isinstance(v, str) else json.dumps(v)}\t{DOC.tokens[0].text}\n",
}
FORMAT = {"hf-list": "hf", "text-field": "text"}


@FUZZ
@given(reader=st.sampled_from(sorted(READER_INPUTS)), value=JSON)
def test_random_json_in_every_readers_input(reader, value):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        corpus = _write(d, "corpus.jsonl", json.dumps(document_to_json(DOC)) + "\n")
        gold = _write(d, "gold.jsonl", json.dumps(TASK) + "\n")
        content = READER_INPUTS[reader](value)
        if reader == "brat":
            pred = d / "brat"
            pred.mkdir()
            _write(pred, f"{DOC.doc_id}.txt", DOC.text)
            _write(pred, f"{DOC.doc_id}.ann", content)
        else:
            pred = _write(d, f"pred.{reader}", content)
        common = ["--gold", gold, "--corpus", corpus, "--bootstrap", "0"]
        _check(run("score", pred, *common))
        _check(run("score", pred, "--format", FORMAT.get(reader, reader), *common))

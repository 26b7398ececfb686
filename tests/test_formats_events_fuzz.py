"""Random damage to every event sample goes through its reader as a clear error or a
warning, never a traceback (hypothesis mutates one value of a real line at a time)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgold.corpus.build import load_corpus
from newsgold.errors import NewsgoldError
from newsgold.formats.predictions import load_predictions

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "formats"
CORPUS = load_corpus(ROOT / "corpus" / "documents.jsonl")
SAMPLES = {
    "oneie": DATA / "oneie" / "system.jsonl",
    "textee": DATA / "textee" / "gold.jsonl",
    "textee-pred": DATA / "textee" / "pred.jsonl",
    "dygiepp": DATA / "dygiepp" / "gold.jsonl",
    "dygiepp-pred": DATA / "dygiepp" / "pred.jsonl",
    "llm-events": DATA / "llm_events" / "system.jsonl",
}
FORMAT = {"textee-pred": "textee", "dygiepp-pred": "dygiepp"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3000) | st.text(max_size=8),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=3)
    ),
    max_leaves=8,
)


def paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from paths(v, (*prefix, i))


def replaced(obj, path, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(obj, dict):
        return {**obj, head: replaced(obj[head], rest, value)}
    return [replaced(v, rest, value) if i == head else v for i, v in enumerate(obj)]


@pytest.mark.parametrize("name", sorted(SAMPLES))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_damaged_lines_never_raise_anything_but_a_newsgold_error(tmp_path, name, data):
    lines = [orjson.loads(x) for x in SAMPLES[name].read_bytes().splitlines() if x.strip()]
    k = data.draw(st.integers(0, len(lines) - 1))
    where = data.draw(st.sampled_from(list(paths(lines[k]))))
    lines[k] = replaced(lines[k], where, data.draw(json_values))
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    with contextlib.suppress(NewsgoldError):  # a clear error is fine; anything else fails
        load_predictions(path, CORPUS, format=FORMAT.get(name, name), allow_unknown=True)


FIRST_LINES = [
    b'{"doc_id": "d", "events": []}\n',
    b'{"doc_id": "d", "wnd_id": "w", "tokens": ["a"]}\n',
    b'{"a": [1, {"b": "\\ud800"}]}\n',
    b"x\x9c\x00\x01",
    b"\xff\xfe{\x00",
    b"[[[[",
    b"-DOCSTART- O\n",
    b"",
]


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.sampled_from(FIRST_LINES),
    edits=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 255)), max_size=4),
)
def test_detection_of_damaged_bytes_names_a_format_or_a_clear_error(tmp_path, seed, edits):
    from newsgold.errors import FormatError
    from newsgold.formats.detect import detect_format
    from newsgold.formats.registry import FORMATS

    data = bytearray(seed)
    for at, byte in edits:
        data.insert(min(at, len(data)), byte)
    path = tmp_path / "x.jsonl"
    path.write_bytes(bytes(data))
    try:
        assert detect_format(path) in FORMATS
    except FormatError as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)

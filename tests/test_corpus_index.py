"""CorpusIndex: the corpus read on demand equals load_corpus, errors included."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.corpus.build import load_corpus
from newsgold.corpus.index import CorpusIndex
from newsgold.errors import NewsgoldError

texts = st.text(alphabet="ab c.\n", min_size=1, max_size=30)


def write(path, rows):
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdef"), texts), min_size=1, max_size=8))
def test_equals_load_corpus(tmp_path_factory, items):
    path = tmp_path_factory.mktemp("c") / "documents.jsonl"
    write(path, [{"text": t, "meta": {"doc_id": d}} for d, t in items])
    whole = load_corpus(path)
    index = CorpusIndex(path, cache_size=2)
    assert list(index) == list(whole)
    assert len(index) == len(whole)
    for d in reversed(list(whole)):  # out of file order, past the cache
        assert index[d] == whole[d]
        assert index.find_text(whole[d].text) == [
            k for k, v in whole.items() if v.text == whole[d].text
        ]
    assert "zz" not in index
    with pytest.raises(KeyError):
        index["zz"]


def test_bundled_corpus():
    assert dict(CorpusIndex("corpus/documents.jsonl")) == load_corpus("corpus/documents.jsonl")


def test_same_errors_as_load_corpus(tmp_path):
    path = tmp_path / "documents.jsonl"
    path.write_bytes(b'{"text": "ok", "meta": {"doc_id": "a"}}\n\n{"text": 3}\nnot json\n[1]\n')
    with pytest.raises(NewsgoldError) as whole:
        load_corpus(path)
    with pytest.raises(NewsgoldError) as index:
        CorpusIndex(path)
    assert [str(p) for p in index.value.problems] == [str(p) for p in whole.value.problems]
    assert [p.line for p in index.value.problems] == [3, 4, 5]

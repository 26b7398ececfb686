"""Hugging Face pipeline output: aggregated groups, merged pieces, min_score, bare lists."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from newsgold.errors import NewsgoldError
from newsgold.formats.hf import merge_pieces
from newsgold.formats.predictions import load_predictions
from newsgold.model import Document

TEXT = "Wendy Sherman met Sergei Ryabkov in Geneva."


@pytest.fixture
def corpus():
    return {"t1": Document("t1", TEXT), "t2": Document("t2", "NATO met in Brussels.")}


def read(tmp_path, lines, corpus, **kw):
    path = tmp_path / "hf.jsonl"
    path.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    preds = load_predictions(path, corpus, format="hf", **kw)
    return preds, {
        k: [(m.start, m.end, m.label) for m in a.mentions] for k, a in preds.annotations.items()
    }


def piece(tag, start, end, index=None, score=0.9):
    d = {"entity": tag, "score": score, "word": TEXT[start:end], "start": start, "end": end}
    if index is not None:
        d["index"] = index
    return d


def test_merge_rule():
    items = [
        piece("B-PER", 0, 5, 1),
        piece("I-PER", 6, 9, 2),
        piece("I-PER", 9, 13, 3),  # "##man"
        piece("B-PER", 18, 24, 5),
        piece("I-PER", 25, 32, 6),
        piece("I-LOC", 36, 42, 8),  # I- after a gap starts an entity
    ]
    got = [(s, e, lab) for s, e, lab, _, _ in merge_pieces(items, TEXT)]
    assert got == [(0, 13, "PER"), (18, 32, "PER"), (36, 42, "LOC")]


def test_merge_without_index_uses_the_gap():
    items = [piece("I-PER", 0, 5), piece("I-PER", 6, 13), piece("I-PER", 18, 24)]
    got = [(s, e) for s, e, *_ in merge_pieces(items, TEXT)]
    assert got == [(0, 13), (18, 24)]  # " met " is not whitespace only


def test_index_gap_splits_touching_pieces():
    # pieces 2 and 4: a dropped O token lies between them although only a space does
    items = [piece("B-PER", 0, 5, 2), piece("I-PER", 6, 13, 4)]
    assert [(s, e) for s, e, *_ in merge_pieces(items, TEXT)] == [(0, 5), (6, 13)]


def test_merged_score_is_the_mean_and_min_score_drops(tmp_path, corpus):
    items = [piece("B-PER", 0, 5, 1, 0.9), piece("I-PER", 6, 13, 2, 0.5)]
    items += [piece("B-LOC", 36, 42, 8, 0.99)]
    preds, got = read(
        tmp_path, [{"doc_id": "t1", "entities": items}], corpus, min_score=0.8, allow_missing=True
    )
    assert got["t1"] == [(36, 42, "LOC")]
    assert any("1 span(s) with score below min_score 0.8" in p.message for p in preds.problems)
    _, kept = read(
        tmp_path, [{"doc_id": "t1", "entities": items}], corpus, min_score=0.7, allow_missing=True
    )
    assert kept["t1"] == [(0, 13, "PER"), (36, 42, "LOC")]


def test_groups_by_text_and_whitespace_trim(tmp_path, corpus):
    lines = [
        {
            "text": TEXT,
            "entities": [
                {
                    "entity_group": "PER",
                    "start": 17,
                    "end": 32,
                    "score": 0.9,
                    "word": "Sergei Ryabkov",
                }
            ],
        },
        {
            "doc_id": "t2",
            "entities": [{"entity_group": "ORG", "start": 0, "end": 4, "word": "nato"}],
        },
    ]
    preds, got = read(tmp_path, lines, corpus)
    assert got == {"t1": [(18, 32, "PER")], "t2": [(0, 4, "ORG")]}
    assert any("whitespace at an edge, trimmed" in p.message for p in preds.problems)
    # lower-cased word of an uncased model is not a mismatch
    assert not any("word" in (p.field or "") for p in preds.problems)


def test_bare_lists_are_matched_by_order(tmp_path, corpus):
    lines = [
        [{"entity_group": "PER", "start": 0, "end": 13, "word": "Wendy Sherman"}],
        [{"entity_group": "LOC", "start": 12, "end": 20, "word": "Brussels"}],
    ]
    preds, got = read(tmp_path, lines, corpus)
    assert got == {"t1": [(0, 13, "PER")], "t2": [(12, 20, "LOC")]}
    assert any("matched to corpus documents by order" in p.message for p in preds.problems)
    with pytest.raises(NewsgoldError, match="order looks wrong"):
        read(tmp_path, lines[::-1], corpus)
    with pytest.raises(NewsgoldError, match="matched to the corpus by line order"):
        read(tmp_path, lines[:1], corpus)


def test_word_mismatch_is_a_warning_with_doc_id(tmp_path, corpus):
    items = [{"entity_group": "PER", "start": 0, "end": 5, "word": "Putin"}]
    preds, _ = read(tmp_path, [{"doc_id": "t1", "entities": items}], corpus, allow_missing=True)
    [warning] = [p for p in preds.problems if p.field == "word"]
    assert "'Putin' but the text has 'Wendy'" in warning.message


@pytest.mark.parametrize(
    "item, field, message",
    [
        ({"entity_group": "PER", "start": None, "end": 5}, "entities[0].start", "integer"),
        ({"entity_group": "PER", "start": 5, "end": 2}, "entities[0].end", "end 2 <= start 5"),
        ({"entity_group": "PER", "start": 0, "end": 99}, "entities[0].end", "outside the text"),
        ({"start": 0, "end": 5}, "entities[0].label", "missing or empty label"),
        ("PER", "entities[0]", "expected an object"),
    ],
)
def test_bad_items(tmp_path, corpus, item, field, message):
    with pytest.raises(NewsgoldError) as err:
        read(
            tmp_path,
            [{"doc_id": "t2", "entities": []}, {"doc_id": "t1", "entities": [item]}],
            corpus,
        )
    [problem] = err.value.problems
    assert (problem.line, problem.field, problem.doc_id) == (2, field, "t1")
    assert message in problem.message


def test_bad_lines(tmp_path, corpus):
    path = tmp_path / "hf.jsonl"
    path.write_text(
        '{"doc_id": "t1", "entities": [}\n"just a string"\n{"doc_id": "t2"}\n', encoding="utf-8"
    )
    with pytest.raises(NewsgoldError) as err:
        load_predictions(path, corpus, format="hf")
    assert [(p.line, p.field) for p in err.value.problems] == [(1, None), (2, None)]
    path.write_text('{"doc_id": "t2"}\n', encoding="utf-8")
    with pytest.raises(NewsgoldError, match="missing or non-list 'entities'"):
        load_predictions(path, corpus, format="hf", allow_missing=True)
    mixed = [
        {"entity_group": "PER", "start": 0, "end": 5},
        {"entity": "B-PER", "start": 6, "end": 13},
    ]
    with pytest.raises(NewsgoldError, match="mix 'entity_group'"):
        read(tmp_path, [{"doc_id": "t1", "entities": mixed}], corpus, allow_missing=True)


def test_sample_file_mixes_aggregated_and_pieces():
    lines = [
        orjson.loads(x)
        for x in (Path(__file__).parent / "data/formats/system.hf.jsonl").read_bytes().splitlines()
    ]
    assert "entity_group" in lines[0]["entities"][0]
    assert "entity" in lines[1]["entities"][0] and lines[1]["entities"][1]["word"].startswith("##")

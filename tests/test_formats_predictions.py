"""load_predictions: every sample format gives the same mentions; document matching;
format detection; the Prodigy reader."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
import spacy
from conftest import DOC0, DOC1  # noqa: E402
from conftest import FORMATS_DATA as DATA  # noqa: E402
from spacy.tokens import DocBin

from newsgold.errors import FormatError, NewsgoldError
from newsgold.formats.predictions import FORMATS, detect_format, load_predictions


@pytest.fixture(scope="module")
def corpus(formats_corpus):
    return formats_corpus


@pytest.fixture(scope="module")
def expected():
    lines = [orjson.loads(x) for x in (DATA / "expected.jsonl").read_bytes().splitlines()]
    return {x["doc_id"]: [tuple(m) for m in x["mentions"]] for x in lines}


def spans(preds, doc_id):
    return sorted((m.start, m.end, m.label) for m in preds.annotations[doc_id].mentions)


def write(path: Path, lines) -> Path:
    path.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    return path


def docbin(tmp_path, corpus, expected) -> Path:
    nlp = spacy.blank("en")
    db = DocBin(store_user_data=True)
    for d in corpus.values():
        doc = nlp(d.text)
        doc.ents = [doc.char_span(s, e, lab) for s, e, lab in expected[d.doc_id]]
        doc.user_data["doc_id"] = d.doc_id
        db.add(doc)
    path = tmp_path / "system.spacy"
    db.to_disk(path)
    return path


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("system.prodigy.jsonl", "prodigy"),
        ("system.iob2.conll", "conll"),
        ("system.iob1.conll", "conll"),
        ("system.bilou.tsv", "conll"),
        ("brat", "brat"),
        ("system.hf.jsonl", "hf"),
        ("system.text.jsonl", "text"),
    ],
)
def test_every_sample_gives_the_system_mentions(corpus, expected, name, fmt):
    preds = load_predictions(DATA / name, corpus)
    assert preds.format == fmt
    for doc_id, want in expected.items():
        assert spans(preds, doc_id) == sorted(want)
        ann = preds.annotations[doc_id]
        assert ann.document is corpus[doc_id]
        assert all(m.kind == "entity" for m in ann.mentions)
        assert all(m.text == corpus[doc_id].text[m.start : m.end] for m in ann.mentions)
    assert all(p.severity == "warning" for p in preds.problems)


def test_spacy_docbin_sample(tmp_path, corpus, expected):
    preds = load_predictions(docbin(tmp_path, corpus, expected), corpus)
    assert preds.format == "spacy"
    assert {k: spans(preds, k) for k in expected} == {k: sorted(v) for k, v in expected.items()}


def test_detect_format(tmp_path, corpus, expected):
    assert detect_format(DATA / "brat") == "brat"
    assert detect_format(DATA / "system.prodigy.jsonl") == "prodigy"
    assert detect_format(DATA / "system.hf.jsonl") == "hf"
    assert detect_format(DATA / "system.text.jsonl") == "text"
    assert detect_format(DATA / "system.iob1.conll") == "conll"
    assert detect_format(DATA / "system.bilou.tsv") == "conll"
    assert detect_format(docbin(tmp_path, corpus, expected)) == "spacy"
    # no telling extension: the first line decides
    plain = tmp_path / "out.txt"
    plain.write_text("-DOCSTART- -X- O O\n\nPutin B-PER\n", encoding="utf-8")
    assert detect_format(plain) == "conll"
    bare = write(tmp_path / "bare.out", [[{"entity_group": "PER", "start": 0, "end": 5}]])
    assert detect_format(bare) == "hf"


def test_detect_format_says_what_was_tried(tmp_path):
    odd = tmp_path / "notes.md"
    odd.write_text("# My system output\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        detect_format(odd)
    message = str(err.value)
    assert "'.md'" in message and "first line" in message and "format=" in message
    empty_dir = tmp_path / "folder"
    empty_dir.mkdir()
    with pytest.raises(FormatError, match="no .ann files"):
        detect_format(empty_dir)
    with pytest.raises(FormatError, match="no such file"):
        detect_format(tmp_path / "absent.jsonl")


def test_unknown_format_and_option(corpus):
    with pytest.raises(FormatError, match="unknown format 'csv'"):
        load_predictions(DATA / "system.text.jsonl", corpus, format="csv")
    with pytest.raises(FormatError, match="min_score not understood by the text reader"):
        load_predictions(DATA / "system.text.jsonl", corpus, min_score=0.5)
    assert set(FORMATS) == {"prodigy", "spacy", "conll", "brat", "hf", "text"} | {
        "oneie",
        "textee",
        "dygiepp",
        "llm-events",
        "conll2012",
    }


# -- document matching (shown on the text-only format; all formats share the code) ----------


def test_missing_document_is_an_error_unless_allowed(tmp_path, corpus):
    path = write(tmp_path / "p.jsonl", [{"doc_id": DOC0, "mentions": []}])
    with pytest.raises(NewsgoldError) as err:
        load_predictions(path, corpus, format="text")
    [problem] = err.value.problems
    assert problem.doc_id == DOC1 and problem.file == str(path)
    assert "allow_missing" in problem.message
    preds = load_predictions(path, corpus, format="text", allow_missing=True)
    assert preds.annotations[DOC1].mentions == []
    assert preds.annotations[DOC1].document is corpus[DOC1]
    assert any("no prediction" in p.message for p in preds.problems)


def test_unknown_document_is_an_error_unless_allowed(tmp_path, corpus):
    lines = [
        {"doc_id": DOC0, "mentions": []},
        {"doc_id": DOC1, "mentions": []},
        {"doc_id": "999_other", "mentions": [{"text": "Putin", "label": "PER"}]},
    ]
    path = write(tmp_path / "p.jsonl", lines)
    with pytest.raises(NewsgoldError) as err:
        load_predictions(path, corpus)
    [problem] = err.value.problems
    assert (problem.doc_id, problem.line, problem.file) == ("999_other", 3, str(path))
    preds = load_predictions(path, corpus, allow_unknown=True)
    assert set(preds.annotations) == {DOC0, DOC1}
    [warning] = preds.problems
    assert warning.severity == "warning" and warning.line == 3


def test_text_differs_is_always_an_error(tmp_path, corpus):
    changed = corpus[DOC0].text.replace("Kremlin", "Kreml")
    lines = [
        {"doc_id": DOC0, "text": changed, "mentions": []},
        {"doc_id": DOC1, "mentions": []},
    ]
    path = write(tmp_path / "p.jsonl", lines)
    for flags in ({}, {"allow_unknown": True, "allow_missing": True}):
        with pytest.raises(NewsgoldError) as err:
            load_predictions(path, corpus, format="text", **flags)
        problem = err.value.problems[0]
        assert (problem.doc_id, problem.line, problem.field) == (DOC0, 1, "text")
        assert "first difference at character" in problem.message


def test_match_by_text_when_no_doc_id(tmp_path, corpus):
    lines = [
        {"text": corpus[DOC0].text, "mentions": [{"text": "Kremlin", "label": "ORG"}]},
        {"doc_id": "renamed", "text": corpus[DOC1].text, "mentions": []},
    ]
    preds = load_predictions(write(tmp_path / "p.jsonl", lines), corpus, format="text")
    assert spans(preds, DOC0) == [(220, 227, "ORG")]
    assert any(
        "'renamed' is not in the corpus; matched by text" in p.message for p in preds.problems
    )


def test_two_predictions_for_one_document(tmp_path, corpus):
    lines = [
        {"doc_id": DOC0, "mentions": []},
        {"doc_id": DOC1, "mentions": []},
        {"doc_id": DOC0, "mentions": []},
    ]
    path = write(tmp_path / "p.jsonl", lines)
    with pytest.raises(NewsgoldError, match=r"second prediction .*first is at .*p.jsonl:1"):
        load_predictions(path, corpus, format="text")


def test_no_doc_id_and_no_text(tmp_path, corpus):
    path = write(tmp_path / "p.jsonl", [{"mentions": []}])
    with pytest.raises(NewsgoldError, match="no doc_id and no text"):
        load_predictions(path, corpus, format="text", allow_missing=True)


# -- prodigy ---------------------------------------------------------------------------------


def test_prodigy_skips_rejected_tasks_with_a_warning(corpus):
    preds = load_predictions(DATA / "system.prodigy.jsonl", corpus)
    [warning] = preds.problems
    assert "reject/ignore skipped (lines 1)" in warning.message


def test_prodigy_keeps_kinds_relations_and_attrs(tmp_path, corpus):
    text = corpus[DOC1].text
    task = {
        "text": text,
        "meta": {"doc_id": DOC1},
        "spans": [
            {"start": 71, "end": 84, "label": "PERSON", "token_start": 12, "token_end": 13},
            {
                "start": 85,
                "end": 88,
                "label": "Contact.Meet",
                "kind": "trigger",
                "token_start": 14,
                "token_end": 14,
                "attrs": {"realis": "ACTUAL"},
            },
        ],
        "relations": [
            {
                "head": 14,
                "child": 13,
                "head_span": {"start": 85, "end": 88, "label": "Contact.Meet"},
                "child_span": {"start": 71, "end": 84, "label": "PERSON"},
                "label": "Entity",
            }
        ],
        "answer": "accept",
    }
    path = write(tmp_path / "p.jsonl", [task])
    preds = load_predictions(path, corpus, allow_missing=True)
    ann = preds.annotations[DOC1]
    [event] = ann.events
    assert event.type == "Contact.Meet" and event.realis == "ACTUAL"
    assert [(a.role, a.mention.text) for a in event.arguments] == [("Entity", "Wendy Sherman")]
    assert [m.kind for m in ann.mentions] == ["entity", "trigger"]
    assert all("_no_kind" not in m.extra for m in ann.mentions)


@pytest.mark.parametrize(
    "span, field, message",
    [
        ({"start": 5, "end": 5, "label": "PER"}, "spans[0].end", "end 5 <= start 5"),
        ({"start": 0, "end": 9999, "label": "PER"}, "spans[0].end", "outside the text"),
        ({"start": 0, "end": 5, "label": ""}, "spans[0].label", "missing or empty label"),
        ({"start": 0, "end": 5}, "spans[0].label", "label"),
        ({"start": "0", "end": 5, "label": "X"}, "spans[0].start", "integer"),
        ({"start": 0, "end": 5, "label": "X", "text": "Putin"}, "spans[0].text", "not the text"),
    ],
)
def test_prodigy_bad_spans_name_line_and_field(tmp_path, corpus, span, field, message):
    lines = [
        {"text": corpus[DOC1].text, "meta": {"doc_id": DOC1}, "spans": []},
        {"text": corpus[DOC0].text, "meta": {"doc_id": DOC0}, "spans": [span]},
    ]
    path = write(tmp_path / "p.jsonl", lines)
    with pytest.raises(NewsgoldError) as err:
        load_predictions(path, corpus, format="prodigy")
    [problem] = err.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 2, field)
    assert message in problem.message


def test_prodigy_malformed_line(tmp_path, corpus):
    path = tmp_path / "p.jsonl"
    path.write_text('{"text": "x", \n', encoding="utf-8")
    with pytest.raises(NewsgoldError) as err:
        load_predictions(path, corpus, format="prodigy")
    assert err.value.problems[0].line == 1
    assert "malformed JSON" in err.value.problems[0].message


def test_brat_folder_copy_is_read_the_same(tmp_path, corpus, expected):
    # a folder elsewhere, detected as brat by its .ann files
    shutil.copytree(DATA / "brat", tmp_path / "out")
    preds = load_predictions(tmp_path / "out", corpus)
    assert preds.format == "brat"
    assert spans(preds, DOC1) == sorted(expected[DOC1])

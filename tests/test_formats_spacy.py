"""spaCy Docs and DocBin files: ents, span groups, doc_id or text matching, bad input."""

from __future__ import annotations

import pytest
import spacy
from conftest import DOC0, DOC1  # noqa: E402
from spacy.tokens import DocBin, Span

from newsgold.errors import NewsgoldError
from newsgold.formats.predictions import load_predictions
from newsgold.formats.spacy_docs import from_docs


@pytest.fixture(scope="module")
def corpus(formats_corpus):
    return formats_corpus


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def make(nlp, text, ents=(), spans=(), doc_id=None):
    doc = nlp(text)
    doc.ents = [doc.char_span(s, e, lab) for s, e, lab in ents]
    if spans:
        doc.spans["sc"] = [doc.char_span(s, e, lab) for s, e, lab in spans]
    if doc_id is not None:
        doc.user_data["doc_id"] = doc_id
    return doc


def test_from_docs_by_doc_id_and_by_text(nlp, corpus):
    docs = [
        make(nlp, corpus[DOC1].text, [(71, 84, "PERSON")], doc_id=DOC1),
        make(nlp, corpus[DOC0].text, [(18, 23, "PERSON"), (46, 50, "ORG")]),
    ]
    preds = from_docs(docs, corpus)
    assert preds.format == "spacy"
    assert [(m.start, m.end, m.label, m.text) for m in preds.annotations[DOC1].mentions] == [
        (71, 84, "PERSON", "Wendy Sherman")
    ]
    assert [m.label for m in preds.annotations[DOC0].mentions] == ["PERSON", "ORG"]


def test_spans_key_adds_overlapping_spans_once(nlp, corpus):
    text = corpus[DOC1].text
    doc = make(
        nlp,
        text,
        ents=[(71, 84, "PERSON")],
        spans=[(71, 84, "PERSON"), (45, 84, "PERSON"), (42, 44, "GPE")],
        doc_id=DOC1,
    )
    only_ents = from_docs([doc], corpus, allow_missing=True)
    assert len(only_ents.annotations[DOC1].mentions) == 1
    preds = from_docs([doc], corpus, spans_key="sc", allow_missing=True)
    got = sorted((m.start, m.end, m.label) for m in preds.annotations[DOC1].mentions)
    assert got == [(42, 44, "GPE"), (45, 84, "PERSON"), (71, 84, "PERSON")]
    absent = from_docs([doc], corpus, spans_key="spans", allow_missing=True)
    assert any("doc.spans['spans']" in p.message for p in absent.problems)


def test_docbin_file_roundtrip(tmp_path, nlp, corpus):
    db = DocBin(store_user_data=True)
    db.add(make(nlp, corpus[DOC0].text, [(18, 23, "PERSON")], doc_id=DOC0))
    db.add(make(nlp, corpus[DOC1].text, [], spans=[(139, 145, "GPE")], doc_id=DOC1))
    path = tmp_path / "out.spacy"
    db.to_disk(path)
    preds = load_predictions(path, corpus, spans_key="sc")
    assert preds.format == "spacy"
    assert [m.span for m in preds.annotations[DOC0].mentions] == [(18, 23)]
    assert [m.span for m in preds.annotations[DOC1].mentions] == [(139, 145)]


def test_docbin_without_user_data_matches_by_text(tmp_path, nlp, corpus):
    db = DocBin()  # user_data (and so doc_id) is not stored
    db.add(make(nlp, corpus[DOC1].text, [(9, 15, "GPE")], doc_id=DOC1))
    path = tmp_path / "out.spacy"
    db.to_disk(path)
    preds = load_predictions(path, corpus, allow_missing=True)
    assert [m.text for m in preds.annotations[DOC1].mentions] == ["Geneva"]


def test_text_differs_names_the_doc(nlp, corpus):
    # re-joined tokens lose the original whitespace: not the corpus text
    words = " ".join(t.text for t in corpus[DOC1].tokens if t.text.strip())
    with pytest.raises(NewsgoldError) as err:
        from_docs([make(nlp, words, doc_id=DOC1)], corpus, allow_missing=True)
    [problem] = err.value.problems
    assert problem.doc_id == DOC1 and problem.field == "text"
    assert problem.file == "<docs> docs[0]"


def test_unknown_doc_and_bad_file(tmp_path, nlp, corpus):
    with pytest.raises(NewsgoldError, match="not in the corpus"):
        from_docs([make(nlp, "Another text.")], corpus, allow_missing=True)
    preds = from_docs([make(nlp, "Another text.")], corpus, allow_missing=True, allow_unknown=True)
    assert all(not a.mentions for a in preds.annotations.values())
    bad = tmp_path / "bad.spacy"
    bad.write_bytes(b"not a docbin")
    with pytest.raises(NewsgoldError, match="not a spaCy DocBin file"):
        load_predictions(bad, corpus)


def test_span_group_label_can_be_empty_string_error(nlp, corpus):
    doc = make(nlp, corpus[DOC1].text, doc_id=DOC1)
    doc.spans["sc"] = [Span(doc, 0, 1, label="")]
    with pytest.raises(NewsgoldError) as err:
        from_docs([doc], corpus, spans_key="sc", allow_missing=True)
    assert err.value.problems[0].field == "docs[0].spans['sc'].label"

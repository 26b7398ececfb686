"""CoNLL / BIO reading: decoding (against seqeval), scheme detection, document splits,
token alignment and bad input."""

from __future__ import annotations

import warnings

import pytest
from conftest import FORMATS_DATA as DATA  # noqa: E402
from hypothesis import given
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities

from newsgold.errors import NewsgoldError
from newsgold.formats.conll import decode, detect_scheme, scheme_breaks, split_tag
from newsgold.formats.predictions import load_predictions
from newsgold.model import Document


@pytest.fixture(scope="module")
def corpus(formats_corpus):
    return formats_corpus


def tiny():
    return {"t1": Document("t1", "Wendy Sherman met Sergei Ryabkov in Geneva (Switzerland).")}


def read(tmp_path, body: str, corpus=None, **kw):
    path = tmp_path / "out.conll"
    path.write_text(body, encoding="utf-8")
    preds = load_predictions(path, corpus or tiny(), format="conll", **kw)
    return preds, sorted(
        (m.start, m.end, m.label) for a in preds.annotations.values() for m in a.mentions
    )


def tags(seq: list[str]):
    return [split_tag(t) for t in seq]


# -- decoding ---------------------------------------------------------------------------------

types = st.sampled_from(["PER", "LOC", "ORG"])
iob_tag = st.one_of(st.just("O"), st.builds(lambda p, t: f"{p}-{t}", st.sampled_from("BI"), types))
bioes_tag = st.one_of(
    st.just("O"), st.builds(lambda p, t: f"{p}-{t}", st.sampled_from("BIES"), types)
)


def seqeval_entities(seq):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sorted(get_entities(list(seq)))


@given(st.lists(iob_tag, max_size=30))
def test_iob_decoding_equals_seqeval(seq):
    # holds for IOB2 and, because the decoder is lenient, for IOB1 sequences too
    assert sorted(decode(tags(seq))) == seqeval_entities(seq)


@given(st.lists(bioes_tag, max_size=30))
def test_bioes_decoding_equals_seqeval(seq):
    assert sorted(decode(tags(seq))) == seqeval_entities(seq)


@given(st.lists(bioes_tag, max_size=30))
def test_bilou_letters_decode_like_bioes(seq):
    bilou = [t.replace("E-", "L-").replace("S-", "U-") for t in seq]
    assert decode(tags(bilou)) == decode(tags(seq))


def test_decode_examples():
    assert decode(tags(["I-PER", "I-PER", "B-PER", "O", "I-LOC"])) == [
        ("PER", 0, 1),
        ("PER", 2, 2),
        ("LOC", 4, 4),
    ]
    assert decode(tags(["B-PER", "I-LOC"])) == [("PER", 0, 0), ("LOC", 1, 1)]
    assert decode(tags(["S-PER", "I-PER", "E-PER"])) == [("PER", 0, 0), ("PER", 1, 2)]
    # a bare type is IO tagging: runs of one type are one entity
    assert decode(tags(["PER", "PER", "O", "LOC"])) == [("PER", 0, 1), ("LOC", 3, 3)]


def test_split_tag():
    assert split_tag("B-Conflict.Attack") == ("B", "Conflict.Attack")
    assert split_tag("U-PER") == ("S", "PER")
    assert split_tag("L-PER") == ("E", "PER")
    assert split_tag("B-") is None
    assert split_tag("B") is None


def test_scheme_detection():
    iob1 = [tags(["I-PER", "I-PER", "B-PER", "O", "I-LOC"])]
    assert detect_scheme(iob1, {"I", "B"}) == "iob1"
    # a B- after O is not IOB1
    assert detect_scheme([tags(["B-PER", "O", "I-LOC"])], {"I", "B"}) == "iob2"
    assert detect_scheme([tags(["B-PER", "I-PER"])], {"I", "B"}) == "iob2"
    assert detect_scheme([tags(["S-PER"])], {"S"}) == "bioes"
    assert detect_scheme([tags(["U-PER"])], {"U"}) == "bioes"
    assert scheme_breaks(tags(["O", "I-PER", "B-LOC"]), "iob2") == [1]
    assert scheme_breaks(tags(["O", "I-PER", "B-LOC"]), "iob1") == [2]
    assert scheme_breaks(tags(["B-PER", "O", "I-LOC", "E-LOC"]), "bioes") == [0, 2]


# -- files --------------------------------------------------------------------------------------


def test_iob1_file_is_detected_and_said(corpus):
    preds = load_predictions(DATA / "system.iob1.conll", corpus)
    assert [p.message for p in preds.problems if "IOB1" in p.message]
    # read as iob2, the same spans come out, with a warning naming the broken tags
    forced = load_predictions(DATA / "system.iob1.conll", corpus, scheme="iob2")
    assert {k: [m.span for m in a.mentions] for k, a in forced.annotations.items()} == {
        k: [m.span for m in a.mentions] for k, a in preds.annotations.items()
    }
    [warning] = forced.problems
    assert "break the iob2 scheme" in warning.message and "lines 3, " in warning.message


def test_two_columns_four_columns_tabs_and_docstart_variants(tmp_path):
    rows = [
        ("Wendy", "B-PER"),
        ("Sherman", "I-PER"),
        ("met", "O"),
        ("Sergei", "B-PER"),
        ("Ryabkov", "I-PER"),
        ("in", "O"),
        ("Geneva", "B-LOC"),
        ("(", "O"),
        ("Switzerland", "B-LOC"),
        (")", "O"),
        (".", "O"),
    ]
    want = [(0, 13, "PER"), (18, 32, "PER"), (36, 42, "LOC"), (44, 55, "LOC")]
    two = "".join(f"{w} {t}\n" for w, t in rows)
    four = "".join(f"{w} NNP B-NP {t}\n" for w, t in rows)
    tabs = "".join(f"{w}\t{t}\n" for w, t in rows)
    for body in (
        two,
        "-DOCSTART- -X- O O\n\n" + four,
        "-DOCSTART- -X- -X- O\n\n" + tabs,
        "-DOCSTART- t1\n" + two,
        "-DOCSTART- (t1)\n" + two,
        "# newdoc id = t1\n# sent_id = 1\n" + two,
        "#begin document (t1); part 000\n" + two + "#end document\n",
    ):
        preds, got = read(tmp_path, body)
        assert got == want, body[:30]
        assert preds.problems == []


def test_ptb_escapes_are_accepted(tmp_path):
    body = "Geneva B-LOC\n-LRB- O\nSwitzerland B-LOC\n-RRB- O\n"
    corpus = {"t": Document("t", "Geneva (Switzerland)")}
    _, got = read(tmp_path, body, corpus)
    assert got == [(0, 6, "LOC"), (8, 19, "LOC")]


def test_sentence_break_ends_an_entity(tmp_path):
    corpus = {"t": Document("t", "Geneva. Geneva")}
    _, got = read(tmp_path, "Geneva I-LOC\n. I-LOC\n\nGeneva I-LOC\n", corpus)
    assert got == [(0, 7, "LOC"), (8, 14, "LOC")]


def test_documents_split_by_docstart_and_matched_by_text(tmp_path):
    corpus = {"a": Document("a", "Putin spoke."), "b": Document("b", "Biden  replied.")}
    body = (
        "-DOCSTART- -X- -X- O\n\nBiden B-PER\nreplied O\n. O\n\n"
        "-DOCSTART- -X- -X- O\n\nPutin B-PER\nspoke O\n. O\n"
    )
    preds, _ = read(tmp_path, body, corpus)
    assert [(m.span, m.label) for m in preds.annotations["a"].mentions] == [((0, 5), "PER")]
    assert [(m.span, m.label) for m in preds.annotations["b"].mentions] == [((0, 5), "PER")]


@pytest.mark.parametrize(
    "body, line, field, message",
    [
        ("Wendy B-PER\nSherman\n", 2, "tag", "at least 2 columns"),
        ("Wendy B-PER\nSherman X-PER\n", 2, "tag", "is not O, B-/I-"),
        ("Wendy B-PER\nSherman B-\n", 2, "tag", "is not O, B-/I-"),
    ],
)
def test_malformed_lines(tmp_path, body, line, field, message):
    with pytest.raises(NewsgoldError) as err:
        read(tmp_path, body)
    [problem] = err.value.problems
    assert (problem.line, problem.field) == (line, field)
    assert message in problem.message
    assert problem.file.endswith("out.conll")


def test_token_not_in_text_names_the_line(tmp_path):
    body = "-DOCSTART- t1\nWendy B-PER\nSherman I-PER\nmeets O\n"
    with pytest.raises(NewsgoldError) as err:
        read(tmp_path, body)
    [problem] = err.value.problems
    assert (problem.line, problem.doc_id, problem.field) == (4, "t1", "token")
    assert "'meets' is not next" in problem.message and "'met Sergei" in problem.message


def test_truncated_output_is_an_error(tmp_path):
    body = "-DOCSTART- t1\nWendy B-PER\nSherman I-PER\n"
    with pytest.raises(NewsgoldError, match="looks truncated"):
        read(tmp_path, body)


def test_without_id_tokens_must_spell_a_corpus_document(tmp_path):
    with pytest.raises(NewsgoldError) as err:
        read(tmp_path, "Wendy B-PER\nSherman I-PER\n")
    assert "not in the corpus" in str(err.value)


def test_unknown_scheme(tmp_path):
    with pytest.raises(NewsgoldError, match="unknown scheme 'bio'"):
        read(tmp_path, "Wendy B-PER\n", scheme="bio")


def test_not_utf8(tmp_path):
    path = tmp_path / "out.conll"
    path.write_bytes("Zürich B-LOC\n".encode("latin-1"))
    with pytest.raises(NewsgoldError, match="not UTF-8"):
        load_predictions(path, tiny(), format="conll")

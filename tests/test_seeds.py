"""Seeds to documents: unusual seed files, and the real seed's document."""

from __future__ import annotations

import pytest

from newsgold.corpus.build import build_documents
from newsgold.corpus.seeds import read_seed
from newsgold.errors import FormatError, NewsgoldError

BODY = "Putin met Blinken.\n\nMeet Lavrov\n\nThey spoke in Stockholm."


@pytest.fixture
def seeds(tmp_path):
    """A tmp project with an empty seeds/ folder; returns a function writing one seed."""
    (tmp_path / "seeds").mkdir()

    def write(data: bytes, name: str = "001_test.txt"):
        path = tmp_path / "seeds" / name
        path.write_bytes(data)
        return path

    write.root = tmp_path
    return write


def only_document(root):
    (doc,) = build_documents(root)
    return doc


def assert_tokens_match_text(doc):
    assert doc.tokens, "no tokens"
    for t in doc.tokens:
        assert doc.text[t.start : t.end] == t.text, t


def test_plain_seed(seeds):
    seeds(b" date 2021-12-01 " + BODY.encode())
    doc = only_document(seeds.root)
    assert doc.text == BODY
    assert doc.meta["date"] == "2021-12-01"
    assert doc.meta["text_offset"] == len(" date 2021-12-01 ")
    assert "normalised" not in doc.meta
    assert_tokens_match_text(doc)


@pytest.mark.parametrize("header", ["date 2021-12-01\r\n", " date 2021-12-01 "])
def test_crlf_line_ends_become_lf(seeds, header):
    raw = (header + BODY.replace("\n", "\r\n")).encode()
    seeds(raw)
    doc = only_document(seeds.root)
    assert doc.text == BODY and "\r" not in doc.text
    assert doc.meta["normalised"] == ["newlines-to-lf"]
    assert_tokens_match_text(doc)
    # offsets are those of the LF text: the same as a seed written with LF
    assert doc.text.index("Stockholm") == BODY.index("Stockholm")
    stockholm = next(t for t in doc.tokens if t.text == "Stockholm")
    assert (stockholm.start, stockholm.end) == (BODY.index("Stockholm"), BODY.index(".", 40))
    # text_offset counts characters of the file as it is
    file_text = raw.decode("utf-8")
    assert file_text[doc.meta["text_offset"] :].replace("\r\n", "\n") == doc.text


def test_utf8_bom_is_dropped(seeds):
    raw = b"\xef\xbb\xbf date 2021-12-01 " + BODY.encode()
    seeds(raw)
    doc = only_document(seeds.root)
    assert doc.text == BODY
    assert doc.meta["normalised"] == ["bom-removed"]
    assert raw.decode("utf-8")[doc.meta["text_offset"] :] == doc.text
    assert_tokens_match_text(doc)


def test_utf16_file_is_an_error(seeds):
    path = seeds((" date 2021-12-01 " + BODY).encode("utf-16"))
    with pytest.raises(FormatError, match="UTF-16") as exc:
        read_seed(path, root=seeds.root)
    assert exc.value.problems[0].file == "seeds/001_test.txt"


def test_cp1252_bytes_are_an_error_with_byte_offset(seeds):
    raw = " date 2021-12-01 Russia’s security".encode("cp1252")
    offset = raw.index(b"\x92")
    seeds(raw)
    with pytest.raises(NewsgoldError) as exc:
        build_documents(seeds.root)
    (problem,) = exc.value.problems
    assert problem.file == "seeds/001_test.txt"
    assert f"byte 0x92 at byte offset {offset}" in problem.message


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (BODY.encode(), "no ' date YYYY-MM-DD ' header"),  # no header
        (b"", "no ' date YYYY-MM-DD ' header"),  # empty file
        (b"date 2021-12-1 Putin", "no ' date YYYY-MM-DD ' header"),  # malformed date
        (b"dated 2021-12-01 Putin", "no ' date YYYY-MM-DD ' header"),
        (b" date 2021-02-30 " + BODY.encode(), "impossible date 2021-02-30"),
        (b" date 2021-12-01", "body is empty"),  # header only
        (b" date 2021-12-01\n", "body is empty"),
        (b" date 2021-12-01 \r\n \r\n\t", "body is empty"),  # empty body
    ],
)
def test_bad_seed_is_an_error_naming_the_file(seeds, raw, words):
    seeds(raw)
    with pytest.raises(NewsgoldError) as exc:
        build_documents(seeds.root)
    (problem,) = exc.value.problems
    assert problem.file == "seeds/001_test.txt"
    assert words in problem.message


def test_every_bad_seed_is_reported(seeds):
    seeds(b"no header", "001_a.txt")
    seeds(b" date 2021-02-30 x", "002_b.txt")
    seeds(b" date 2021-02-03 fine", "003_c.txt")
    with pytest.raises(NewsgoldError) as exc:
        build_documents(seeds.root)
    assert [p.file for p in exc.value.problems] == ["seeds/001_a.txt", "seeds/002_b.txt"]


# --- the real seed --------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_docs():
    from pathlib import Path

    return build_documents(Path(__file__).resolve().parent.parent)


def test_real_seed_builds(real_docs):
    doc = real_docs[0]
    assert doc.doc_id == "000_e2a7510a474f58d9"
    assert doc.text.startswith("Russian President")
    assert doc.meta["date"] == "2021-12-01"
    assert doc.meta["source"] == "seeds/000_e2a7510a474f58d9.txt"
    assert_tokens_match_text(doc)
    assert [t.id for t in doc.tokens] == list(range(len(doc.tokens)))


def test_real_seed_text_is_the_file_without_its_header(real_docs, project_root):
    doc = real_docs[0]
    raw = (project_root / doc.meta["source"]).read_bytes().decode("utf-8")
    assert raw[doc.meta["text_offset"] :] == doc.text


@pytest.mark.parametrize(
    "heading", ["Meet Lavrov, Blinken", "“Any Russian NATO proposal is illegal”"]
)
def test_headings_are_their_own_sentence_and_paragraph(real_docs, heading):
    doc = real_docs[0]
    start = doc.text.index(heading)
    end = start + len(heading)
    para = [p for p in doc.paragraphs if (p.start, p.end) == (start, end)]
    sent = [s for s in doc.sentences if (s.start, s.end) == (start, end)]
    assert len(para) == 1 and para[0].heading
    assert len(sent) == 1 and sent[0].heading
    assert doc.tokens[sent[0].token_start].start == start
    assert doc.tokens[sent[0].token_end].end == end


def test_body_paragraphs_are_not_headings(real_docs):
    doc = real_docs[0]
    assert sum(p.heading for p in doc.paragraphs) == 2
    first = doc.paragraphs[0]
    assert not first.heading and doc.text[first.start : first.end].endswith("the Kremlin.")


def test_sentences_stay_inside_paragraphs(real_docs):
    doc = real_docs[0]
    for s in doc.sentences:
        assert any(p.start <= s.start and s.end <= p.end for p in doc.paragraphs), s
        assert doc.text[s.start : s.end].strip() == doc.text[s.start : s.end]

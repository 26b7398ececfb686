"""brat standoff: header and CRLF offsets, events, attributes, Equiv, notes, discontinuous
spans, and bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DOC0, DOC1  # noqa: E402
from conftest import FORMATS_DATA as DATA  # noqa: E402

from newsgold.errors import NewsgoldError
from newsgold.formats.predictions import load_predictions


@pytest.fixture(scope="module")
def corpus(formats_corpus):
    return formats_corpus


@pytest.fixture(scope="module")
def events(corpus):
    return load_predictions(DATA / "brat_events", corpus, allow_missing=True)


def folder(tmp_path, corpus, ann: str, *, txt: str | None = None, doc_id=DOC1) -> Path:
    out = tmp_path / "brat"
    out.mkdir(exist_ok=True)
    (out / f"{doc_id}.txt").write_text(txt if txt is not None else corpus[doc_id].text, "utf-8")
    (out / f"{doc_id}.ann").write_text(ann, encoding="utf-8")
    return out


def test_seed_copy_with_header_shifts_offsets(corpus):
    preds = load_predictions(DATA / "brat", corpus)
    raw = (DATA / "brat" / f"{DOC0}.ann").read_text(encoding="utf-8").splitlines()[0]
    assert raw.split("\t")[1] == "MISC 17 24"  # as written, counted in the seed file
    first = preds.annotations[DOC0].mentions[0]
    assert (first.start, first.end, first.text) == (0, 7, "Russian")
    assert corpus[DOC0].meta["text_offset"] == 17
    assert any("seed header; offsets shifted by 17" in p.message for p in preds.problems)


def test_crlf_text_offsets_are_moved_back(corpus, events):
    ann = (DATA / "brat_events" / f"{DOC1}.ann").read_text(encoding="utf-8")
    assert "T8\tPER 159 166\tSherman" in ann  # two CRs before it
    assert b"\r\n" in (DATA / "brat_events" / f"{DOC1}.txt").read_bytes()
    sherman = events.annotations[DOC1].mention_by_id()["T8"]
    assert (sherman.start, sherman.end, sherman.text) == (157, 164, "Sherman")
    assert any("CRLF" in p.message for p in events.problems)


def test_events_arguments_and_attributes(events):
    ann = events.annotations[DOC1]
    got = {
        e.id: (e.type, e.realis, e.polarity, [(a.role, a.mention.text) for a in e.arguments])
        for e in ann.events
    }
    assert got == {
        "E1": (
            "Contact.Meet",
            "ACTUAL",
            "POSITIVE",
            [
                ("Entity", "Wendy Sherman"),
                ("Entity", "Sergei Ryabkov"),  # brat's "Entity2" numbering dropped
                ("Place", "Geneva"),
                ("Time", "Monday"),
            ],
        ),
        "E2": ("Conflict.Attack", "OTHER", "NEGATIVE", [("Target", "Ukraine")]),
    }
    triggers = ann.mentions_of_kind("trigger")
    assert [(m.text, m.id) for m in triggers] == [("met", "E1"), ("attacking", "E2")]
    # a T used only as a trigger is not also an entity mention
    assert "T2" not in ann.mention_by_id() and "T6" not in ann.mention_by_id()


def test_relations_equiv_and_normalisation(events):
    ann = events.annotations[DOC1]
    by_id = ann.mention_by_id()
    origin = [r for r in ann.relations if r.label == "Origin"]
    assert [(r.head.id, r.child.id) for r in origin] == [("T1", "T9")]
    assert by_id["T1"].cluster == by_id["T8"].cluster == "equiv1"
    assert [c.id for c in ann.clusters] == ["equiv1"]
    assert by_id["T4"].attrs["norm"] == ["Wikidata:Q71"]


def test_discontinuous_fragments_by_default_or_hull(corpus, events):
    by_id = events.annotations[DOC1].mention_by_id()
    assert (by_id["T10"].text, by_id["T10#2"].text) == ("Deputy", "Minister")
    assert any(
        "1 discontinuous span(s) read as one mention per fragment" in p.message
        for p in events.problems
    )
    hull = load_predictions(DATA / "brat_events", corpus, allow_missing=True, discontinuous="hull")
    t10 = hull.annotations[DOC1].mention_by_id()["T10"]
    assert t10.text == "Deputy Foreign Minister"
    assert "T10#2" not in hull.annotations[DOC1].mention_by_id()


def test_notes_are_ignored_and_lone_txt_predicts_nothing(tmp_path, corpus):
    out = folder(
        tmp_path, corpus, "#1\tAnnotatorNotes T1\tjust a note\nT1\tPER 71 84\tWendy Sherman\n"
    )
    (out / f"{DOC0}.txt").write_text(corpus[DOC0].text, encoding="utf-8")
    preds = load_predictions(out, corpus, format="brat")
    assert [m.text for m in preds.annotations[DOC1].mentions] == ["Wendy Sherman"]
    assert preds.annotations[DOC0].mentions == []
    assert preds.problems == []


def test_unknown_stem_matched_by_text(tmp_path, corpus):
    out = folder(
        tmp_path, corpus, "T1\tPER 71 84\tWendy Sherman\n", txt=corpus[DOC1].text, doc_id="talks"
    )
    preds = load_predictions(out, corpus, format="brat", allow_missing=True)
    assert [m.text for m in preds.annotations[DOC1].mentions] == ["Wendy Sherman"]


@pytest.mark.parametrize(
    "ann, line, field, message",
    [
        ("T1 PER 71 84 Wendy Sherman\n", 1, "id", "tabs"),
        ("T1\tPER 71-84\tWendy Sherman\n", 1, "offsets", "expected 'Label START END"),
        ("T1\tPER 71 84\tSherman\n", 1, "text", "offsets are off"),
        ("T1\tPER 84 71\t\n", 1, "offsets.end", "end 71 <= start 84"),
        ("T1\tPER 71 84\tWendy Sherman\nT1\tPER 71 84\tWendy Sherman\n", 2, "id", "duplicate"),
        ("X1\tPER 71 84\n", 1, "id", "unknown annotation id 'X1'"),
        ("T1\tPER 71 84\tWendy Sherman\nE1\tContact.Meet:T9 Entity:T1\n", 2, "trigger", "T9"),
        ("T1\tPER 71 84\tWendy Sherman\nA1\tRealis T1 Actual Extra\n", 2, "attribute", "Name"),
        ("T1\tPER 71 84\tWendy Sherman\n*\tEquiv T1\n", 2, "equiv", "Equiv"),
        ("T1\tPER 71 84\tWendy Sherman\nR1\tOrigin Arg1:T1\n", 2, "arguments", "Arg2"),
    ],
)
def test_bad_ann_lines(tmp_path, corpus, ann, line, field, message):
    out = folder(tmp_path, corpus, ann)
    with pytest.raises(NewsgoldError) as err:
        load_predictions(out, corpus, format="brat", allow_missing=True)
    [problem] = err.value.problems
    assert (problem.line, problem.field) == (line, field)
    assert problem.file.endswith(f"{DOC1}.ann")
    assert message in problem.message


def test_span_in_the_header_is_an_error(tmp_path, corpus):
    raw = (DATA / "seeds" / f"{DOC1}.txt").read_text(encoding="utf-8")
    out = folder(tmp_path, corpus, "T1\tDATE 6 16\t2022-01-10\n", txt=raw)
    with pytest.raises(NewsgoldError, match="outside the text"):
        load_predictions(out, corpus, format="brat", allow_missing=True)


def test_txt_that_differs_is_an_error(tmp_path, corpus):
    out = folder(tmp_path, corpus, "", txt=corpus[DOC1].text.replace("Geneva", "Genf"))
    with pytest.raises(NewsgoldError) as err:
        load_predictions(out, corpus, format="brat", allow_missing=True)
    [problem] = err.value.problems
    assert problem.doc_id == DOC1 and problem.file.endswith(f"{DOC1}.txt")
    assert "first difference at character 12" in problem.message


def test_ann_without_txt(tmp_path, corpus):
    out = folder(tmp_path, corpus, "")
    (out / f"{DOC1}.txt").unlink()
    with pytest.raises(NewsgoldError, match=r"no 001_kyiv_talks.txt beside it"):
        load_predictions(out, corpus, format="brat", allow_missing=True)


def test_bad_discontinuous_option(tmp_path, corpus):
    shutil.copytree(DATA / "brat", tmp_path / "b")
    with pytest.raises(NewsgoldError, match="'fragments' or 'hull'"):
        load_predictions(tmp_path / "b", corpus, discontinuous="first")

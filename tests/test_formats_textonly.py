"""Text-only mentions: the placement rule, its counts and warnings, and bad input."""

from __future__ import annotations

import orjson
import pytest
from conftest import DOC0, DOC1  # noqa: E402
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.corpus.align import token_bounds
from newsgold.corpus.segment import tokenize
from newsgold.errors import NewsgoldError
from newsgold.formats.predictions import load_predictions
from newsgold.formats.textonly import place
from newsgold.model import Document

TEXT = "Putin met Biden. Putin’s aides and Russian diplomats left; Putin stayed in Russia."


@pytest.fixture(scope="module")
def corpus(formats_corpus):
    return formats_corpus


def doc(text=TEXT):
    return Document("t", text, tokens=tokenize(text))


def m(text, label="PER", **kw):
    return {"text": text, "label": label, "occurrence": None, "context": None, **kw}


def where(placed):
    return [(p.start, p.end, p.status) for p in placed]


def test_kth_listing_goes_to_kth_occurrence_extra_is_unplaceable():
    placed = place(doc(), [m("Putin")] * 4)
    assert where(placed) == [
        (0, 5, "placed"),
        (17, 22, "placed"),
        (59, 64, "placed"),
        (None, None, "unplaceable"),
    ]
    assert "listed more times than it occurs (3)" in placed[3].reason
    assert not any(p.ambiguous for p in placed)


def test_listed_once_occurring_more_is_first_and_ambiguous():
    [p] = place(doc(), [m("Putin")])
    assert (p.start, p.ambiguous) == (0, True)
    [q] = place(doc(), [m("Biden")])
    assert (q.start, q.ambiguous) == (10, False)


def test_token_boundaries_are_required():
    # "Russia" is inside "Russian" (not a token boundary) and once on its own
    [p] = place(doc(), [m("Russia", "GPE")])
    assert (p.start, p.end, p.ambiguous) == (75, 81, False)
    [q] = place(doc(), [m("Puti")])
    assert q.status == "unplaceable" and "does not occur" in q.reason


def test_occurrence_and_context_pin_an_item():
    placed = place(
        doc(), [m("Putin", occurrence=2), m("Putin", context="Putin’s aides"), m("Putin")]
    )
    assert where(placed) == [(59, 64, "placed"), (17, 22, "placed"), (0, 5, "placed")]
    assert not any(p.ambiguous for p in placed)
    [bad] = place(doc(), [m("Putin", occurrence=3)])
    assert bad.status == "unplaceable" and "occurrence 3 asked" in bad.reason


def test_context_not_found_falls_back_and_is_counted():
    [p] = place(doc(), [m("Putin", context="President Putin said")])
    assert (p.start, p.context_unmatched, p.ambiguous) == (0, True, True)


def test_relaxed_search_only_when_no_exact_occurrence():
    d = doc("Talks with the Kremlin.\nRussia's envoy, Sergei\nRyabkov, said so.")
    placed = place(d, [m("kremlin", "ORG"), m("Russia’s envoy", "X"), m("Sergei Ryabkov")])
    assert [(d.text[p.start : p.end], p.relaxed) for p in placed] == [
        ("Kremlin", True),
        ("Russia's envoy", True),
        ("Sergei\nRyabkov", True),
    ]
    [exact] = place(d, [m("Kremlin", "ORG")])
    assert not exact.relaxed


def test_longer_strings_are_placed_first():
    d = doc("Wendy Sherman spoke. Later Sherman left.")
    placed = place(d, [m("Sherman"), m("Wendy Sherman")])
    assert where(placed) == [(27, 34, "placed"), (0, 13, "placed")]
    assert not any(p.ambiguous for p in placed)
    # asked twice, the second "Sherman" takes the one inside "Wendy Sherman"
    placed = place(d, [m("Sherman"), m("Wendy Sherman"), m("Sherman")])
    assert where(placed)[2] == (6, 13, "placed")


texts = st.sampled_from(
    ["Putin", "Biden", "Russia", "Russian", "Putin’s aides", "NATO", "Putin met"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(texts, st.sampled_from(["PER", "GPE"])), max_size=12))
def test_placement_is_deterministic_and_sound(listed):
    d = doc()
    items = [m(t, lab) for t, lab in listed]
    first, again = place(d, items), place(d, list(items))
    assert where(first) == where(again)
    spots = set()
    for p, (t, lab) in zip(first, listed, strict=True):
        assert p.label == lab
        if p.status == "placed":
            assert d.text[p.start : p.end] == t  # all these strings occur exactly
            assert token_bounds(d.tokens, p.start, p.end) is not None
            assert (t, p.start) not in spots  # one string never placed twice at one place
            spots.add((t, p.start))
    # an item is unplaceable only when its string has no free occurrence left
    for t in {t for t, _ in listed}:
        n_occ = len(place(d, [m(t)] * 50)) - sum(
            p.status == "unplaceable" for p in place(d, [m(t)] * 50)
        )
        n_listed = sum(1 for x, _ in listed if x == t)
        placed = sum(1 for p in first if p.text == t and p.status == "placed")
        assert placed == min(n_listed, n_occ)


def write(tmp_path, lines):
    path = tmp_path / "llm.jsonl"
    path.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    return path


def test_counts_and_warnings(tmp_path, corpus):
    lines = [
        {
            "doc_id": DOC0,
            "entities": [
                {"text": "Putin", "label": "PERSON"},
                {"text": "Lavrov", "type": "PERSON"},
                {"text": "Lavrov", "type": "PERSON"},
                {"text": "Lavrov", "type": "PERSON"},
                {"text": "Macron", "label": "PERSON"},
                {"text": "the kremlin", "label": "ORG"},
            ],
        },
        {
            "doc_id": DOC1,
            "mentions": [{"text": "Geneva", "label": "GPE", "context": "Ryabkov in Geneva"}],
        },
    ]
    preds = load_predictions(write(tmp_path, lines), corpus)
    assert preds.format == "text"
    assert preds.placement == {
        "placed": 5,
        "unplaceable": 2,
        "ambiguous": 1,
        "relaxed": 1,
        "context_unmatched": 0,
        # what --occurrences all would give (the same strings, every occurrence)
        "all: placed": 10,
        "all: unplaceable": 1,
        "all: ambiguous": 0,
    }
    messages = [(p.doc_id, p.line, p.field, p.message) for p in preds.problems]
    assert (
        DOC0,
        1,
        "entities[0]",
        "ambiguous mention 'Putin': listed fewer times than it occurs; placed at 18-23",
    ) in messages
    assert any(
        f == "entities[4]" and "unplaceable mention 'Macron'" in msg for _, _, f, msg in messages
    )
    assert any(f == "entities[3]" and "listed more times" in msg for _, _, f, msg in messages)
    geneva = preds.annotations[DOC1].mentions[0]
    assert (geneva.start, geneva.end) == (139, 145)  # the second Geneva, from the context


@pytest.mark.parametrize(
    "item, field, message",
    [
        ({"label": "PER"}, "mentions[0].text", "missing or empty mention text"),
        ({"text": "  ", "label": "PER"}, "mentions[0].text", "missing or empty mention text"),
        ({"text": "Putin"}, "mentions[0].label", "missing or empty label"),
        ({"text": "Putin", "label": "PER", "occurrence": -1}, "mentions[0].occurrence", ">= 0"),
        ({"text": "Putin", "label": "PER", "occurrence": "1"}, "mentions[0].occurrence", "integer"),
        ({"text": "Putin", "label": "PER", "context": 3}, "mentions[0].context", "string"),
        ("Putin", "mentions[0]", "expected an object"),
    ],
)
def test_bad_items(tmp_path, corpus, item, field, message):
    path = write(tmp_path, [{"doc_id": DOC0, "mentions": [item]}])
    with pytest.raises(NewsgoldError) as err:
        load_predictions(path, corpus, format="text", allow_missing=True)
    [problem] = err.value.problems
    assert (problem.file, problem.line, problem.doc_id, problem.field) == (
        str(path),
        1,
        DOC0,
        field,
    )
    assert message in problem.message


def test_bad_lines(tmp_path, corpus):
    path = write(tmp_path, [{"doc_id": DOC0, "mentions": [], "entities": []}, {"doc_id": DOC1}])
    with pytest.raises(NewsgoldError) as err:
        load_predictions(path, corpus, format="text")
    assert [(p.line, p.field) for p in err.value.problems] == [(1, "mentions"), (2, "entities")]

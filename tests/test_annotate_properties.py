"""Property tests: tool offsets map to corpus offsets; agreement is symmetric and overlap
credit never falls below exact credit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.formats.tooltext import ToolText
from newsgold.metrics.agreement import span_agreement
from newsgold.model import Annotation, Document, Mention

CHARS = st.sampled_from(["a", "b", " ", "\r\n", "\r", "\n", "\U0001f600", "e\u0301", "\u00e9"])


def normalise(s: str) -> str:
    return s.replace("\r\n", "\n").replace("\r", "\n")


@given(st.lists(CHARS, max_size=30))
def test_utf16_and_crlf_offsets_map_to_corpus_code_points(pieces):
    raw = "".join(pieces)
    tool = ToolText(raw, units="utf16")
    assert tool.text == normalise(raw)
    for i in range(len(raw) + 1):
        if raw[i - 1 : i] == "\r" and raw[i : i + 1] == "\n":
            continue  # between the CR and LF of one line end: no corpus position
        units = len(raw[:i].encode("utf-16-le")) // 2
        assert tool.offset(units) == len(normalise(raw[:i]))
        assert ToolText(raw).offset(i) == len(normalise(raw[:i]))


spans = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 6), st.sampled_from(["PER", "ORG"])),
    max_size=8,
)


def ann(doc, items):
    return {"d": Annotation(doc, [Mention(s, s + n, lab) for s, n, lab in items])}


@settings(max_examples=60, deadline=None)
@given(spans, spans)
def test_span_agreement_is_symmetric_and_overlap_dominates(xs, ys):
    doc = Document("d", "x" * 40)
    ab = span_agreement(ann(doc, xs), ann(doc, ys), "entity", ["d"])
    ba = span_agreement(ann(doc, ys), ann(doc, xs), "entity", ["d"])
    for mode in ("exact", "overlap"):
        assert ab[mode]["micro"]["f1"] == ba[mode]["micro"]["f1"]
        assert ab[mode]["micro"]["matched"] <= min(len(xs), len(ys))
    assert ab["overlap"]["micro"]["matched"] >= ab["exact"]["micro"]["matched"]

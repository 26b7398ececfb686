"""nervaluate's options, reproduced: ``min_overlap_percentage`` (``--min-overlap``) and the
``tags`` restriction (``--labels``), against nervaluate 1.2.1 itself."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgold.metrics.counts import summary
from newsgold.metrics.entities import MODES
from newsgold.metrics.presets import nervaluate_counts
from newsgold.model import Annotation, Document, Mention
from newsgold.scoring import EntityOptions, score_entities

nervaluate = pytest.importorskip("nervaluate")

LABELS = ("LOC", "ORG", "PER")
FIELDS = ("correct", "incorrect", "partial", "missed", "spurious")
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def docs(draw, max_len=60, max_spans=8):
    out = []
    for _ in range(draw(st.integers(1, 3))):
        spans = []
        for _ in range(draw(st.integers(0, max_spans))):
            s = draw(st.integers(0, max_len - 1))
            e = draw(st.integers(s + 1, min(max_len, s + 20)))
            spans.append((s, e, draw(st.sampled_from(LABELS))))
        out.append(spans)
    return out


@st.composite
def pairs(draw):
    gold = draw(docs())
    pred = []
    for g in gold:
        p = [
            (max(0, s + draw(st.integers(-6, 6))), e + draw(st.integers(0, 6)), lbl)
            for s, e, lbl in g
            if draw(st.booleans())
        ]
        p = [(s, max(e, s + 1), lbl) for s, e, lbl in p]
        p += draw(docs(max_spans=3))[0]
        pred.append(draw(st.permutations(p)))
    return gold, pred


def _reference(gold, pred, tags, **kw):
    def conv(d):
        return [[{"label": lbl, "start": s, "end": e - 1} for s, e, lbl in doc] for doc in d]

    if not any(gold) and not any(pred):
        return None
    return nervaluate.Evaluator(conv(gold), conv(pred), tags=list(tags), loader="dict", **kw)


def _assert_equal(ours: dict, ref: dict) -> None:
    for mode in MODES:
        s, r = ours[mode], ref["overall"][mode]
        for f in FIELDS:
            assert s["micro"][f] == getattr(r, f), (mode, f)
        assert math.isclose(s["micro"]["f1"], r.f1, abs_tol=1e-12)
        for label, modes in ref["entities"].items():
            row, r = s["per_label"].get(label), modes[mode]
            if row is None:
                assert r.actual == r.possible == 0
                continue
            for f in FIELDS:
                assert row[f] == getattr(r, f), (mode, label, f)
            assert math.isclose(row["f1"], r.f1, abs_tol=1e-12)
        assert set(s["per_label"]) <= set(ref["entities"])


@SETTINGS
@given(pairs(), st.floats(1.0, 100.0))
def test_min_overlap_equals_nervaluate(data, pct):
    gold, pred = data
    ev = _reference(gold, pred, LABELS, min_overlap_percentage=pct)
    if ev is None:
        return
    ours = nervaluate_counts(gold, pred, LABELS, min_overlap_percentage=pct)
    _assert_equal({m: summary(c) for m, c in ours.items()}, ev.evaluate())


def _annotations(docs_spans, prefix="d"):
    out = {}
    for i, spans in enumerate(docs_spans):
        doc = Document(f"{prefix}{i}", "x" * 80)
        out[doc.doc_id] = Annotation(doc, [Mention(s, e, lbl) for s, e, lbl in spans])
    return out


@SETTINGS
@given(pairs(), st.sets(st.sampled_from(LABELS), min_size=1), st.sampled_from([1.0, 50.0]))
def test_labels_option_is_nervaluates_tags(data, tags, pct):
    """``--labels`` through the whole scoring path equals nervaluate's ``tags``."""
    gold, pred = data
    ev = _reference(gold, pred, sorted(tags), min_overlap_percentage=pct)
    if ev is None:
        return
    opts = EntityOptions(
        preset="nervaluate", labels=tuple(sorted(tags)), min_overlap=pct, n_resamples=0
    )
    result = score_entities(_annotations(gold), _annotations(pred), opts)
    _assert_equal(result.summaries, ev.evaluate())


def test_min_overlap_changes_the_counts_as_in_nervaluate():
    gold, pred = [[(0, 20, "PER")]], [[(15, 25, "PER")]]  # 5 of 20 gold characters: 25%
    for pct, expect in ((25.0, 1), (25.1, 0)):
        ours = summary(
            nervaluate_counts(gold, pred, LABELS, min_overlap_percentage=pct)["ent_type"]
        )
        ref = _reference(gold, pred, LABELS, min_overlap_percentage=pct).evaluate()
        assert ours["micro"]["correct"] == ref["overall"]["ent_type"].correct == expect

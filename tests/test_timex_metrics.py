"""Time expressions: TempEval-3 extent, type and value as its scorer defines them, the
precision-aware value relations, and the pitfalls."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.model import Annotation, Document, Mention
from newsgold.timex_coref_scoring import LayerOptions, score_timex

TEXT = "x" * 400
DOC = Document("d1", TEXT)
OPTS = LayerOptions(units="document", n_resamples=0)


def tx(start, end, value="2021-12-01", type_="DATE"):
    return Mention(start, end, "DATE", "timex", attrs={"type": type_, "value": value})


def score(gold, pred, **kw):
    g = {"d1": Annotation(DOC, list(gold))}
    p = {"d1": Annotation(DOC, list(pred))}
    return score_timex(g, p, OPTS, **kw)


def te3(gold, system):
    """TempEval-3 ``evaluate_entities.py`` (TE3 toolkit), counting transcribed: entities
    share an id when they overlap (the TimeML-Normalizer's job; the cases below have one
    overlap per timex, so the ids are unambiguous); strict = identical text, type and value
    compared as strings over the relaxed matches; attribute F1 = accuracy × relaxed F1."""
    ids = {}
    for gi, (gs, ge, *_) in enumerate(gold):
        for si, (ss, se, *_) in enumerate(system):
            if gs < se and ss < ge:
                ids[gi] = si
    relaxed = len(ids)
    strict = sum(1 for g, s in ids.items() if gold[g][:2] == system[s][:2])
    type_match = sum(1 for g, s in ids.items() if gold[g][3] == system[s][3])
    value_match = sum(1 for g, s in ids.items() if gold[g][2] == system[s][2])

    def f(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0

    sp, sr = strict / len(system) if system else 0, strict / len(gold) if gold else 0
    rp, rr = relaxed / len(system) if system else 0, relaxed / len(gold) if gold else 0
    f_rel = f(rp, rr)
    return {
        "strict": f(sp, sr),
        "relaxed": f_rel,
        "type": type_match / relaxed * f_rel if relaxed else 0.0,
        "value": value_match / relaxed * f_rel if relaxed else 0.0,
    }


def tuples(ms):
    return [(m.start, m.end, m.attrs["value"], m.attrs["type"]) for m in ms]


def check_te3(gold, pred):
    r = score(gold, pred)
    ref = te3(tuples(gold), tuples(pred))
    for name, f1 in ref.items():
        assert math.isclose(r.summaries[name]["f1"], f1, abs_tol=1e-12), (
            name,
            r.summaries[name],
            f1,
        )
    return r


def test_relaxed_not_strict():
    # gold "Sunday morning", system "Sunday": relaxed credit only (the TE3 README's example)
    r = check_te3([tx(0, 14)], [tx(0, 6)])
    assert r.summaries["strict"]["f1"] == 0 and r.summaries["relaxed"]["f1"] == 1


def test_attribute_f1_is_accuracy_times_relaxed_f1():
    gold = [tx(0, 5), tx(10, 15, "P3D", "DURATION"), tx(20, 25), tx(40, 45)]
    pred = [tx(0, 5), tx(10, 14, "P3D", "DATE"), tx(21, 25, "2021-11-30"), tx(60, 65)]
    r = check_te3(gold, pred)
    # 3 relaxed matches of 4 / 4: F1_rel = 0.75; value right on 2 of 3, type on 2 of 3
    assert math.isclose(r.summaries["value"]["f1"], 2 / 3 * 0.75)
    assert math.isclose(r.summaries["type"]["f1"], 2 / 3 * 0.75)


def test_one_to_one():
    # two predictions overlap one gold: one is aligned (the exact one), the other spurious
    r = score([tx(0, 10)], [tx(0, 4), tx(0, 10)])
    s = r.summaries["strict"]
    assert (s["tp"], s["n_gold"], s["n_pred"]) == (1, 1, 2)
    assert r.summaries["relaxed"]["tp"] == 1


@st.composite
def slotted(draw):
    """Timexes in disjoint 20-character slots: each slot holds a gold, a prediction, both
    or neither, so every overlap is unambiguous (as in te3's id assignment)."""
    gold, pred = [], []
    values = st.sampled_from(["2021-12-01", "2021-12", "2021-W48", "P3D", "PAST_REF"])
    types = st.sampled_from(["DATE", "DURATION", "TIME"])
    for k in range(draw(st.integers(0, 8))):
        base = 20 * k
        for side in (gold, pred):
            if draw(st.booleans()):
                s = base + draw(st.integers(0, 5))
                e = s + draw(st.integers(1, 10))
                side.append(tx(s, e, draw(values), draw(types)))
    return gold, pred


@settings(max_examples=400, deadline=None)
@given(slotted())
def test_equal_te3_on_generated_cases(gp):
    check_te3(*gp)


def test_today_with_the_day_before():
    r = score([tx(0, 5, "2021-12-01")], [tx(0, 5, "2021-11-30")])
    assert r.summaries["strict"]["f1"] == 1 and r.summaries["type"]["f1"] == 1
    assert r.summaries["value"]["f1"] == 0 and r.summaries["value_compatible"]["f1"] == 0
    assert r.relations == {"disjoint": 1}


def test_this_week_as_a_date():
    r = score([tx(0, 9, "2021-W48")], [tx(0, 9, "2021-12-01")])
    assert r.summaries["value"]["f1"] == 0  # TempEval-3: a wrong string
    assert r.summaries["value_compatible"]["f1"] == 1  # ours: finer, inside the week
    assert r.relations == {"finer": 1}


def test_month_for_day_is_coarser():
    r = score([tx(0, 5, "2021-12-01")], [tx(0, 5, "2021-12")])
    assert r.relations == {"coarser": 1}


def test_ref_values_are_their_own_class():
    r = score(
        [tx(0, 5, "PAST_REF"), tx(10, 15, "PAST_REF")],
        [tx(0, 5, "PAST_REF"), tx(10, 15, "2021-11")],
    )
    assert r.relations == {"equal": 1, "mismatch": 1}


def test_non_timex3_values_are_counted():
    r = score([tx(0, 5), tx(10, 15)], [tx(0, 5, "1 Dec 2021"), tx(10, 15, "1 Dec 2021")])
    assert r.invalid["pred"] == {"1 Dec 2021": 2}
    assert r.relations == {"invalid": 2}
    assert r.summaries["value"]["f1"] == 0


def test_gold_against_itself():
    from newsgold.corpus.annotations import load_annotations

    g = load_annotations()
    r = score_timex(g, g, LayerOptions(n_resamples=50))
    for name, s in r.summaries.items():
        assert (s["precision"], s["recall"], s["f1"]) == (1.0, 1.0, 1.0), name
        assert s["interval"]["f1"] == [1.0, 1.0]
    assert r.summaries["relaxed"]["n_gold"] == 10


def test_empty_is_zero_not_one():
    # TE3 reports 1.0 with no timex on either side; we report 0 with n_gold = n_pred = 0
    r = score([], [])
    assert r.summaries["relaxed"]["f1"] == 0 and r.summaries["relaxed"]["n_gold"] == 0


def test_ner_dates_are_timexes():
    # an NER system's DATE entity is scored as a timex; its type is its label
    pred = [Mention(0, 5, "DATE", "entity")]
    r = score([tx(0, 5)], pred)
    assert r.summaries["strict"]["f1"] == 1 and r.summaries["type"]["f1"] == 1
    assert r.relations == {"missing": 1}


def test_sentence_units_sum_to_document_units():
    text = "Today it rains. Tomorrow it snows."
    doc = Document("d", text)
    from newsgold.model import Segment

    doc.sentences = [Segment(0, 15, 0, 3), Segment(16, len(text), 4, 7)]
    g = {"d": Annotation(doc, [tx(0, 5), tx(16, 24, "2021-12-02")])}
    p = {"d": Annotation(doc, [tx(0, 5), tx(16, 24, "2021-12-03")])}
    by_s = score_timex(g, p, LayerOptions(units="sentence", n_resamples=0))
    by_d = score_timex(g, p, LayerOptions(units="document", n_resamples=0))
    assert by_s.counts["value"]["overlap"].data.shape[0] == 2
    assert by_s.summaries == by_d.summaries

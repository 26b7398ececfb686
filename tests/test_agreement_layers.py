"""Agreement on every layer, on two different annotations of one document, against
numbers computed by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.segment import segment
from newsgold.formats.jsonl import write_jsonl
from newsgold.formats.prodigy import annotation_to_task
from newsgold.metrics.agreement import EXTRA_LAYERS, agreement_report, register_layer
from newsgold.model import Annotation, Document, Mention

TEXT = "Putin met Blinken in Geneva on Monday. Russia attacked Kyiv."
# tokens: Putin met Blinken in Geneva on Monday . Russia attacked Kyiv .  (12)


def doc(tokens=None) -> Document:
    toks, sents, paras = segment(TEXT)
    return Document("d1", TEXT, tokens or toks, sents, paras, meta={"doc_id": "d1"})


def m(text, label, kind="entity", occurrence=0, **attrs):
    start = TEXT.index(text)
    return Mention(
        start,
        start + len(text),
        label,
        kind=kind,
        mention_type="NAM" if kind == "entity" else None,
        attrs=attrs,
    )


def trig(text, label, realis, polarity="POSITIVE"):
    return m(text, label, "trigger", realis=realis, polarity=polarity)


def annotator_a(d):
    return Annotation(
        d,
        [
            m("Putin", "PERSON"),
            m("Blinken", "PERSON"),
            m("Geneva", "GPE"),
            m("Russia", "GPE"),
            m("Kyiv", "GPE"),
            m("Monday", "DATE", "timex", type="DATE", value="2026-11-30"),
            trig("met", "Contact.Meet", "ACTUAL"),
            trig("attacked", "Conflict.Attack", "ACTUAL"),
        ],
    )


def annotator_b(d):
    return Annotation(
        d,
        [
            m("Putin", "PERSON"),
            m("Blinken", "ORG"),
            m("in Geneva", "GPE"),
            m("Russia", "GPE"),
            m("Monday", "DATE", "timex", type="DATE", value="2026-11-30"),
            trig("met", "Contact.Meet", "OTHER"),
            trig("attacked", "Conflict.Attack", "ACTUAL"),
        ],
    )


@pytest.fixture
def report():
    d = doc()
    return agreement_report({"A": {"d1": annotator_a(d)}, "B": {"d1": annotator_b(d)}})


def test_span_f1_exact_and_overlap_by_hand(report):
    ent = report["pairs"]["A vs B"]["spans"]["entity"]
    # exact: Putin, Russia match; |A| = 5, |B| = 4: F1 = 2*2/9
    assert ent["exact"]["micro"] == {"a": 5, "b": 4, "matched": 2, "f1": pytest.approx(4 / 9)}
    # overlap with the same label adds Geneva ~ 'in Geneva': 2*3/9
    assert ent["overlap"]["micro"]["f1"] == pytest.approx(6 / 9)
    # per label: PERSON 2*1/(2+1); GPE exact 2*1/(3+2), overlap 2*2/(3+2); ORG 0/(0+1)
    assert ent["exact"]["labels"]["PERSON"]["f1"] == pytest.approx(2 / 3)
    assert ent["exact"]["labels"]["GPE"]["f1"] == pytest.approx(2 / 5)
    assert ent["overlap"]["labels"]["GPE"]["f1"] == pytest.approx(4 / 5)
    assert ent["exact"]["labels"]["ORG"] == {"a": 0, "b": 1, "matched": 0, "f1": 0.0}
    spans = report["pairs"]["A vs B"]["spans"]
    assert spans["timex"]["exact"]["micro"]["f1"] == 1.0
    assert spans["trigger"]["exact"]["micro"]["f1"] == 1.0


def test_cohen_kappa_on_token_tags_by_hand(report):
    # entity tags, 12 tokens; A: PER O PER O GPE O O O GPE O GPE O,
    #                        B: PER O ORG GPE GPE O O O GPE O O O
    # p_o = 9/12; p_e = (2*1 + 3*3 + 7*7 + 0*1) / 144 = 60/144; kappa = (108-60)/(144-60)
    kappa = report["pairs"]["A vs B"]["kappa"]
    assert kappa["entity"] == pytest.approx(float(Fraction(48, 84)))
    assert kappa["timex"] == pytest.approx(1.0) and kappa["trigger"] == pytest.approx(1.0)
    assert kappa["value"] is None  # no value in either: every tag O, kappa undefined


def test_krippendorff_alpha_nominal_by_hand(report):
    pytest.importorskip("krippendorff")
    # coincidences: o_PER,PER 2, o_O,O 12, o_GPE,GPE 4, PER/ORG 1+1, O/GPE 2+2; n = 24,
    # n_PER 3, n_ORG 1, n_O 14, n_GPE 6. D_o = 6/24, D_e = (24^2 - 242) / (24*23) = 334/552,
    # alpha = 1 - D_o/D_e = 98/167
    assert report["alpha"]["entity"] == pytest.approx(98 / 167)
    assert report["alpha"]["timex"] == pytest.approx(1.0)


def test_realis_and_polarity_on_matched_triggers(report):
    attrs = report["pairs"]["A vs B"]["trigger_attributes"]
    # two matched triggers; realis agrees on 'attacked' only: observed 1/2; marginals A
    # ACTUAL 2, B OTHER 1 ACTUAL 1: p_e = 2/4 = p_o, kappa 0
    assert attrs["realis"] == {"matched_triggers": 2, "agree": 1, "observed": 0.5, "kappa": 0.0}
    assert attrs["polarity"]["observed"] == 1.0 and attrs["polarity"]["kappa"] is None


def test_different_tokenisation_is_detected_not_misscored():
    d = doc()
    toks = list(d.tokens)
    merged = type(toks[0])("Putin met", 0, 9, 0, True)
    other = [merged] + [type(t)(t.text, t.start, t.end, t.id - 1, t.ws) for t in toks[2:]]
    files = {
        "A": {"d1": annotator_a(d)},
        "B": {"d1": annotator_b(d)},
        "C": {"d1": annotator_b(doc(other))},
    }
    rep = agreement_report(files)
    [problem] = rep["tokenisation"]["problems"]
    assert problem["doc_id"] == "d1" and "tokenised differently" in problem["problem"]
    assert "C (11 tokens)" in problem["problem"]
    assert rep["pairs"]["A vs C"]["kappa"]["entity"] is None
    assert rep["pairs"]["A vs B"]["kappa"]["entity"] == pytest.approx(48 / 84)
    assert rep["alpha"]["entity"] is None  # no document all three tokenised alike
    # span F1 is on characters and is still computed
    assert rep["pairs"]["A vs C"]["spans"]["entity"]["exact"]["micro"]["f1"] == pytest.approx(4 / 9)


def test_extra_layer_hook(report):
    register_layer("hooked", lambda a, b: {"docs": sorted(a)})
    try:
        d = doc()
        rep = agreement_report({"A": {"d1": annotator_a(d)}, "B": {"d1": annotator_b(d)}})
        assert rep["pairs"]["A vs B"]["hooked"] == {"docs": ["d1"]}
    finally:
        EXTRA_LAYERS.pop("hooked")


def test_cli_agreement_table_and_json(tmp_path):
    d = doc()
    paths = []
    for name, ann in (("a", annotator_a(d)), ("b", annotator_b(d))):
        p = tmp_path / f"{name}.jsonl"
        write_jsonl(p, [annotation_to_task(ann)])
        paths.append(str(p))
    runner = CliRunner()
    res = runner.invoke(app, ["agreement", *paths, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["pairs"]["a vs b"]["kappa"]["entity"] == pytest.approx(48 / 84)
    res = runner.invoke(app, ["agreement", *paths])
    assert res.exit_code == 0, res.output
    assert "0.571" in res.output and "0.444" in res.output and "0.667" in res.output

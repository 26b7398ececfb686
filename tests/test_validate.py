"""The validator: one valid task built from the corpus document, then one rule broken per test."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.align import token_bounds
from newsgold.corpus.validate import check_file, validate_file, validate_task
from newsgold.errors import Problem
from newsgold.formats.prodigy import annotation_to_task
from newsgold.model import Annotation, Cluster, Document, Mention, Relation
from newsgold.schema import load_schema

TRIGGER_ATTRS = {"realis": "OTHER", "polarity": "POSITIVE", "plover": "CONSULT"}


def mention(
    doc: Document, phrase: str, label: str, kind: str = "entity", *, context: str = "", **kw
):
    """A token-aligned Mention of ``phrase``, found inside the first ``context`` (default:
    the phrase itself), with token bounds and text filled in."""
    at = doc.text.index(context or phrase)
    start = doc.text.index(phrase, at)
    end = start + len(phrase)
    bounds = token_bounds(doc.tokens, start, end)
    assert bounds is not None, phrase
    return Mention(
        start, end, label, kind, token_start=bounds[0], token_end=bounds[1], text=phrase, **kw
    )


def valid_annotation(doc: Document) -> Annotation:
    """Entities, a timex, a value, two triggers of one hopper, arguments and clusters."""
    putin1 = mention(doc, "Putin", "PERSON", id="m1", mention_type="NAM", cluster="E-putin")
    putin2 = mention(
        doc, "Putin", "PERSON", context="Putin stressed", id="m2", mention_type="NAM",
        cluster="E-putin",
    )  # fmt: skip
    nato = mention(doc, "NATO", "ORG", id="m3", mention_type="NAM", cluster="E-nato")
    meet1 = mention(
        doc, "Meet", "Contact.Meet", "trigger", context="Meet Lavrov", id="t1",
        attrs=dict(TRIGGER_ATTRS), cluster="H-meet",
    )  # fmt: skip
    meet2 = mention(
        doc, "meet", "Contact.Meet", "trigger", context="will meet his", id="t2",
        attrs=dict(TRIGGER_ATTRS), cluster="H-meet",
    )  # fmt: skip
    blinken = mention(
        doc, "Blinken", "PERSON", context="Blinken will meet", id="m4", mention_type="NAM",
        cluster="E-blinken",
    )  # fmt: skip
    lavrov = mention(
        doc, "Lavrov", "PERSON", context="counterpart Lavrov", id="m5", mention_type="NAM",
    )  # fmt: skip
    counterpart = mention(
        doc, "his Russian counterpart Lavrov", "PERSON", id="m8", mention_type="NOM",
    )  # fmt: skip
    counterpart.head_start = doc.text.index("counterpart Lavrov")
    counterpart.head_end = counterpart.head_start + len("counterpart")
    stockholm = mention(doc, "Stockholm", "GPE", id="m6", mention_type="NAM")
    tomorrow = mention(
        doc, "Tomorrow", "DATE", "timex", context="Tomorrow, Blinken", id="x1",
        attrs={"type": "DATE", "value": "2021-12-02"},
    )  # fmt: skip
    killed = mention(doc, "13,000", "CARDINAL", "value", id="v1")
    rels = [
        Relation(meet2, blinken, "Entity"),
        Relation(meet2, counterpart, "Entity"),
        Relation(meet2, stockholm, "Place"),
        Relation(meet2, tomorrow, "Time"),
        Relation(meet2, blinken, "PLOVER.Actor"),  # PLOVER roles, allowed by attrs.plover
        Relation(meet2, counterpart, "PLOVER.Recipient"),
    ]
    clusters = [
        Cluster("E-putin", "entity", {"qid": "Q7747", "name": "Vladimir Putin"}),
        Cluster("E-nato", "entity", {"qid": "Q7184"}),
        Cluster("E-blinken", "entity"),
        Cluster("H-meet", "hopper"),
    ]
    mentions = [putin1, putin2, nato, meet1, meet2, blinken, lavrov, counterpart, stockholm]
    mentions += [tomorrow, killed]
    return Annotation(doc, mentions, rels, clusters, task={"answer": "accept"})


@pytest.fixture(scope="module")
def schema():
    return load_schema(Path(__file__).resolve().parent.parent / "annotations" / "schema.json")


@pytest.fixture
def corpus(corpus_doc):
    return {corpus_doc.doc_id: corpus_doc}


@pytest.fixture
def task(corpus_doc):
    return annotation_to_task(valid_annotation(corpus_doc))


def span_index(task, span_id: str) -> int:
    return next(i for i, s in enumerate(task["spans"]) if s.get("id") == span_id)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def check(task, corpus, schema) -> list[Problem]:
    return validate_task(task, corpus, schema, file="gold.jsonl", line=7)


def assert_error(problems: list[Problem], field: str, words: str = "") -> Problem:
    """Assert that an error names ``field`` (and its message contains ``words``)."""
    found = [p for p in errors(problems) if p.field == field and words in p.message]
    assert found, f"no error on {field} ({words!r}); got: " + "; ".join(map(str, problems))
    return found[0]


def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join(x if isinstance(x, bytes) else x.encode() for x in lines))
    return path


# --- the valid task -------------------------------------------------------------------


def test_valid_task_has_no_problems(task, corpus, schema):
    assert check(task, corpus, schema) == []


def test_problem_names_file_line_doc_and_field(task, corpus, schema, corpus_doc):
    task["spans"][2]["label"] = "ORGANIZATION"
    (p,) = check(task, corpus, schema)
    assert (p.file, p.line, p.doc_id, p.field) == (
        "gold.jsonl",
        7,
        corpus_doc.doc_id,
        "spans[2].label",
    )


# --- one JSON object a line -----------------------------------------------------------


def test_malformed_json_line(tmp_path, task, corpus, schema):
    good = orjson.dumps(task).decode() + "\n"
    other = copy.deepcopy(task)
    other["meta"]["doc_id"] = "nope"
    path = write_lines(
        tmp_path / "a.jsonl", [good, '{"text": "x", \n', orjson.dumps(other).decode() + "\n"]
    )
    result = check_file(path, corpus, schema)
    assert [(p.line, p.field) for p in result.problems] == [(2, None), (3, "meta.doc_id")]
    assert "malformed JSON" in result.problems[0].message
    assert result.tasks == 2  # the lines around the bad one are still checked


def test_truncated_last_line(tmp_path, task, corpus, schema):
    line = orjson.dumps(task).decode()
    path = write_lines(tmp_path / "a.jsonl", [line + "\n", line[: len(line) // 2]])
    (p,) = validate_file(path, corpus, schema)
    assert p.line == 2 and "truncated" in p.message


def test_non_utf8_bytes(tmp_path, task, corpus, schema):
    path = write_lines(tmp_path / "a.jsonl", [b'{"text": "caf\xe9"}\n'])
    (p,) = validate_file(path, corpus, schema)
    assert p.line == 1 and "not UTF-8" in p.message and "0xe9" in p.message


def test_json_array_instead_of_object(tmp_path, corpus, schema):
    path = write_lines(tmp_path / "a.jsonl", ['[{"text": "x"}]\n'])
    (p,) = validate_file(path, corpus, schema)
    assert p.line == 1 and "expected a JSON object, got list" in p.message
    # validate_task says the same when called directly
    assert "got list" in validate_task([1], corpus, schema)[0].message


def test_missing_file_is_a_problem_not_a_crash(tmp_path, corpus, schema):
    (p,) = validate_file(tmp_path / "absent.jsonl", corpus, schema)
    assert "cannot open" in p.message


# Runs check_file in a fresh interpreter and reports its result and peak memory (maxrss),
# so the memory of this test process does not blur the measurement.
_CHILD = """
import json, resource, sys
from newsgold.corpus.build import load_corpus
from newsgold.corpus.validate import check_file
from newsgold.schema import load_schema
path, corpus_path, schema_path, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
doc = next(iter(load_corpus(corpus_path).values()))
result = check_file(path, {f"d{i}": doc for i in range(n)}, load_schema(schema_path))
print(json.dumps({
    "tasks": result.tasks,
    "problems": [[p.line, p.severity, p.message] for p in result.problems],
    "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def _check_in_child(path: Path, n: int, root: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(root / "corpus" / "documents.jsonl"),
         str(root / "annotations" / "schema.json"), str(n)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def test_100mb_file_is_streamed(tmp_path, task, project_root):
    """~100 MB of valid lines (each a distinct doc_id) with one bad line in the middle:
    exactly that line is reported, every other line is read, and the peak memory is no
    more than that of checking a 20-line file, give or take 40 MB (far below 100 MB)."""
    task["meta"]["doc_id"] = "DOCID"
    line = orjson.dumps(task).decode() + "\n"

    def write(path: Path, n: int) -> int:
        bad = n // 2
        with path.open("w", encoding="utf-8") as fh:
            for i in range(n):
                fh.write('{"text": "broken\n' if i == bad else line.replace("DOCID", f"d{i}"))
        return bad + 1

    n = 100_000_000 // len(line) + 1
    big, small = tmp_path / "big.jsonl", tmp_path / "small.jsonl"
    bad_line = write(big, n)
    write(small, 20)
    assert big.stat().st_size > 95_000_000
    result = _check_in_child(big, n, project_root)
    baseline = _check_in_child(small, n, project_root)
    assert [p[:2] for p in result["problems"]] == [[bad_line, "error"]]
    assert "malformed JSON" in result["problems"][0][2]
    assert result["tasks"] == n - 1
    assert result["maxrss_kb"] - baseline["maxrss_kb"] < 40_000, (result, baseline)


def test_every_error_of_a_file_is_reported(tmp_path, task, corpus, schema):
    a = copy.deepcopy(task)
    a["spans"][0]["label"] = "PERSONA"
    a["spans"][1]["mention_type"] = "XYZ"
    b = copy.deepcopy(task)
    b["meta"]["doc_id"] = "other"
    path = write_lines(
        tmp_path / "a.jsonl",
        [orjson.dumps(a).decode() + "\n", "not json\n", orjson.dumps(b).decode() + "\n"],
    )
    got = [(p.line, p.field) for p in validate_file(path, corpus, schema)]
    assert got == [
        (1, "spans[0].label"),
        (1, "spans[1].mention_type"),
        (2, None),
        (3, "meta.doc_id"),
    ]


# --- the document ---------------------------------------------------------------------


def test_unknown_doc_id(task, corpus, schema):
    task["meta"]["doc_id"] = "999_unknown"
    p = assert_error(check(task, corpus, schema), "meta.doc_id", "unknown document")
    assert p.doc_id == "999_unknown"


def test_doc_found_by_text_hash_without_doc_id(task, corpus, schema, corpus_doc):
    del task["meta"]["doc_id"]
    problems = check(task, corpus, schema)
    assert errors(problems) == []
    (warning,) = problems
    assert warning.severity == "warning" and warning.doc_id == corpus_doc.doc_id


def test_no_doc_id_and_text_not_in_corpus(task, corpus, schema):
    del task["meta"]["doc_id"]
    task["text"] = task["text"].replace("Putin", "Pution")
    assert_error(check(task, corpus, schema), "meta.doc_id", "no corpus document")


def test_text_differs_from_corpus(task, corpus, schema):
    task["text"] = task["text"].replace("Russian President", "Russian  resident", 1)
    p = assert_error(check(task, corpus, schema), "text", "at character 8")
    assert "President" in p.message


def test_token_differs_from_corpus(task, corpus, schema):
    task["tokens"][5]["end"] += 1
    assert_error(check(task, corpus, schema), "tokens[5]", "end")


def test_token_mismatches_are_capped(task, corpus, schema):
    for t in task["tokens"][10:20]:
        t["id"] += 1
    problems = check(task, corpus, schema)
    assert [p.field for p in problems] == ["tokens[10]", "tokens[11]", "tokens[12]", "tokens"]
    assert "7 more" in problems[-1].message


def test_token_count_differs(task, corpus, schema):
    task["tokens"].pop()
    assert_error(check(task, corpus, schema), "tokens", "tokens, the corpus document has")


def test_tokens_missing(task, corpus, schema):
    del task["tokens"]
    assert_error(check(task, corpus, schema), "tokens", "no tokens")


def test_token_ws_compared_only_when_given(task, corpus, schema):
    for t in task["tokens"]:
        del t["ws"]
    assert check(task, corpus, schema) == []
    task["tokens"][0]["ws"] = False
    assert_error(check(task, corpus, schema), "tokens[0]", "ws")


def test_sentences_differ_from_corpus(task, corpus, schema):
    task["sentences"][4]["end"] -= 1
    assert_error(check(task, corpus, schema), "sentences[4]", "differ from the corpus")


def test_paragraphs_missing_one(task, corpus, schema):
    task["paragraphs"].pop()
    assert_error(check(task, corpus, schema), f"paragraphs[{len(task['paragraphs'])}]")


def test_segments_are_optional(task, corpus, schema):
    del task["sentences"], task["paragraphs"]
    assert check(task, corpus, schema) == []


def test_unreadable_token(task, corpus, schema):
    task["tokens"][2]["start"] = "12"
    assert_error(check(task, corpus, schema), "tokens[2].start")


# --- spans: offsets -------------------------------------------------------------------


def test_span_outside_text(task, corpus, schema):
    i = span_index(task, "m1")
    task["spans"][i]["end"] = len(task["text"]) + 5
    assert_error(check(task, corpus, schema), f"spans[{i}].end", "not inside the text")


def test_span_start_not_before_end(task, corpus, schema):
    i = span_index(task, "m1")
    task["spans"][i]["end"] = task["spans"][i]["start"]
    assert_error(check(task, corpus, schema), f"spans[{i}].start", "start < end")


def test_span_not_on_token_boundaries(task, corpus, schema):
    i = span_index(task, "m1")
    task["spans"][i]["end"] -= 1
    task["spans"][i]["text"] = "Puti"
    assert_error(check(task, corpus, schema), f"spans[{i}].start", "token boundaries")


def test_span_token_bounds_disagree(task, corpus, schema):
    i = span_index(task, "m8")
    task["spans"][i]["token_start"] += 1
    task["spans"][i]["token_end"] -= 1
    problems = check(task, corpus, schema)
    assert_error(problems, f"spans[{i}].token_start")
    assert_error(problems, f"spans[{i}].token_end")


def test_span_text_disagrees(task, corpus, schema):
    i = span_index(task, "m1")
    task["spans"][i]["text"] = "Putin "
    assert_error(check(task, corpus, schema), f"spans[{i}].text")


def test_head_outside_span(task, corpus, schema):
    i = span_index(task, "m8")
    task["spans"][i]["head_end"] = task["spans"][i]["end"] + 3
    assert_error(check(task, corpus, schema), f"spans[{i}].head_start", "not inside the span")


def test_head_half_given(task, corpus, schema):
    i = span_index(task, "m8")
    del task["spans"][i]["head_end"]
    assert_error(check(task, corpus, schema), f"spans[{i}].head_start", "together")


def test_unreadable_span_is_reported_and_the_rest_checked(task, corpus, schema):
    task["spans"][0]["start"] = "18"
    task["spans"][2]["label"] = "ORGANISATION"
    problems = check(task, corpus, schema)
    assert_error(problems, "spans[0].start", "integer")
    assert_error(problems, "spans[2].label")


# --- spans: labels, mention types, attributes -----------------------------------------


@pytest.mark.parametrize(
    ("span_id", "label", "words"),
    [
        ("m1", "PER", "kind entity"),  # entity labels are OntoNotes-style
        ("x1", "MONEY", "kind timex"),  # timex only DATE/TIME
        ("v1", "PERSON", "kind value"),  # value only value labels
        ("t1", "Contact.Chat", "event type"),  # trigger: ERE or PLOVER type
    ],
)
def test_label_not_allowed_for_kind(task, corpus, schema, span_id, label, words):
    i = span_index(task, span_id)
    task["spans"][i]["label"] = label
    assert_error(check(task, corpus, schema), f"spans[{i}].label", words)


def test_trigger_may_have_a_plover_type(task, corpus, schema):
    for s in task["spans"]:
        if s.get("cluster") == "H-meet":
            s["label"] = "CONSULT"
            del s["attrs"]["plover"]
    for r in task["relations"]:
        r["head_span"]["label"] = "CONSULT"
    # a PLOVER-only event takes PLOVER roles only: Entity, Place and Time are ERE roles
    problems = check(task, corpus, schema)
    assert {p.field for p in problems} == {f"relations[{i}].label" for i in range(4)}
    assert all("PLOVER-only event" in p.message for p in problems)
    assert "'PLOVER.Place'" in problems[2].message  # the hint names the qualified role
    for i, role in ((2, "PLOVER.Place"), (3, "PLOVER.Time")):
        task["relations"][i]["label"] = role
    assert {p.field for p in check(task, corpus, schema)} == {
        "relations[0].label",
        "relations[1].label",
    }


def test_plover_role_on_an_ere_only_event_is_an_error(task, corpus, schema):
    for s in task["spans"]:
        if s.get("cluster") == "H-meet":
            del s["attrs"]["plover"]
    problems = check(task, corpus, schema)
    assert {p.field for p in problems} == {"relations[4].label", "relations[5].label"}
    assert all("has no PLOVER type" in p.message for p in problems)


def test_bare_plover_role_names_are_errors_with_a_hint(task, corpus, schema):
    task["relations"][4]["label"] = "Actor"
    (p,) = check(task, corpus, schema)
    assert p.field == "relations[4].label" and "'PLOVER.Actor'" in p.message


def test_plover_time_and_place_are_not_doubled_on_an_ere_event(task, corpus, schema):
    # the ERE Time and Place serve both layers on an event with an ERE type (7.5)
    task["relations"][3]["label"] = "PLOVER.Time"
    assert_error(check(task, corpus, schema), "relations[3].label", "not a role")


def _meet_spans(task):
    return [s for s in task["spans"] if s.get("cluster") == "H-meet"]


def test_attribution_event_must_be_a_contact_type_without_plover(task, corpus, schema):
    s = _meet_spans(task)[0]
    i = task["spans"].index(s)
    s["attrs"]["attribution"] = True
    problems = check(task, corpus, schema)
    # Contact.Meet is a Contact type but not one of the speech types; and it has a PLOVER type
    assert {p.field for p in problems} == {f"spans[{i}].label", f"spans[{i}].attrs.plover"}
    s["attrs"]["attribution"] = False
    assert_error(check(task, corpus, schema), f"spans[{i}].attrs.attribution", "(true)")
    s["attrs"]["attribution"] = 1  # not the JSON true
    assert_error(check(task, corpus, schema), f"spans[{i}].attrs.attribution", "not a value")


def test_attribution_on_a_broadcast_event_is_valid(task, corpus, schema):
    for s in _meet_spans(task):
        s["label"] = "Contact.Broadcast"
        s["attrs"] = {"realis": "ACTUAL", "polarity": "POSITIVE", "attribution": True}
    for r in task["relations"]:
        r["head_span"]["label"] = "Contact.Broadcast"
    task["relations"] = [r for r in task["relations"] if not r["label"].startswith("PLOVER.")]
    assert check(task, corpus, schema) == []


def test_plover_attribute_repeats_the_label_of_a_plover_only_event(task, corpus, schema):
    for s in _meet_spans(task):
        s["label"] = "CONSULT"
    for r in task["relations"]:
        r["head_span"]["label"] = "CONSULT"
    task["relations"] = [r for r in task["relations"] if r["label"].startswith("PLOVER.")]
    assert check(task, corpus, schema) == []
    _meet_spans(task)[0]["attrs"]["plover"] = "AGREE"
    i = task["spans"].index(_meet_spans(task)[0])
    assert_error(check(task, corpus, schema), f"spans[{i}].attrs.plover", "repeats the label")


def test_unknown_kind(task, corpus, schema):
    task["spans"][0]["kind"] = "person"
    assert_error(check(task, corpus, schema), "spans[0].kind", "unknown kind")


def test_span_without_kind_is_a_warning(task, corpus, schema):
    del task["spans"][0]["kind"]
    (p,) = check(task, corpus, schema)
    assert (p.severity, p.field) == ("warning", "spans[0].kind")


def test_mention_type_required_for_entities(task, corpus, schema):
    del task["spans"][0]["mention_type"]
    assert_error(check(task, corpus, schema), "spans[0].mention_type", "need a mention_type")


def test_mention_type_unknown(task, corpus, schema):
    task["spans"][0]["mention_type"] = "NAME"
    assert_error(check(task, corpus, schema), "spans[0].mention_type", "unknown mention_type")


def test_attribute_name_unknown(task, corpus, schema):
    i = span_index(task, "t1")
    task["spans"][i]["attrs"]["modality"] = "ASSERTED"
    assert_error(check(task, corpus, schema), f"spans[{i}].attrs.modality", "not defined")


def test_attribute_value_unknown(task, corpus, schema):
    i = span_index(task, "t1")
    task["spans"][i]["attrs"]["realis"] = "MAYBE"
    assert_error(check(task, corpus, schema), f"spans[{i}].attrs.realis", "not a value")


def test_required_attribute_missing(task, corpus, schema):
    i = span_index(task, "t1")
    del task["spans"][i]["attrs"]["polarity"]
    j = span_index(task, "x1")
    del task["spans"][j]["attrs"]["type"]
    problems = check(task, corpus, schema)
    assert_error(problems, f"spans[{i}].attrs.polarity", "required")
    assert_error(problems, f"spans[{j}].attrs.type", "required")


@pytest.mark.parametrize("value", ["21-12", "tomorrow", "2021-12-2", 20211202])
def test_timex_value_pattern(task, corpus, schema, value):
    i = span_index(task, "x1")
    task["spans"][i]["attrs"]["value"] = value
    assert_error(check(task, corpus, schema), f"spans[{i}].attrs.value", "TIMEX3")


@pytest.mark.parametrize("value", ["2021-12-02", "P1W", "PRESENT_REF", "2021-W48", "2021-Q4"])
def test_timex_values_accepted(task, corpus, schema, value):
    task["spans"][span_index(task, "x1")]["attrs"]["value"] = value
    assert check(task, corpus, schema) == []


def test_trigger_plover_attribute_must_be_plover_type(task, corpus, schema):
    i = span_index(task, "t1")
    task["spans"][i]["attrs"]["plover"] = "Contact.Meet"
    assert_error(check(task, corpus, schema), f"spans[{i}].attrs.plover", "PLOVER")


# --- relations ------------------------------------------------------------------------


def test_relation_endpoint_missing_and_rest_still_checked(task, corpus, schema):
    task["relations"][2]["child_span"]["start"] += 1
    task["relations"][2]["child_span"]["end"] += 1
    task["relations"][3]["label"] = "Victim"
    problems = check(task, corpus, schema)
    assert_error(problems, "relations[2].child_span", "not among the spans")
    assert_error(problems, "relations[3].label", "not a role")


def test_relation_head_child_must_be_token_end(task, corpus, schema):
    task["relations"][0]["head"] -= 1
    task["relations"][1]["child"] = 0
    problems = check(task, corpus, schema)
    assert_error(problems, "relations[0].head", "token_end")
    assert_error(problems, "relations[1].child", "token_end")


def test_relation_span_copy_disagrees(task, corpus, schema):
    # found by id, but the copy's offsets are stale
    task["relations"][0]["child_span"]["id"] = task["relations"][0]["child_span"].get("id", "m4")
    task["relations"][0]["child_span"]["start"] = 0
    assert_error(check(task, corpus, schema), "relations[0].child_span.start")


def test_role_not_of_event_type(task, corpus, schema):
    task["relations"][0]["label"] = "Attacker"
    assert_error(check(task, corpus, schema), "relations[0].label", "not a role of Contact.Meet")


def test_plover_roles_need_attrs_plover(task, corpus, schema):
    for s in task["spans"]:
        if s.get("kind") == "trigger":
            del s["attrs"]["plover"]
    problems = check(task, corpus, schema)
    assert {p.field for p in problems} == {"relations[4].label", "relations[5].label"}


def test_filler_not_allowed_for_role(task, corpus, schema):
    rel = task["relations"][2]  # Place -> Stockholm
    i = span_index(task, "m6")
    task["spans"][i]["label"] = rel["child_span"]["label"] = "PERSON"
    assert_error(check(task, corpus, schema), "relations[2].child_span.label", "cannot fill")


def test_relation_must_start_at_a_trigger(task, corpus, schema):
    rel = copy.deepcopy(task["relations"][0])
    rel["head"], rel["child"] = rel["child"], rel["head"]
    rel["head_span"], rel["child_span"] = rel["child_span"], rel["head_span"]
    task["relations"].append(rel)
    assert_error(check(task, corpus, schema), "relations[6].head_span", "must start at a trigger")


# --- duplicates -----------------------------------------------------------------------


def test_duplicate_span(task, corpus, schema):
    dup = copy.deepcopy(task["spans"][0])
    dup["id"] = "m99"
    task["spans"].append(dup)
    n = len(task["spans"]) - 1
    assert_error(check(task, corpus, schema), f"spans[{n}]", "duplicate of spans[0]")


def test_same_offsets_other_label_is_not_a_duplicate(task, corpus, schema):
    other = copy.deepcopy(task["spans"][0])
    other.update(id="m99", label="NORP")
    task["spans"].append(other)
    assert check(task, corpus, schema) == []


def test_duplicate_relation(task, corpus, schema):
    task["relations"].append(copy.deepcopy(task["relations"][3]))
    assert_error(check(task, corpus, schema), "relations[6]", "duplicate of relations[3]")


def test_duplicate_span_id(task, corpus, schema):
    task["spans"][1]["id"] = task["spans"][0]["id"]
    assert_error(check(task, corpus, schema), "spans[1].id", "also used by spans[0]")


def test_duplicate_doc_id_in_a_file(tmp_path, task, corpus, schema):
    line = orjson.dumps(task).decode() + "\n"
    path = write_lines(tmp_path / "a.jsonl", [line, line])
    (p,) = validate_file(path, corpus, schema)
    assert (p.line, p.field, p.severity) == (2, "meta.doc_id", "error")
    assert "line 1" in p.message


# --- clusters -------------------------------------------------------------------------


def test_span_cluster_not_declared(task, corpus, schema):
    i = span_index(task, "m6")
    task["spans"][i]["cluster"] = "E-stockholm"
    assert_error(check(task, corpus, schema), f"spans[{i}].cluster", "not declared")


def test_declared_cluster_without_mentions(task, corpus, schema):
    task["clusters"].append({"id": "E-empty", "kind": "entity"})
    assert_error(check(task, corpus, schema), "clusters[4]", "no mentions")


def test_entity_cluster_holds_only_entities(task, corpus, schema):
    i = span_index(task, "t1")
    task["spans"][i]["cluster"] = "E-putin"
    assert_error(check(task, corpus, schema), f"spans[{i}].cluster", "entity cluster")


def test_values_never_join_a_cluster(task, corpus, schema):
    i = span_index(task, "v1")
    task["spans"][i]["cluster"] = "E-putin"
    assert_error(check(task, corpus, schema), f"spans[{i}].cluster", "entity cluster")


def test_hopper_holds_only_triggers(task, corpus, schema):
    i = span_index(task, "m6")
    task["spans"][i]["cluster"] = "H-meet"
    assert_error(check(task, corpus, schema), f"spans[{i}].cluster", "hopper cluster")


def test_hopper_triggers_share_event_type(task, corpus, schema):
    i = span_index(task, "t1")
    task["spans"][i]["label"] = "Contact.Contact"
    assert_error(check(task, corpus, schema), "clusters[3]", "mixes event types")


def test_cluster_ids_unique(task, corpus, schema):
    task["clusters"].append({"id": "E-nato", "kind": "entity"})
    assert_error(check(task, corpus, schema), "clusters[4].id", "also declared")


def test_cluster_kind_unknown(task, corpus, schema):
    task["clusters"][0]["kind"] = "chain"
    assert_error(check(task, corpus, schema), "clusters[0].kind")


def test_cluster_without_id(task, corpus, schema):
    task["clusters"].append({"kind": "entity"})
    assert_error(check(task, corpus, schema), "clusters[4]", "string 'id'")


# --- answer ---------------------------------------------------------------------------


def test_answer_must_be_accept_reject_ignore(task, corpus, schema):
    task["answer"] = "accepted"
    assert_error(check(task, corpus, schema), "answer")


@pytest.mark.parametrize("answer", ["reject", "ignore"])
def test_answer_reject_or_ignore_is_a_warning(task, corpus, schema, answer):
    task["answer"] = answer
    (p,) = check(task, corpus, schema)
    assert (p.severity, p.field) == ("warning", "answer")


# --- robustness ----------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 500) | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
_PATHS = [
    ("meta",), ("meta", "doc_id"), ("answer",), ("text",), ("tokens",), ("tokens", 0),
    ("tokens", 0, "start"), ("spans",), ("spans", 0), ("spans", 0, "start"), ("spans", 3, "kind"),
    ("spans", 3, "attrs"), ("spans", 3, "attrs", "realis"), ("spans", 0, "id"),
    ("spans", 0, "cluster"), ("spans", 7, "head_start"), ("relations",), ("relations", 0),
    ("relations", 0, "head"), ("relations", 0, "head_span"), ("relations", 0, "child_span", "start"),
    ("relations", 1, "label"), ("clusters",), ("clusters", 0), ("clusters", 0, "kind"),
    ("clusters", 0, "id"), ("sentences",), ("sentences", 0), ("paragraphs", 1, "heading"),
]  # fmt: skip


def _has(obj, key) -> bool:
    if isinstance(obj, dict):
        return isinstance(key, str)
    return isinstance(obj, list) and isinstance(key, int) and key < len(obj)


def _replace(obj, path: tuple, value) -> None:
    """Set ``obj[path[0]][path[1]]... = value`` when that path exists (earlier edits may
    have replaced a part of it)."""
    for key in path[:-1]:
        if not _has(obj, key) or (isinstance(obj, dict) and key not in obj):
            return
        obj = obj[key]
    if _has(obj, path[-1]):
        obj[path[-1]] = value


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(st.tuples(st.sampled_from(_PATHS), _json), min_size=1, max_size=3))
def test_any_broken_value_gives_problems_not_a_crash(task, corpus, schema, edits):
    """Whatever JSON value replaces a part of a valid task, the validator returns Problems
    (naming the line) and never raises."""
    task = copy.deepcopy(task)
    for path, value in edits:
        _replace(task, path, value)
    problems = check(task, corpus, schema)
    assert all(isinstance(p, Problem) and p.line == 7 for p in problems)


# --- command line ---------------------------------------------------------------------


@pytest.fixture
def project(tmp_path, project_root, monkeypatch):
    """A tmp project (corpus and schema copied, no annotations) as the working directory."""
    for rel in ("corpus/documents.jsonl", "annotations/schema.json"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((project_root / rel).read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_nothing_to_validate(project):
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "nothing to validate" in result.output


def test_cli_default_paths_are_recursive(project, task):
    (project / "annotations" / "passes").mkdir()
    (project / "annotations" / "passes" / "a.jsonl").write_text(orjson.dumps(task).decode() + "\n")
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "passes/a.jsonl: 1 task(s), 0 error(s), 0 warning(s)" in result.output


def test_cli_json_reports_problems_and_exits_1(project, task):
    bad = copy.deepcopy(task)
    bad["spans"][0]["label"] = "PERSONA"
    warn = copy.deepcopy(task)
    warn["answer"] = "ignore"
    write_lines(project / "annotations" / "gold.jsonl", [orjson.dumps(bad).decode() + "\n"])
    write_lines(project / "ok.jsonl", [orjson.dumps(warn).decode() + "\n"])
    result = CliRunner().invoke(
        app, ["validate", "annotations/gold.jsonl", "ok.jsonl", "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["ok"] is False
    # every other corpus document is reported as having no gold (none while the corpus has one)
    no_gold = sum("no gold annotation" in p["message"] for p in report["problems"])
    assert report["files"] == [
        {"path": "annotations/gold.jsonl", "tasks": 1, "errors": 1, "warnings": no_gold},
        {"path": "ok.jsonl", "tasks": 1, "errors": 0, "warnings": 1},
    ]
    assert report["problems"][0]["field"] == "spans[0].label"
    assert report["problems"][0]["line"] == 1


def test_cli_warnings_do_not_fail(project, task):
    task["answer"] = "reject"
    write_lines(project / "annotations" / "x.jsonl", [orjson.dumps(task).decode() + "\n"])
    result = CliRunner().invoke(app, ["validate", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output


def test_cli_text_errors_exit_1(project, task):
    task["spans"][0]["label"] = "[red]PERSONA"  # printed as is, not as rich markup
    write_lines(project / "annotations" / "x.jsonl", [orjson.dumps(task).decode() + "\n"])
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 1
    assert "'[red]PERSONA'" in result.output and "field spans[0].label" in result.output


def test_cli_works_outside_the_repository(tmp_path, monkeypatch, project_root):
    # no annotations/schema.json in the working directory: the packaged schema is used
    monkeypatch.chdir(tmp_path)
    gold = project_root / "annotations" / "gold.jsonl"
    corpus = project_root / "corpus" / "documents.jsonl"
    res = CliRunner().invoke(app, ["validate", str(gold), "--corpus", str(corpus)])
    assert res.exit_code == 0, res.output


def test_cli_names_the_layer_rule_a_v1_file_breaks(project, task):
    # a v1 file (bare PLOVER roles) fails with a message naming file, line, field and the fix
    for r in task["relations"]:
        r["label"] = r["label"].removeprefix("PLOVER.")
    write_lines(project / "annotations" / "v1.jsonl", [orjson.dumps(task).decode() + "\n"])
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 1, result.output
    assert "annotations/v1.jsonl:1" in result.output and "relations[4].label" in result.output
    assert "'PLOVER.Actor'" in result.output and "Traceback" not in result.output


def test_qualify_script_migrates_v1_roles_and_keeps_the_rest(project, task, corpus, schema):
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "qualify_plover_roles.py"
    spec = importlib.util.spec_from_file_location("qualify_plover_roles", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    v1 = copy.deepcopy(task)
    for r in v1["relations"]:
        r["label"] = r["label"].removeprefix("PLOVER.")
    assert check(v1, corpus, schema)  # v1 roles are errors under the v2 schema
    out = mod.qualify(copy.deepcopy(v1), set(schema.plover_types))
    assert check(out, corpus, schema) == []
    assert [r["label"] for r in out["relations"]] == [r["label"] for r in task["relations"]]
    assert {k: v for k, v in out.items() if k != "_task_hash"} == {
        k: v for k, v in task.items() if k != "_task_hash"
    }
    src = project / "in.jsonl"
    src.write_bytes(orjson.dumps(v1) + b"\n")
    assert mod.main([str(src), str(src)]) == 1  # never over its input
    assert mod.main([str(src), str(project / "out.jsonl")]) == 0
    assert check(orjson.loads((project / "out.jsonl").read_bytes()), corpus, schema) == []

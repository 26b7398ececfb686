"""Bad input of every kind is a clear error with exit code 1, never a traceback; user text
is never read as markup; options are checked by the command line (issue 8 §2, §3, §5;
issue 7 "outputs and flags")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import assert_clean_error, copy_project, run

GOLD = Path("annotations/gold.jsonl")


@pytest.fixture()
def project(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "proj")
    monkeypatch.chdir(root)
    return root


def _task(root: Path) -> dict:
    return json.loads((root / GOLD).read_text(encoding="utf-8").splitlines()[0])


def _pred(root: Path, name: str, spans: list[dict], **extra) -> Path:
    """A prediction of the gold's document with these spans."""
    task = _task(root)
    task.update(spans=spans, relations=[], clusters=[], **extra)
    path = root / name
    path.write_text(json.dumps(task) + "\n", encoding="utf-8")
    return path


def _entity_spans(root: Path) -> list[dict]:
    return [s for s in _task(root)["spans"] if s.get("kind") == "entity"]


# -- markup ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["[bold red]X[/bold red]", "[/", "a[/b]", ":smile:"])
def test_labels_are_printed_as_they_are(project, label):
    spans = [{**s, "label": label} for s in _entity_spans(project)[:3]]
    pred = _pred(project, "markup.jsonl", spans)
    res = run("score", pred, "--bootstrap", "0")
    assert res.exit_code == 0, (res.output, res.exception)
    assert label in res.output  # in the table cell and in the note on unknown labels


def test_markup_in_file_names_doc_ids_and_error_lines(project):
    name = "[red]p[bold].jsonl"  # a file name cannot hold '[/'; the doc_id and text do
    task = _task(project)
    task["meta"]["doc_id"] = "[/doc]"
    task.update(spans=[], relations=[], clusters=[], text="[red]other text[/red]")
    (project / name).write_text(json.dumps(task) + "\n", encoding="utf-8")
    res = run("score", name, "--bootstrap", "0")
    assert_clean_error(res, name, "[/doc]")
    res = run("validate", name)
    assert res.exit_code == 1 and "Traceback" not in res.output and name in res.output


# -- numeric, choice and path options ------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["score", GOLD, "--seed", "-1"],
        ["score", GOLD, "--bootstrap", "-1"],
        ["compare", GOLD, GOLD, "--resamples", "0"],
        ["compare", GOLD, GOLD, "--resamples", "-3"],
        ["score", GOLD, "--span", "garbage"],
        ["score", GOLD, "--units", "foo"],
        ["score", GOLD, "--preset", "nope"],
        ["score", GOLD, "--format", "xml"],
        ["score", GOLD, "--gold-format", "xml"],
        ["score", GOLD, "--errors-mode", "loose", "--errors", "e.jsonl"],
        ["validate", "--format", "yaml"],
        ["score", GOLD, "--corpus", "missing.jsonl"],
        ["score", GOLD, "--gold", "missing.jsonl"],
        ["score", GOLD, "--schema", "missing.json"],
        ["validate", "--schema", "missing.json"],
        ["score", "missing.jsonl"],
        ["stats", "missing.jsonl"],
        ["agreement", GOLD, "missing.jsonl"],
    ],
)
def test_bad_options_are_rejected_by_the_command_line(project, args):
    flag = next((a for a in args if str(a).startswith("--")), None)
    res = run(*args)
    assert_clean_error(res, *([flag] if flag and flag != "--errors" else []))


def test_view_and_unknown_options_name_the_flag(project):
    assert_clean_error(run("score", GOLD, "--view", "XYZ", "--bootstrap", "0"), "--view")


# -- agreement -------------------------------------------------------------------------------


def test_agreement_with_nothing_to_compare_is_an_error(project):
    a = "annotations/iaa/v1/annotator_a.jsonl"
    assert_clean_error(run("agreement", a, a), "same file", "nothing to compare")
    (project / "empty.jsonl").write_text("", encoding="utf-8")
    assert_clean_error(run("agreement", a, "empty.jsonl"), "empty.jsonl", "nothing to compare")
    other = _task(project)
    other["meta"] = {**other["meta"], "doc_id": "elsewhere"}
    (project / "other.jsonl").write_text(json.dumps(other) + "\n", encoding="utf-8")
    assert_clean_error(run("agreement", a, "other.jsonl"), "no document in common")
    assert run("agreement", a, "annotations/iaa/v1/annotator_b.jsonl").exit_code == 0


# -- score's messages ------------------------------------------------------------------------------


def test_labels_not_in_the_gold_are_an_error_listing_the_golds(project):
    res = run("score", GOLD, "--labels", "PERSON,NOPE", "--bootstrap", "0")
    assert_clean_error(res, "--labels", "NOPE", "PERSON", "GPE")
    assert run("score", GOLD, "--labels", "PERSON", "--bootstrap", "0").exit_code == 0
    mapped = ["--label-map", "conll2003", "--bootstrap", "0"]
    assert_clean_error(run("score", GOLD, "--labels", "PERSON", *mapped), "PER)", "LOC")
    assert run("score", GOLD, "--labels", "PER", *mapped).exit_code == 0


def test_a_known_label_set_gets_a_label_map_hint(project):
    conll = {"PERSON": "PER", "GPE": "LOC", "ORG": "ORG", "NORP": "MISC"}
    spans = [
        {**s, "label": conll[s["label"]]} for s in _entity_spans(project) if s["label"] in conll
    ]
    res = run("score", _pred(project, "conll.jsonl", spans), "--bootstrap", "0")
    assert res.exit_code == 0, res.output
    assert "--label-map conll2003" in res.output
    res = run("score", GOLD, "--bootstrap", "0")
    assert "--label-map" not in res.output


def test_messages_name_flags_not_keyword_names():
    from newsgold.cli_common import cli_words, problem_text
    from newsgold.errors import Problem

    text = cli_words("pass allow_missing (allow_unknown, allow_mismatch); pass format= one of")
    assert "allow_" not in text and "format=" not in text and "--allow-mismatch" in text
    assert problem_text(Problem("bad", field="units")) == "field --units: bad"


def test_format_conll_on_a_json_file_says_it_is_not_conll(project):
    res = run("score", GOLD, "--format", "conll", "--bootstrap", "0")
    assert_clean_error(res, "not CoNLL")
    res = run("score", GOLD, "--gold", GOLD, "--gold-format", "conll", "--bootstrap", "0")
    assert_clean_error(res, "not CoNLL")


def test_an_empty_prediction_scores_every_document_as_empty(project):
    (project / "empty.jsonl").write_text("\n", encoding="utf-8")
    res = run("score", "empty.jsonl", "--bootstrap", "0", "--json")
    assert res.exit_code == 0, res.output
    assert "empty" in res.output and "predicting nothing" in res.output
    data = json.loads(res.stdout)
    assert data["modes"]["strict"]["micro"]["correct"] == 0
    assert data["modes"]["strict"]["micro"]["missed"] == data["manifest"]["gold_spans"] > 0


def test_an_empty_conll_gold_blames_the_gold(project):
    (project / "g.conll").write_text("\n\n", encoding="utf-8")
    (project / "p.conll").write_text("Putin B-PER\n", encoding="utf-8")
    res = run("score", "p.conll", "--gold", "g.conll", "--bootstrap", "0")
    assert_clean_error(res, "g.conll", "gold")
    assert "p.conll" not in res.output.replace("score p.conll", "")


# -- defaults from any directory -------------------------------------------------------------------


def test_defaults_are_found_from_a_subfolder_and_from_newsgold_home(project, tmp_path, monkeypatch):
    (project / "deep" / "er").mkdir(parents=True)
    monkeypatch.chdir(project / "deep" / "er")
    res = run("score", project / GOLD, "--bootstrap", "0", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["manifest"]["gold"]["path"] == str(project / GOLD)
    assert run("validate").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    res = run("stats", "--json", env={"NEWSGOLD_HOME": str(project)})
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["layers"]


def test_a_missing_default_says_where_it_looked(tmp_path, monkeypatch):
    from newsgold import paths

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSGOLD_HOME", str(tmp_path / "nohome"))
    monkeypatch.setattr(paths, "__file__", str(tmp_path / "pkg" / "paths.py"))
    with pytest.raises(paths.NewsgoldError) as exc:
        paths.default_file(paths.GOLD, "--gold")
    message = str(exc.value)
    assert str(tmp_path / "nohome" / paths.GOLD) in message and "--gold" in message


# -- schema ----------------------------------------------------------------------------------------


def _schema(project: Path, **change) -> Path:
    raw = json.loads((project / "annotations" / "schema.json").read_text(encoding="utf-8"))
    raw.update(change)
    path = project / "bad_schema.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"entity_labels": 3}, "entity_labels"),
        ({"event_types": ["Conflict.Attack"]}, "event_types"),
        ({"event_types": {"Conflict.Attack": "roles"}}, "event_types.Conflict.Attack"),
        ({"attributes": "realis"}, "attributes"),
        ({"attributes": {"trigger": {"realis": 7}}}, "attributes.trigger.realis"),
        ({"timex_value_pattern": "(unclosed"}, "timex_value_pattern"),
        ({"label_maps": {"x": ["PER"]}}, "label_maps.x"),
        ({"role_fillers": {"<A>": "PERSON"}}, "role_fillers.<A>"),
    ],
)
def test_a_malformed_schema_is_an_error_naming_its_field(project, change, field):
    schema = _schema(project, **change)
    for args in (
        ["validate", "--schema", schema],
        ["score", GOLD, "--schema", schema, "--bootstrap", "0"],
    ):
        assert_clean_error(run(*args), f"field {field}")


def test_a_schema_that_is_not_utf8_or_json(project):
    bad = project / "latin1.json"
    bad.write_bytes('{"entity_labels": "é"}'.encode("latin-1"))
    assert_clean_error(run("validate", "--schema", bad), "not UTF-8", "latin1.json")
    bad.write_text("[" * 100000, encoding="utf-8")
    assert_clean_error(run("validate", "--schema", bad), "latin1.json")


# -- offsets that do not fit ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**30])
def test_huge_offsets_in_the_gold_are_an_error_naming_line_and_field(project, value):
    task = _task(project)
    task["spans"][0]["end"] = value
    (project / "g.jsonl").write_text(json.dumps(task) + "\n", encoding="utf-8")
    res = run("score", GOLD, "--gold", "g.jsonl", "--bootstrap", "0")
    # orjson reads integers beyond 64 bits as floats: those are "not an integer"
    assert_clean_error(res, "g.jsonl:1", "spans[0].end", "int64" if value == 2**63 else "")


def test_a_brat_offset_of_5000_digits_is_an_error(project):
    brat = project / "brat"
    brat.mkdir()
    text = _task(project)["text"]
    (brat / "000_e2a7510a474f58d9.txt").write_text(text, encoding="utf-8")
    (brat / "000_e2a7510a474f58d9.ann").write_text(
        "T1\tPERSON 0 " + "9" * 5000 + "\tRussian\n", encoding="utf-8"
    )
    res = run("score", brat, "--bootstrap", "0")
    assert_clean_error(res, ".ann:1")


def test_mixed_attribute_values_are_clear_errors(project):
    # a value of another type than the schema's (null or a number beside strings) cannot be
    # counted or sorted with the rest: the border check names it (newsgold/corpus/check.py)
    task = _task(project)
    triggers = [s for s in task["spans"] if s.get("kind") == "trigger"]
    triggers[0]["attrs"]["realis"] = None
    triggers[1]["attrs"]["polarity"] = 3
    (project / "mixed.jsonl").write_text(json.dumps(task) + "\n", encoding="utf-8")
    for args in (
        ["stats", "mixed.jsonl"],
        ["agreement", GOLD, "mixed.jsonl"],
        ["score", "mixed.jsonl", "--bootstrap", "0"],
    ):
        assert_clean_error(run(*args), "mixed.jsonl:1", "attrs.polarity")
    triggers[0]["attrs"]["realis"] = ["ACTUAL"]
    (project / "listy.jsonl").write_text(json.dumps(task) + "\n", encoding="utf-8")
    for args in (["stats", "listy.jsonl"], ["agreement", GOLD, "listy.jsonl"]):
        assert_clean_error(run(*args), "listy.jsonl:1", "attrs.realis")

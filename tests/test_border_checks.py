"""The structural checks at the border (:mod:`newsgold.corpus.check`): a bad gold, a bad
prediction or an attribute value a layer cannot count is a clear error, never scored and
never a traceback."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgold.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "annotations" / "gold.jsonl"
CORPUS = ROOT / "corpus" / "documents.jsonl"
SEED_DOC = "000_e2a7510a474f58d9"


def _seed_task() -> dict:
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        task = json.loads(line)
        if task["meta"]["doc_id"] == SEED_DOC:
            return task
    raise AssertionError("the seed's gold task is missing")


def _write(path: Path, tasks: list[dict]) -> Path:
    path.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    return path


def _first(task: dict, kind: str) -> dict:
    return next(s for s in task["spans"] if s.get("kind", "entity") == kind)


def _headed(task: dict) -> dict:
    return next(s for s in task["spans"] if s.get("head_start") is not None)


def _score(pred: Path, gold: Path = GOLD, *extra: str):
    args = ["score", str(pred), "--gold", str(gold), "--corpus", str(CORPUS), "--bootstrap", "0"]
    return CliRunner().invoke(app, [*args, *extra])


def _free(task: dict) -> tuple[int, dict]:
    """The first span that no relation points to (changing it breaks nothing else)."""
    ends = {
        (r[k]["start"], r[k]["end"])
        for r in task.get("relations", [])
        for k in ("head_span", "child_span")
    }
    return next((i, s) for i, s in enumerate(task["spans"]) if (s["start"], s["end"]) not in ends)


def _bad(task: dict, what: str) -> dict:
    t = copy.deepcopy(task)
    text = len(t["text"])
    i, free = _free(t)
    if what == "negative start":
        free["start"] = -3
    elif what == "start > end":
        free["start"], free["end"] = free["end"], free["start"]
    elif what == "end beyond text":
        free["end"] = text + 5
    elif what == "head outside span":
        s = _headed(t)
        s["head_start"], s["head_end"] = s["end"] + 1, s["end"] + 3
    elif what == "lone head_start":
        s = _headed(t)
        del s["head_end"]
    elif what == "text differs":
        t["text"] = "X" + t["text"][1:]
    elif what.startswith("answer"):
        t["answer"] = json.loads(what.split(" ", 1)[1])
    return t


GOLD_FAULTS = [
    ("negative start", "start"),
    ("start > end", "start"),
    ("end beyond text", "end"),
    ("head outside span", "head_start"),
    ("lone head_start", "head"),
    ("text differs", "text"),
    ('answer "maybe"', "answer"),
    ("answer null", "answer"),
    ('answer ["accept"]', "answer"),
]


@pytest.mark.parametrize(("fault", "field"), GOLD_FAULTS)
def test_score_checks_its_gold(tmp_path, fault, field):
    gold = _write(tmp_path / "gold.jsonl", [_bad(_seed_task(), fault)])
    res = _score(GOLD, gold)
    assert res.exit_code == 1, (fault, res.output)
    assert "Traceback" not in res.output
    assert str(gold) in res.output and field in res.output, res.output


@pytest.mark.parametrize(
    "fault",
    ["negative start", "start > end", "end beyond text", "head outside span", "lone head_start"],
)
def test_predicted_spans_and_heads_are_checked(tmp_path, fault):
    pred = _write(tmp_path / "pred.jsonl", [_bad(_seed_task(), fault)])
    res = _score(pred)
    assert res.exit_code == 1, (fault, res.output)
    assert "Traceback" not in res.output and "pred.jsonl" in res.output


ATTR_FAULTS = [
    ("trigger", "realis", ["ACTUAL"]),
    ("trigger", "plover", {"type": "CONSULT"}),
    ("timex", "value", ["2021-12-01"]),
    ("timex", "type", None),
]


@pytest.mark.parametrize(("kind", "key", "value"), ATTR_FAULTS)
@pytest.mark.parametrize("command", ["stats", "agreement", "score"])
def test_attribute_values_a_layer_cannot_count_are_clear_errors(
    tmp_path, kind, key, value, command
):
    t = _seed_task()
    _first(t, kind)["attrs"][key] = value
    bad = _write(tmp_path / "bad.jsonl", [t])
    if command == "stats":
        res = CliRunner().invoke(app, ["stats", str(bad)])
    elif command == "agreement":
        res = CliRunner().invoke(app, ["agreement", str(GOLD), str(bad)])
    else:
        res = _score(GOLD, bad)
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    # a list or object is refused by the reader (JSON scalars only), another scalar type by
    # the border check (the schema's value type): either message names the field
    said = " ".join(res.output.split())
    assert f"attrs.{key}" in said, res.output
    assert "strings" in said or "expected a string, number, true/false or null" in said


@pytest.mark.parametrize("tag", ["B-", "-", "I-"])
def test_hf_pieces_with_an_empty_type_are_rejected_like_conll(tmp_path, tag):
    doc = next(json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines())
    i = doc["text"].index("Putin")
    line = {
        "doc_id": doc["meta"]["doc_id"],
        "entities": [{"entity": tag, "start": i, "end": i + 5, "index": 1, "score": 0.9}],
    }
    pred = _write(tmp_path / "pred.jsonl", [line])
    res = _score(pred, GOLD, "--format", "hf", "--allow-missing")
    assert res.exit_code == 1, res.output
    assert "not a tag" in res.output and "entities[0].entity" in res.output


def test_the_bundled_gold_passes_the_border_checks():
    from newsgold.corpus.annotations import load_annotations
    from newsgold.corpus.build import load_corpus
    from newsgold.corpus.check import check_annotations

    assert check_annotations(load_annotations(GOLD), load_corpus(CORPUS)) == []

"""Tests of newsgold.corpus.stats and `newsgold stats`."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.stats import (
    BREAKDOWNS,
    LAYERS,
    breakdown_counts,
    layer_counts,
    load_annotations,
    stats,
    stats_to_json,
)
from newsgold.errors import NewsgoldError
from newsgold.formats.prodigy import task_to_annotation

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Putin met Biden in Geneva today."


def _task() -> dict:
    """A small task: two people, a place, a timex, a value-free meeting with arguments."""
    trig = {
        "start": 6,
        "end": 9,
        "label": "Contact.Meet",
        "kind": "trigger",
        "id": "ev1",
        "cluster": "H1",
        "attrs": {"realis": "ACTUAL", "polarity": "POSITIVE", "plover": "CONSULT"},
    }
    putin = {
        "start": 0,
        "end": 5,
        "label": "PERSON",
        "kind": "entity",
        "id": "m1",
        "mention_type": "NAM",
        "cluster": "E1",
    }
    biden = {
        "start": 10,
        "end": 15,
        "label": "PERSON",
        "kind": "entity",
        "id": "m2",
        "mention_type": "NAM",
        "cluster": "E2",
    }
    geneva = {
        "start": 19,
        "end": 25,
        "label": "GPE",
        "kind": "entity",
        "id": "m3",
        "mention_type": "NAM",
        "cluster": "E3",
    }
    today = {
        "start": 26,
        "end": 31,
        "label": "DATE",
        "kind": "timex",
        "id": "m4",
        "cluster": "T1",
        "attrs": {"type": "DATE", "value": "2021-12-01"},
    }

    def rel(child: dict, label: str) -> dict:
        return {"head": 1, "child": 0, "head_span": trig, "child_span": child, "label": label}

    return {
        "text": TEXT,
        "spans": [putin, trig, biden, geneva, today],
        "relations": [
            rel(putin, "Entity"),
            rel(biden, "Entity"),
            rel(geneva, "Place"),
            rel(today, "Time"),
            rel(putin, "Actor"),
            rel(biden, "Actor"),
        ],
        "clusters": [
            {"id": "E1", "kind": "entity"},
            {"id": "E2", "kind": "entity"},
            {"id": "E3", "kind": "entity"},
            {"id": "T1", "kind": "entity"},
            {"id": "H1", "kind": "hopper"},
        ],
        "meta": {"doc_id": "d1"},
    }


def _layers(anns) -> dict[str, int]:
    return dict(zip(*(layer_counts(anns)[c] for c in ("layer", "count")), strict=True))


def test_layer_counts_of_a_small_task():
    got = _layers([task_to_annotation(_task())])
    assert got == {
        "documents": 1,
        "sentences": 0,
        "tokens": 0,
        "entity mentions": 3,
        "timexes": 1,
        "values": 0,
        "events": 1,
        "arguments": 6,
        "entity clusters": 3,
        "timex clusters": 1,
        "hoppers": 1,
    }
    assert list(layer_counts([]).layer) == list(LAYERS)


def test_breakdowns_of_a_small_task():
    j = stats_to_json(stats([task_to_annotation(_task())]))
    assert j["entity label"] == {"PERSON": 2, "GPE": 1}
    assert j["mention type"] == {"NAM": 3}
    assert j["timex type"] == {"DATE": 1}
    assert j["role"] == {"Actor": 2, "Entity": 2, "Place": 1, "Time": 1}
    assert j["realis"] == {"ACTUAL": 1}
    assert j["plover"] == {"CONSULT": 1}
    assert j["value label"] == {}
    assert set(j) == {"layers", *BREAKDOWNS}


def test_missing_plover_is_counted_as_none():
    task = _task()
    del task["spans"][1]["attrs"]["plover"]
    j = stats_to_json(stats([task_to_annotation(task)]))
    assert j["plover"] == {"(none)": 1}


def test_breakdown_rows_are_sorted_by_count_then_key():
    b = breakdown_counts([task_to_annotation(_task())])
    roles = b[b.breakdown == "role"]
    assert list(roles.key) == ["Actor", "Entity", "Place", "Time"]


LABELS = st.sampled_from(["PERSON", "GPE", "ORG", "NORP"])
KINDS = st.sampled_from(["entity", "timex", "value", "trigger"])


@st.composite
def tasks(draw) -> dict:
    """Random tasks whose spans are single characters of a long enough text."""
    n = draw(st.integers(0, 12))
    kinds = draw(st.lists(KINDS, min_size=n, max_size=n))
    spans = []
    for i, kind in enumerate(kinds):
        span = {"start": i, "end": i + 1, "kind": kind, "id": f"s{i}"}
        if kind == "entity":
            span |= {"label": draw(LABELS), "mention_type": draw(st.sampled_from(["NAM", "PRO"]))}
        elif kind == "timex":
            span |= {"label": "DATE", "attrs": {"type": "DATE", "value": "2021"}}
        elif kind == "value":
            span |= {"label": "CARDINAL"}
        else:
            span |= {"label": "THREATEN", "attrs": {"realis": "OTHER", "polarity": "POSITIVE"}}
        spans.append(span)
    return {"text": "x" * 20, "spans": spans, "meta": {"doc_id": "r"}}


@settings(max_examples=50, deadline=None)
@given(st.lists(tasks(), max_size=3))
def test_breakdowns_add_up_to_their_layer(raw):
    anns = [task_to_annotation(t) for t in raw]
    j = stats_to_json(stats(anns))
    layers = j["layers"]
    assert layers["documents"] == len(raw)
    assert sum(j["entity label"].values()) == layers["entity mentions"]
    assert sum(j["mention type"].values()) == layers["entity mentions"]
    assert sum(j["timex type"].values()) == layers["timexes"]
    assert sum(j["value label"].values()) == layers["values"]
    for name in ("event type", "realis", "polarity", "plover"):
        assert sum(j[name].values()) == layers["events"]
    assert sum(j["role"].values()) == layers["arguments"]


def test_load_annotations_names_every_bad_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    good = orjson.dumps(_task()).decode()
    p.write_text(good + "\n{not json\n" + json.dumps({"text": "x", "spans": 3}) + "\n")
    with pytest.raises(NewsgoldError) as info:
        load_annotations(p)
    lines = sorted(pr.line for pr in info.value.problems)
    assert lines == [2, 3]


def test_cli_json(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(orjson.dumps(_task()).decode() + "\n")
    result = CliRunner().invoke(app, ["stats", str(p), "--json"])
    assert result.exit_code == 0, result.output
    j = json.loads(result.output)
    assert j["layers"]["arguments"] == 6
    assert j["event type"] == {"Contact.Meet": 1}


def test_cli_tables_and_errors(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(orjson.dumps(_task()).decode() + "\n")
    result = CliRunner().invoke(app, ["stats", str(p)])
    assert result.exit_code == 0, result.output
    assert "entity clusters" in result.output and "Contact.Meet" in result.output
    missing = CliRunner().invoke(app, ["stats", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 1
    assert "Traceback" not in missing.output


def test_gold_stats_are_consistent():
    anns = load_annotations(ROOT / "annotations" / "gold.jsonl")
    j = stats_to_json(stats(anns))
    assert j["layers"]["documents"] == len(anns) >= 1
    assert j["layers"]["tokens"] == sum(len(a.document.tokens) for a in anns) > 0
    assert sum(j["role"].values()) == j["layers"]["arguments"]

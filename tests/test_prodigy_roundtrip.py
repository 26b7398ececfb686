"""Reading a Prodigy task and writing it back gives an equal JSON object."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.formats.prodigy import annotation_to_task, task_to_annotation

DATA = Path(__file__).resolve().parent / "data" / "prodigy"


def data_lines() -> list:
    out = []
    for path in sorted(DATA.glob("*.jsonl")):
        for n, line in enumerate(path.read_bytes().splitlines(), start=1):
            out.append(pytest.param(orjson.loads(line), id=f"{path.stem}:{n}"))
    return out


def round_trip(task: dict) -> dict:
    return annotation_to_task(task_to_annotation(copy.deepcopy(task)))


@pytest.mark.parametrize("task", data_lines())
def test_real_shapes_round_trip(task):
    back = round_trip(task)
    assert back == task
    assert list(back) == list(task)  # top-level key order kept


@pytest.mark.parametrize("task", data_lines())
def test_copied_annotation_round_trips(task):
    ann = task_to_annotation(task)
    assert annotation_to_task(copy.deepcopy(ann)) == task
    assert annotation_to_task(pickle.loads(pickle.dumps(ann))) == task


def first(name: str) -> dict:
    return orjson.loads((DATA / name).read_bytes().splitlines()[0])


def test_ner_manual_is_read_as_entities():
    ann = task_to_annotation(first("ner_manual.jsonl"))
    assert [(m.label, ann.document.text[m.start : m.end]) for m in ann.mentions] == [
        ("NORP", "Russian"),
        ("PERSON", "Putin"),
        ("ORG", "NATO"),
    ]
    assert ann.mentions[1].token_start == ann.mentions[1].token_end == 2
    assert ann.doc_id == "000_e2a7510a474f58d9"
    assert ann.task["_view_id"] == "ner_manual" and ann.task["answer"] == "accept"


def test_tokens_without_ws_stay_without():
    task = first("tokens_without_ws.jsonl")
    ann = task_to_annotation(task)
    assert all(t.ws is None for t in ann.document.tokens)
    back = annotation_to_task(ann)
    assert all("ws" not in t for t in back["tokens"])
    assert "token_start" not in back["spans"][0]


def test_rel_manual_relations_and_disabled_tokens():
    task = first("rel_manual.jsonl")
    ann = task_to_annotation(task)
    assert ann.events == []  # EVT_MEET is a plain span (no kind), yet relations resolve
    rels = [(r.head.label, r.label, r.child.label) for r in ann.relations]
    assert rels[0] == ("EVT_MEET", "Entity", "PERSON")
    assert all(r.extra == {"color": r.extra["color"]} for r in ann.relations)
    back = annotation_to_task(ann)
    assert [t.get("disabled", False) for t in back["tokens"]] == [
        t.get("disabled", False) for t in task["tokens"]
    ]
    assert sum(t.get("disabled", False) for t in back["tokens"]) == 5


def test_disagreeing_head_is_kept_on_round_trip():
    task = first("rel_manual.jsonl")
    task["relations"][0]["head"] = 0  # not the head span's token_end
    ann = task_to_annotation(task)
    assert ann.relations[0].extra["_head_given"] == 0
    assert annotation_to_task(ann) == task


def test_our_span_keys_and_extras_are_read():
    ann = task_to_annotation(first("spans_extra.jsonl"))
    putin, he, dialogue, countries, nato = ann.mentions
    assert putin.extra == {"kb_id": "Q7747", "color": "#aa9cfc"}
    assert he.extra == {"score": 0.91}
    assert dialogue.kind == "trigger" and dialogue.attrs["plover"] == "CONSULT"
    assert ann.document.text[countries.head_start : countries.head_end] == "countries"
    assert nato.cluster is None
    assert [r.child for r in ann.relations] == [he, countries]
    assert [(c.id, c.kind) for c in ann.clusters] == [
        ("E1", "entity"),
        ("E2", "entity"),
        ("H1", "hopper"),
    ]
    assert ann.clusters[0].attrs == {"qid": "Q7747", "name": "Vladimir Putin"}


def test_binary_textcat_has_no_spans():
    task = first("textcat_binary.jsonl")
    ann = task_to_annotation(task)
    assert ann.mentions == [] and ann.document.tokens == []
    assert ann.task["label"] == "CONFLICT"
    second = orjson.loads((DATA / "textcat_binary.jsonl").read_bytes().splitlines()[1])
    assert "spans" not in round_trip(second)


def test_a_change_is_written():
    task = first("ner_manual.jsonl")
    ann = task_to_annotation(task)
    ann.mentions[0].label = "GPE"
    assert annotation_to_task(ann)["spans"][0]["label"] == "GPE"


# --- property: random valid tasks -----------------------------------------------------

_scalar = st.none() | st.booleans() | st.integers(-(2**31), 2**31) | st.text(max_size=5)
_json = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
_word = st.text(alphabet="abcXYZ’é-", min_size=1, max_size=5)
_SPAN_EXTRA = ("kb_id", "color", "score", "source", "type")
_TOP_OWNED = ("text", "tokens", "spans", "relations", "meta", "clusters", "sentences", "paragraphs")


@st.composite
def tasks(draw) -> dict:
    words = draw(st.lists(_word, min_size=1, max_size=10))
    spaces = draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    with_ws = draw(st.booleans())
    tokens, text = [], ""
    for i, (w, sp) in enumerate(zip(words, spaces, strict=True)):
        tok = {"text": w, "start": len(text), "end": len(text) + len(w), "id": i}
        if with_ws:
            tok["ws"] = sp
        if draw(st.booleans()) and draw(st.booleans()):
            tok["disabled"] = True
        tokens.append(tok)
        text += w + (" " if sp else "")

    bounds = st.tuples(st.integers(0, len(words) - 1), st.integers(0, len(words) - 1)).map(sorted)
    labelled = st.tuples(bounds, st.sampled_from(["PERSON", "ORG", "Contact.Meet", "DATE"]))
    picks = draw(st.lists(labelled, max_size=6, unique_by=lambda x: (tuple(x[0]), x[1])))
    spans = []
    for k, ((i, j), label) in enumerate(picks):
        s = {"start": tokens[i]["start"], "end": tokens[j]["end"]}
        if draw(st.booleans()):
            s["token_start"], s["token_end"] = i, j
        s["label"] = label
        if draw(st.booleans()):
            s["id"] = f"s{k}"
        for key, value in (
            ("text", text[s["start"] : s["end"]]),
            ("kind", draw(st.sampled_from(["entity", "trigger", "timex", "value"]))),
            ("mention_type", draw(st.sampled_from(["NAM", "NOM", "PRO"]))),
            ("cluster", draw(st.sampled_from(["E1", "E2", "H1"]))),
            # attribute values are JSON scalars (a list or object is an error naming its field)
            ("attrs", draw(st.dictionaries(st.sampled_from(["realis", "type", "value"]), _scalar))),
        ):
            choice = draw(st.integers(0, 3))
            if choice == 1:
                s[key] = value
            elif choice == 2 and key != "kind":
                s[key] = None if key != "attrs" else {}
        if draw(st.booleans()):
            s["head_start"], s["head_end"] = s["start"], s["end"]
        for key in draw(st.lists(st.sampled_from(_SPAN_EXTRA), unique=True, max_size=2)):
            s[key] = draw(_json)
        spans.append(s)

    task: dict = {"text": text}
    if draw(st.booleans()):
        task["tokens"] = tokens
    if spans or draw(st.booleans()):
        task["spans"] = spans
    if spans and draw(st.booleans()):
        rels = []
        for h, c in draw(
            st.lists(st.tuples(st.sampled_from(spans), st.sampled_from(spans)), max_size=4)
        ):
            core = ("start", "end", "token_start", "token_end", "label")
            rel = {
                "head": h.get("token_end", draw(st.integers(0, 9))),
                "child": c.get("token_end", draw(st.integers(0, 9))),
                "head_span": {k: h[k] for k in core if k in h},
                "child_span": {k: c[k] for k in core if k in c},
                "label": draw(st.sampled_from(["Entity", "Place", "Time"])),
            }
            if "id" in h and draw(st.booleans()):
                rel["head_span"]["id"] = h["id"]
            if draw(st.booleans()):
                rel["color"] = draw(_json)
            rels.append(rel)
        task["relations"] = rels
    if draw(st.booleans()):
        task["meta"] = draw(
            st.dictionaries(st.sampled_from(["doc_id", "source", "sent_idx"]), _json)
        )
    if draw(st.booleans()):
        task["clusters"] = [
            {
                "id": cid,
                "kind": kind,
                **draw(st.dictionaries(st.sampled_from(["qid", "name"]), _json)),
            }
            for cid, kind in draw(
                st.lists(st.sampled_from([("E1", "entity"), ("H1", "hopper")]), unique=True)
            )
        ]
    task["_input_hash"] = draw(st.integers(-(2**31), 2**31 - 1))
    task["_task_hash"] = draw(st.integers(-(2**31), 2**31 - 1))
    unknown = st.text(min_size=1, max_size=8).filter(
        lambda k: k not in _TOP_OWNED and k not in task
    )
    task.update(draw(st.dictionaries(unknown, _json, max_size=3)))
    for key in ("answer", "_view_id", "_timestamp", "_annotator_id", "_session_id"):
        if draw(st.booleans()):
            task[key] = draw(_json)
    order = draw(st.permutations(list(task)))
    return {k: task[k] for k in order}


@settings(max_examples=300, deadline=None)
@given(tasks())
def test_random_tasks_round_trip(task):
    back = round_trip(task)
    assert back == task
    assert list(back) == list(task)

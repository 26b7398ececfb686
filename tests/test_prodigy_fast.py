"""The fast Prodigy reader and border checks give exactly what the previous implementation
gave (``tests/oracles/prodigy_v1.py`` and ``check_v1.py``, copied before the rewrite): the
same Annotation (spans, relations pointing at the same span objects, clusters, kept task
keys), or the same error with the same problems (message, field), on random valid tasks
and on the same tasks with random values put anywhere in them."""

from __future__ import annotations

import copy
import pickle
from dataclasses import fields
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from oracles import check_v1, prodigy_v1

from newsgold.corpus import check
from newsgold.errors import NewsgoldError
from newsgold.formats import prodigy, prodigy_plans, prodigy_spans
from newsgold.model import Annotation, Document, Mention

LABELS = st.sampled_from(["PER", "ORG", "Conflict.Attack", "DATE"])
SMALL = st.integers(-2, 24)
ODD_INTS = st.sampled_from([2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 10**30])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    SMALL,
    ODD_INTS,
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet="abPER.", max_size=4),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)
ATTR_NAMES = st.sampled_from(["realis", "polarity", "type", "value", "attribution", "score"])
UNKNOWN = st.sampled_from(["source", "_x", "score", "input_hash"])


def maybe(draw, value_strategy, absent=0.3, null=0.15):
    """Absent (the sentinel), null, or a drawn value."""
    r = draw(st.floats(0, 1))
    if r < absent:
        return _ABSENT
    if r < absent + null:
        return None
    return draw(value_strategy)


_ABSENT = object()


def shuffled(draw, d: dict) -> dict:
    keys = draw(st.permutations(list(d)))
    return {k: d[k] for k in keys}


@st.composite
def span(draw) -> dict:
    start = draw(st.integers(0, 12))
    d: dict[str, Any] = {
        "start": start,
        "end": start + draw(st.integers(0, 4)),
        "label": draw(LABELS),
    }
    for key in ("token_start", "token_end", "head_start", "head_end"):
        v = maybe(draw, SMALL, absent=0.6)
        if v is not _ABSENT:
            d[key] = v
    for key, values in (
        ("text", st.text(max_size=3)),
        ("id", st.sampled_from(["T1", "T2", "T3"])),
        ("kind", st.sampled_from(["entity", "trigger", "timex"])),
        ("mention_type", st.sampled_from(["NAM", "NOM"])),
        ("cluster", st.sampled_from(["E1", "H1"])),
    ):
        v = maybe(draw, values, absent=0.5)
        if v is not _ABSENT:
            d[key] = v
    if draw(st.booleans()):
        d["attrs"] = draw(st.dictionaries(ATTR_NAMES, SCALARS, max_size=3))
    for key in draw(st.lists(UNKNOWN, max_size=2, unique=True)):
        d[key] = draw(JSON)
    return shuffled(draw, d)


@st.composite
def endpoint(draw, spans: list[dict]) -> dict:
    if spans and draw(st.floats(0, 1)) < 0.85:
        s = draw(st.sampled_from(spans))
        ref = {"start": s["start"], "end": s["end"]}
        how = draw(st.sampled_from(["label", "label", "no label", "wrong label", "id"]))
        if how == "label":
            ref["label"] = s["label"]
        elif how == "wrong label":
            ref["label"] = draw(LABELS)
        elif how == "id":
            ref["id"] = s.get("id", draw(st.sampled_from(["T1", "T9"])))
            ref["label"] = s["label"]
        for key in ("token_start", "token_end"):
            if key in s and draw(st.booleans()):
                ref[key] = s[key]
    else:
        ref = {"start": draw(SMALL), "end": draw(SMALL), "label": draw(LABELS)}
    if draw(st.floats(0, 1)) < 0.2:
        ref[draw(UNKNOWN)] = draw(JSON)
    return shuffled(draw, ref)


@st.composite
def relation(draw, spans: list[dict]) -> dict:
    head, child = draw(endpoint(spans)), draw(endpoint(spans))
    r: dict[str, Any] = {}
    for end, ref in (("head", head), ("child", child)):
        how = draw(st.sampled_from(["token_end", "token_end", "none", "other", "absent"]))
        if how == "token_end":
            r[end] = ref.get("token_end")
        elif how == "none":
            r[end] = None
        elif how == "other":
            r[end] = draw(SMALL)
    r.update(
        {
            "head_span": head,
            "child_span": child,
            "label": draw(st.sampled_from(["Attacker", "Place"])),
        }
    )
    if draw(st.floats(0, 1)) < 0.2:
        r[draw(UNKNOWN)] = draw(JSON)
    return shuffled(draw, r)


@st.composite
def token_list(draw) -> list[dict]:
    out, pos = [], 0
    for i in range(draw(st.integers(0, 5))):
        t: dict[str, Any] = {"text": "ab", "start": pos, "end": pos + 2}
        if draw(st.floats(0, 1)) < 0.8:
            t["id"] = i
        ws = maybe(draw, st.booleans(), absent=0.4, null=0.1)
        if ws is not _ABSENT:
            t["ws"] = ws
        if draw(st.floats(0, 1)) < 0.2:
            t["disabled"] = True
        out.append(shuffled(draw, t))
        pos += 3
    return out


@st.composite
def segment_list(draw) -> list[dict]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        s = {
            "start": draw(SMALL),
            "end": draw(SMALL),
            "token_start": draw(SMALL),
            "token_end": draw(SMALL),
        }
        if draw(st.floats(0, 1)) < 0.3:
            s["heading"] = draw(st.sampled_from([True, False, 0, 1, "yes"]))
        out.append(s)
    return out


@st.composite
def valid_task(draw) -> dict:
    spans = draw(st.lists(span(), max_size=6))
    task: dict[str, Any] = {"text": draw(st.text(alphabet="ab .", max_size=20))}
    if draw(st.booleans()):
        task["tokens"] = draw(token_list())
    for key in ("sentences", "paragraphs"):
        if draw(st.floats(0, 1)) < 0.4:
            task[key] = draw(segment_list())
    if draw(st.floats(0, 1)) < 0.9:
        task["spans"] = spans
    if spans and draw(st.floats(0, 1)) < 0.8:
        task["relations"] = draw(st.lists(relation(spans), max_size=5))
    if draw(st.floats(0, 1)) < 0.3:
        task["clusters"] = [
            {"id": c, "kind": "entity", "name": "x"}
            for c in draw(st.lists(st.sampled_from(["E1", "H1"]), max_size=2))
        ]
    meta = maybe(
        draw, st.fixed_dictionaries({"doc_id": st.sampled_from(["d1", 7])}), absent=0.2, null=0
    )
    if meta is not _ABSENT:
        task["meta"] = meta
    for key in draw(
        st.lists(st.sampled_from(["answer", "_input_hash", "_view_id", "_task_hash"]), unique=True)
    ):
        task[key] = draw(st.sampled_from(["accept", 12345, -7]))
    return shuffled(draw, task)


def _places(obj: Any, out: list) -> list:
    """Every (container, key) in a JSON value: where a random value can be put."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.append((obj, k))
            _places(v, out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.append((obj, i))
            _places(v, out)
    return out


@st.composite
def broken_task(draw) -> dict:
    """A valid task with one to three values replaced by random JSON (or keys deleted)."""
    task = draw(valid_task())
    for _ in range(draw(st.integers(1, 3))):
        places = _places(task, [])
        if not places:
            break
        container, key = draw(st.sampled_from(places))
        if isinstance(container, dict) and draw(st.floats(0, 1)) < 0.25:
            del container[key]
        else:
            container[key] = draw(JSON | ODD_INTS)
    return task


def _task_keys(task: dict, oracle: bool) -> dict:
    """Annotation.task with the module's own markers named, so two modules compare."""
    mod = prodigy_v1 if oracle else prodigy
    out = {}
    for k, v in task.items():
        if v is mod._PLACEHOLDER:
            out[k] = "<owned>"
        elif isinstance(v, mod._TokenKeys):
            out[k] = ("<token keys>", v.extras, v.no_id)
        else:
            assert not isinstance(
                v, prodigy_v1._Owned | prodigy._Owned | prodigy_v1._TokenKeys | prodigy._TokenKeys
            )
            out[k] = v
    return out


def outcome(read, task: Any, oracle: bool) -> tuple:
    given = copy.deepcopy(task)
    try:
        ann = read(given)
    except NewsgoldError as exc:
        return ("error", type(exc).__name__, exc.problems)
    except Exception as exc:  # noqa: BLE001  (whatever the oracle does, the new code must too)
        return ("crash", type(exc).__name__, str(exc))
    assert given == task  # the input is not changed
    positions = {id(m): i for i, m in enumerate(ann.mentions)}
    assert len({id(m.extra) for m in ann.mentions}) == len(ann.mentions)  # nothing shared
    return (
        "ok",
        ann.document,
        ann.mentions,
        ann.relations,
        [(positions.get(id(r.head)), positions.get(id(r.child))) for r in ann.relations],
        ann.clusters,
        _task_keys(ann.task, oracle),
        ann,
    )


def assert_same(task: Any) -> tuple:
    old = outcome(prodigy_v1.task_to_annotation, task, True)
    new = outcome(prodigy.task_to_annotation, task, False)
    if new[0] != "ok" or old[0] != "ok":
        assert new == old
        return new
    assert new[:-1] == old[:-1]
    assert all(None not in pair for pair in new[4])  # endpoints are spans of the task
    back_old, back_new = prodigy_v1.annotation_to_task(old[-1]), prodigy.annotation_to_task(new[-1])
    assert back_new == back_old
    assert list(back_new) == list(back_old)
    return new


FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(valid_task())
def test_valid_tasks_read_as_before(task):
    assert_same(task)


@FAST
@given(broken_task())
def test_broken_tasks_fail_or_read_as_before(task):
    assert_same(task)


@st.composite
def broken_span(draw) -> dict:
    s = draw(span())
    key = draw(st.sampled_from([*prodigy._SPAN_KEYS, "extra"]))
    s[key] = draw(JSON | ODD_INTS)
    return s


@FAST
@given(span() | broken_span())
def test_fast_span_is_none_or_what_the_checked_reader_gives(s):
    """Both fast paths (compiled plan, generic) give the checked reader's Mention or
    nothing; never something else, never an error of their own."""
    try:
        want = prodigy_v1.span_from_json(copy.deepcopy(s), "spans[0]")
    except NewsgoldError:
        want = None
    for got in (prodigy_spans._span_fast(s), prodigy_spans._span_generic(s)):
        assert got is None or got == want
        if got is not None:
            assert got.attrs is not s.get("attrs")


def test_plain_spans_take_the_fast_path():
    for s in (
        {"start": 0, "end": 5, "label": "PER"},
        {"start": 0, "end": 5, "token_start": 0, "token_end": 0, "label": "PER"},
        {"start": 0, "end": 5, "label": "PER", "kind": "entity", "cluster": "E1"},
        {"start": 0, "end": 5, "label": "X", "kind": "trigger", "attrs": {"realis": "ACTUAL"}},
        {"start": 0, "end": 5, "label": "PER", "id": None, "attrs": {}, "score": 0.5},
    ):
        assert prodigy_spans._span_fast(s) is not None
        assert prodigy_spans._span_generic(s) is not None
        assert prodigy_spans._span_fast(s) == prodigy_v1.span_from_json(s, "f")


@pytest.mark.parametrize("max_plans", [0, 2, prodigy_plans.MAX_PLANS])
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task=valid_task())
def test_tasks_read_as_before_with_any_number_of_compiled_plans(max_plans, task):
    saved = prodigy_plans.MAX_PLANS, dict(prodigy_plans._PLANS)
    prodigy_plans.MAX_PLANS = max_plans
    prodigy_plans._PLANS.clear()
    try:
        assert_same(task)
    finally:
        prodigy_plans.MAX_PLANS = saved[0]
        prodigy_plans._PLANS.clear()
        prodigy_plans._PLANS.update(saved[1])


@pytest.mark.parametrize(
    "task",
    [
        [],
        "text",
        None,
        {"text": 3},
        {"text": "ab", "meta": []},
        {"text": "ab", "spans": {}},
        {"text": "ab", "spans": [{"start": True, "end": 2, "label": "PER"}]},
        {"text": "ab", "spans": [{"start": 0, "end": 2**63, "label": "PER"}]},
        {"text": "ab", "spans": [{"start": 0, "end": 2, "label": "PER", "attrs": None}]},
        {"text": "ab", "spans": [{"start": 0, "end": 2, "label": "PER", "attrs": {"a": [1]}}]},
        {"text": "ab", "spans": [{"start": 0, "end": 2, "label": "PER", "kind": None}]},
        {"text": "ab", "spans": [{"start": 0, "end": 2, "label": "PER", "attrs": {}, "id": None}]},
        {"text": "ab", "tokens": [{"text": "ab", "start": 0, "end": 2, "ws": 1}]},
        {"text": "ab", "tokens": [{"text": "ab", "start": 0, "end": 2, "id": 2**64}]},
        {"text": "ab", "sentences": [{"start": 0, "end": 2, "token_start": 0, "token_end": None}]},
        {
            "text": "ab",
            "spans": [
                {"start": 0, "end": 2, "label": "PER"},
                {"start": 0, "end": 2, "label": "ORG"},
            ],
            "relations": [
                {
                    "head_span": {"start": 0, "end": 2},
                    "child_span": {"start": 0, "end": 2, "label": "ORG"},
                    "label": "x",
                }
            ],
        },
        {
            "text": "ab",
            "spans": [{"start": 0, "end": 2, "label": "PER", "id": "T1"}],
            "relations": [
                {
                    "head_span": {"start": 5, "end": 6, "id": "T1"},
                    "child_span": {"start": [0], "end": 2},
                    "label": "x",
                }
            ],
        },
        {
            "text": "ab",
            "spans": [{"start": 0, "end": 2, "label": "PER"}],
            "relations": [
                {
                    "head_span": {"start": 0, "end": 2, "label": "PER"},
                    "child_span": "x",
                    "label": "r",
                }
            ],
        },
    ],
)
def test_edge_cases_as_before(task):
    assert_same(task)


def test_duplicate_spans_resolve_to_the_first_as_before():
    s = {"start": 0, "end": 2, "label": "PER"}
    ref = {"start": 0, "end": 2, "label": "PER"}
    task = {
        "text": "ab",
        "spans": [dict(s), dict(s)],
        "relations": [{"head_span": ref, "child_span": ref, "label": "r"}],
    }
    new = assert_same(task)
    assert new[4] == [(0, 0)]


@st.composite
def loose_mention(draw) -> Mention:
    """A Mention as any reader may build it: offsets anywhere, heads half given, attribute
    values of any JSON type."""
    start = draw(st.integers(-3, 25))
    return Mention(
        start,
        start + draw(st.integers(-2, 6)),
        draw(LABELS),
        head_start=draw(st.none() | st.integers(-2, 30)),
        head_end=draw(st.none() | st.integers(-2, 30)),
        attrs=draw(st.dictionaries(ATTR_NAMES, JSON, max_size=3)),
    )


@FAST
@given(
    st.lists(loose_mention(), max_size=6),
    st.text(alphabet="ab", max_size=20),
    st.sampled_from(["spans", "x"]),
)
def test_check_annotation_as_before(mentions, text, field):
    ann = Annotation(Document("d", text), mentions)
    got = check.check_annotation(ann, file="f.jsonl", line=3, spans_field=field)
    assert got == check_v1.check_annotation(ann, file="f.jsonl", line=3, spans_field=field)


@FAST
@given(valid_task(), st.booleans())
def test_check_annotations_as_before(task, corpus_differs):
    try:  # valid_task may point a relation at no span
        ann = prodigy.task_to_annotation(copy.deepcopy(task))
    except NewsgoldError:
        assume(False)
    corpus = {ann.doc_id: Document(ann.doc_id, ann.document.text + ("x" if corpus_differs else ""))}
    anns = {ann.doc_id: ann}
    assert check.check_annotations(anns, corpus, file="g") == check_v1.check_annotations(
        anns, corpus, file="g"
    )


@FAST
@given(st.lists(span(), min_size=1, max_size=5), st.data())
def test_resolve_endpoint_with_and_without_index_as_before(spans, data):
    try:
        mentions = [prodigy_v1.span_from_json(s, f"spans[{i}]") for i, s in enumerate(spans)]
    except NewsgoldError:
        assume(False)
    assert [prodigy.span_from_json(s, f"spans[{i}]") for i, s in enumerate(spans)] == mentions
    ref = data.draw(endpoint(spans) | JSON)
    index = data.draw(st.sampled_from([None, "new"]))
    results = []
    for mod in (prodigy_v1, prodigy):
        idx = mod.SpanIndex(mentions) if index else None
        try:
            found = mod.resolve_endpoint(ref, mentions, "relations[0].head_span", idx)
            results.append(("ok", next(i for i, m in enumerate(mentions) if m is found)))
        except NewsgoldError as exc:
            results.append(("error", exc.problems))
    assert results[0] == results[1]


def test_every_name_is_still_importable_from_prodigy():
    """Every name the module defined (public or private) is still there, the same kind of
    object; names it only imported (the model's classes, errors) are not its to keep."""
    import newsgold.errors
    import newsgold.model

    borrowed = set(vars(newsgold.model)) | set(vars(newsgold.errors)) | {"hashlib", "annotations"}
    names = [n for n in vars(prodigy_v1) if not n.startswith("__") and n not in borrowed]
    assert len(names) > 30
    missing = [n for n in names if not hasattr(prodigy, n)]
    assert missing == [], missing
    for n in names:
        new, old = getattr(prodigy, n), getattr(prodigy_v1, n)
        assert type(new).__name__ == type(old).__name__, n
        if isinstance(old, str | tuple):
            assert new == old, n


def test_pickled_annotation_keeps_the_placeholder():
    ann = prodigy.task_to_annotation({"text": "ab", "spans": [], "answer": "accept"})
    back = pickle.loads(pickle.dumps(ann))
    assert back.task["spans"] is prodigy._PLACEHOLDER
    assert prodigy.annotation_to_task(back) == prodigy.annotation_to_task(ann)


def test_mention_fields_are_in_the_order_the_fast_path_builds_them():
    from newsgold.formats.prodigy_spans import _MENTION_FIELDS

    assert tuple(f.name for f in fields(Mention)) == _MENTION_FIELDS


def test_gc_paused_switches_the_collector_back_on_only_if_it_was_on():
    import gc

    from newsgold.formats.jsonl import gc_paused

    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            pass
        assert not gc.isenabled()  # nested: still paused
        raise ValueError
    assert gc.isenabled()  # back on after an error
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # was off: stays off
    finally:
        gc.enable()


def test_loaders_leave_the_collector_on(tmp_path):
    import gc

    from newsgold.corpus.annotations import load_annotations

    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "ab", "spans": [{"start": 0, "end": 9, "label": "PER"}]}\n')
    with pytest.raises(NewsgoldError, match="not a span of the text"):
        load_annotations(path)
    assert gc.isenabled()
    path.write_text('{"text": "ab", "spans": [{"start": 0, "end": 2, "label": "PER"}]}\n')
    assert len(load_annotations(path)) == 1
    assert gc.isenabled()

"""``newsgold score`` on events: layers, presets, outputs, bad input; the layer interface."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.annotations import load_annotations
from newsgold.event_checks import check_event_tasks
from newsgold.event_scoring import EventOptions, score_events
from newsgold.formats.jsonl import write_jsonl
from newsgold.formats.prodigy import annotation_to_task
from newsgold.layers import layers_present, map_documents, sum_counts
from newsgold.metrics.events import NUGGET_ATTRS, nugget_alignments
from newsgold.model import Relation

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "annotations" / "gold.jsonl"
CORPUS = ROOT / "corpus" / "documents.jsonl"
NAMES = ("Trig-I", "Trig-C", "Arg-I", "Arg-C", "Arg-I+", "Arg-C+")


def _degraded():
    """The gold with every third argument dropped and one role changed."""
    anns = copy.deepcopy(load_annotations(GOLD))
    for a in anns.values():
        a.relations = [r for i, r in enumerate(a.relations) if i % 3]
        ere = next(r for r in a.relations if r.label == "Entity")
        ere.label = "Audience" if ere.head.label == "Contact.Broadcast" else "Place"
    return anns


@pytest.fixture()
def pred_file(tmp_path):
    path = tmp_path / "pred.jsonl"
    write_jsonl(path, [annotation_to_task(a) for a in _degraded().values()])
    return path


def _run(*args):
    return CliRunner().invoke(
        app, ["score", *map(str, args), "--gold", str(GOLD), "--corpus", str(CORPUS)]
    )


def test_json_holds_every_metric_of_every_layer(pred_file):
    res = _run(pred_file, "--json", "--bootstrap", "30")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert "modes" in data  # the entity result's keys are unchanged
    assert set(data["layers"]) == {"entities", "events", "plover"}
    for layer in ("events", "plover"):
        metrics = data["layers"][layer]["metrics"]
        for name in NAMES:
            for level in ("exact", "head", "overlap", "coref"):
                cell = metrics[name][level]
                assert {"tp", "n_gold", "n_pred", "precision", "recall", "f1", "interval"} <= set(
                    cell
                )
        assert metrics["Arg-C"]["exact"]["n_gold"] > metrics["Arg-C"]["exact"]["tp"]
    errs = data["layers"]["events"]["argument_errors"]
    assert sum(errs["total"]["missed"].values()) == (
        data["layers"]["events"]["metrics"]["Event-Arg-C"]["exact"]["n_gold"]
        - data["layers"]["events"]["metrics"]["Event-Arg-C"]["exact"]["tp"]
    )


def test_layers_and_preset_choose_what_is_scored(pred_file):
    res = _run(pred_file, "--json", "--bootstrap", "0", "--layers", "events", "--preset", "textee")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data["layers"]) == {"events"} and "modes" not in data
    ev = data["layers"]["events"]
    assert ev["preset"] == "textee"
    assert set(ev["metrics"]) == set(NAMES)
    assert set(ev["metrics"]["Arg-C"]) == {"exact"}


@pytest.mark.parametrize("preset", ["textee", "oneie"])
def test_preset_terminal_tables(pred_file, preset):
    res = _run(pred_file, "--bootstrap", "0", "--preset", preset, "--markdown")
    assert res.exit_code == 0, res.output
    res = _run(pred_file, "--bootstrap", "0", "--preset", preset)
    assert res.exit_code == 0, res.output
    assert f"({preset} preset" in res.stdout


def test_entity_only_request_keeps_the_entity_output(pred_file):
    res = _run(pred_file, "--json", "--bootstrap", "0", "--layers", "entities")
    assert res.exit_code == 0, res.output
    assert "layers" not in json.loads(res.stdout)


def test_terminal_errors_and_html(pred_file, tmp_path):
    errors, html = tmp_path / "errors.jsonl", tmp_path / "report.html"
    res = _run(pred_file, "--bootstrap", "0", "--errors", errors, "--html", html)
    assert res.exit_code == 0, res.output
    assert "Event-Arg-C" in res.stdout and "why arguments were lost" in res.stdout
    rows = [json.loads(line) for line in errors.read_text().splitlines()]
    event_rows = [r for r in rows if r.get("layer") == "events"]
    assert event_rows and all(
        r["cause"] and r["outcome"] in ("missed", "spurious") for r in event_rows
    )
    page = html.read_text()
    assert 'id="layer-events"' in page and 'id="argument-errors-events"' in page
    assert 'id="argument-errors-by-document-events"' in page


def test_html_escapes_event_text(tmp_path):
    from newsgold.report.html import render_event_page

    anns = _degraded()
    doc = next(iter(anns.values()))
    doc.document.text = doc.document.text[:0] + "<b>" + doc.document.text[3:]
    gold = load_annotations(GOLD)
    r = score_events(gold, anns, EventOptions(n_resamples=0, error_rows=True))
    for res in r.values():
        for row in res.error_rows:
            row["argument"]["text"] = "<script>x</script>"
    page = render_event_page(list(r.values()))
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_argument_on_a_non_trigger_is_an_error_naming_line_and_field(tmp_path):
    anns = load_annotations(GOLD)
    a = next(iter(anns.values()))
    ents = [m for m in a.mentions if m.kind == "entity"]
    a.relations.append(Relation(ents[0], ents[1], "Agent"))
    task = annotation_to_task(a)
    task["spans"][0]["cluster"] = "NOPE"
    path = tmp_path / "bad.jsonl"
    write_jsonl(path, [task])
    problems = check_event_tasks(path)
    fields = {p.field for p in problems}
    assert f"relations[{len(task['relations']) - 1}].head_span" in fields
    assert "spans[0].cluster" in fields
    assert all(p.line == 1 and p.file == str(path) for p in problems)
    res = _run(path, "--bootstrap", "0")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "bad.jsonl:1" in res.output


def test_unknown_role_is_an_error_with_its_count_unless_allowed(tmp_path):
    anns = copy.deepcopy(load_annotations(GOLD))
    for a in anns.values():
        for r in a.relations:
            if r.label == "Entity":
                r.label = "Talker"
    path = tmp_path / "odd.jsonl"
    write_jsonl(path, [annotation_to_task(a) for a in anns.values()])
    res = _run(path, "--bootstrap", "0", "--layers", "events")
    assert res.exit_code == 1
    assert "Talker" in res.output and "x;" in res.output and "odd.jsonl" in res.output
    res = _run(path, "--bootstrap", "0", "--layers", "events", "--allow-unknown", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)["layers"]["events"]
    assert sum(data["unknown"]["roles"].values()) == 13
    assert data["metrics"]["Arg-C"]["exact"]["tp"] < data["metrics"]["Arg-I"]["exact"]["tp"]


def test_content_view(pred_file):
    res = _run(
        pred_file, "--json", "--bootstrap", "0", "--layers", "events", "--event-view", "content"
    )
    assert res.exit_code == 0, res.output
    res_bad = _run(pred_file, "--bootstrap", "0", "--layers", "events", "--event-view", "nope")
    assert res_bad.exit_code == 1


# --- the layer interface ------------------------------------------------------------------


def test_map_then_sum_is_the_score():
    gold, pred = load_annotations(GOLD), _degraded()
    assert layers_present(pred) == ["entities", "events", "plover"]
    opts = EventOptions(n_resamples=0, units="sentence")
    whole = score_events(gold, pred, opts)
    for layer in ("events", "plover"):
        total = sum_counts(list(map_documents(layer, gold, pred, opts)))
        for metric, levels in whole[layer].counts.items():
            for level, c in levels.items():
                assert (total.counts[metric][level].data == c.data).all(), (layer, metric)
    ent = sum_counts(list(map_documents("entities", gold, pred)))
    assert "strict" in ent.counts


# --- EvmEval's greedy nugget mapping, as scorer_v1.8.py computes it (get_tp_greedy) --------


def evmeval_tp(gold, system, attrs):
    """hunterhector/EvmEval @fee82f2 ``scorer_v1.8.py``: heap of (-dice, sys, gold); each
    attribute combination builds its own mapping in the same pass."""
    import heapq

    heap = []
    for si, (ss, se, _) in enumerate(system):
        for gi, (gs, ge, _) in enumerate(gold):
            inter = len(set(range(gs, ge)) & set(range(ss, se)))
            dice = 2.0 * inter / ((ge - gs) + (se - ss))
            if dice > 0:
                heapq.heappush(heap, (-dice, si, gi))
    tp = {name: 0.0 for name in attrs}
    mapped = {name: (set(), set()) for name in attrs}
    while heap:
        neg, si, gi = heapq.heappop(heap)
        for name, keys in attrs.items():
            ms, mg = mapped[name]
            ok = all(gold[gi][2][k] is None or gold[gi][2][k] == system[si][2][k] for k in keys)
            if si not in ms and gi not in mg and ok:
                tp[name] += -neg
                ms.add(si)
                mg.add(gi)
    return tp


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**9))
def test_greedy_nuggets_equal_evmeval(seed):
    from newsgold.metrics.event_items import HeadRule, RoleSchemes, Vocab, build_side
    from newsgold.model import Annotation, Document, Mention
    from newsgold.schema import load_schema

    rng = random.Random(seed)
    doc = Document("d", "x" * 60)
    types = ("Contact.Meet", "Conflict.Attack")

    def triggers(n):
        out = []
        for _ in range(n):
            s = rng.randrange(50)
            attrs = {"realis": rng.choice(("ACTUAL", "OTHER", None)), "polarity": "POSITIVE"}
            out.append((s, s + rng.randrange(1, 8), {"type": rng.choice(types), **attrs}))
        return out

    g, p = triggers(rng.randrange(6)), triggers(rng.randrange(6))

    def side(items):
        ms = [
            Mention(
                s,
                e,
                a["type"],
                kind="trigger",
                attrs={k: v for k, v in a.items() if k != "type" and v},
            )
            for s, e, a in items
        ]
        rs = RoleSchemes.from_schema(load_schema())
        import numpy as np

        return build_side(
            [Annotation(doc, ms)],
            [doc],
            [np.array([0])],
            [0],
            False,
            "ere",
            schemes=rs,
            view="ere",
            heads=HeadRule(),
            types=Vocab(types),
            roles=Vocab(),
            attrs=vocab,
        )

    vocab = Vocab()
    gs, ps = side(g), side(p)
    ours = nugget_alignments(gs, ps, greedy=True)

    # our rows are in canonical order; EvmEval's tie-break is by index, so compare on the
    # canonical order on both sides
    def order(items):
        def key(x):
            attrs = tuple(sorted((k, str(v)) for k, v in x[2].items() if k != "type" and v))
            return (x[0], x[1], x[2]["type"], attrs)

        return sorted(items, key=key)

    ref = evmeval_tp(order(g), order(p), {k: v for k, v in NUGGET_ATTRS.items()})
    for name in NUGGET_ATTRS:
        al = ours[name]
        assert sum(al.score[al.chosen]) == pytest.approx(ref[name]), name


def test_compare_event_metrics(pred_file):
    res = CliRunner().invoke(
        app,
        [
            "compare",
            str(pred_file),
            str(GOLD),
            "--gold",
            str(GOLD),
            "--corpus",
            str(CORPUS),
            "--layers",
            "events",
            "--json",
            "--resamples",
            "200",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["layers"]["events"]["rows"]
    arg_c = next(r for r in rows if r["metric"] == "Arg-C" and r["level"] == "exact")
    assert arg_c["f1_b"] == 1.0 and arg_c["difference"] > 0
    assert 0 < arg_c["p_bootstrap"] <= 1 and 0 < arg_c["p_randomization"] <= 1
    assert {(r["metric"], r["level"]) for r in rows} >= {(n, "coref") for n in NAMES}


def test_brat_events_are_scored(formats_corpus):
    """A realistic brat file (E, A, equivalence lines) read by the brat reader, scored as a
    system against itself and against a copy that lost an argument."""
    from newsgold.formats.predictions import load_predictions

    data = ROOT / "tests" / "data" / "formats" / "brat_events"
    read = load_predictions(data, formats_corpus, allow_missing=True).annotations
    gold = {d: a for d, a in read.items() if a.events}
    assert gold
    opts = EventOptions(n_resamples=0, allow_unknown=True)
    same = score_events(gold, copy.deepcopy(gold), opts)["events"].summaries
    assert same["Arg-C+"]["exact"]["f1"] == 1.0 and same["Trig-C"]["exact"]["n_gold"] == 2
    lossy = copy.deepcopy(gold)
    ann = next(iter(lossy.values()))
    ann.relations = ann.relations[1:]
    r = score_events(gold, lossy, opts)["events"]
    c = r.summaries["Event-Arg-C"]["exact"]
    assert c["n_gold"] - c["tp"] == 1 and sum(r.causes["missed"].values()) == 1


def test_cluster_listing_a_missing_span_is_an_error():
    from newsgold.event_checks import check_event_task

    task = {
        "spans": [{"start": 0, "end": 5, "label": "PERSON", "id": "m1", "cluster": "E1"}],
        "clusters": [{"id": "E1", "kind": "entity", "members": ["m1", "m9"]}],
    }
    problems = check_event_task(task, file="x.jsonl", line=7)
    assert [(p.line, p.field) for p in problems] == [(7, "clusters[0].members[1]")]
    assert "m9" in problems[0].message

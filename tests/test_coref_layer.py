"""Coreference from annotations: mention alignment, the pitfalls, the corpus aggregation,
the layer interface and the CLI."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.annotations import load_annotations
from newsgold.formats.jsonl import write_jsonl
from newsgold.formats.prodigy import annotation_to_task
from newsgold.layers import layers_present, map_documents, sum_counts
from newsgold.metrics import coref
from newsgold.model import Annotation, Cluster, Document, Mention
from newsgold.timex_coref_scoring import LayerOptions, score_coref

scores = pytest.importorskip("scorch.scores")

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "annotations" / "gold.jsonl"
CORPUS = ROOT / "corpus" / "documents.jsonl"
DOC = Document("d1", "w " * 200)
OPTS = LayerOptions(n_resamples=0)


def ann(*chains, doc=DOC):
    """Mentions from ``(cluster, start)`` pairs: each mention spans two characters."""
    return Annotation(doc, [Mention(s, s + 2, "PER", "entity", cluster=c) for c, s in chains])


def prf_of(result, metric, chain="entities"):
    s = result.summaries[chain][metric]
    return s["recall"], s["precision"], s["f1"]


def scorch_prf(key, resp, metric):
    full = coref.add_twinless(key, resp)
    return {"MUC": scores.muc, "B3": scores.b_cubed, "CEAFe": scores.ceaf_e}[metric](full, resp)


def check(gold, pred):
    """Score through the layer and through scorch on the aligned mention ids."""
    r = score_coref({"d1": gold}, {"d1": pred}, OPTS)
    g, _ = coref.chain_mentions(gold, "entities")
    p, _ = coref.chain_mentions(pred, "entities")
    key, resp, _ = coref.aligned_clusters(g, p)
    for m in ("MUC", "B3", "CEAFe"):
        for ours, ref in zip(prf_of(r, m), scorch_prf(key, resp, m)):
            assert math.isclose(ours, ref, abs_tol=1e-12), m
    return r


def test_singleton_in_one_side_only():
    gold = ann(("A", 0), ("A", 4), ("B", 8))  # B: a gold singleton the system misses
    pred = ann(("x", 0), ("x", 4), ("y", 12))  # y: a system singleton with no gold twin
    r = check(gold, pred)
    assert prf_of(r, "MUC") == (1.0, 1.0, 1.0)  # singletons have no links
    # B³: gold {0,4},{8} + twinless {12}; R = (2 + 0 + 1) / 4, P = (2 + 1) / 3
    assert math.isclose(prf_of(r, "B3")[0], 3 / 4) and prf_of(r, "B3")[1] == 1.0
    assert r.mentions["entities"]["aligned_mentions"] == 2


def test_mention_in_two_clusters_is_kept_once():
    gold = ann(("A", 0), ("A", 4), ("B", 8), ("B", 12))
    # the span at 4 is listed in x (met first) and again in y: kept in x, like the
    # reference scorer keeps a repeated response mention's first occurrence
    pred = ann(("x", 0), ("x", 4), ("y", 4), ("y", 8), ("y", 12))
    r = check(gold, pred)
    assert r.mentions["entities"]["pred_repeated"] == 1
    assert prf_of(r, "MUC") == (1.0, 1.0, 1.0)


def test_unaligned_predicted_mentions():
    gold = ann(("A", 0), ("A", 4), ("B", 8), ("B", 12))
    # every predicted span is one character off: no mention aligns
    pred = Annotation(
        DOC,
        [
            Mention(s + 1, s + 3, "PER", "entity", cluster=c)
            for c, s in [("x", 0), ("x", 4), ("y", 8), ("y", 12)]
        ],
    )
    r = check(gold, pred)
    assert r.mentions["entities"]["aligned_mentions"] == 0
    assert prf_of(r, "MUC") == (0.0, 0.0, 0.0)
    # the predicted mentions join the key as singletons (scorch's and Pradhan et al.'s
    # twinless rule): key {0,1} {2,3} {4} {5} {6} {7}, response {4,5} {6,7}. Each such
    # singleton is wholly inside one response cluster, so B³ gives it recall credit: R =
    # 4 / 8, P = (2·1/2 + 2·1/2) / 4; CEAF-e aligns two singletons (φ4 = 2/3 each)
    assert math.isclose(prf_of(r, "B3")[0], 4 / 8) and math.isclose(prf_of(r, "B3")[1], 2 / 4)
    assert math.isclose(prf_of(r, "CEAFe")[0], (4 / 3) / 6)
    assert prf_of(r, "LEA")[2] == 0.0  # no link resolved, no singleton kept single


def test_mentions_without_a_cluster():
    gold = ann(("A", 0), ("A", 4))
    pred = ann(("x", 0), ("x", 4))
    pred.mentions.append(Mention(20, 22, "PER", "entity"))  # no cluster id: a singleton
    pred.mentions.append(Mention(30, 32, "DATE", "timex"))  # not chained
    r = check(gold, pred)
    assert r.mentions["entities"]["pred_mentions"] == 3
    assert prf_of(r, "MUC") == (1.0, 1.0, 1.0)
    assert math.isclose(prf_of(r, "B3")[1], 1.0) and math.isclose(prf_of(r, "B3")[0], 3 / 3)
    # a prediction with no cluster at all (an NER system) has no coreference mentions
    ner = Annotation(DOC, [Mention(0, 2, "PER", "entity"), Mention(4, 6, "PER", "entity")])
    r = score_coref({"d1": gold}, {"d1": ner}, OPTS)
    assert r.mentions["entities"]["pred_mentions"] == 0
    assert prf_of(r, "B3") == (0.0, 0.0, 0.0)


def test_hoppers_are_scored_apart_from_entities():
    a = Annotation(
        DOC,
        [
            Mention(0, 2, "Conflict.Attack", "trigger", cluster="H1"),
            Mention(4, 6, "Conflict.Attack", "trigger", cluster="H1"),
            Mention(8, 10, "PER", "entity", cluster="E1"),
        ],
    )
    b = copy.deepcopy(a)
    b.mentions[1].cluster = "H2"
    r = score_coref({"d1": a}, {"d1": b}, OPTS)
    assert prf_of(r, "MUC", "entities") == (0.0, 0.0, 0.0)  # one singleton each side
    assert prf_of(r, "B3", "entities") == (1.0, 1.0, 1.0)
    assert prf_of(r, "MUC", "hoppers")[0] == 0.0 and prf_of(r, "B3", "hoppers")[1] == 1.0


def test_corpus_sums_numerators_and_denominators():
    d2 = Document("d2", DOC.text)
    gold = {"d1": ann(("A", 0), ("A", 4), ("A", 8)), "d2": ann(("A", 0), ("A", 4), doc=d2)}
    pred = {"d1": ann(("x", 0), ("x", 4), ("y", 8)), "d2": ann(("x", 0), ("y", 4), doc=d2)}
    r = score_coref(gold, pred, OPTS)
    # MUC recall: (1 + 0) / (2 + 1), the reference scorer's micro aggregation; scorch's
    # folder mode would weight per-document recalls by mention counts: (0.5·3 + 0·2) / 5
    assert math.isclose(prf_of(r, "MUC")[0], 1 / 3)
    assert not math.isclose(prf_of(r, "MUC")[0], (0.5 * 3 + 0 * 2) / 5)


def test_gold_against_itself_and_the_layer_interface():
    g = load_annotations(GOLD)
    r = score_coref(g, g, LayerOptions(n_resamples=20))
    for chain, metrics in r.summaries.items():
        for name, s in metrics.items():
            assert s["f1"] == 1.0, (chain, name)
            assert s["interval"]["f1"] == [1.0, 1.0]
    # counted from the file itself: entity clusters with the timex chains; hoppers by trigger
    chains = {"entities": set(), "hoppers": set()}
    for a in g.values():
        for m in a.mentions:
            if m.cluster is not None and m.kind in ("entity", "timex"):
                chains["entities"].add((a.doc_id, m.cluster))
            elif m.cluster is not None and m.kind == "trigger":
                chains["hoppers"].add((a.doc_id, m.cluster))
    assert r.mentions["entities"]["gold_clusters"] == len(chains["entities"]) > 0
    assert r.mentions["hoppers"]["gold_clusters"] == len(chains["hoppers"]) > 0
    total = sum_counts(list(map_documents("coref", g, g)))
    for key, levels in r.counts.items():
        assert (total.counts[key]["exact"].data == levels["exact"].data).all()
    assert "coref" in layers_present(g, opt_in=True) and "coref" not in layers_present(g)


def _degraded():
    anns = copy.deepcopy(load_annotations(GOLD))
    for a in anns.values():
        for i, m in enumerate(a.mentions):
            if m.cluster and i % 4 == 0:
                m.cluster = f"split{i}"
                kind = "hopper" if m.kind == "trigger" else "entity"
                a.clusters.append(Cluster(m.cluster, kind))
            if m.kind == "timex" and m.attrs.get("value") == "2021-12-01":
                m.attrs = {**m.attrs, "value": "2021-11-30"}
    return anns


def _run(*args):
    return CliRunner().invoke(
        app, ["score", *map(str, args), "--gold", str(GOLD), "--corpus", str(CORPUS)]
    )


def test_cli_json_names_every_metric(tmp_path):
    path = tmp_path / "pred.jsonl"
    write_jsonl(path, [annotation_to_task(a) for a in _degraded().values()])
    res = _run(path, "--layers", "timex,coref", "--json", "--bootstrap", "30")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data["layers"]) == {"timex", "coref"}
    t = data["layers"]["timex"]["metrics"]
    assert {"strict", "relaxed", "type", "value"} <= set(t)
    assert t["value"]["f1"] < 1 and t["relaxed"]["f1"] == 1
    assert data["layers"]["timex"]["value_relations"]["disjoint"] == 3
    c = data["layers"]["coref"]["metrics"]
    for chain in ("entities", "hoppers"):
        assert set(c[chain]) == {"MUC", "B3", "CEAFe", "LEA", "CoNLL"}
        for name in ("MUC", "B3", "CEAFe", "LEA"):
            s = c[chain][name]
            assert {"tp", "n_gold", "n_pred", "precision", "recall", "f1", "interval"} <= set(s)
        assert "interval" in c[chain]["CoNLL"]
    assert c["entities"]["MUC"]["f1"] < 1
    res = _run(path, "--layers", "timex,coref")
    assert res.exit_code == 0 and "CoNLL" in res.stdout and "value_compatible" in res.stdout
    res = _run(path, "--layers", "coref", "--markdown")
    assert res.exit_code == 0 and "| entities | MUC |" in res.stdout


def test_cli_compare(tmp_path):
    path = tmp_path / "pred.jsonl"
    write_jsonl(path, [annotation_to_task(a) for a in _degraded().values()])
    res = CliRunner().invoke(
        app,
        [
            "compare",
            str(GOLD),
            str(path),
            "--layers",
            "timex,coref",
            "--json",
            "--resamples",
            "50",
            "--gold",
            str(GOLD),
            "--corpus",
            str(CORPUS),
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)["layers"]
    names = [r["metric"] for r in data["coref"]["rows"]]
    assert "entities/CoNLL" in names and "hoppers/LEA" in names
    conll = next(r for r in data["coref"]["rows"] if r["metric"] == "entities/CoNLL")
    assert conll["f1_a"] == 1.0 and conll["difference"] < 0
    assert {r["metric"] for r in data["timex"]["rows"]} >= {"strict", "relaxed", "type", "value"}


def test_cli_default_output_unchanged(tmp_path):
    path = tmp_path / "pred.jsonl"
    write_jsonl(path, [annotation_to_task(a) for a in _degraded().values()])
    res = _run(path, "--json", "--bootstrap", "0")
    assert res.exit_code == 0, res.output
    assert "timex" not in json.loads(res.stdout).get("layers", {})


@st.composite
def annotated(draw):
    """Gold and predicted chains over random two-character spans (shared, shifted or new),
    with repeats, in any listing order."""
    n = draw(st.integers(1, 12))
    starts = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    gold = [(f"g{draw(st.integers(0, 3))}", 3 * s) for s in starts]
    pred = []
    for _, s in gold:
        move = draw(st.sampled_from(["same", "same", "shift", "drop"]))
        if move != "drop":
            pred.append((f"p{draw(st.integers(0, 3))}", s + (1 if move == "shift" else 0)))
    pred += [
        (f"p{draw(st.integers(0, 3))}", 3 * draw(st.integers(0, 60)))
        for _ in range(draw(st.integers(0, 3)))
    ]
    return ann(*draw(st.permutations(gold))), ann(*draw(st.permutations(pred)))


@settings(max_examples=300, deadline=None)
@given(annotated())
def test_layer_equals_scorch_and_ignores_order(gp):
    gold, pred = gp
    r = check(gold, pred)
    shuffled = Annotation(DOC, list(reversed(pred.mentions)))
    again = score_coref({"d1": gold}, {"d1": shuffled}, OPTS)
    # repeats too: the cluster kept is the one met first by position, not by listing
    assert again.summaries == r.summaries

"""Every preset resamples the same units as the default, and its error list is its own.

Before: the presets counted one unit per *document* (a one-document corpus: one unit), so
``compare --preset seqeval`` gave p(bootstrap) = 0.0001 and p(randomisation) = 1.0 for the
same pair, and ``--units`` was ignored; the error list of a preset run came from the
default's alignment, so it did not add up to the preset's table.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.annotations import load_annotations
from newsgold.formats.jsonl import write_jsonl
from newsgold.formats.prodigy import annotation_to_task
from newsgold.metrics.counts import CHANNELS, Counts
from newsgold.model import Annotation, Mention
from newsgold.schema import load_schema
from newsgold.scoring import EntityOptions, entity_errors, score_entities
from newsgold.selection import select_spans
from newsgold.stats import approximate_randomization, paired_bootstrap

ROOT = Path(__file__).resolve().parent.parent

PRESETS = ("newsgold", "nervaluate", "nervaluate-raw", "seqeval", "conlleval", "spacy")
SEED_DOC = "000_e2a7510a474f58d9"


@pytest.fixture(scope="module")
def gold() -> dict[str, Annotation]:
    return load_annotations(ROOT / "annotations" / "gold.jsonl")


def _system(gold, drop: int = 0, relabel: int = 0, shift: int = 0) -> dict[str, Annotation]:
    """The gold's own NER-view spans as a system's output, minus the corpus's first ``drop``
    spans, with the next ``relabel`` relabelled and the next ``shift`` one character
    shorter (counted over the whole corpus, so the differences hold for any corpus size)."""
    schema = load_schema()
    out = {}
    i = -1
    for d, ann in sorted(gold.items()):
        spans = select_spans(ann, "ner", None, schema)
        mentions = []
        for s, e, lbl in spans:
            i += 1
            if i < drop:
                continue
            if i < drop + relabel:
                lbl = "ORG" if lbl != "ORG" else "PERSON"
            elif i < drop + relabel + shift and e - s > 1:
                e -= 1
            mentions.append(Mention(s, e, lbl))
        out[d] = Annotation(ann.document, mentions)
    return out


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_resamples_the_default_units(gold, preset):
    default = score_entities(gold, _system(gold, drop=2), EntityOptions(n_resamples=50))
    r = score_entities(gold, _system(gold, drop=2), EntityOptions(preset=preset, n_resamples=50))
    assert r.unit == default.unit == "sentence"  # the corpus has fewer than 30 documents
    assert r.manifest["n_units"] == default.manifest["n_units"] > 1
    for c in r.counts.values():
        assert c.units == default.counts["strict"].units
        assert np.array_equal(c.data.sum(axis=0), c.totals())
    # an interval over many units is not a point
    lo, hi = next(iter(r.intervals.values()))["micro"]["f1"]
    assert lo < hi
    docs = score_entities(
        gold, _system(gold), EntityOptions(preset=preset, units="document", n_resamples=0)
    )
    assert docs.unit == "document" and docs.manifest["n_units"] == len(gold)


@pytest.mark.parametrize("preset", PRESETS)
def test_one_span_apart_is_significant_for_no_preset(gold, preset):
    opts = EntityOptions(preset=preset, n_resamples=0)
    a = score_entities(gold, _system(gold), opts)
    b = score_entities(gold, _system(gold, drop=1), opts)
    for mode in a.counts:
        pb = paired_bootstrap(a.counts[mode], b.counts[mode], n_resamples=2000)
        ar = approximate_randomization(a.counts[mode], b.counts[mode], n_rounds=2000)
        assert pb["difference"] < 0
        assert pb["p_value"] > 0.05 and ar["p_value"] > 0.05, (mode, pb, ar)


def test_cli_compare_with_a_preset_is_honest(gold, tmp_path):
    paths = []
    for name, system in (("a", _system(gold)), ("b", _system(gold, drop=1))):
        p = tmp_path / f"{name}.jsonl"
        write_jsonl(p, [annotation_to_task(x) for x in system.values()])
        paths.append(str(p))
    args = ["compare", *paths, "--gold", str(ROOT / "annotations" / "gold.jsonl")]
    args += ["--corpus", str(ROOT / "corpus" / "documents.jsonl")]
    res = CliRunner().invoke(app, [*args, "--preset", "seqeval", "--json", "--resamples", "2000"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["unit"] == "sentence" and out["n_units"] > 1
    for row in out["rows"]:
        assert row["p_bootstrap"] > 0.05 and row["p_randomization"] > 0.05, row


def _counts(tp, n):
    data = np.zeros((len(tp), 1, len(CHANNELS)), np.int64)
    data[:, 0, 0] = data[:, 0, 5] = tp
    data[:, 0, 7] = data[:, 0, 8] = n
    return Counts("strict", ("X",), tuple(map(str, range(len(tp)))), data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_bootstrap_and_randomisation_agree_on_small_differences(data):
    """Two systems that differ by one span in one or two of 10-60 units: neither test may
    call that significant (the randomisation test's exact p is at least 1/2 there)."""
    n_units = data.draw(st.integers(10, 60))
    n = np.array(data.draw(st.lists(st.integers(1, 6), min_size=n_units, max_size=n_units)))
    a = np.array([data.draw(st.integers(0, int(x))) for x in n])
    b = a.copy()
    for u in data.draw(st.sets(st.integers(0, n_units - 1), min_size=1, max_size=2)):
        b[u] = b[u] + 1 if b[u] < n[u] else b[u] - 1
    seed = data.draw(st.integers(0, 2**16))
    pb = paired_bootstrap(_counts(a, n), _counts(b, n), n_resamples=1000, seed=seed)["p_value"]
    ar = approximate_randomization(_counts(a, n), _counts(b, n), n_rounds=1000, seed=seed)
    assert pb > 0.05 and ar["p_value"] > 0.05, (pb, ar)


def test_one_unit_gives_no_evidence_either_way():
    a, b = _counts(np.array([3]), np.array([5])), _counts(np.array([4]), np.array([5]))
    assert paired_bootstrap(a, b)["p_value"] == 1.0
    assert approximate_randomization(a, b)["p_value"] == 1.0


OUTCOMES = ("correct", "incorrect", "partial", "missed", "spurious")


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_error_list_adds_up_to_its_table(gold, preset):
    pred = _system(gold, drop=3, relabel=4, shift=5)
    opts = EntityOptions(preset=preset, n_resamples=0)
    result = score_entities(gold, pred, opts)
    for mode, s in result.summaries.items():
        rows = entity_errors(gold, pred, opts, mode=mode, include_correct=True)
        assert {r["mode"] for r in rows} == {mode}
        got = {k: sum(r["outcome"] == k for r in rows) for k in OUTCOMES}
        assert got == {k: s["micro"][k] for k in OUTCOMES}, (preset, mode)


def test_seqeval_preset_errors_are_misses_and_spurious_not_incorrect(gold):
    pred = _system(gold, relabel=4)
    rows = entity_errors(gold, pred, EntityOptions(preset="seqeval"))
    assert {r["outcome"] for r in rows} == {"missed", "spurious"}
    assert len(rows) == 8


def test_min_overlap_applies_to_nervaluate_only(gold):
    from newsgold.errors import NewsgoldError

    with pytest.raises(NewsgoldError, match="nervaluate presets only"):
        score_entities(gold, _system(gold), EntityOptions(min_overlap=50, n_resamples=0))
    with pytest.raises(NewsgoldError, match="between 1 and 100"):
        score_entities(
            gold, _system(gold), EntityOptions(preset="nervaluate", min_overlap=0, n_resamples=0)
        )


def test_label_blind_modes_carry_a_note_and_rows_carry_support(gold):
    r = score_entities(gold, _system(gold, relabel=2), EntityOptions(n_resamples=0))
    assert "note" in r.summaries["exact"] and "note" in r.summaries["partial"]
    assert "note" not in r.summaries["strict"]
    row = next(iter(r.summaries["strict"]["per_label"].values()))
    assert {"n_gold", "n_pred"} <= set(row)
    assert r.to_dict()["modes"]["exact"]["note"].startswith("label-blind")


def test_cli_bootstrap_0_prints_no_interval_and_rows_show_support(tmp_path):
    gold = ROOT / "annotations" / "gold.jsonl"
    args = [
        "score",
        str(gold),
        "--gold",
        str(gold),
        "--corpus",
        str(ROOT / "corpus" / "documents.jsonl"),
    ]
    none = CliRunner().invoke(app, [*args, "--bootstrap", "0"], terminal_width=200)
    assert none.exit_code == 0, none.output
    assert "CI by" not in none.stdout and "95% CI" not in none.stdout
    assert " gold " in none.stdout and " pred " in none.stdout
    assert "label-blind mode" in none.stdout
    some = CliRunner().invoke(app, [*args, "--bootstrap", "20"], terminal_width=200)
    assert "CI by sentence" in some.stdout
    from newsgold.report.tables import rich_tables

    def headers(bootstrap):
        r = score_entities(gold_anns, gold_anns, EntityOptions(n_resamples=bootstrap))
        return [c.header for c in rich_tables(r)[0].columns]

    gold_anns = load_annotations(gold)
    assert "F1 95% CI" in headers(20) and "F1 95% CI" not in headers(0)
    assert headers(0)[6:8] == ["gold", "pred"]


def test_cli_preset_errors_file_adds_up_to_the_preset_table(gold, tmp_path):
    pred = tmp_path / "pred.jsonl"
    system = _system(gold, drop=3, relabel=4, shift=5)
    write_jsonl(pred, [annotation_to_task(x) for x in system.values()])
    errors = tmp_path / "errors.jsonl"
    args = ["score", str(pred), "--gold", str(ROOT / "annotations" / "gold.jsonl")]
    args += ["--corpus", str(ROOT / "corpus" / "documents.jsonl"), "--bootstrap", "0"]
    res = CliRunner().invoke(app, [*args, "--preset", "seqeval", "--json", "--errors", str(errors)])
    assert res.exit_code == 0, res.output
    micro = json.loads(res.stdout)["modes"]["seqeval"]["micro"]
    rows = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert sum(r["outcome"] == "missed" for r in rows) == micro["missed"] > 0
    assert sum(r["outcome"] == "spurious" for r in rows) == micro["spurious"] > 0
    assert len(rows) == micro["missed"] + micro["spurious"]

"""The scoring pipeline: views, label maps, presets, units, intervals, outputs and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.errors import NewsgoldError
from newsgold.formats.jsonl import write_jsonl
from newsgold.formats.prodigy import annotation_to_task, document_to_json
from newsgold.metrics.counts import CHANNELS, Counts
from newsgold.model import Annotation, Document, Mention, Segment
from newsgold.scoring import EntityOptions, score_entities
from newsgold.stats import approximate_randomization, bootstrap_ci, paired_bootstrap

TEXT = "Russian President Putin met US Secretary Blinken in Stockholm today."
#       0      7 8       16 18  23    30 32       40 41     48    52       61    67


def _doc() -> Document:
    return Document(
        "d1",
        TEXT,
        sentences=[Segment(0, 29, 0, 4), Segment(30, len(TEXT), 5, 11)],
        meta={"doc_id": "d1"},
    )


def _gold() -> dict[str, Annotation]:
    doc = _doc()
    m = [
        Mention(0, 7, "NORP", mention_type="NAM"),
        Mention(0, 23, "PERSON", mention_type="NAM", head_start=18, head_end=23),
        Mention(28, 30, "GPE", mention_type="NAM"),
        Mention(28, 48, "PERSON", mention_type="NAM", head_start=41, head_end=48),
        Mention(31, 40, "PERSON", mention_type="NOM"),
        Mention(52, 61, "GPE", mention_type="NAM"),
        Mention(62, 67, "DATE", kind="timex", attrs={"type": "DATE", "value": "2021-12-01"}),
    ]
    return {"d1": Annotation(doc, m)}


def _pred(*spans) -> dict[str, Annotation]:
    return {"d1": Annotation(_doc(), [Mention(s, e, lbl) for s, e, lbl in spans])}


PERFECT_NER = [
    (0, 7, "NORP"),
    (18, 23, "PERSON"),
    (28, 30, "GPE"),
    (41, 48, "PERSON"),
    (52, 61, "GPE"),
    (62, 67, "DATE"),
]
NO_CI = EntityOptions(n_resamples=0)


def test_ner_view_scores_named_heads_and_values():
    r = score_entities(_gold(), _pred(*PERFECT_NER), NO_CI)
    for mode in ("strict", "exact", "partial", "ent_type"):
        assert r.summaries[mode]["micro"]["f1"] == 1.0
    assert r.manifest["gold_spans"] == 6  # the nominal 'Secretary' is not in the NER view


def test_untyped_argument_mentions_of_event_readers_are_not_entity_predictions():
    pred = _pred(*PERFECT_NER)
    # what formats/eventbuild.py makes of an event argument given without an entity type
    pred["d1"].mentions.append(Mention(31, 40, "ARG", extra={"untyped": True}))
    r = score_entities(_gold(), pred, NO_CI)
    assert r.summaries["strict"]["micro"]["f1"] == 1.0
    assert r.manifest["pred_spans"] == 6


def test_mentions_view_uses_extents_and_counts_nominals():
    r = score_entities(_gold(), _pred(*PERFECT_NER), EntityOptions(view="mentions", n_resamples=0))
    s = r.summaries["strict"]["micro"]
    assert s["n_gold"] == 7
    # two PERSON heads are partial matches of their extents; 'Secretary' is missed
    assert (s["correct"], s["incorrect"], s["missed"]) == (4, 2, 1)
    assert r.summaries["partial"]["micro"]["partial"] == 2


def test_label_map_reports_what_it_leaves_out():
    pred = _pred(
        (0, 7, "MISC"),
        (18, 23, "PER"),
        (28, 30, "LOC"),
        (41, 48, "PER"),
        (52, 61, "LOC"),
        (62, 67, "DATE"),
    )
    r = score_entities(_gold(), pred, EntityOptions(label_map="conll2003", n_resamples=0))
    assert r.summaries["strict"]["micro"]["f1"] == 1.0
    assert r.label_report["gold_unmapped"] == {"DATE": 1}
    assert r.label_report["pred_unmapped"] == {"DATE": 1}


def test_rename_and_unknown_labels():
    pred = _pred((18, 23, "PER"), (41, 48, "PER"), (0, 7, "NATIONALITY"))
    r = score_entities(_gold(), pred, EntityOptions(rename={"PER": "PERSON"}, n_resamples=0))
    s = r.summaries["strict"]
    assert s["per_label"]["PERSON"]["correct"] == 2
    assert r.label_report["pred_unknown"] == {"NATIONALITY": 1}
    assert s["per_label"]["NORP"]["incorrect"] == 1  # the unknown label is scored, as an error


def test_labels_subset_and_macro_over_gold_support():
    pred = _pred((18, 23, "PERSON"), (41, 48, "PERSON"), (10, 12, "ORG"))
    r = score_entities(_gold(), pred, EntityOptions(labels=("PERSON", "ORG"), n_resamples=0))
    s = r.summaries["strict"]
    assert set(s["per_label"]) == {"PERSON", "ORG"}
    assert s["macro"]["labels"] == 1  # ORG has no gold support: not averaged
    assert s["macro"]["f1"] == 1.0
    assert s["micro"]["precision"] == pytest.approx(2 / 3)


def test_presets_dispatch_and_agree_on_a_clean_case():
    for preset in ("nervaluate", "seqeval", "conlleval", "spacy"):
        r = score_entities(
            _gold(), _pred(*PERFECT_NER), EntityOptions(preset=preset, n_resamples=0)
        )
        for s in r.summaries.values():
            assert s["micro"]["f1"] == 1.0, preset
    assert (
        "macro"
        not in score_entities(
            _gold(), _pred(), EntityOptions(preset="conlleval", n_resamples=0)
        ).summaries["conlleval"]
    )


def test_unknown_preset_and_view_are_clear_errors():
    with pytest.raises(NewsgoldError, match="unknown preset"):
        score_entities(_gold(), _pred(), EntityOptions(preset="muc"))
    with pytest.raises(NewsgoldError, match="unknown view"):
        score_entities(_gold(), _pred(), EntityOptions(view="NAMED"))


def test_sentence_units_and_seeded_intervals():
    pred = _pred(*PERFECT_NER[:3])
    r1 = score_entities(_gold(), pred, EntityOptions(n_resamples=200, seed=3))
    r2 = score_entities(_gold(), pred, EntityOptions(n_resamples=200, seed=3))
    assert r1.unit == "sentence" and r1.manifest["n_units"] == 2
    assert r1.intervals == r2.intervals
    lo, hi = r1.intervals["strict"]["micro"]["f1"]
    assert lo <= r1.summaries["strict"]["micro"]["f1"] <= hi
    # counts of the units add up to the headline counts
    c = r1.counts["strict"]
    assert np.array_equal(c.data.sum(axis=0), c.totals())


def _counts(rows):
    data = np.zeros((len(rows), 1, len(CHANNELS)), dtype=np.int64)
    for i, (tp, n_pred, n_gold) in enumerate(rows):
        data[i, 0, [0, 5, 7, 8]] = [tp, tp, n_pred, n_gold]
    return Counts("strict", ("X",), tuple(str(i) for i in range(len(rows))), data)


def test_paired_tests_see_a_real_difference_and_not_a_null_one():
    rng = np.random.default_rng(0)
    n = 60
    weak = _counts([(int(rng.integers(0, 4)), 5, 5) for _ in range(n)])
    strong = _counts([(5, 5, 5)] * n)
    assert paired_bootstrap(weak, strong, n_resamples=2000)["p_value"] < 0.01
    assert approximate_randomization(weak, strong, n_rounds=2000)["p_value"] < 0.01
    same = paired_bootstrap(weak, weak, n_resamples=500)
    assert same["difference"] == 0 and same["p_value"] == 1.0
    assert approximate_randomization(weak, weak, n_rounds=500)["p_value"] == 1.0


def test_bootstrap_interval_narrows_with_more_units():
    small = bootstrap_ci(_counts([(3, 5, 5), (1, 5, 5)] * 5), seed=0)
    large = bootstrap_ci(_counts([(3, 5, 5), (1, 5, 5)] * 200), seed=0)
    assert (large["f1"][1] - large["f1"][0]) < (small["f1"][1] - small["f1"][0])


# --- command line --------------------------------------------------------------------------


@pytest.fixture()
def files(tmp_path):
    gold = tmp_path / "gold.jsonl"
    write_jsonl(gold, [annotation_to_task(a) for a in _gold().values()])
    pred = tmp_path / "pred.jsonl"
    write_jsonl(pred, [annotation_to_task(a) for a in _pred(*PERFECT_NER[:4]).values()])
    corpus = tmp_path / "corpus.jsonl"  # a given --corpus must exist
    write_jsonl(corpus, [document_to_json(_doc())])
    return gold, pred, corpus


def _run(command: str, *paths, gold, corpus, extra=()):
    """``newsgold COMMAND PATHS... --gold G --corpus C EXTRA...`` through typer's runner."""
    args = [command, *map(str, paths), "--gold", str(gold), "--corpus", str(corpus)]
    return CliRunner().invoke(app, [*args, *map(str, extra)])


def test_cli_score_json_has_a_manifest(files):
    gold, pred, corpus = files
    res = _run("score", pred, gold=gold, corpus=corpus, extra=["--json", "--bootstrap", "50"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["manifest"]["gold"]["sha256"] and data["manifest"]["pred"]["format"] == "prodigy"
    assert data["modes"]["strict"]["micro"]["correct"] == 4
    assert data["manifest"]["options"]["n_resamples"] == 50


@pytest.mark.parametrize("flag", ["--csv", "--markdown", None])
def test_cli_score_other_outputs(files, flag):
    gold, pred, corpus = files
    extra = ["--bootstrap", "20"] + ([flag] if flag else [])
    res = _run("score", pred, gold=gold, corpus=corpus, extra=extra)
    assert res.exit_code == 0, res.output
    assert "strict" in res.stdout


def test_cli_score_bad_prediction_file_is_a_clear_error(files, tmp_path):
    gold, _, corpus = files
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Russian", "spans": [\n', encoding="utf-8")
    res = _run("score", bad, gold=gold, corpus=corpus, extra=["--format", "prodigy"])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    assert "bad.jsonl:1" in res.output


def test_cli_compare(files, tmp_path):
    gold, pred, corpus = files
    better = tmp_path / "better.jsonl"
    write_jsonl(better, [annotation_to_task(a) for a in _pred(*PERFECT_NER).values()])
    extra = ["--json", "--resamples", "200"]
    res = _run("compare", pred, better, gold=gold, corpus=corpus, extra=extra)
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    strict = next(r for r in rows if r["mode"] == "strict" and r["average"] == "micro")
    assert strict["difference"] > 0


def test_cli_unknown_label_is_reported_with_its_count(files, tmp_path):
    gold, _, corpus = files
    pred = tmp_path / "odd.jsonl"
    write_jsonl(
        pred, [annotation_to_task(a) for a in _pred((18, 23, "PER"), (41, 48, "PER")).values()]
    )
    res = _run("score", pred, gold=gold, corpus=corpus, extra=["--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    assert "not in the gold label set" in res.output and "PER 2" in res.output


def test_cli_gold_document_without_prediction(files, tmp_path):
    gold, _, corpus = files
    other = Annotation(
        Document("d2", "Lavrov spoke.", meta={"doc_id": "d2"}),
        [Mention(0, 6, "PERSON", mention_type="NAM")],
    )
    gold2 = tmp_path / "gold2.jsonl"
    write_jsonl(gold2, [annotation_to_task(a) for a in [*_gold().values(), other]])
    pred = tmp_path / "pred.jsonl"
    extra = ["--bootstrap", "0", "--json"]
    res = _run("score", pred, gold=gold2, corpus=corpus, extra=extra)
    assert res.exit_code == 1
    assert "d2" in res.output and "no prediction" in res.output and "Traceback" not in res.output
    res = _run("score", pred, gold=gold2, corpus=corpus, extra=[*extra, "--allow-missing"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["modes"]["strict"]["micro"]["missed"] >= 1


def test_cli_offsets_out_of_range_name_the_line(files, tmp_path):
    gold, _, corpus = files
    task = annotation_to_task(_pred((60, 500, "GPE"))["d1"])
    bad = tmp_path / "range.jsonl"
    write_jsonl(bad, [task])
    res = _run("score", bad, gold=gold, corpus=corpus)
    assert res.exit_code == 1
    assert "range.jsonl:1" in res.output and "Traceback" not in res.output


def test_progress_is_reported_up_to_the_last_document():
    seen = []
    score_entities(
        _gold(),
        _pred(*PERFECT_NER),
        EntityOptions(n_resamples=0, units="document"),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen and seen[-1] == (1, 1)


def test_error_rows_add_up_to_the_counts():
    from newsgold.entity_errors import entity_errors

    pred = _pred(
        (0, 7, "NORP"), (18, 23, "ORG"), (28, 48, "PERSON"), (52, 58, "GPE"), (10, 12, "DATE")
    )
    result = score_entities(_gold(), pred, NO_CI)
    for mode in ("strict", "exact", "partial", "ent_type"):
        rows = entity_errors(_gold(), pred, mode=mode, include_correct=True)
        got = {
            k: sum(r["outcome"] == k for r in rows)
            for k in ("correct", "incorrect", "partial", "missed", "spurious")
        }
        micro = result.summaries[mode]["micro"]
        assert got == {k: micro[k] for k in got}, mode
    wrong = entity_errors(_gold(), pred, mode="strict")
    assert all(r["outcome"] != "correct" for r in wrong)
    relabel = next(r for r in wrong if r["gold"] and r["gold"]["start"] == 18)
    assert relabel["outcome"] == "incorrect" and relabel["pred"]["label"] == "ORG"
    assert relabel["span"] == "Putin" and relabel["left"].endswith("President ")


def test_cli_errors_file(files, tmp_path):
    gold, pred, corpus = files
    out = tmp_path / "errors.jsonl"
    res = _run("score", pred, gold=gold, corpus=corpus, extra=["--bootstrap", "0", "--errors", out])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {r["outcome"] for r in rows} == {"missed"} and len(rows) == 2


def test_plain_prodigy_gold_without_mention_types_is_scored():
    doc = _doc()
    plain = {"d1": Annotation(doc, [Mention(18, 23, "PERSON"), Mention(52, 61, "GPE")])}
    r = score_entities(plain, _pred((18, 23, "PERSON")), NO_CI)
    assert r.summaries["strict"]["micro"]["n_gold"] == 2
    assert r.summaries["strict"]["micro"]["correct"] == 1


def test_ner_view_leaves_out_vague_time_expressions():
    gold = _gold()
    gold["d1"].mentions.append(
        Mention(52, 61, "DATE", kind="timex", attrs={"type": "DATE", "value": "PAST_REF"})
    )
    ner = score_entities(gold, _pred(*PERFECT_NER), NO_CI)
    assert ner.manifest["gold_spans"] == 6
    everything = score_entities(
        gold, _pred(*PERFECT_NER), EntityOptions(view="mentions", n_resamples=0)
    )
    assert everything.manifest["gold_spans"] == 8


def test_cli_text_mismatch_is_an_error_or_with_a_flag_a_dropped_prediction(files, tmp_path):
    gold, _, corpus = files
    changed = Annotation(
        Document("d1", TEXT.replace("Putin", "Puten"), meta={"doc_id": "d1"}),
        [Mention(18, 23, "PERSON")],
    )
    pred = tmp_path / "changed.jsonl"
    write_jsonl(pred, [annotation_to_task(changed)])
    extra = ["--bootstrap", "0", "--json"]
    res = _run("score", pred, gold=gold, corpus=corpus, extra=extra)
    assert res.exit_code == 1 and "d1" in res.output and "differs" in res.output
    res = _run("score", pred, gold=gold, corpus=corpus, extra=[*extra, "--allow-mismatch"])
    assert res.exit_code == 0, res.output
    assert "dropped" in res.stderr
    assert json.loads(res.stdout)["modes"]["strict"]["micro"]["n_pred"] == 0


def test_cli_html_report(files, tmp_path):
    gold, pred, corpus = files
    out = tmp_path / "report.html"
    res = _run("score", pred, gold=gold, corpus=corpus, extra=["--bootstrap", "0", "--html", out])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "strict" in page and "Stockholm" in page

"""``newsgold export``: every format read back gives what it can carry; the loss report
lists the rest; the output folder is never project data."""

from __future__ import annotations

import orjson
import pytest
from repo_copy import ROOT, copy_repo
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.annotations import load_annotations
from newsgold.corpus.build import load_corpus
from newsgold.corpus.imports import read_import
from newsgold.corpus.merge import gold_task, import_annotations, kind_of
from newsgold.exporters import EXPORT_FORMATS, check_output_dir, export_annotations
from newsgold.exporters.features import CARRIES, carried, features
from newsgold.formats.predictions import load_predictions
from newsgold.formats.prodigy import task_to_annotation
from newsgold.schema import load_schema

runner = CliRunner()
SCHEMA = load_schema(ROOT / "annotations" / "schema.json")


@pytest.fixture(scope="module")
def gold():
    return load_annotations(ROOT / "annotations" / "gold.jsonl")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "corpus" / "documents.jsonl")


def export(gold, fmt, out):
    return export_annotations(list(gold.values()), fmt, out, SCHEMA, root=ROOT)


def through_import(path, corpus, fmt):
    """What ``newsgold import`` makes of the files (without carry-over or merging)."""
    _, items = read_import(path, corpus, fmt)
    return {
        it.annotation.doc_id: task_to_annotation(gold_task(it, SCHEMA, None, carry_over=False))
        for it in items
    }


def with_kinds(anns):
    for ann in anns.values():
        for m in ann.mentions:
            m.kind = kind_of(m.label, SCHEMA)
    return anns


@pytest.mark.parametrize("fmt", ["prodigy", "brat", "label-studio", "doccano"])
def test_tool_formats_round_trip_through_import(fmt, gold, corpus, tmp_path):
    res = export(gold, fmt, tmp_path / fmt)
    target = {
        "prodigy": tmp_path / fmt / "gold.jsonl",
        "brat": tmp_path / fmt,
        "label-studio": tmp_path / fmt / "tasks.json",
        "doccano": tmp_path / fmt / "doccano.jsonl",
    }[fmt]
    back = through_import(target, corpus, fmt)
    assert set(back) == set(gold)
    for doc_id, ann in gold.items():
        assert carried(back[doc_id], fmt) == carried(ann, fmt)
    lost = {r["feature"] for r in res.losses}
    every = {f for f, v in features(gold["000_e2a7510a474f58d9"]).items() if v}
    assert lost == every - CARRIES[fmt]
    assert (tmp_path / fmt / "LOSS.md").read_text().count("|") > 0 or not lost


def test_prodigy_export_then_import_replace_gives_the_same_gold(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    before = load_annotations(repo / "annotations" / "gold.jsonl")
    export(before, "prodigy", tmp_path / "out")
    import_annotations(tmp_path / "out" / "gold.jsonl", repo, replace=True)
    after = load_annotations(repo / "annotations" / "gold.jsonl")
    for doc_id in before:
        assert features(after[doc_id]) == features(before[doc_id])


def test_conll_round_trip_and_loss(gold, corpus, tmp_path):
    res = export(gold, "conll", tmp_path / "c")
    back = load_predictions(tmp_path / "c" / "newsgold.conll", corpus, format="conll").annotations
    for doc_id, ann in gold.items():
        assert carried(back[doc_id], "conll") == carried(ann, "conll")
    rows = {r["feature"]: r["lost"] for r in res.losses}
    assert rows["triggers"] == sum(m.kind == "trigger" for a in gold.values() for m in a.mentions)
    assert rows["relations"] == sum(len(a.relations) for a in gold.values())
    report = (tmp_path / "c" / "LOSS.md").read_text()
    assert "triggers" in report and "no events" in report


def test_spacy_round_trip(gold, corpus, tmp_path):
    export(gold, "spacy", tmp_path / "s")
    preds = load_predictions(
        tmp_path / "s" / "newsgold.spacy", corpus, format="spacy", spans_key="sc"
    )
    back = with_kinds(preds.annotations)
    for doc_id, ann in gold.items():
        assert carried(back[doc_id], "spacy") == carried(ann, "spacy")


def test_hf_parquet_loads_offline_with_datasets(gold, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    datasets = pytest.importorskip("datasets")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True, raising=False)
    export(gold, "hf", tmp_path / "h")
    ds = datasets.load_dataset(
        "parquet",
        data_files=str(tmp_path / "h" / "newsgold.parquet"),
        split="train",
        cache_dir=str(tmp_path / "cache"),
    )
    names = ds.features["ner_tags"].feature.names
    assert names[0] == "O" and "B-PERSON" in names
    row = ds[0]
    ann = gold[row["doc_id"]]
    assert row["text"] == ann.document.text and len(row["tokens"]) == len(ann.document.tokens)
    from newsgold.model import Annotation, Mention

    back = Annotation(
        ann.document,
        [
            Mention(
                s["start"], s["end"], s["label"], kind=s["kind"], mention_type=s["mention_type"]
            )
            for s in row["spans"]
        ],
    )
    assert carried(back, "hf") == carried(ann, "hf")
    # the tags decode to the longest non-overlapping spans, as the CoNLL export's
    tags = [names[i] for i in row["ner_tags"]]
    starts = [s for s, t in zip(row["token_starts"], tags) if t.startswith("B-")]
    assert starts == sorted(s for s, *_ in carried(ann, "conll")["spans"])
    jsonl = [orjson.loads(x) for x in (tmp_path / "h" / "newsgold.jsonl").read_text().splitlines()]
    assert jsonl[0]["spans"] == row["spans"]


@pytest.mark.parametrize("bad", ["annotations", "annotations/x", "corpus", "seeds/y"])
def test_output_never_under_project_data(bad, tmp_path):
    repo = copy_repo(tmp_path / "repo")
    before = sorted(p for p in repo.rglob("*"))
    res = runner.invoke(
        app, ["export", "--to", "prodigy", "--out", str(repo / bad), "--root", str(repo)]
    )
    assert res.exit_code == 1 and "export somewhere else" in res.output
    assert sorted(p for p in repo.rglob("*")) == before
    with pytest.raises(Exception, match="inside"):
        check_output_dir(repo / bad, repo)


def test_output_never_holds_the_input(tmp_path):
    elsewhere = tmp_path / "mine"
    elsewhere.mkdir()
    gold = elsewhere / "gold.jsonl"
    gold.write_bytes((ROOT / "annotations" / "gold.jsonl").read_bytes())
    before = gold.read_bytes()
    for out in (elsewhere, tmp_path):
        res = runner.invoke(
            app, ["export", "--to", "prodigy", "--gold", str(gold), "--out", str(out)]
        )
        assert res.exit_code == 1 and "holds the input" in res.output
    assert gold.read_bytes() == before
    assert sorted(p.name for p in elsewhere.iterdir()) == ["gold.jsonl"]


def test_cli_export_some_documents(tmp_path):
    out = tmp_path / "o"
    res = runner.invoke(
        app, ["export", "--to", "doccano", "--out", str(out), "--docs", "000_e2a7510a474f58d9"]
    )
    assert res.exit_code == 0, res.output
    assert "mention_types" in res.output
    assert len((out / "doccano.jsonl").read_text().splitlines()) == 1
    res = runner.invoke(app, ["export", "--to", "doccano", "--out", str(out), "--docs", "nope"])
    assert res.exit_code == 1 and "not in the gold: nope" in res.output
    res = runner.invoke(app, ["export", "--to", "excel", "--out", str(out)])
    assert res.exit_code == 1 and all(f in res.output for f in EXPORT_FORMATS)


def test_label_studio_config_declares_what_the_reader_reads(gold, tmp_path):
    import xml.etree.ElementTree as ET

    from newsgold.formats.labelstudio import CHOICES, TEXTAREAS

    export(gold, "label-studio", tmp_path / "ls")
    root = ET.parse(tmp_path / "ls" / "label_config.xml").getroot()
    names = {el.get("name") for el in root.iter() if el.get("name")}
    assert {"label", "text", *CHOICES, *TEXTAREAS} <= names
    labels = {el.get("value") for el in root.find("Labels")}
    used = {m.label for a in gold.values() for m in a.mentions}
    assert used <= labels
    relations = {el.get("value") for el in root.find("Relations")}
    assert {r.label for a in gold.values() for r in a.relations} <= relations
    for el in root.iter("Choices"):
        assert el.get("perRegion") == "true" and el.get("toName") == "text"

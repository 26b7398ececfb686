"""Text-only output as people write it: bare lists of mentions, and ``--occurrences all``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.segment import tokenize
from newsgold.formats.predictions import detect_format, load_predictions
from newsgold.formats.textonly import place
from newsgold.model import Document

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "annotations" / "gold.jsonl"
CORPUS = ROOT / "corpus" / "documents.jsonl"
SEED_DOC = "000_e2a7510a474f58d9"
TEXT = "Wendy Sherman met Putin. Sherman and Putin spoke; Putin left."


def _doc():
    return Document("d", TEXT, tokens=tokenize(TEXT))


def _items(*texts):
    return [{"text": t, "label": "PER", "occurrence": None, "context": None} for t in texts]


def test_occurrences_all_places_every_occurrence_but_not_inside_a_longer_string():
    got = place(_doc(), _items("Sherman", "Putin", "Wendy Sherman", "Putin"), "all")
    spans = sorted((p.start, p.end) for p in got if p.status == "placed")
    assert [TEXT[s:e] for s, e in spans] == ["Wendy Sherman", "Putin", "Sherman", "Putin", "Putin"]
    assert [p.status for p in got].count("repeated") == 1
    assert not any(p.ambiguous for p in got)
    # the default: one occurrence per listing, the rest ambiguous
    listed = place(_doc(), _items("Sherman", "Putin", "Wendy Sherman", "Putin"))
    assert sum(p.status == "placed" for p in listed) == 4 and any(p.ambiguous for p in listed)


def test_pinned_items_keep_their_place_under_all():
    items = _items("Putin") + [{"text": "Putin", "label": "ORG", "occurrence": 2, "context": None}]
    got = place(_doc(), items, "all")
    by_start = {p.start: p.label for p in got if p.status == "placed"}
    assert by_start == {18: "PER", 37: "PER", 50: "ORG"}


def _one_doc_corpus():
    from newsgold.corpus.build import load_corpus

    return {SEED_DOC: load_corpus(CORPUS)[SEED_DOC]}


@pytest.mark.parametrize("pretty", [False, True])
def test_a_bare_list_of_mentions_is_text_only_output(tmp_path, pretty):
    items = [{"text": "Putin", "label": "PERSON"}, {"text": "Blinken", "label": "PERSON"}]
    path = tmp_path / "llm.json"
    path.write_text(json.dumps(items, indent=2 if pretty else None) + "\n", encoding="utf-8")
    assert detect_format(path) == "text"
    preds = load_predictions(path, _one_doc_corpus())
    (ann,) = preds.annotations.values()
    assert {m.text for m in ann.mentions} == {"Putin", "Blinken"}
    assert any("by order" in p.message for p in preds.problems)


def test_hf_bare_lists_are_still_hf(tmp_path):
    path = tmp_path / "hf.jsonl"
    path.write_text(json.dumps([{"entity_group": "PER", "start": 0, "end": 5}]) + "\n")
    assert detect_format(path) == "hf"


def test_bare_lists_need_one_line_per_corpus_document(tmp_path):
    from newsgold.errors import NewsgoldError

    corpus = _one_doc_corpus()
    two = {**corpus, "zz": Document("zz", "Another text.")}
    path = tmp_path / "llm.jsonl"
    path.write_text(json.dumps([{"text": "Putin", "label": "PERSON"}]) + "\n", encoding="utf-8")
    with pytest.raises(NewsgoldError, match="matched to the corpus documents by order"):
        load_predictions(path, two)


def _seed_only(tmp_path):
    """The seed article's gold and corpus lines: a one-document corpus, for bare lists."""
    out = []
    for src, name in ((GOLD, "gold.jsonl"), (CORPUS, "documents.jsonl")):
        lines = src.read_text(encoding="utf-8").splitlines()
        keep = [x for x in lines if json.loads(x)["meta"]["doc_id"] == SEED_DOC]
        (tmp_path / name).write_text("\n".join(keep) + "\n", encoding="utf-8")
        out.append(tmp_path / name)
    return out


def test_cli_occurrences_all_and_the_report_of_both_rules(tmp_path):
    items = [{"text": t, "label": "PERSON"} for t in ("Putin", "Blinken", "Macron")]
    path = tmp_path / "llm.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    gold, corpus = _seed_only(tmp_path)
    args = ["score", str(path), "--gold", str(gold), "--corpus", str(corpus), "--bootstrap", "0"]
    listed = CliRunner().invoke(app, [*args, "--json"])
    every = CliRunner().invoke(app, [*args, "--json", "--occurrences", "all"])
    assert listed.exit_code == every.exit_code == 0, listed.output + every.output
    a = json.loads(listed.stdout)["manifest"]["placement"]
    b = json.loads(every.stdout)["manifest"]["placement"]
    assert a["placed"] == 2 and a["unplaceable"] == 1 and a["ambiguous"] >= 1
    assert b["placed"] == a["all: placed"] > a["placed"] and b["ambiguous"] == 0
    assert b["listed: placed"] == a["placed"]
    ner = json.loads(every.stdout)["modes"]["strict"]["micro"]
    assert ner["n_pred"] == b["placed"]
    bad = CliRunner().invoke(app, ["score", str(GOLD), "--gold", str(GOLD), "--occurrences", "all"])
    assert bad.exit_code == 1 and "--occurrences applies to text-only output" in bad.output


def test_a_malformed_bare_list_line_is_reported_once(tmp_path):
    from newsgold.errors import NewsgoldError

    path = tmp_path / "llm.jsonl"
    path.write_text('[{"text": "Putin", "label": "PERSON"\n', encoding="utf-8")
    with pytest.raises(NewsgoldError) as exc:
        load_predictions(path, _one_doc_corpus(), format="text")
    assert [p.line for p in exc.value.problems] == [1]
    assert "malformed JSON" in exc.value.problems[0].message

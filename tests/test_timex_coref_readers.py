"""The timex and coref layers read from brat (T, A, Equiv), text-only (LLM) JSON and
Prodigy, as prediction or as --gold: the gold in each format scores 1.0."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.annotations import load_annotations
from newsgold.formats.predictions import load_predictions
from newsgold.metrics.coref import chain_mentions
from newsgold.metrics.timex import timex_mentions
from newsgold.timex_coref_scoring import LayerOptions, score_coref, score_timex

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "annotations" / "gold.jsonl"
CORPUS = ROOT / "corpus" / "documents.jsonl"
OPTS = LayerOptions(n_resamples=0)


def write_brat(folder: Path, ann) -> None:
    """Entity and timex mentions as T lines, TIMEX3 type and value as A lines, chains of
    two or more as Equiv lines."""
    folder.mkdir()
    (folder / f"{ann.doc_id}.txt").write_text(ann.document.text, encoding="utf-8")
    lines, tid, members = [], {}, {}
    for s, e, c in chain_mentions(ann, "entities")[0]:
        members.setdefault(c, []).append((s, e))
    ms = sorted(
        (m for m in ann.mentions if m.kind in ("entity", "timex", "value")),
        key=lambda m: (m.start, m.end, m.cluster is None),
    )
    n_attr = 0
    for k, m in enumerate(ms, start=1):
        s, e = m.start, m.end
        tid.setdefault((s, e), f"T{k}")  # a double-tagged span: the chained mention
        lines.append(f"T{k}\t{m.label} {s} {e}\t{ann.document.text[s:e]}")
        for key in ("type", "value"):
            if m.kind == "timex" and m.attrs.get(key):
                n_attr += 1
                lines.append(f"A{n_attr}\t{key.title()} T{k} {m.attrs[key]}")
    for chain in members.values():
        if len(chain) > 1:
            lines.append("*\tEquiv " + " ".join(tid[x] for x in chain))
    (folder / f"{ann.doc_id}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_text(path: Path, ann) -> None:
    """Timexes as LLM-style strings with values; occurrences keep them in place."""
    items = []
    for m in timex_mentions(ann):
        s = ann.document.text[m.start : m.end]
        occ = ann.document.text.count(s, 0, m.start)
        items.append(
            {"text": s, "label": m.attrs["type"], "value": m.attrs["value"], "occurrence": occ}
        )
    path.write_text(json.dumps({"doc_id": ann.doc_id, "mentions": items}) + "\n", encoding="utf-8")


def _perfect(result_timex=None, result_coref=None):
    if result_timex is not None:
        assert all(s["f1"] == 1.0 for s in result_timex.summaries.values()), result_timex.summaries
    if result_coref is not None:
        ent = result_coref.summaries["entities"]
        assert all(s["f1"] == 1.0 for s in ent.values()), ent


def test_brat_carries_timex_attributes_and_equiv_chains(tmp_path):
    gold = load_annotations(GOLD)
    ann = next(iter(gold.values()))
    write_brat(tmp_path / "brat", ann)
    preds = load_predictions(tmp_path / "brat", {ann.doc_id: ann.document}, format="brat")
    _perfect(score_timex(gold, preds.annotations, OPTS), score_coref(gold, preds.annotations, OPTS))


def test_text_only_values(tmp_path):
    gold = load_annotations(GOLD)
    ann = next(iter(gold.values()))
    path = tmp_path / "llm.jsonl"
    write_text(path, ann)
    preds = load_predictions(path, {ann.doc_id: ann.document}, format="text")
    r = score_timex(gold, preds.annotations, OPTS)
    # 'Today' and 'today' differ in case: exact placement keeps each on its own string
    _perfect(r)
    assert r.relations == {"equal": 10}


def test_brat_as_gold_through_the_cli(tmp_path):
    ann = next(iter(load_annotations(GOLD).values()))
    write_brat(tmp_path / "brat", ann)
    res = CliRunner().invoke(
        app,
        [
            "score",
            str(GOLD),
            "--gold",
            str(tmp_path / "brat"),
            "--corpus",
            str(CORPUS),
            "--layers",
            "timex,coref",
            "--json",
            "--bootstrap",
            "0",
        ],
    )
    assert res.exit_code == 0, res.output
    layers = json.loads(res.stdout)["layers"]
    assert all(v["f1"] == 1.0 for v in layers["timex"]["metrics"].values())
    assert all(v["f1"] == 1.0 for v in layers["coref"]["metrics"]["entities"].values())


def test_spacy_coref_clusters():
    spacy = __import__("pytest").importorskip("spacy")
    from newsgold.formats.spacy_docs import from_docs
    from newsgold.model import Annotation, Document, Mention

    nlp = spacy.blank("en")
    doc = nlp("Putin met Lavrov. He left and Lavrov stayed.")
    doc.ents = [doc.char_span(0, 5, "PERSON"), doc.char_span(10, 16, "PERSON")]
    doc.spans["coref_clusters_1"] = [doc.char_span(0, 5), doc.char_span(18, 20)]
    doc.spans["coref_clusters_2"] = [doc.char_span(10, 16), doc.char_span(30, 36)]
    corpus_doc = Document("d1", doc.text)
    preds = from_docs([doc], {"d1": corpus_doc})
    got = preds.annotations["d1"]
    assert sorted((m.start, m.label, m.cluster) for m in got.mentions) == [
        (0, "PERSON", "coref_clusters_1"),
        (10, "PERSON", "coref_clusters_2"),
        (18, "MENTION", "coref_clusters_1"),
        (30, "MENTION", "coref_clusters_2"),
    ]
    assert any("MENTION" in p.message for p in preds.problems)
    gold = Annotation(
        corpus_doc,
        [
            Mention(s, e, "PERSON", cluster=c)
            for s, e, c in ((0, 5, "a"), (18, 20, "a"), (10, 16, "b"), (30, 36, "b"))
        ],
    )
    r = score_coref({"d1": gold}, preds.annotations, OPTS)
    assert all(s["f1"] == 1.0 for s in r.summaries["entities"].values())

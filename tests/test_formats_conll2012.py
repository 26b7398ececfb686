"""The CoNLL-2012 coreference reader: the gold written as a *_conll file reads back to the
same chains; it can be the --gold; bad files are clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.annotations import load_annotations
from newsgold.formats.predictions import detect_format, load_predictions
from newsgold.metrics.coref import chain_mentions
from newsgold.timex_coref_scoring import LayerOptions, score_coref

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "annotations" / "gold.jsonl"
CORPUS = ROOT / "corpus" / "documents.jsonl"


def write_conll2012(path: Path, ann) -> None:
    """The gold's entity chains in the CoNLL-2012 layout (12 columns, NE column '*')."""
    doc = ann.document
    ids = {c: i for i, c in enumerate(sorted({m.cluster for m in ann.mentions if m.cluster}))}
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for s, e, c in chain_mentions(ann, "entities")[0]:
        t0 = next(t.id for t in doc.tokens if t.start == s)
        t1 = next(t.id for t in doc.tokens if t.end == e)
        if t0 == t1:
            opens.setdefault(t0, []).append(f"({ids[c]})")
        else:
            opens.setdefault(t0, []).append(f"({ids[c]}")
            closes.setdefault(t1, []).append(f"{ids[c]})")
    lines = [f"#begin document ({ann.doc_id}); part 000"]
    for sent in doc.sentences:
        for k, t in enumerate(doc.tokens[sent.token_start : sent.token_end + 1]):
            if not t.text.strip():
                continue
            cell = "|".join(opens.get(t.id, []) + closes.get(t.id, [])) or "-"
            cols = [ann.doc_id, "0", str(k), t.text, "NN", "*", "-", "-", "-", "-", "*", cell]
            lines.append("\t".join(cols))
        lines.append("")
    lines.append("#end document")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_gold_round_trip(tmp_path):
    gold = load_annotations(GOLD)
    ann = next(iter(gold.values()))
    path = tmp_path / "gold.v4_gold_conll"
    write_conll2012(path, ann)
    assert detect_format(path) == "conll2012"
    preds = load_predictions(path, {ann.doc_id: ann.document})
    got = preds.annotations[ann.doc_id]
    want = {(s, e) for s, e, _ in chain_mentions(ann, "entities")[0]}
    assert {(m.start, m.end) for m in got.mentions} == want
    r = score_coref(gold, preds.annotations, LayerOptions(n_resamples=0))
    assert all(s["f1"] == 1.0 for s in r.summaries["entities"].values())


def test_as_gold_through_the_cli(tmp_path):
    ann = next(iter(load_annotations(GOLD).values()))
    path = tmp_path / "gold.conll"
    write_conll2012(path, ann)
    res = CliRunner().invoke(
        app,
        [
            "score",
            str(GOLD),
            "--gold",
            str(path),
            "--corpus",
            str(CORPUS),
            "--layers",
            "coref",
            "--json",
            "--bootstrap",
            "0",
        ],
    )
    assert res.exit_code == 0, res.output
    ent = json.loads(res.stdout)["layers"]["coref"]["metrics"]["entities"]
    assert {k: v["f1"] for k, v in ent.items()} == dict.fromkeys(
        ("MUC", "B3", "CEAFe", "LEA", "CoNLL"), 1.0
    )


def test_named_entities_label_the_mentions(tmp_path):
    from newsgold.model import Document

    doc = Document("x", "Putin met Lavrov. He left.")
    rows = [
        ("Putin", "(PERSON)", "(1)"),
        ("met", "*", "-"),
        ("Lavrov", "(PERSON*", "(2"),
        (".", "*)", "2)"),
        ("He", "*", "(1)"),
        ("left", "(EVENT)", "-"),
        (".", "*", "-"),
    ]
    lines = ["#begin document (x); part 000"]
    for k, (w, ne, c) in enumerate(rows):
        lines.append(" ".join(["x", "0", str(k), w, "NN", "*", "-", "-", "-", "-", ne, c]))
    lines.append("#end document")
    path = tmp_path / "a.conll"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = load_predictions(path, {"x": doc}).annotations["x"]
    assert [(doc.text[m.start : m.end], m.label, m.cluster) for m in got.mentions] == [
        ("Putin", "PERSON", "x:1"),
        ("Lavrov.", "PERSON", "x:2"),
        ("He", "MENTION", "x:1"),
        ("left", "EVENT", None),
    ]
    assert [c.id for c in got.clusters] == ["x:1", "x:2"]


def test_bad_coref_cells_are_errors(tmp_path):
    ann = next(iter(load_annotations(GOLD).values()))
    path = tmp_path / "bad.conll"
    write_conll2012(path, ann)
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.endswith("\t-"))
    lines[i] = lines[i][:-1] + "(99"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["score", str(path), "--gold", str(GOLD), "--corpus", str(CORPUS), "--layers", "coref"]
    )
    assert res.exit_code == 1
    assert "opened but never closed" in res.output and f":{i + 1}" in res.output

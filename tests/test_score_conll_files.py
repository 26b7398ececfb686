"""End to end: two CoNLL files in, `newsgold score --gold G P` out, checked against seqeval
and nervaluate run on the same tags (the way their users compare a system with a gold)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsgold.cli import app

seqeval_metrics = pytest.importorskip("seqeval.metrics")
nervaluate = pytest.importorskip("nervaluate")

TAGS = ["O", "O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER"]


def _write(path, docs):
    lines = []
    for d, sentences in enumerate(docs):
        lines += [f"-DOCSTART- d{d}", ""]
        for sentence in sentences:
            lines += [f"w{i} {tag}" for i, tag in enumerate(sentence)] + [""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@st.composite
def tag_files(draw):
    docs_true, docs_pred = [], []
    for _ in range(draw(st.integers(1, 3))):
        lengths = [draw(st.integers(1, 12)) for _ in range(draw(st.integers(1, 3)))]
        docs_true.append([[draw(st.sampled_from(TAGS)) for _ in range(k)] for k in lengths])
        docs_pred.append([[draw(st.sampled_from(TAGS)) for _ in range(k)] for k in lengths])
    return docs_true, docs_pred


def _score(tmp_path, docs_true, docs_pred, *extra):
    gold, pred = tmp_path / "gold.conll", tmp_path / "pred.conll"
    _write(gold, docs_true)
    _write(pred, docs_pred)
    args = ["score", str(pred), "--gold", str(gold), "--bootstrap", "0", "--json", *extra]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tag_files())
def test_conll_gold_and_prediction_files_score_as_seqeval_and_nervaluate(tmp_path, data):
    docs_true, docs_pred = data
    y_true = [s for d in docs_true for s in d]
    y_pred = [s for d in docs_pred for s in d]
    ref_f1 = seqeval_metrics.f1_score(y_true, y_pred, zero_division=0)
    ours = _score(tmp_path, docs_true, docs_pred)
    assert math.isclose(ours["modes"]["strict"]["micro"]["f1"], ref_f1, abs_tol=1e-12)
    seq = _score(tmp_path, docs_true, docs_pred, "--preset", "seqeval")
    assert math.isclose(seq["modes"]["seqeval"]["micro"]["f1"], ref_f1, abs_tol=1e-12)
    ref = nervaluate.Evaluator(y_true, y_pred, tags=["LOC", "ORG", "PER"], loader="list").evaluate()
    nv = _score(tmp_path, docs_true, docs_pred, "--preset", "nervaluate")
    for mode in ("strict", "exact", "partial", "ent_type"):
        for f in ("correct", "incorrect", "partial", "missed", "spurious"):
            assert nv["modes"][mode]["micro"][f] == getattr(ref["overall"][mode], f), (mode, f)

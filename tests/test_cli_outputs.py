"""Every output flag of every command refuses to write over an input or the repository's
data, writes atomically, and cleans up what a killed write left (issue 8 §1); ``-o`` writes
what would be printed, as plain text (issue 7)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsgold.outputs import OutputError, check_output, clean_stale_temporaries, write_output
from tests.cli_helpers import ROOT, assert_clean_error, copy_project, run

GOLD = Path("annotations/gold.jsonl")
CORPUS = Path("corpus/documents.jsonl")
SEED = next((ROOT / "seeds").iterdir()).name


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A copy of the repository as the current directory, with a system output beside it."""
    root = copy_project(tmp_path / "proj")
    monkeypatch.chdir(root)
    (root / "out").mkdir()
    task = json.loads((root / GOLD).read_text(encoding="utf-8").splitlines()[0])
    task["spans"] = [s for s in task["spans"] if s.get("kind") == "entity"][::2]
    task["relations"], task["clusters"] = [], []
    (root / "out" / "pred.jsonl").write_text(json.dumps(task) + "\n", encoding="utf-8")
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


# (command line without the output flag, output flag, the paths of inputs it must refuse)
SCORE = ["score", "out/pred.jsonl", "--bootstrap", "0"]
COMMANDS = [
    (SCORE, "-o", ["out/pred.jsonl", str(GOLD)]),
    ([*SCORE, "--json"], "-o", ["out/pred.jsonl", str(GOLD), str(CORPUS)]),
    ([*SCORE, "--csv"], "-o", [str(CORPUS)]),
    (SCORE, "--errors", ["out/pred.jsonl", str(GOLD), str(CORPUS)]),
    (SCORE, "--html", ["out/pred.jsonl", str(GOLD), f"seeds/{SEED}"]),
    (["compare", str(GOLD), "out/pred.jsonl", "--resamples", "5"], "-o", ["out/pred.jsonl"]),
    (["compare", "out/pred.jsonl", str(GOLD), "--resamples", "5", "--json"], "-o", [str(GOLD)]),
    (
        ["agreement", "annotations/iaa/v1/annotator_a.jsonl", "out/pred.jsonl"],
        "-o",
        ["out/pred.jsonl", "annotations/iaa/v1/annotator_a.jsonl"],
    ),
    (["stats", "out/pred.jsonl"], "-o", ["out/pred.jsonl"]),
    (["stats", "out/pred.jsonl", "--json"], "-o", [str(GOLD)]),
]


@pytest.mark.parametrize(("args", "flag", "targets"), COMMANDS)
def test_every_output_flag_refuses_inputs_and_repository_data(project, args, flag, targets):
    before = _snapshot(project)
    for target in [*targets, "annotations/new.jsonl", "corpus/x.txt", "seeds/new.txt"]:
        res = run(*args, flag, target)
        assert_clean_error(res, "refusing to write", flag)
        assert _snapshot(project) == before, target


@pytest.mark.parametrize(("args", "flag", "targets"), COMMANDS)
def test_every_output_flag_writes_elsewhere(project, args, flag, targets):
    res = run(*args, flag, "out/result.txt")
    assert res.exit_code == 0, res.output
    text = (project / "out" / "result.txt").read_text(encoding="utf-8")
    assert text.strip() and "\x1b[" not in text
    assert not list((project / "out").glob(".*.tmp"))


def test_links_and_relative_spellings_of_an_input_are_refused(project):
    (project / "out" / "sym.jsonl").symlink_to(project / "out" / "pred.jsonl")
    os.link(project / GOLD, project / "out" / "hard.jsonl")
    for target in ("out/sym.jsonl", "out/hard.jsonl", "out/../out/pred.jsonl"):
        res = run(*SCORE, "--errors", target)
        assert_clean_error(res, "refusing to write over")
    # a symlink pointing into the repository's data is refused as data
    (project / "out" / "to_gold").symlink_to(project / "annotations")
    assert_clean_error(run(*SCORE, "-o", "out/to_gold/x.txt"), "refusing to write into")


def test_output_inside_an_input_folder_is_refused(tmp_path):
    brat = tmp_path / "brat"
    brat.mkdir()
    with pytest.raises(OutputError, match="inside"):
        check_output(brat / "doc.ann", inputs=[brat], flag="--errors")


def test_two_outputs_of_one_command_may_not_be_the_same_file(project):
    res = run(*SCORE, "--errors", "out/x.txt", "--html", "out/x.txt")
    assert_clean_error(res, "the same file as")


def test_output_into_a_folder_names_the_target(project):
    res = run(*SCORE, "--json", "-o", "out")
    assert_clean_error(res, "out")
    assert ".tmp" not in res.output
    with pytest.raises(OutputError, match="is a folder"):
        write_output(project / "out", "x", flag="-o")


def test_build_is_the_one_writer_of_the_corpus_and_never_over_a_seed(project):
    corpus = project / CORPUS
    corpus.write_text("stale\n", encoding="utf-8")
    res = run("build")
    assert res.exit_code == 0, res.output
    assert corpus.read_bytes() == (ROOT / CORPUS).read_bytes()
    corpus.unlink()
    corpus.symlink_to(project / "seeds" / SEED)
    seed = (project / "seeds" / SEED).read_bytes()
    assert_clean_error(run("build"), "refusing to write over")
    assert (project / "seeds" / SEED).read_bytes() == seed


def test_build_rebuilds_a_corpus_that_is_not_utf8(project):
    corpus = project / CORPUS
    corpus.write_bytes(b"\xff\xfe not utf-8\n")
    res = run("build", "--check")
    assert res.exit_code == 1 and "not UTF-8" in res.output and "Traceback" not in res.output
    res = run("build")
    assert res.exit_code == 0, res.output
    assert corpus.read_bytes() == (ROOT / CORPUS).read_bytes()


def test_build_names_seeds_by_the_root_the_user_gave(project, tmp_path, monkeypatch):
    (project / "seeds" / "bad.txt").write_bytes(b"no header here")
    monkeypatch.chdir(tmp_path)
    res = run("build", "--root", "proj")
    assert_clean_error(res, str(Path("proj") / "seeds" / "bad.txt"))


def test_stale_temporaries_are_removed_and_never_read(project):
    dead = 2**22 + 12345  # above Linux's largest PID: no such process
    stale = project / "out" / f".result.txt.{dead}.abc.tmp"
    stale.write_text("half", encoding="utf-8")
    live = project / "out" / f".result.txt.{os.getpid()}.def.tmp"
    live.write_text("being written", encoding="utf-8")
    assert run(*SCORE, "-o", "out/result.txt").exit_code == 0
    assert not stale.exists() and live.exists()
    # leftovers in the data folders are never read by validate or build
    (project / "annotations" / f".gold.jsonl.{dead}.x.tmp").write_text("{", encoding="utf-8")
    (project / "seeds" / f".{SEED}.{dead}.x.tmp").write_text("junk", encoding="utf-8")
    assert run("validate").exit_code == 0
    res = run("build", "--check")
    assert res.exit_code == 0, res.output
    assert clean_stale_temporaries(project / "seeds" / SEED) == [
        project / "seeds" / f".{SEED}.{dead}.x.tmp"
    ]


def test_o_writes_the_tables_as_plain_text(project):
    res = run(*SCORE, "-o", "out/tables.txt")
    assert res.exit_code == 0, res.output
    text = (project / "out" / "tables.txt").read_text(encoding="utf-8")
    assert "strict" in text and "micro" in text and "gold annotations" in text
    assert "\x1b" not in text
    assert "micro" not in res.stdout  # written, not printed


@pytest.mark.parametrize("pair", [("--json", "--csv"), ("--csv", "--markdown")])
def test_conflicting_output_flags_are_an_error(project, pair):
    assert_clean_error(run(*SCORE, *pair), *pair, "conflict")


def test_help_shows_flags_as_flags():
    for command in ("score", "compare", "stats", "build", "agreement"):
        res = run(command, "--help")
        assert res.exit_code == 0
        assert "<bool>" not in res.output, command
    assert "--json" in run("score", "--help").output


def test_choices_in_cli_common_are_the_librarys():
    from newsgold.cli_common import EVENT_PRESETS, FORMATS, MODES, PRESETS
    from newsgold.cli_events import EVENT_PRESETS as E
    from newsgold.formats.predictions import FORMATS as F
    from newsgold.metrics.entities import MODES as M
    from newsgold.metrics.presets import PRESETS as P

    assert (PRESETS, EVENT_PRESETS, FORMATS, MODES) == (P, E, F, M)


def test_compare_json_names_both_files_and_has_a_manifest(project):
    res = run("compare", GOLD, "out/pred.jsonl", "--resamples", "20", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["a"] == str(GOLD) and data["b"] == "out/pred.jsonl"
    m = data["manifest"]
    assert m["a"]["sha256"] and m["b"]["format"] == "prodigy" and m["gold"]["sha256"]


def test_compare_table_fits_its_headers(project):
    res = run("compare", GOLD, "out/pred.jsonl", "--resamples", "20")
    assert res.exit_code == 0, res.output
    header = next(line for line in res.stdout.splitlines() if "mode" in line and "F1 A" in line)
    for h in ("p boot", "p rand", "95% CI", "B - A"):
        assert h in header, header
    assert "…" not in res.stdout


def test_csv_counts_are_integers_and_markdown_has_per_label_rows(project):
    res = run(*SCORE, "--csv")
    assert res.exit_code == 0, res.output
    head, first = res.stdout.splitlines()[:2]
    row = dict(zip(head.split(","), first.split(",")))
    assert row["correct"].isdigit() and row["n_gold"].isdigit()
    md = run(*SCORE, "--markdown").stdout
    assert "per label" in md and "| PERSON |" in md


def test_command_modules_do_not_import_the_app():
    """No import cycle: the commands share cli_common, and only cli assembles them."""
    import subprocess
    import sys

    code = (
        "import sys, newsgold.cli_score, newsgold.cli_compare, newsgold.cli_corpus; "
        "print('newsgold.cli' in sys.modules)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.stdout.strip() == "False", res.stderr

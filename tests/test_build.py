"""``newsgold build``: deterministic output, and ``--check`` naming stale documents."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsgold.corpus.build import build, build_documents, load_corpus, render

DOC_ID = "000_e2a7510a474f58d9"


@pytest.fixture
def project(tmp_path, project_root) -> Path:
    """A tmp copy of the project's seeds/ and corpus/."""
    shutil.copytree(project_root / "seeds", tmp_path / "seeds")
    shutil.copytree(project_root / "corpus", tmp_path / "corpus", ignore=_only_documents)
    return tmp_path


def _only_documents(folder, names):
    return [n for n in names if n != "documents.jsonl"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsgold.cli", *args], cwd=cwd, capture_output=True, text=True
    )


def test_committed_corpus_is_up_to_date(project_root):
    committed = (project_root / "corpus" / "documents.jsonl").read_text(encoding="utf-8")
    assert render(build_documents(project_root)) == committed


def test_rebuild_is_byte_identical(project):
    target = project / "corpus" / "documents.jsonl"
    target.unlink()
    first = build(project)
    seeds = sorted(p.stem for p in (project / "seeds").glob("*.txt"))
    assert first.written and first.stale == seeds and DOC_ID in seeds
    before = target.read_bytes()
    second = build(project)
    assert not second.written and second.stale == []
    assert target.read_bytes() == before
    target.unlink()
    build(project)
    assert target.read_bytes() == before


def test_built_corpus_reads_back(project):
    docs = load_corpus(project / "corpus" / "documents.jsonl")
    built = build_documents(project)
    assert docs == {doc.doc_id: doc for doc in built} and DOC_ID in docs


def test_check_passes_when_up_to_date(project):
    done = run_cli("build", "--root", str(project), "--check", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_check_names_the_stale_document(project):
    seed = project / "seeds" / f"{DOC_ID}.txt"
    seed.write_bytes(seed.read_bytes().replace(b"Kremlin", b"Kremlin Palace", 1))
    corpus = project / "corpus" / "documents.jsonl"
    before = corpus.read_bytes()
    done = run_cli("build", "--root", str(project), "--check", cwd=project)
    assert done.returncode == 1
    assert "stale" in done.stderr and DOC_ID in done.stderr
    assert "Traceback" not in done.stderr
    assert corpus.read_bytes() == before  # --check writes nothing
    # a plain build brings it up to date
    assert run_cli("build", "--root", str(project), cwd=project).returncode == 0
    assert run_cli("build", "--root", str(project), "--check", cwd=project).returncode == 0


def test_check_names_a_new_seed(project):
    (project / "seeds" / "001_new.txt").write_text(" date 2021-12-02 NATO met.", "utf-8")
    result = build(project, check=True)
    assert result.stale == ["001_new"] and not result.written


def test_bad_seed_exits_1_without_traceback(project):
    (project / "seeds" / "001_bad.txt").write_bytes(b" date 2021-02-30 x")
    done = run_cli("build", "--root", str(project), cwd=project)
    assert done.returncode == 1
    assert "seeds/001_bad.txt" in done.stderr and "impossible date" in done.stderr
    assert "Traceback" not in done.stderr


def test_atomic_writes_get_ordinary_permissions(tmp_path):
    import os
    import stat

    from newsgold.formats.jsonl import write_text_atomic

    new = tmp_path / "new.txt"
    write_text_atomic(new, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    old = tmp_path / "old.txt"
    old.write_text("y")
    old.chmod(0o640)
    write_text_atomic(old, "z")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640 and old.read_text() == "z"


@pytest.mark.parametrize("make_seeds", [False, True])
def test_build_without_seeds_is_a_clear_error(tmp_path, make_seeds):
    from typer.testing import CliRunner

    from newsgold.cli import app

    if make_seeds:
        (tmp_path / "seeds").mkdir()
    res = CliRunner().invoke(app, ["build", "--root", str(tmp_path)])
    assert res.exit_code == 1
    assert "seed" in res.output and "Traceback" not in res.output

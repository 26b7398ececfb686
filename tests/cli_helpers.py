"""Helpers for the command-line tests: a copy of the project and one way to run a command."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from newsgold.cli import app

ROOT = Path(__file__).resolve().parent.parent


def copy_project(dest: Path) -> Path:
    """A copy of the repository's data (seeds, corpus, annotations) at ``dest``."""
    for folder in ("seeds", "corpus", "annotations"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


def run(*args, env=None):
    """``newsgold ARGS...`` through typer's runner; stderr is kept apart from stdout."""
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def assert_clean_error(res, *needles: str) -> None:
    """Exit 1 with a message (no traceback) that holds every needle."""
    text = res.output
    assert res.exit_code == 1, (res.exit_code, text, res.exception)
    assert "Traceback" not in text
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    for n in needles:
        assert n in text, (n, text)

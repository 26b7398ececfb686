"""Promises the repository makes about itself: the README's set-up commands, CI, layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.match(r"# [^\n]+\n+```bash\n(.*?)```", text, re.S)
    assert block, "README must open with a bash block of set-up commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_two_commands_and_ci_runs_the_test_one():
    commands = _readme_commands()
    assert len(commands) == 2
    main, tests = commands
    assert "newsgold build" in main and "newsgold validate" in main
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci, "CI must run the README's test command verbatim"


def test_no_top_level_evaluate_package():
    # it would shadow Hugging Face's `evaluate` for everyone who installs newsgold
    assert not (ROOT / "evaluate" / "__init__.py").exists()


def test_seeds_are_the_seeds_as_received():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("no shared seeds beside this checkout")
    for f in shared.iterdir():
        if f.is_file():
            assert (ROOT / "seeds" / f.name).read_bytes() == f.read_bytes(), f.name

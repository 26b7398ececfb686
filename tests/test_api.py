"""The top-level API: ``newsgold.load_gold``, ``load_corpus``, ``score`` (docs/api.md is
run as a doctest), and ``import newsgold`` staying cheap."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_api_page_runs_as_a_doctest(monkeypatch):
    monkeypatch.chdir(ROOT)
    failures, tried = doctest.testfile(
        str(ROOT / "docs" / "api.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert tried > 10 and failures == 0


HEAVY = ("numpy", "scipy", "pandas", "spacy", "rich.table")


def _modules_after(code: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_import_newsgold_imports_nothing_heavy():
    loaded = _modules_after("import newsgold")
    assert not {m for m in HEAVY if m in loaded}


def test_help_imports_nothing_heavy():
    code = "import sys; sys.argv = ['newsgold', '--help']\nfrom newsgold.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    loaded = _modules_after(code)
    # typer draws its help with rich's tables, so those are expected here
    assert not {m for m in HEAVY if m in loaded} - {"rich.table"}


def test_scoring_needs_scipy_only_for_tangled_overlaps():
    code = (
        "import newsgold\n"
        "from newsgold.model import Annotation, Document, Mention\n"
        "doc = Document('d', 'Putin met Blinken in Geneva.')\n"
        "g = {'d': Annotation(doc, [Mention(0, 5, 'PERSON'), Mention(10, 17, 'PERSON')])}\n"
        "p = {'d': Annotation(doc, [Mention(0, 5, 'PERSON'), Mention(21, 27, 'GPE')])}\n"
        "newsgold.score(p, gold=g, corpus={}, n_resamples=50)"
    )
    loaded = _modules_after(code)
    assert "numpy" in loaded and not {"scipy", "pandas", "spacy"} & loaded


def test_score_with_a_missing_document_is_an_error_unless_allowed():
    import newsgold
    from newsgold.errors import NewsgoldError

    gold = newsgold.load_gold(ROOT / "annotations" / "gold.jsonl")
    with pytest.raises(NewsgoldError, match="no prediction"):
        newsgold.score({}, gold=gold, n_resamples=0)
    r = newsgold.score({}, gold=gold, n_resamples=0, allow_missing=True)
    assert r.summaries["strict"]["micro"]["recall"] == 0

"""Shared fixtures: the project root and the first corpus document."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgold.formats.jsonl import iter_jsonl
from newsgold.formats.prodigy import document_from_json
from newsgold.model import Document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project_root() -> Path:
    """The repository root (holding seeds/, corpus/, annotations/)."""
    return ROOT


@pytest.fixture
def corpus_doc(project_root: Path) -> Document:
    """The first document of corpus/documents.jsonl."""
    for _, obj, problem in iter_jsonl(project_root / "corpus" / "documents.jsonl"):
        assert problem is None, problem
        return document_from_json(obj)
    raise AssertionError("corpus/documents.jsonl is empty")

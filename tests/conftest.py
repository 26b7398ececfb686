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


#: sample system outputs and the seeds they were made from (tests/data/formats/README: make_samples.py)
FORMATS_DATA = ROOT / "tests" / "data" / "formats"
DOC0, DOC1 = "000_e2a7510a474f58d9", "001_kyiv_talks"


@pytest.fixture(scope="session")
def formats_corpus() -> dict[str, Document]:
    """The documents built from tests/data/formats/seeds (the real seed and a second one)."""
    from newsgold.corpus.build import document_from_seed

    docs = [document_from_seed(p) for p in sorted((FORMATS_DATA / "seeds").glob("*.txt"))]
    return {d.doc_id: d for d in docs}

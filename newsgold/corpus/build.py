"""``newsgold build``: every seed becomes one document of ``corpus/documents.jsonl``.

The build is deterministic (documents sorted by doc_id, canonical JSON, no timestamps), so
a rebuild writes the same bytes and ``--check`` can tell a stale corpus by comparing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import orjson

from newsgold.corpus.seeds import read_seed
from newsgold.corpus.segment import segment
from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import dumps_line, iter_jsonl
from newsgold.formats.prodigy import document_to_json, stable_hash
from newsgold.model import Document
from newsgold.outputs import write_output

CORPUS_FILE = Path("corpus") / "documents.jsonl"


def document_from_seed(path: str | Path, *, root: str | Path | None = None) -> Document:
    seed = read_seed(path, root=root)
    tokens, sentences, paragraphs = segment(seed.text)
    meta = {
        "doc_id": seed.doc_id,
        "date": seed.date,
        "source": seed.source,
        "sha256": seed.sha256,
        "text_offset": seed.text_offset,
    }
    if seed.normalised:
        meta["normalised"] = seed.normalised
    return Document(
        doc_id=seed.doc_id,
        text=seed.text,
        tokens=tokens,
        sentences=sentences,
        paragraphs=paragraphs,
        meta=meta,
        input_hash=stable_hash(seed.text),
    )


def seed_paths(seeds_dir: Path) -> list[Path]:
    if not seeds_dir.is_dir():
        raise NewsgoldError(
            Problem(f"no seeds folder at {seeds_dir}: run from the project root or pass --root")
        )
    paths = sorted(p for p in seeds_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    if not paths:
        raise NewsgoldError(Problem(f"the seeds folder {seeds_dir} holds no seed file"))
    return paths


def build_documents(root: str | Path = ".", *, progress: bool = False) -> list[Document]:
    """Build every document from ``root/seeds``; raise one error listing every bad seed."""
    root = Path(root)
    paths = seed_paths(root / "seeds")
    docs, problems = [], []
    iterator = paths
    if progress and len(paths) > 1:
        from rich.progress import track

        iterator = track(paths, description="building", transient=True)
    for p in iterator:
        try:
            docs.append(document_from_seed(p, root=root))
        except NewsgoldError as exc:
            problems.extend(exc.problems)
    seen: dict[str, str] = {}
    for d in docs:
        if d.doc_id in seen:
            problems.append(
                Problem(
                    f"doc_id also made by {seen[d.doc_id]}", file=d.meta["source"], doc_id=d.doc_id
                )
            )
        seen[d.doc_id] = d.meta["source"]
    if problems:
        raise NewsgoldError(problems)
    return sorted(docs, key=lambda d: d.doc_id)


def render(docs: list[Document]) -> str:
    return "".join(dumps_line(document_to_json(d)) for d in docs)


@dataclass
class BuildResult:
    path: Path
    written: bool
    stale: list[str] = field(default_factory=list)  # doc_ids that differ, are new or are gone


def _lines_by_doc(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.strip():
            try:
                out[str(orjson.loads(line)["meta"]["doc_id"])] = line
            except (ValueError, KeyError, TypeError):
                out[f"<unreadable line {len(out) + 1}>"] = line
    return out


def build(root: str | Path = ".", *, check: bool = False, progress: bool = False) -> BuildResult:
    """Build ``corpus/documents.jsonl``; with ``check``, write nothing and list stale docs."""
    root = Path(root)
    target = root / CORPUS_FILE
    paths = seed_paths(root / "seeds")
    new = render(build_documents(root, progress=progress))
    try:
        old = target.read_bytes().decode("utf-8") if target.exists() else ""
    except UnicodeDecodeError:  # a damaged corpus file: every document is stale
        old = None
    except OSError as exc:
        raise NewsgoldError(Problem(f"cannot read: {exc.strerror}", file=str(target))) from None
    stale: list[str] = []
    if old is None:
        stale = ["<not UTF-8>", *sorted(_lines_by_doc(new))]
    elif new != old:
        a, b = _lines_by_doc(old), _lines_by_doc(new)
        stale = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        if not stale:  # same lines, other order or bytes between them
            stale = ["<file layout>"]
    if check or not stale:
        return BuildResult(target, False, stale)
    # the one sanctioned writer of a file under corpus/; never over a seed
    write_output(target, new, inputs=paths, flag="", sanctioned=target)
    return BuildResult(target, True, stale)


def load_corpus(path: str | Path = CORPUS_FILE) -> dict[str, Document]:
    """Read ``corpus/documents.jsonl`` into documents by doc_id."""
    from newsgold.corpus.index import read_document

    docs, problems = {}, []
    for n, obj, problem in iter_jsonl(path):
        if problem is not None:
            problems.append(problem)
            continue
        doc, faults = read_document(obj, str(path), n)
        if doc is None:
            problems += faults
            continue
        docs[doc.doc_id] = doc
    if problems:
        raise NewsgoldError(problems)
    return docs

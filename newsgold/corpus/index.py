"""``corpus/documents.jsonl`` by doc_id, read on demand: where each document is, not the
document itself.

:func:`~newsgold.corpus.build.load_corpus` holds every document (its text, tokens and
sentences) at once; a command that goes through the corpus one document at a time (``score``,
``validate`` and ``stats`` on large files) needs only where each one starts in the file.
:class:`CorpusIndex` reads the file once, checks every document as ``load_corpus`` does, and
keeps each doc_id's byte offset and the hash of its text; a lookup reads that one line again.
Memory is one offset per document plus a few recently read documents.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path

from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import LineReader, iter_jsonl_offsets
from newsgold.formats.prodigy import document_from_json, stable_hash
from newsgold.model import Document

#: documents kept after reading, so a chunk's documents are not read twice
CACHE_SIZE = 512


def read_document(obj: dict, file: str, line: int) -> tuple[Document | None, list[Problem]]:
    """One corpus line as a :class:`Document`, or None and its problems (file and line)."""
    try:
        return document_from_json(obj), []
    except NewsgoldError as exc:
        return None, [Problem(p.message, file=file, line=line, field=p.field) for p in exc.problems]


class CorpusIndex(Mapping[str, Document]):
    """A corpus file as a read-only mapping of doc_id to :class:`Document`, read on demand.

    Equal to ``load_corpus(path)`` as a mapping (same keys in file order, equal documents,
    the same errors for a bad file), with memory bounded by the number of documents, not
    their size.

    >>> corpus = CorpusIndex("corpus/documents.jsonl")  # doctest: +SKIP
    >>> doc = corpus["000_e2a7510a474f58d9"]  # doctest: +SKIP
    """

    def __init__(self, path: str | Path, *, cache_size: int = CACHE_SIZE):
        self.path = Path(path)
        self._at: dict[str, tuple[int, int]] = {}  # doc_id -> (line, byte offset)
        self._by_hash: dict[int, list[str]] = {}
        self._cache: OrderedDict[str, Document] = OrderedDict()
        self._cache_size = cache_size
        self._lines = LineReader(self.path)  # one handle for every lookup
        problems: list[Problem] = []
        for n, offset, obj, problem in iter_jsonl_offsets(self.path):
            if problem is not None:
                problems.append(problem)
                continue
            doc, faults = read_document(obj, str(self.path), n)
            if doc is None:
                problems += faults
                continue
            # a repeated doc_id: the last line wins, in the first one's place (load_corpus)
            self._at[doc.doc_id] = (n, offset)
            # by the text's own hash (what a lookup by text computes), whatever _input_hash is
            ids = self._by_hash.setdefault(stable_hash(doc.text), [])
            if doc.doc_id not in ids:
                ids.append(doc.doc_id)
        if problems:
            raise NewsgoldError(problems)

    def __getitem__(self, doc_id: str) -> Document:
        doc = self._cache.get(doc_id)
        if doc is not None:
            self._cache.move_to_end(doc_id)
            return doc
        doc = document_from_json(self._lines.read(*self._at[doc_id]))
        self._cache[doc_id] = doc
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return doc

    def close(self) -> None:
        self._lines.close()

    def __getstate__(self) -> dict:
        # sent to worker processes without the documents read so far
        return {**self.__dict__, "_cache": OrderedDict()}

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def line_of(self, doc_id: str) -> int:
        """The line of ``doc_id`` in the corpus file (for messages)."""
        return self._at[doc_id][0]

    def text(self, doc_id: str) -> str:
        """The text of ``doc_id`` (its line parsed, no :class:`Document` built)."""
        doc = self._cache.get(doc_id)
        if doc is not None:
            return doc.text
        n, offset = self._at[doc_id]
        text = self._lines.read(n, offset).get("text")
        if not isinstance(text, str):  # checked when indexed: the file changed since
            raise NewsgoldError(Problem("changed while being read", file=str(self.path), line=n))
        return text

    def find_text(self, text: str) -> list[str]:
        """The doc_ids whose text is ``text`` (by hash, then compared)."""
        ids = self._by_hash.get(stable_hash(text), [])
        order = {d: i for i, d in enumerate(ids)} if len(ids) < 2 else self._position()
        return [d for d in sorted(ids, key=order.__getitem__) if self.text(d) == text]

    def _position(self) -> dict[str, int]:
        return {d: i for i, d in enumerate(self._at)}

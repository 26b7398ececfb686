"""The gold, a prediction and the corpus joined by document, one chunk at a time.

``newsgold score`` on our own files (a Prodigy JSONL gold and prediction, and
``corpus/documents.jsonl``) reads them here rather than whole. A first pass parses every
line once and keeps only where it is: each gold document's line and byte offset, each
prediction line's offset filed under the corpus document it is for (by ``meta.doc_id``,
else by its text, as :meth:`~newsgold.formats.collect.Collector.resolve` decides), and the
corpus's offsets (:class:`~newsgold.corpus.index.CorpusIndex`). Then :meth:`Join.chunks`
reads the gold documents in doc_id order, a chunk at a time, with their corpus documents
and their predictions, through the same functions as the whole-file readers
(:func:`~newsgold.corpus.annotations.read_gold_task`,
:func:`~newsgold.formats.prodigy_tasks.read_prodigy_task`, the border checks of
:mod:`newsgold.formats.checks` and :mod:`newsgold.corpus.check`), so what is accepted and
every message are the whole-file readers'. Memory is the offsets plus one chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgold.corpus.index import CorpusIndex
from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import LineReader, iter_jsonl_offsets
from newsgold.formats.prodigy import stable_hash
from newsgold.model import Annotation, Document

#: gold documents read, checked and scored together
CHUNK = 64


def _task_doc_id(task: dict[str, Any]) -> str | None:
    """A gold task's doc_id as :func:`~newsgold.formats.prodigy.document_from_task` gives it
    (None when the task cannot be read: the second pass reports why)."""
    meta = task.get("meta", {})
    text = task.get("text")
    if not isinstance(meta, dict) or not isinstance(text, str):
        return None
    doc_id = meta.get("doc_id")
    if doc_id is None:
        doc_id = task.get("_input_hash", stable_hash(text))
    return str(doc_id)


def _no_problems() -> dict[str, list[Problem]]:
    """A chunk's problems by kind (see :class:`Chunk`), none yet."""
    return {"gold": [], "gold_check": [], "pred": [], "pred_warnings": []}


@dataclass
class Chunk:
    """Gold documents (sorted), their documents, the predictions read for them, and the
    problems found reading them (``gold``, ``gold_check``: the text against the corpus,
    ``pred``, ``pred_warnings``)."""

    gold: dict[str, Annotation]
    docs: dict[str, Document]
    pred: dict[str, Annotation]
    missing: list[str]
    problems: dict[str, list[Problem]]


@dataclass
class Join:
    """Where every gold document and prediction is; :meth:`chunks` reads them."""

    gold_path: Path
    pred_path: Path
    corpus: CorpusIndex
    allow_unknown: bool = False
    allow_mismatch: bool = False
    schema: Any = None
    gold_at: dict[str, tuple[int, int]] = field(default_factory=dict)
    gold_hash: dict[int, list[str]] = field(default_factory=dict)  # gold-only documents
    gold_extra: list[tuple[int, int]] = field(default_factory=list)  # unreadable, repeated
    gold_problems: list[Problem] = field(default_factory=list)
    gold_check_problems: list[Problem] = field(default_factory=list)  # text vs the corpus
    pred_at: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: prediction lines with no single document: (line, offset, candidate doc_ids)
    pred_unplaced: list[tuple[int, int, list[str]]] = field(default_factory=list)
    pred_skipped: list[int] = field(default_factory=list)
    pred_problems: list[Problem] = field(default_factory=list)
    pred_warnings: list[Problem] = field(default_factory=list)
    event_problems: list[Problem] = field(default_factory=list)

    # -- the first pass --------------------------------------------------------------------

    def scan(self) -> Join:
        from newsgold.corpus.check import check_answer

        for n, offset, task, problem in iter_jsonl_offsets(self.gold_path):
            if problem is not None:
                self.gold_problems.append(problem)
                continue
            answer_ok = check_answer(task) is None
            if answer_ok and task.get("answer", "accept") != "accept":
                continue  # rejected or ignored: not an annotation of the document
            doc_id = _task_doc_id(task) if answer_ok else None
            if doc_id is None or doc_id in self.gold_at:
                self.gold_extra.append((n, offset))  # read in full later, for its problems
                continue
            self.gold_at[doc_id] = (n, offset)
            if doc_id not in self.corpus:
                self.gold_hash.setdefault(stable_hash(task["text"]), []).append(doc_id)
        self._scan_pred()
        return self

    def _scan_pred(self) -> None:
        from newsgold.event_checks import check_event_task

        name = str(self.pred_path)
        for n, offset, task, problem in iter_jsonl_offsets(self.pred_path):
            if problem is not None:
                self.pred_problems.append(problem)
                continue
            self.event_problems += check_event_task(task, file=name, line=n)
            if task.get("answer") in ("reject", "ignore"):
                self.pred_skipped.append(n)
                continue
            meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
            doc_id = None if meta.get("doc_id") is None else str(meta["doc_id"])
            if doc_id is not None and (doc_id in self.gold_at or doc_id in self.corpus):
                self.pred_at.setdefault(doc_id, []).append((n, offset))
                continue
            text = task.get("text")
            found = self._by_text(text) if isinstance(text, str) else []
            if len(found) == 1:
                self.pred_at.setdefault(found[0], []).append((n, offset))
            else:
                self.pred_unplaced.append((n, offset, found))

    def _by_text(self, text: str) -> list[str]:
        found = self.corpus.find_text(text)
        return found + [d for d in self.gold_hash.get(stable_hash(text), []) if d not in found]

    # -- the second pass -------------------------------------------------------------------

    @property
    def n_gold(self) -> int:
        return len(self.gold_at)

    def chunk_ids(self, size: int | None = None) -> list[list[str]]:
        """The gold's doc_ids, sorted, ``size`` (:data:`CHUNK`) at a time: the map's items."""
        size = size or CHUNK
        ids = sorted(self.gold_at)
        return [ids[start : start + size] for start in range(0, len(ids), size)]

    def has_errors(self) -> bool:
        return bool(self.gold_problems or self.gold_check_problems or self.pred_problems)

    def add_problems(self, problems: dict[str, list[Problem]]) -> None:
        """A chunk's problems into the file-wide lists (in chunk order)."""
        self.gold_problems += problems["gold"]
        self.gold_check_problems += problems["gold_check"]
        self.pred_problems += problems["pred"]
        self.pred_warnings += problems["pred_warnings"]

    def read_chunk(self, ids: list[str]) -> Chunk:
        """The gold documents ``ids`` with their corpus documents and predictions. Changes
        nothing (problems come back in the chunk): a worker process may call it."""
        from newsgold.corpus.annotations import read_gold_task
        from newsgold.corpus.check import check_annotations

        problems = _no_problems()
        gold: dict[str, Annotation] = {}
        sound: dict[str, Annotation] = {}
        gold_file, pred_file = LineReader(self.gold_path), LineReader(self.pred_path)
        try:
            for d in ids:
                n, offset = self.gold_at[d]
                task = gold_file.read(n, offset)
                ann, faults = read_gold_task(task, str(self.gold_path), n)
                problems["gold"] += faults
                if ann is not None:
                    gold[d] = ann
                    if not faults:
                        sound[d] = ann
            in_corpus = {d: self.corpus[d] for d in ids if d in self.corpus}
            # the whole-file reader checks the text against the corpus once the file is read
            problems["gold_check"] += [
                p
                for p in check_annotations(sound, in_corpus, file=str(self.gold_path))
                if p.severity == "error"
            ]
            docs = {
                d: in_corpus.get(d) or gold[d].document for d in ids if d in in_corpus or d in gold
            }
            lines = sorted(x for d in ids for x in self.pred_at.get(d, []))
            preds = self._predictions(docs, lines, pred_file, problems)
        finally:
            gold_file.close()
            pred_file.close()
        missing = [d for d in ids if d in gold and d not in preds]
        return Chunk(gold, docs, preds, missing, problems)

    def _predictions(
        self,
        docs: dict[str, Document],
        lines: list[tuple[int, int]],
        pred_file: LineReader,
        problems: dict[str, list[Problem]],
    ) -> dict[str, Annotation]:
        """The predictions on ``lines`` read onto ``docs`` as the Prodigy reader reads them;
        their problems go to ``problems`` (not raised)."""
        from newsgold.formats.checks import check_border
        from newsgold.formats.collect import Collector
        from newsgold.formats.prodigy_tasks import read_prodigy_task

        collector = Collector(
            docs,
            self.pred_path,
            "prodigy",
            allow_missing=True,
            allow_unknown=self.allow_unknown,
            allow_mismatch=self.allow_mismatch,
        )
        for n, offset in lines:
            read_prodigy_task(pred_file.read(n, offset), n, collector, self.pred_path)
        if not collector.errors:
            check_border(collector, self.schema)
        try:
            preds = collector.finish()
        except NewsgoldError as exc:
            problems["pred"] += exc.problems
            return {}
        # the note on documents without predictions is replaced by the caller's check
        problems["pred_warnings"] += [
            p for p in preds.problems if "have no prediction" not in p.message
        ]
        return {d: a for d, a in preds.annotations.items() if d not in preds.missing}

    def rest(self, size: int | None = None) -> Iterator[dict[str, Annotation]]:
        """After the gold's chunks: predictions for documents the gold does not annotate
        (read and checked, not scored), then the lines no document was found for."""
        size = size or CHUNK
        pred_file = LineReader(self.pred_path)
        problems = _no_problems()
        try:
            ids = sorted(d for d in self.pred_at if d not in self.gold_at)
            for start in range(0, len(ids), size):
                part = ids[start : start + size]
                docs = {d: self.corpus[d] for d in part}
                lines = sorted(x for d in part for x in self.pred_at[d])
                yield self._predictions(docs, lines, pred_file, problems)
            if self.pred_unplaced:
                cands = {d for _, _, found in self.pred_unplaced for d in found}
                docs = {d: self.corpus[d] for d in sorted(cands) if d in self.corpus}
                lines = [(n, offset) for n, offset, _ in self.pred_unplaced]
                yield self._predictions(docs, lines, pred_file, problems)
        finally:
            pred_file.close()
        self.add_problems(problems)
        if self.pred_skipped:
            shown = ", ".join(map(str, self.pred_skipped[:10]))
            more = " ..." if len(self.pred_skipped) > 10 else ""
            self.pred_warnings.append(
                Problem(
                    f"{len(self.pred_skipped)} task(s) with answer reject/ignore skipped "
                    f"(lines {shown}{more})",
                    file=str(self.pred_path),
                    severity="warning",
                )
            )

    def extra_gold_problems(self) -> list[Problem]:
        """Problems of the gold lines the first pass set aside (unreadable or repeated)."""
        from newsgold.corpus.annotations import read_gold_task

        out: list[Problem] = []
        gold_file = LineReader(self.gold_path)
        try:
            for n, offset in self.gold_extra:
                ann, faults = read_gold_task(gold_file.read(n, offset), str(self.gold_path), n)
                out += faults
                if ann is not None and self.gold_at.get(ann.doc_id, (n,))[0] != n:
                    out.append(
                        Problem(
                            "a second task for this document",
                            file=str(self.gold_path),
                            line=n,
                            doc_id=ann.doc_id,
                        )
                    )
        finally:
            gold_file.close()
        return out

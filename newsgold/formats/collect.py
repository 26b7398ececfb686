"""Shared bookkeeping of every reader: document matching, span checks, collected problems.

Every format reader imports this module (never the dispatcher in ``predictions``): it
builds mentions, relations and clusters, hands them to a :class:`Collector`, and the
dispatcher turns the collector into :class:`Predictions`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgold.errors import NewsgoldError, Problem
from newsgold.model import Annotation, Cluster, Document, Mention, Relation

#: more errors than this in one file are summarised, so a wrong-format file stays readable
MAX_ERRORS = 50


@dataclass
class Predictions:
    """A system's output, read and placed on the corpus documents."""

    annotations: dict[str, Annotation]
    problems: list[Problem] = field(default_factory=list)
    placement: dict[str, int] = field(default_factory=dict)
    #: what the border checks did to labels: spellings normalised, ontology-mapped and
    #: unmapped labels, unknown event types and roles, each with its count
    labels: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # corpus documents with no prediction
    format: str = ""


def first_difference(a: str, b: str) -> str:
    """Describe where two texts first differ, for error messages.

    >>> first_difference("Putin said", "Putin says")
    "first difference at character 8: 'id' vs 'ys'"
    """
    n = min(len(a), len(b))
    i = next((k for k in range(n) if a[k] != b[k]), n)
    if i == n:
        return f"one text is a prefix of the other (lengths {len(a)} and {len(b)})"
    return f"first difference at character {i}: {a[i : i + 12]!r} vs {b[i : i + 12]!r}"


_WS = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """The text without any whitespace: what a token-per-line format still knows of it."""
    return _WS.sub("", text)


class Collector:
    """Shared bookkeeping of every reader: document matching, span checks, problems.

    Format readers call :meth:`resolve` to find the corpus document of a prediction,
    :meth:`check_span` for each span, :meth:`add` for the finished mentions, then
    :meth:`finish` builds the :class:`Predictions` (or raises the collected errors).
    """

    def __init__(
        self,
        corpus: dict[str, Document],
        file: str | Path,
        format: str,
        *,
        allow_missing: bool = False,
        allow_unknown: bool = False,
        allow_mismatch: bool = False,
    ):
        self.corpus = corpus
        self.allow_mismatch = allow_mismatch
        self.mismatched: set[str] = set()
        self.file = str(file)
        self.format = format
        self.allow_missing = allow_missing
        self.allow_unknown = allow_unknown
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.placement: Counter[str] = Counter()
        self.labels: dict[str, Any] = {}
        self.annotations: dict[str, Annotation] = {}
        self._where: dict[str, str] = {}
        #: (file, line) each stored prediction came from, for errors found after reading
        self.origin: dict[str, tuple[str, int | None]] = {}
        #: id(mention or relation) -> (line, field) where a reader read it, so a check
        #: after reading names the reader's own line and field (e.g. graph.triggers[0][2])
        self.places: dict[int, tuple[int | None, str | None]] = {}
        self._by_text: dict[str, list[str]] = {}
        self._by_squeezed: dict[str, list[str]] = {}
        for doc_id, doc in corpus.items():
            self._by_text.setdefault(doc.text, []).append(doc_id)
            self._by_squeezed.setdefault(squeeze(doc.text), []).append(doc_id)

    # -- problems ------------------------------------------------------------------------

    def _problem(self, message: str, severity: str, *, file: str | None = None, **where) -> Problem:
        return Problem(message, file=file or self.file, severity=severity, **where)

    def error(self, message: str, **where) -> None:
        """Record an error; ``where`` takes ``line``, ``doc_id``, ``field``, ``file``."""
        self.errors.append(self._problem(message, "error", **where))

    def warn(self, message: str, **where) -> None:
        """Record a warning; ``where`` as for :meth:`error`."""
        self.warnings.append(self._problem(message, "warning", **where))

    def relocate(self, exc: NewsgoldError, *, line: int | None, file: str | None = None) -> None:
        """Record the problems of an error raised by a lower-level reader, adding where."""
        for p in exc.problems:
            self.error(p.message, line=p.line or line, doc_id=p.doc_id, field=p.field, file=file)

    # -- documents -----------------------------------------------------------------------

    def resolve(
        self,
        *,
        doc_id: str | None = None,
        text: str | None = None,
        squeezed: str | None = None,
        line: int | None = None,
        file: str | None = None,
        what: str = "prediction",
    ) -> Document | None:
        """Find the corpus document a prediction is for, or record why not and return None.

        ``text`` is the prediction's own copy of the document text, when the format has
        one; ``squeezed`` is its text without whitespace (token formats).
        """
        where = {"line": line, "file": file}
        if doc_id is not None and doc_id in self.corpus:
            doc = self.corpus[doc_id]
            if text is not None and text != doc.text:
                why = "the text differs from the corpus document's text (" + first_difference(
                    text, doc.text
                )
                self.mismatch(why + ")", doc_id, field="text", **where)
                return None
            if squeezed is not None and squeezed != squeeze(doc.text):
                why = "the tokens do not spell the corpus document's text (" + first_difference(
                    squeezed, squeeze(doc.text)
                )
                self.mismatch(why + ", whitespace ignored)", doc_id, **where)
                return None
            return doc
        found: list[str] = []
        if text is not None:
            found = self._by_text.get(text, [])
        elif squeezed is not None:
            found = self._by_squeezed.get(squeezed, [])
        if len(found) > 1:
            self.error(
                f"the text matches several corpus documents ({', '.join(found)}); give a doc_id",
                doc_id=doc_id,
                **where,
            )
            return None
        if found:
            if doc_id is not None:
                self.warn(
                    f"doc_id {doc_id!r} is not in the corpus; matched by text to {found[0]!r}",
                    doc_id=doc_id,
                    **where,
                )
            return self.corpus[found[0]]
        if doc_id is None and text is None and squeezed is None:
            self.error(f"the {what} has no doc_id and no text to match it by", **where)
            return None
        how = f"doc_id {doc_id!r}" if doc_id is not None else "its text"
        message = f"{what} for a document that is not in the corpus (no match by {how})"
        if self.allow_unknown:
            self.warn(message + "; skipped (allow_unknown)", doc_id=doc_id, **where)
        else:
            self.error(message + "; pass --allow-unknown to skip it", doc_id=doc_id, **where)
        return None

    def mismatch(self, message: str, doc_id: str, **where) -> None:
        """A prediction whose text is not the corpus text: its offsets cannot be trusted.
        An error; with ``allow_mismatch`` a warning, and the document predicts nothing."""
        if self.allow_mismatch:
            self.mismatched.add(doc_id)
            self.warn(
                message + "; its predictions are dropped (allow_mismatch)", doc_id=doc_id, **where
            )
        else:
            self.error(
                message + "; pass allow_mismatch to drop it and go on", doc_id=doc_id, **where
            )

    def check_span(
        self,
        doc: Document,
        start: object,
        end: object,
        label: object,
        *,
        line: int | None = None,
        field: str | None = None,
        file: str | None = None,
    ) -> bool:
        """Record an error and return False unless the span is usable on ``doc``."""
        where = {"line": line, "doc_id": doc.doc_id, "file": file}
        f = f"{field}." if field else ""
        for name, value in (("start", start), ("end", end)):
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(f"expected an integer offset, got {value!r}", field=f + name, **where)
                return False
        if not isinstance(label, str) or not label.strip():
            self.error(f"missing or empty label: {label!r}", field=f + "label", **where)
            return False
        if end <= start:  # type: ignore[operator]
            self.error(f"end {end} <= start {start}", field=f + "end", **where)
            return False
        if start < 0 or end > len(doc.text):  # type: ignore[operator]
            self.error(
                f"offsets {start}-{end} are outside the text (length {len(doc.text)})",
                field=f + ("start" if start < 0 else "end"),  # type: ignore[operator]
                **where,
            )
            return False
        return True

    def add(
        self,
        doc: Document,
        mentions: list[Mention],
        relations: list[Relation] | None = None,
        clusters: list[Cluster] | None = None,
        *,
        where: str,
    ) -> None:
        """Store the prediction for ``doc``; ``where`` names its place (``file:line``)."""
        if doc.doc_id in self.annotations:
            self.error(
                f"a second prediction for this document (the first is at {self._where[doc.doc_id]})",
                doc_id=doc.doc_id,
                file=where,
            )
            return
        from newsgold.corpus.check import check_annotation  # the border checks of the gold too

        faults = check_annotation(Annotation(doc, mentions), file=where)
        if faults:
            self.errors += faults
            return
        for m in mentions:
            if m.text is None:
                m.text = doc.text[m.start : m.end]
        self._where[doc.doc_id] = where
        file, _, line = where.rpartition(":")
        self.origin[doc.doc_id] = (file, int(line)) if line.isdigit() else (where, None)
        self.annotations[doc.doc_id] = Annotation(
            document=doc,
            mentions=mentions,
            relations=relations or [],
            clusters=clusters or [],
        )

    def finish(self) -> Predictions:
        """Add the missing documents (or fail on them) and raise every collected error."""
        dropped = self.mismatched - set(self.annotations)
        for d in dropped:  # already reported by mismatch(); they predict nothing
            self.annotations[d] = Annotation(document=self.corpus[d])
        missing = [d for d in sorted(self.corpus) if d not in self.annotations]
        if missing and not self.errors:
            shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
            message = f"{len(missing)} corpus document(s) have no prediction: {shown}"
            if self.allow_missing:
                self.warn(message + "; counted as predicting nothing (allow_missing)")
            else:
                self.errors.extend(
                    Problem(
                        "this corpus document has no prediction in the file; pass "
                        "allow_missing to count it as predicting nothing",
                        file=self.file,
                        doc_id=d,
                    )
                    for d in missing
                )
        if self.errors:
            errors = self.errors
            if len(errors) > MAX_ERRORS:
                errors = errors[:MAX_ERRORS] + [
                    Problem(f"... and {len(errors) - MAX_ERRORS} more errors", file=self.file)
                ]
            raise NewsgoldError(errors)
        for d in missing:
            self.annotations[d] = Annotation(document=self.corpus[d])
        return Predictions(
            annotations={k: self.annotations[k] for k in sorted(self.annotations)},
            problems=list(self.warnings),
            placement=dict(self.placement),
            labels=dict(self.labels),
            format=self.format,
            missing=missing,
        )

"""System outputs -> predicted :class:`~newsgold.model.Annotation` objects, per corpus document.

:func:`load_predictions` is the one entry point: it reads any supported system-output
format and returns a :class:`Predictions` whose ``annotations`` are keyed by the corpus
``doc_id``, with mentions at Python code-point offsets (end exclusive) of the *corpus*
document text. Every format quirk (IOB1, inclusive ends, CRLF, seed headers, sub-word
pieces, missing offsets) is undone in the format's own module.

Formats (``format=``): ``prodigy`` (JSONL tasks), ``spacy`` (a DocBin ``.spacy`` file),
``conll`` (token-per-line BIO files), ``brat`` (a folder of ``.txt``/``.ann``), ``hf``
(Hugging Face token-classification pipeline output as JSONL) and ``text`` (mentions given
as strings, as LLMs give them). ``format=None`` detects it: see :func:`detect_format`.

Matching documents to the corpus (the same for every format):

* by ``doc_id`` (Prodigy ``meta.doc_id``, a ``doc_id`` key, the brat file stem, a CoNLL
  ``-DOCSTART-`` id, ``Doc.user_data["doc_id"]``) when it names a corpus document;
* failing that, by exact text (the whole document text; for CoNLL, whose whitespace is
  lost, by the text with all whitespace removed). A given doc_id that is not in the
  corpus but whose text matches a corpus document is accepted with a warning;
* a prediction for a document that is not in the corpus is an error (a warning and
  skipped with ``allow_unknown``); a corpus document with no prediction is an error (with
  ``allow_missing`` a warning, and the document counts as predicting nothing); a
  prediction whose text differs from the corpus text is an error, naming the first
  differing character (with ``allow_mismatch`` a warning, and the prediction is dropped:
  its offsets cannot be trusted); two predictions for one document are an error.

Every span is checked: ``0 <= start < end <= len(text)`` and a non-empty string label,
else an error naming file, line (or item) and field. Errors are collected over the whole
file and raised together as one :class:`~newsgold.errors.NewsgoldError`.

>>> from newsgold.corpus.build import load_corpus  # doctest: +SKIP
>>> preds = load_predictions("system.jsonl", load_corpus())  # doctest: +SKIP
>>> preds.annotations["000_e2a7510a474f58d9"].mentions[0].label  # doctest: +SKIP
'PERSON'
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from newsgold.errors import FormatError, NewsgoldError, Problem
from newsgold.model import Annotation, Cluster, Document, Mention, Relation

FORMATS = ("prodigy", "spacy", "conll", "brat", "hf", "text", "conll2012")
#: more errors than this in one file are summarised, so a wrong-format file stays readable
MAX_ERRORS = 50


@dataclass
class Predictions:
    """A system's output, read and placed on the corpus documents."""

    annotations: dict[str, Annotation]
    problems: list[Problem] = field(default_factory=list)
    placement: dict[str, int] = field(default_factory=dict)
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
        self.annotations: dict[str, Annotation] = {}
        self._where: dict[str, str] = {}
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
                self._mismatch(why + ")", doc_id, field="text", **where)
                return None
            if squeezed is not None and squeezed != squeeze(doc.text):
                why = "the tokens do not spell the corpus document's text (" + first_difference(
                    squeezed, squeeze(doc.text)
                )
                self._mismatch(why + ", whitespace ignored)", doc_id, **where)
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
            self.error(message + "; pass allow_unknown to skip it", doc_id=doc_id, **where)
        return None

    def _mismatch(self, message: str, doc_id: str, **where) -> None:
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
        for m in mentions:
            if m.text is None:
                m.text = doc.text[m.start : m.end]
        self._where[doc.doc_id] = where
        self.annotations[doc.doc_id] = Annotation(
            document=doc,
            mentions=mentions,
            relations=relations or [],
            clusters=clusters or [],
        )

    def finish(self) -> Predictions:
        """Add the missing documents (or fail on them) and raise every collected error."""
        dropped = self.mismatched - set(self.annotations)
        for d in dropped:  # already reported by _mismatch; they predict nothing
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
            format=self.format,
            missing=missing,
        )


# -- detection -----------------------------------------------------------------------------

_CONLL_EXT = {".conll", ".conll03", ".conllu", ".bio", ".iob", ".iob1", ".iob2", ".bioes"}
_CONLL_EXT |= {".bilou", ".ner", ".tsv", ".col"}
_JSON_EXT = {".jsonl", ".json", ".ndjson"}
_TAG = re.compile(r"^(?:O|[BIESLU]-\S+)$")


def detect_format(path: str | Path) -> str:
    """Guess the format of ``path``: a folder is brat; ``.spacy`` is a DocBin; CoNLL
    extensions are conll; for JSON lines the first line decides (a list or ``entities``
    items with ``entity``/``entity_group``/``score``: hf; ``spans``/``tokens``/``answer``/
    ``_input_hash``: prodigy; ``mentions``/``entities`` items without offsets: text); any
    other file whose first line is ``-DOCSTART-`` or ``token ... TAG`` is conll.

    >>> detect_format("tests/data/formats/system.conll")  # doctest: +SKIP
    'conll'
    """
    import orjson

    path = Path(path)
    tried = []
    if path.is_dir():
        if any(path.rglob("*.ann")):
            return "brat"
        raise FormatError(
            Problem("a folder but not a brat folder: it holds no .ann files", file=str(path))
        )
    if not path.exists():
        raise FormatError(Problem("no such file or folder", file=str(path)))
    ext = path.suffix.lower()
    if ext == ".spacy":
        return "spacy"
    from newsgold.formats.conll2012 import looks_like

    if looks_like(path):
        return "conll2012"
    if ext in _CONLL_EXT:
        return "conll"
    tried.append(f"the extension {ext or '(none)'!r} does not decide it")
    with path.open("rb") as fh:
        head = fh.read(512)
        if head[:1] in (b"\x1f", b"\x78") or b"\x00" in head:
            return "spacy"  # DocBin files are zlib-compressed msgpack: binary from byte one
        fh.seek(0)
        # the first non-blank line, whole: a Prodigy task with tokens can be very long
        first_raw = next((ln for ln in fh if ln.strip()), b"")
    first = first_raw.decode("utf-8", "replace")
    first = first.lstrip("\ufeff")
    if first.startswith(("{", "[")):
        try:
            obj = orjson.loads(first)
        except ValueError:
            tried.append("the first line starts like JSON but is not valid JSON on one line")
            obj = None
        if isinstance(obj, list):
            return "hf"
        if isinstance(obj, dict):
            keys = set(obj)
            items = obj.get("entities", obj.get("mentions"))
            item = items[0] if isinstance(items, list) and items else None
            if isinstance(item, dict) and (
                {"entity", "entity_group", "score"} & set(item)
                or ("start" in item and "mentions" not in keys)
            ):
                return "hf"
            if keys & {"spans", "tokens", "answer", "_input_hash", "_task_hash"}:
                return "prodigy"
            if "mentions" in keys or "entities" in keys:
                return "text" if not isinstance(item, dict) or "start" not in item else "hf"
            tried.append(f"the first line's keys {sorted(keys)} fit no JSON format")
    elif first.split()[:1] == ["-DOCSTART-"] or (
        len(first.split()) >= 2 and _TAG.match(first.split()[-1])
    ):
        return "conll"
    else:
        tried.append(f"the first line {first[:40]!r} is neither JSON nor 'token ... TAG'")
    raise FormatError(
        Problem(
            "cannot tell the format: " + "; ".join(tried) + f"; pass format= one of {FORMATS}",
            file=str(path),
        )
    )


def load_predictions(
    path: str | Path,
    corpus: dict[str, Document],
    *,
    format: str | None = None,
    allow_missing: bool = False,
    allow_unknown: bool = False,
    allow_mismatch: bool = False,
    **options,
) -> Predictions:
    """Read a system's output file (or brat folder) onto the corpus documents.

    ``allow_missing``, ``allow_unknown`` and ``allow_mismatch`` turn three errors into
    warnings: a corpus document with no prediction (it predicts nothing), a prediction for
    a document not in the corpus (skipped), a prediction whose text is not the corpus
    text (dropped: the document predicts nothing).

    ``options`` go to the format's reader: ``scheme`` (conll: auto, iob1, iob2, bioes),
    ``spans_key`` (spacy), ``min_score`` (hf), ``discontinuous`` (brat: fragments, hull).

    >>> preds = load_predictions("out.conll", corpus, allow_missing=True)  # doctest: +SKIP
    >>> preds.format  # doctest: +SKIP
    'conll'
    """
    if format is None:
        format = detect_format(path)
    if format not in FORMATS:
        raise FormatError(
            Problem(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
        )
    collector = Collector(
        corpus,
        path,
        format,
        allow_missing=allow_missing,
        allow_unknown=allow_unknown,
        allow_mismatch=allow_mismatch,
    )
    # the readers import this module for Collector, so they are imported here
    if format == "prodigy":
        reader = read_prodigy
    elif format == "spacy":
        from newsgold.formats.spacy_docs import read_docbin as reader
    elif format == "conll":
        from newsgold.formats.conll import read_conll as reader
    elif format == "brat":
        from newsgold.formats.brat import read_brat as reader
    elif format == "hf":
        from newsgold.formats.hf import read_hf as reader
    elif format == "conll2012":
        from newsgold.formats.conll2012 import read_conll2012 as reader
    else:
        from newsgold.formats.textonly import read_text_mentions as reader
    accepted = set(inspect.signature(reader).parameters) - {"path", "collector"}
    unknown = sorted(set(options) - accepted)
    if unknown:
        raise FormatError(
            Problem(
                f"option(s) {', '.join(unknown)} not understood by the {format} reader "
                f"(it takes {', '.join(sorted(accepted)) or 'none'})",
                file=str(path),
            )
        )
    reader(Path(path), collector, **options)
    return collector.finish()


# -- prodigy -------------------------------------------------------------------------------


def read_prodigy(path: Path, collector: Collector) -> None:
    """Prodigy JSONL tasks: spans (any kind) and relations are kept as given; tasks whose
    ``answer`` is ``reject`` or ``ignore`` are skipped with a warning (they are not the
    system's claim); the document is ``meta.doc_id``, else the task text. One task per
    document: tasks over single sentences do not match a corpus document's text."""
    from newsgold.formats.jsonl import iter_jsonl
    from newsgold.formats.prodigy import task_to_annotation

    skipped: list[int] = []
    for n, task, problem in iter_jsonl(path):
        if problem is not None:
            collector.errors.append(problem)
            continue
        answer = task.get("answer")
        if answer in ("reject", "ignore"):
            skipped.append(n)
            continue
        try:
            ann = task_to_annotation(task)
        except NewsgoldError as exc:
            collector.relocate(exc, line=n)
            continue
        meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
        doc_id = meta.get("doc_id")
        doc = collector.resolve(
            doc_id=None if doc_id is None else str(doc_id), text=ann.document.text, line=n
        )
        if doc is None:
            continue
        ok = True
        for i, m in enumerate(ann.mentions):
            f = f"spans[{i}]"
            if not collector.check_span(doc, m.start, m.end, m.label, line=n, field=f):
                ok = False
            elif m.text is not None and m.text != doc.text[m.start : m.end]:
                collector.error(
                    f"span text {m.text!r} is not the text at {m.start}-{m.end} "
                    f"({doc.text[m.start : m.end]!r})",
                    line=n,
                    doc_id=doc.doc_id,
                    field=f + ".text",
                )
                ok = False
        if ok:
            for m in ann.mentions:
                m.extra.pop("_no_kind", None)
            collector.add(doc, ann.mentions, ann.relations, ann.clusters, where=f"{path}:{n}")
    if skipped:
        lines = ", ".join(map(str, skipped[:10])) + (" ..." if len(skipped) > 10 else "")
        collector.warn(f"{len(skipped)} task(s) with answer reject/ignore skipped (lines {lines})")

"""System outputs -> predicted :class:`~newsgold.model.Annotation` objects, per corpus document.

:func:`load_predictions` is the one entry point: it reads any supported system-output
format and returns a :class:`Predictions` whose ``annotations`` are keyed by the corpus
``doc_id``, with mentions at Python code-point offsets (end exclusive) of the *corpus*
document text. Every format quirk (IOB1, inclusive ends, CRLF, seed headers, sub-word
pieces, missing offsets) is undone in the format's own module.

Formats (``format=``) are the entries of :data:`newsgold.formats.registry.READERS`:
``prodigy`` (JSONL tasks), ``spacy`` (a DocBin ``.spacy`` file), ``conll`` (token-per-line
BIO files), ``brat`` (a folder of ``.txt``/``.ann``), ``hf`` (Hugging Face
token-classification pipeline output as JSONL), ``text`` (mentions given as strings, as
LLMs give them), and the event formats ``oneie``, ``textee``, ``dygiepp`` and
``llm-events`` (see docs/formats-events.md). ``format=None`` detects it: see
:func:`newsgold.formats.detect.detect_format`. Every read annotation then passes the
border checks of :mod:`newsgold.formats.checks` (event type spelling, optional ontology
map, structure, schema types and roles).

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
from pathlib import Path
from typing import TYPE_CHECKING

from newsgold.errors import FormatError, Problem
from newsgold.formats.collect import (  # re-exported: readers written before collect.py
    MAX_ERRORS,
    Collector,
    Predictions,
    first_difference,
    squeeze,
)
from newsgold.formats.detect import detect_format
from newsgold.formats.prodigy_tasks import read_prodigy
from newsgold.formats.registry import FORMATS, READERS, get_reader
from newsgold.model import Document

if TYPE_CHECKING:
    from newsgold.schema import Schema

__all__ = [
    "FORMATS",
    "MAX_ERRORS",
    "Collector",
    "Predictions",
    "detect_format",
    "first_difference",
    "load_predictions",
    "read_prodigy",
    "squeeze",
]


def load_predictions(
    path: str | Path,
    corpus: dict[str, Document],
    *,
    format: str | None = None,
    allow_missing: bool = False,
    allow_unknown: bool = False,
    allow_mismatch: bool = False,
    event_map: str | None = None,
    schema: Schema | None = None,
    **options,
) -> Predictions:
    """Read a system's output file (or brat folder) onto the corpus documents.

    ``allow_missing``, ``allow_unknown`` and ``allow_mismatch`` turn three errors into
    warnings: a corpus document with no prediction (it predicts nothing), a prediction for
    a document not in the corpus (skipped), a prediction whose text is not the corpus
    text (dropped: the document predicts nothing). ``allow_unknown`` also keeps event types
    and roles outside the schema (counted, scored as wrong) instead of failing on them.

    ``event_map`` names an entry of the schema's ``event_type_maps`` (``ace2005``,
    ``cameo_root``) applied to event types and roles; ``schema`` defaults to
    :func:`newsgold.schema.load_schema`.

    ``options`` go to the format's reader: ``scheme`` (conll: auto, iob1, iob2, bioes),
    ``spans_key`` (spacy), ``min_score`` (hf), ``discontinuous`` (brat: fragments, hull),
    ``field`` (dygiepp: events or predicted_events).

    >>> preds = load_predictions("out.conll", corpus, allow_missing=True)  # doctest: +SKIP
    >>> preds.format  # doctest: +SKIP
    'conll'
    """
    from newsgold.formats.checks import check_border

    if format is None:
        format = detect_format(path)
    if format not in READERS:
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
    reader = get_reader(format)
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
    if not collector.errors:
        check_border(collector, schema, event_map)
    return collector.finish()

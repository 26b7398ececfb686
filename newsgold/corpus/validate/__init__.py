"""Check annotation files (Prodigy JSONL) against the corpus and the schema.

Every problem of a file is reported in one run, each naming file, line, doc_id and field
(``spans[3].label``). A task is checked for:

* shape: one JSON object a line, UTF-8 (via :func:`newsgold.formats.jsonl.iter_jsonl_offsets`,
  which streams, so a 100 MB file is never held in memory); ``answer`` is
  accept/reject/ignore;
* the document: found by ``meta.doc_id`` (else by a hash of its text, with a warning);
  ``text`` equals the corpus text; ``tokens`` equal the corpus tokens (text, start, end,
  id; ``ws`` only when given); ``sentences``/``paragraphs``, when given, the corpus's;
* spans: inside the text, ``start < end``, on token boundaries, ``token_start``/
  ``token_end`` and ``text`` (when given) agree with the offsets, the head inside the span;
  the label fits the kind (entity -> entity labels, timex -> DATE/TIME, value -> value
  labels, trigger -> an ERE or PLOVER event type); ``mention_type`` in the schema (required
  for entities); attribute names and values in the schema, required attributes present,
  timex values matching the TIMEX3 pattern; ``attrs.plover`` a PLOVER type;
* relations: both endpoints among the spans, ``head``/``child`` equal to the endpoints'
  ``token_end``; from a trigger, the label is a role of its layer: an ERE role of its ERE
  type, or a ``PLOVER.``-qualified role of its PLOVER type (``attrs.plover``, or the label
  of a PLOVER-only event; on an event with an ERE type only ``PLOVER.Actor`` and
  ``PLOVER.Recipient``), and the child's label may fill it; a PLOVER role on an ERE-only
  event, or an ERE role on a PLOVER-only event, is an error naming that rule; a relation
  from a span that is not a trigger is an error (the schema defines none);
* events: ``attrs.plover`` of a PLOVER-only event repeats its label; an attribution-only
  speech event (``attrs.attribution: true``) is one of the schema's
  ``attribution_event_types`` (Contact.Broadcast, Contact.Contact,
  Contact.Correspondence) and has no PLOVER type;
* no duplicate spans (start, end, label, kind), relations or span ids;
* clusters: ids unique, every ``span.cluster`` declared, every declared cluster used,
  entity clusters hold entity and timex spans (never values), hoppers hold triggers of one
  event type.

Across lines: two lines with the same doc_id in one file are an **error**. A file under
``annotations/`` is one view of each document (the gold, or one annotator's pass); a
multi-annotator Prodigy export must be split into one file per annotator first.

Warnings (reported, but the exit status stays 0): a task without ``meta.doc_id`` matched by
its text; a span without ``kind`` (read as an entity); an ``answer`` other than accept.

Memory: a file is checked one task at a time. The corpus is a
:class:`~newsgold.corpus.index.CorpusIndex` (:func:`open_corpus`: each document's byte
offset and text hash, the document read when a task names it or has its text), and across
tasks only each doc_id's first line is kept (for repeated documents). With a ``sink``
(:mod:`.output`: lines printed, or JSON spooled to a temporary file, as ``newsgold
validate`` does) problems are not kept either, so peak memory is that of the largest task,
whatever the size of the file or the corpus (``tests/test_stream_validate.py``). Any other
mapping (``load_corpus``'s dict) works too, and gives the same problems.

The checks live in one module per rule family: :mod:`.document` (the task against its
corpus document), :mod:`.spans` (reading, offsets, labels, attributes), :mod:`.events`
(role layers and event attributes), :mod:`.clusters`, and :mod:`.files` (the entry points);
:mod:`.report` holds the result types, :mod:`.output` the sinks. This package re-exports
the public names.

>>> from newsgold.schema import load_schema  # doctest: +SKIP
>>> corpus = open_corpus("corpus/documents.jsonl")  # doctest: +SKIP
>>> problems = validate_file("annotations/gold.jsonl", corpus, load_schema())  # doctest: +SKIP
>>> [str(p) for p in problems if p.severity == "error"]  # doctest: +SKIP
[]
"""

from newsgold.corpus.validate.document import find_document, text_hash
from newsgold.corpus.validate.events import (
    PLOVER_PREFIX,
    allowed_roles,
    plover_type,
    role_layer,
)
from newsgold.corpus.validate.files import (
    annotation_files,
    check_file,
    open_corpus,
    target_files,
    validate_file,
    validate_paths,
    validate_task,
)
from newsgold.corpus.validate.report import FileResult, Report, Sink

__all__ = [
    "PLOVER_PREFIX",
    "FileResult",
    "Report",
    "Sink",
    "allowed_roles",
    "annotation_files",
    "check_file",
    "find_document",
    "open_corpus",
    "plover_type",
    "role_layer",
    "target_files",
    "text_hash",
    "validate_file",
    "validate_paths",
    "validate_task",
]

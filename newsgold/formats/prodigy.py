"""Prodigy task JSON <-> model objects, losslessly.

A Prodigy task is ``{"text", "tokens", "spans", "relations", "meta", "answer",
"_input_hash", "_task_hash", ...}``. Spans are ``{start, end, token_start, token_end,
label}`` with character ``end`` exclusive and ``token_end`` inclusive; our extra span keys
are ``id``, ``kind``, ``mention_type``, ``head_start``/``head_end``, ``cluster`` and
``attrs``. Relations are ``{head, child, head_span, child_span, label}`` where ``head`` and
``child`` are the ``token_end`` of the head and child spans. Our top-level ``clusters`` key
lists entities and event hoppers with their attributes.

Reading then writing a task gives back an equal JSON object: unknown keys are kept (on the
task, on spans, on relations and on their ``head_span``/``child_span``), top-level key order
is kept, and keys that were absent (``ws`` on tokens, ``token_start`` on spans) stay absent.

The code lives in modules by job, all re-exported here (so ``from
newsgold.formats.prodigy import ...`` keeps working for every name, private ones too):
:mod:`~newsgold.formats.prodigy_base` (key sets, markers, :func:`stable_hash`),
:mod:`~newsgold.formats.prodigy_spans` and :mod:`~newsgold.formats.prodigy_read`
(reading, with fast paths for valid input; errors come from the checked paths alone),
:mod:`~newsgold.formats.prodigy_plans` (the span readers compiled per key set) and
:mod:`~newsgold.formats.prodigy_write` (writing). ``tests/test_prodigy_fast.py`` pins
reading to the implementation before the split (``tests/oracles/prodigy_v1.py``).
"""

from __future__ import annotations

from newsgold.formats.prodigy_base import (
    _MARKERS,
    _NO_KIND,
    _NULL_KEYS,
    _NULLABLE,
    _OWNED,
    _PLACEHOLDER,
    _REL_KEYS,
    _SPAN_CORE,
    _SPAN_KEYS,
    _TOKEN_KEYS,
    _int,
    _Owned,
    _TokenKeys,
    stable_hash,
)
from newsgold.formats.prodigy_read import (
    _token_keys,
    document_from_json,
    document_from_task,
    segments_from_json,
    task_to_annotation,
    tokens_from_json,
)
from newsgold.formats.prodigy_spans import (
    SpanIndex,
    _span_extra,
    resolve_endpoint,
    span_from_json,
)
from newsgold.formats.prodigy_write import (
    _span_core,
    annotation_to_task,
    document_to_json,
    relation_to_json,
    segment_to_json,
    span_to_json,
    token_to_json,
)

__all__ = [
    "SpanIndex",
    "annotation_to_task",
    "document_from_json",
    "document_from_task",
    "document_to_json",
    "relation_to_json",
    "resolve_endpoint",
    "segment_to_json",
    "segments_from_json",
    "span_from_json",
    "span_to_json",
    "stable_hash",
    "task_to_annotation",
    "token_to_json",
    "tokens_from_json",
]
# private names kept importable from here for code (and pickles) that name them
_PRIVATE = (
    _MARKERS,
    _NO_KIND,
    _NULL_KEYS,
    _NULLABLE,
    _OWNED,
    _PLACEHOLDER,
    _REL_KEYS,
    _SPAN_CORE,
    _SPAN_KEYS,
    _TOKEN_KEYS,
    _int,
    _Owned,
    _TokenKeys,
    _span_core,
    _span_extra,
    _token_keys,
)

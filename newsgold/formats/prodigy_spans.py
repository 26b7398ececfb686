"""Reading Prodigy spans and relation endpoints into :class:`~newsgold.model.Mention`\\ s.

Each reader has a fast path for the common valid input (exact types, no copies beyond what
the model keeps) that gives up (returns None) on anything unusual, and the checked path,
which is the only one that decides what is an error: it runs whenever the fast path gives
up, so errors (message, field) are exactly those of the checked path alone.
``tests/test_prodigy_fast.py`` pins the fast readers to the previous implementation
(``tests/oracles/prodigy_v1.py``) on random valid and invalid tasks.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cached_property
from typing import Any

from newsgold.errors import FormatError, Problem
from newsgold.formats.prodigy_base import (
    _NULL_KEYS,
    _NULLABLE,
    _SPAN_KEY_SET,
    _SPAN_KEYS,
    INT64_END,
    INT64_MIN,
    _int,
)
from newsgold.formats.prodigy_plans import SCALARS, plan_for
from newsgold.model import ENTITY, Mention

# Mention is built with positional arguments (twice as fast as keywords, and this runs
# once per span); this guards the order they rely on
_MENTION_FIELDS = (
    "start",
    "end",
    "label",
    "kind",
    "id",
    "token_start",
    "token_end",
    "text",
    "mention_type",
    "head_start",
    "head_end",
    "cluster",
    "attrs",
    "extra",
)
if tuple(f.name for f in fields(Mention)) != _MENTION_FIELDS:  # pragma: no cover
    raise ImportError("newsgold.model.Mention changed its fields: update prodigy_spans")

_ABSENT = object()
_NONE4 = (None, None, None, None)


def span_from_json(span: Any, field: str) -> Mention:
    """One Prodigy span as a :class:`Mention` (``field`` names it in errors)."""
    m = _span_fast(span)
    return m if m is not None else _span_checked(span, field)


def _span_fast(s: Any) -> Mention | None:
    """:func:`_span_checked` for a span whose every value has its plain JSON type; None
    for anything else (then the checked path decides). Uses the reader compiled for the
    span's key set (:mod:`newsgold.formats.prodigy_plans`)."""
    if type(s) is not dict:
        return None
    plan = plan_for(tuple(s))
    return plan(s) if plan is not None else _span_generic(s)


def _span_generic(s: dict) -> Mention | None:
    """:func:`_span_fast` without a compiled plan (one function for every key set)."""
    get = s.get
    start, end, label = get("start"), get("end"), get("label")
    if type(start) is not int or type(end) is not int or type(label) is not str:
        return None
    if not (INT64_MIN <= start < INT64_END and INT64_MIN <= end < INT64_END):
        return None
    opt = (get("token_start"), get("token_end"), get("head_start"), get("head_end"))
    if opt != _NONE4:
        for v in opt:
            if v is not None and (type(v) is not int or not INT64_MIN <= v < INT64_END):
                return None
    text, id_, kind = get("text"), get("id"), get("kind", ENTITY)
    mention_type, cluster = get("mention_type"), get("cluster")
    if (
        (text is not None and type(text) is not str)
        or (id_ is not None and type(id_) is not str)
        or (kind is not None and type(kind) is not str)
        or (mention_type is not None and type(mention_type) is not str)
        or (cluster is not None and type(cluster) is not str)
    ):
        return None
    attrs = get("attrs", _ABSENT)
    empty_attrs = False
    if attrs is _ABSENT:
        attrs = {}
    elif type(attrs) is not dict:
        return None
    elif attrs:
        for v in attrs.values():
            if type(v) not in SCALARS:
                return None
        attrs = attrs.copy()
    else:
        attrs, empty_attrs = {}, True
    # the same extra as _span_extra, computed only as far as the span needs
    if _SPAN_KEY_SET.issuperset(s):
        extra: dict[str, Any] = {}
    else:
        extra = {k: v for k, v in s.items() if k not in _SPAN_KEY_SET}
    if None in s.values():
        nulls = [k for k in _NULLABLE if k in s and s[k] is None]
        if empty_attrs:
            nulls.append("attrs")
        if nulls:
            extra[_NULL_KEYS] = nulls
    elif empty_attrs:
        extra[_NULL_KEYS] = ["attrs"]
    ts, te, hs, he = opt
    return Mention(
        start, end, label, kind, id_, ts, te, text, mention_type, hs, he, cluster, attrs, extra
    )


def _span_checked(span: Any, field: str) -> Mention:
    """Read one span checking every key; raises :class:`FormatError` naming the field."""
    if not isinstance(span, dict):
        raise FormatError(Problem("expected an object", field=field))
    label = span.get("label")
    if not isinstance(label, str):
        raise FormatError(
            Problem(f"missing or non-string label: {label!r}", field=field + ".label")
        )
    attrs = span.get("attrs", {})
    if not isinstance(attrs, dict):
        raise FormatError(Problem("expected an object", field=field + ".attrs"))
    for name, value in attrs.items():  # values are keys of counts and agreement sets
        if isinstance(value, list | dict):
            raise FormatError(
                Problem(
                    f"expected a string, number, true/false or null, got {value!r}",
                    field=f"{field}.attrs.{name}",
                )
            )
    for key in ("text", "id", "kind", "mention_type", "cluster"):
        if key in span and span[key] is not None and not isinstance(span[key], str):
            raise FormatError(
                Problem(f"expected a string, got {span[key]!r}", field=f"{field}.{key}")
            )
    return Mention(
        start=_int(span.get("start"), field + ".start"),
        end=_int(span.get("end"), field + ".end"),
        label=label,
        kind=span.get("kind", ENTITY),
        id=span.get("id"),
        token_start=_int(span.get("token_start"), field + ".token_start", optional=True),
        token_end=_int(span.get("token_end"), field + ".token_end", optional=True),
        text=span.get("text"),
        mention_type=span.get("mention_type"),
        head_start=_int(span.get("head_start"), field + ".head_start", optional=True),
        head_end=_int(span.get("head_end"), field + ".head_end", optional=True),
        cluster=span.get("cluster"),
        attrs=dict(attrs),
        extra=_span_extra(span),
    )


def _span_extra(span: dict[str, Any]) -> dict[str, Any]:
    extra = {k: v for k, v in span.items() if k not in _SPAN_KEYS}
    nulls = [k for k in _NULLABLE if k in span and span[k] is None]
    if span.get("attrs") == {}:
        nulls.append("attrs")
    if nulls:
        extra[_NULL_KEYS] = nulls
    return extra


class SpanIndex:
    """The spans of one task by ``id``, by offsets and by offsets and label, built once, so
    that resolving every relation endpoint is linear in the task, not quadratic (first
    span wins, in order). Only ``by_label`` is built up front: it answers the common
    endpoint (offsets and label, no id); the others are built when first needed."""

    def __init__(self, mentions: list[Mention]):
        self.mentions = tuple(mentions)  # as they are now, for the indexes built later
        self.by_label: dict[tuple[Any, Any, Any], Mention] = {}
        setdefault = self.by_label.setdefault
        try:
            for m in mentions:
                setdefault((m.start, m.end, m.label), m)
        except TypeError:  # a Mention built elsewhere with an unhashable label: no fast path
            self.by_label = {}

    @cached_property
    def by_id(self) -> dict[Any, Mention]:
        by_id: dict[Any, Mention] = {}
        for m in self.mentions:
            if m.id is not None and isinstance(m.id, str | int):
                by_id.setdefault(m.id, m)
        return by_id

    @cached_property
    def by_offsets(self) -> dict[tuple[int, int], list[Mention]]:
        by_offsets: dict[tuple[int, int], list[Mention]] = {}
        for m in self.mentions:
            by_offsets.setdefault((m.start, m.end), []).append(m)
        return by_offsets


def endpoint_fast(ref: Any, index: SpanIndex) -> Mention | None:
    """The span an endpoint without ``id`` names by offsets and label, or None (then
    :func:`resolve_endpoint` decides)."""
    if type(ref) is not dict or ref.get("id") is not None:
        return None
    get = ref.get
    try:  # a list where an offset belongs is unhashable: the checked path reports it
        return index.by_label.get((get("start"), get("end"), get("label")))
    except TypeError:
        return None


def resolve_endpoint(
    ref: Any, mentions: list[Mention], field: str, index: SpanIndex | None = None
) -> Mention:
    """Find the span a relation's head_span/child_span points to: by ``id`` when given,
    else by offsets and label (then offsets alone). Pass ``index`` (a :class:`SpanIndex`
    of ``mentions``) when resolving many endpoints of one task."""
    if not isinstance(ref, dict):
        raise FormatError(Problem("expected an object", field=field))
    index = index or SpanIndex(mentions)
    found = endpoint_fast(ref, index)
    if found is not None:
        return found
    key = (ref.get("start"), ref.get("end"))
    try:  # malformed input may put a list or an object where an id or offset belongs
        by_id = index.by_id.get(ref["id"]) if ref.get("id") is not None else None
        same = index.by_offsets.get(key, [])  # type: ignore[arg-type]
    except TypeError:
        by_id, same = None, []
    if by_id is not None:
        return by_id
    labelled = [m for m in same if m.label == ref.get("label")]
    if labelled:
        return labelled[0]
    if len(same) == 1 and ref.get("label") is None:
        return same[0]
    raise FormatError(
        Problem(
            f"relation endpoint {key[0]}-{key[1]} ({ref.get('label')}) is not among the spans",
            field=field,
        )
    )

"""Reading a task leniently, and the checks of its spans: offsets, labels, attributes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from newsgold.corpus.align import TokenIndex
from newsgold.corpus.validate.events import _check_event_attrs
from newsgold.corpus.validate.report import _Where
from newsgold.errors import FormatError, NewsgoldError
from newsgold.formats.prodigy import (
    SpanIndex,
    resolve_endpoint,
    span_from_json,
    task_to_annotation,
)
from newsgold.model import ENTITY, TIMEX, TRIGGER, VALUE, Annotation, Mention, Token
from newsgold.schema import Schema


@dataclass
class _Read:
    """A task read leniently: the annotation, and where its parts are in the task."""

    ann: Annotation
    span_index: list[int]  # ann.mentions[k] is task["spans"][span_index[k]]
    rel_index: list[int]
    cluster_index: list[int]


def _read_whole(good: dict[str, Any]) -> _Read | None:
    """The usual case, read in one pass: a task whose every span, relation and cluster can
    be read is what the lenient reading gives (nothing left out, nothing reported), since
    :func:`task_to_annotation` fails on exactly what it would leave out. None otherwise."""
    parts = [good.get(key, []) for key in ("spans", "relations", "clusters")]
    if not all(isinstance(part, list) for part in parts):
        return None
    whole = dict(good)
    whole["spans"], whole["relations"], whole["clusters"] = (list(part) for part in parts)
    try:
        ann = task_to_annotation(whole)
    except NewsgoldError:  # something to leave out and report: read span by span
        return None
    return _Read(ann, *(list(range(len(part))) for part in parts))


def _read_leniently(task: dict[str, Any], w: _Where) -> _Read | None:
    """Read a task with :func:`task_to_annotation`, leaving out (and reporting) each span,
    relation or cluster it cannot read, so the rest can still be checked."""
    good: dict[str, Any] = dict(task)
    # tokens and segments are checked apart from the annotation (_check_tokens)
    for key in ("tokens", "sentences", "paragraphs"):
        good.pop(key, None)
    if not isinstance(good.get("meta", {}), dict):
        good["meta"] = {}  # reported by validate_task
    read = _read_whole(good)
    if read is not None:
        return read
    spans = task.get("spans", [])
    if not isinstance(spans, list):
        w.error("expected a list", "spans")
        spans = []
    span_index, mentions, good_spans = [], [], []
    for i, s in enumerate(spans):
        try:
            mentions.append(span_from_json(s, f"spans[{i}]"))
        except FormatError as exc:
            w.extend(exc, f"spans[{i}]")
            continue
        span_index.append(i)
        good_spans.append(s)
    good["spans"] = good_spans
    rels = task.get("relations", [])
    if not isinstance(rels, list):
        w.error("expected a list", "relations")
        rels = []
    rel_index, good_rels = [], []
    index = SpanIndex(mentions)
    for i, r in enumerate(rels):
        f = f"relations[{i}]"
        if not isinstance(r, dict):
            w.error("expected an object", f)
            continue
        ok = True
        if not isinstance(r.get("label"), str):
            w.error("missing or non-string label", f + ".label")
            ok = False
        for end in ("head_span", "child_span"):
            try:
                resolve_endpoint(r.get(end), mentions, f"{f}.{end}", index)
            except FormatError as exc:
                w.extend(exc, f"{f}.{end}")
                ok = False
        if ok:
            rel_index.append(i)
            good_rels.append(r)
    good["relations"] = good_rels
    clusters = task.get("clusters", [])
    if not isinstance(clusters, list):
        w.error("expected a list", "clusters")
        clusters = []
    cluster_index, good_clusters = [], []
    for i, c in enumerate(clusters):
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            w.error("expected an object with a string 'id'", f"clusters[{i}]")
        else:
            cluster_index.append(i)
            good_clusters.append(c)
    good["clusters"] = good_clusters
    try:
        ann = task_to_annotation(good)
    except NewsgoldError as exc:  # anything the checks above did not foresee
        w.extend(exc)
        return None
    return _Read(ann, span_index, rel_index, cluster_index)


def _check_spans(
    read: _Read, text: str, tokens: list[Token] | None, schema: Schema, w: _Where
) -> None:
    seen: dict[tuple, int] = {}
    ids: dict[str, int] = {}
    index = TokenIndex(tokens) if tokens else None  # once a task: spans x tokens otherwise
    for m, i in zip(read.ann.mentions, read.span_index, strict=True):
        f = f"spans[{i}]"
        if m.extra.get("_no_kind"):
            w.warning("no 'kind'; read as an entity", f + ".kind")
        _check_offsets(m, f, text, tokens, w, index)
        _check_label(m, f, schema, w)
        _check_attrs(m, f, schema, w)
        if m.kind == TRIGGER:
            _check_event_attrs(m, f, schema, w)
        key = (m.start, m.end, m.label, m.kind)
        if key in seen:
            w.error(f"duplicate of spans[{seen[key]}] (same start, end, label, kind)", f)
        else:
            seen[key] = i
        if m.id is not None:
            if m.id in ids:
                w.error(f"span id {m.id!r} is also used by spans[{ids[m.id]}]", f + ".id")
            else:
                ids[m.id] = i


def _check_offsets(
    m: Mention,
    f: str,
    text: str,
    tokens: list[Token] | None,
    w: _Where,
    index: TokenIndex | None = None,
) -> None:
    if not 0 <= m.start < m.end <= len(text):
        w.error(
            f"span {m.start}-{m.end} is not inside the text (0-{len(text)}) with start < end",
            f + ".end" if m.start < m.end else f + ".start",
        )
        return
    if m.text is not None and m.text != text[m.start : m.end]:
        w.error(
            f"text {m.text!r} != text[{m.start}:{m.end}] {text[m.start : m.end]!r}", f + ".text"
        )
    if tokens:
        bounds = (index or TokenIndex(tokens)).bounds(m.start, m.end)
        if bounds is None:
            near = [t for t in tokens if t.start < m.end and t.end > m.start]
            w.error(
                f"span {m.start}-{m.end} {text[m.start : m.end]!r} is not on token boundaries"
                + (f" (tokens cover {near[0].start}-{near[-1].end})" if near else ""),
                f + ".start",
            )
        else:
            for key, want in zip(("token_start", "token_end"), bounds, strict=True):
                got = getattr(m, key)
                if got is not None and got != want:
                    w.error(f"{key} {got} != {want}, the token the offsets give", f"{f}.{key}")
    if (m.head_start is None) != (m.head_end is None):
        w.error("head_start and head_end must be given together", f + ".head_start")
    elif m.head_start is not None and not (m.start <= m.head_start < m.head_end <= m.end):
        w.error(
            f"head {m.head_start}-{m.head_end} is not inside the span {m.start}-{m.end}",
            f + ".head_start",
        )


def _check_label(m: Mention, f: str, schema: Schema, w: _Where) -> None:
    if m.kind not in schema.span_kinds:
        w.error(f"unknown kind {m.kind!r}; one of {', '.join(schema.span_kinds)}", f + ".kind")
        return
    allowed = {
        ENTITY: schema.entity_labels,
        TIMEX: schema.timex_labels,
        VALUE: schema.value_labels,
    }.get(m.kind)
    if m.kind == TRIGGER:
        if not schema.is_event_type(m.label):
            w.error(f"{m.label!r} is not an ERE event type or PLOVER type", f + ".label")
    elif m.label not in allowed:
        w.error(
            f"{m.label!r} is not a label for kind {m.kind} ({', '.join(allowed)})", f + ".label"
        )
    if m.mention_type is None:
        if m.kind == ENTITY:
            w.error("entities need a mention_type", f + ".mention_type")
    elif m.mention_type not in schema.mention_types:
        w.error(
            f"unknown mention_type {m.mention_type!r}; one of {', '.join(schema.mention_types)}",
            f + ".mention_type",
        )


def _check_attrs(m: Mention, f: str, schema: Schema, w: _Where) -> None:
    if m.kind not in schema.span_kinds:
        return
    names = schema.attribute_names(m.kind)
    for name, value in m.attrs.items():
        af = f"{f}.attrs.{name}"
        if name not in names:
            w.error(
                f"attribute {name!r} is not defined for kind {m.kind}"
                + (f" ({', '.join(names)})" if names else ""),
                af,
            )
            continue
        values = schema.attribute_values(m.kind, name)
        # strict: the JSON value true is not the number 1
        if values is not None and not any(value == v and type(value) is type(v) for v in values):
            shown = ", ".join(v if isinstance(v, str) else json.dumps(v) for v in values)
            w.error(f"{value!r} is not a value of {name} ({shown})", af)
    for name in schema.required_attributes(m.kind):
        if m.attrs.get(name) is None:
            w.error(f"required attribute {name!r} is missing", f"{f}.attrs.{name}")
    if m.kind == TIMEX and "value" in m.attrs:
        value = m.attrs["value"]
        if not isinstance(value, str) or not schema.timex_value_pattern.match(value):
            w.error(f"{value!r} is not a TIMEX3 value", f + ".attrs.value")
    if m.kind == TRIGGER and "plover" in m.attrs and m.attrs["plover"] not in schema.plover_types:
        w.error(f"{m.attrs['plover']!r} is not a PLOVER type", f + ".attrs.plover")

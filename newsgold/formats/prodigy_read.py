"""Prodigy task JSON -> model objects: documents (tokens, sentences, paragraphs) and whole
tasks. The reading half of :mod:`newsgold.formats.prodigy` (which re-exports every name
here); spans and relation endpoints are read in :mod:`newsgold.formats.prodigy_spans`.

As there, each reader has a fast path for plain valid JSON that gives up on anything
unusual, and the checked path, which alone decides errors and runs whenever the fast path
gives up.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from newsgold.errors import FormatError, Problem
from newsgold.formats.prodigy_base import (
    _NO_KIND,
    _OWNED_SET,
    _PLACEHOLDER,
    _REL_KEY_SET,
    _SPAN_CORE_SET,
    _TOKEN_KEY_SET,
    INT64_END,
    INT64_MIN,
    _int,
    _TokenKeys,
    stable_hash,
)
from newsgold.formats.prodigy_spans import (
    SpanIndex,
    _span_fast,
    endpoint_fast,
    resolve_endpoint,
    span_from_json,
)
from newsgold.model import Annotation, Cluster, Document, Relation, Segment, Token

# Token and Segment are frozen dataclasses, whose generated __init__ sets each field through
# object.__setattr__: that was most of the cost of reading a token. The fast paths fill the
# instance's __dict__ instead, which is what that __init__ does in the end; this guards the
# assumptions (plain frozen dataclasses, these fields, nothing run after __init__), and the
# tests compare the objects with the previous reader's.
_new = object.__new__
for _cls, _names in (
    (Token, ("text", "start", "end", "id", "ws")),
    (Segment, ("start", "end", "token_start", "token_end", "heading")),
):
    if (
        tuple(f.name for f in fields(_cls)) != _names
        or hasattr(_cls, "__post_init__")
        or hasattr(_cls, "__slots__")
    ):  # pragma: no cover
        raise ImportError(f"newsgold.model.{_cls.__name__} changed: update prodigy_read")


def _token_keys(tokens: Any) -> _TokenKeys | None:
    if not isinstance(tokens, list):
        return None
    extras, no_id = {}, set()
    for i, t in enumerate(tokens):
        # the common token: only keys Token holds, an id among them
        if type(t) is dict and "id" in t and _TOKEN_KEY_SET.issuperset(t):
            continue
        if not isinstance(t, dict):
            continue
        unknown = {k: v for k, v in t.items() if k not in _TOKEN_KEY_SET}
        if unknown:
            extras[i] = unknown
        if "id" not in t:
            no_id.add(i)
    return _TokenKeys(extras, no_id) if extras or no_id else None


def tokens_from_json(tokens: Any) -> list[Token]:
    out = _tokens_fast(tokens)
    return out if out is not None else _tokens_checked(tokens)


def _tokens_fast(tokens: Any) -> list[Token] | None:
    if type(tokens) is not list:
        return None
    out = []
    append = out.append
    for i, t in enumerate(tokens):
        if type(t) is not dict:
            return None
        get = t.get
        text, start, end, tid, ws = get("text"), get("start"), get("end"), get("id", i), get("ws")
        if (
            type(text) is not str
            or type(start) is not int
            or type(end) is not int
            or type(tid) is not int
            or (ws is not None and type(ws) is not bool)
            or not INT64_MIN <= start < INT64_END
            or not INT64_MIN <= end < INT64_END
            or not INT64_MIN <= tid < INT64_END
        ):
            return None
        tok = _new(Token)
        d = tok.__dict__
        d["text"], d["start"], d["end"], d["id"], d["ws"] = text, start, end, tid, ws
        append(tok)
    return out


def _tokens_checked(tokens: Any) -> list[Token]:
    if not isinstance(tokens, list):
        raise FormatError(Problem("expected a list", field="tokens"))
    out = []
    for i, t in enumerate(tokens):
        f = f"tokens[{i}]"
        if not isinstance(t, dict):
            raise FormatError(Problem("expected an object", field=f))
        if not isinstance(t.get("text"), str):
            raise FormatError(Problem("missing or non-string 'text'", field=f + ".text"))
        ws = t.get("ws")
        if ws is not None and not isinstance(ws, bool):
            raise FormatError(Problem(f"expected true/false, got {ws!r}", field=f + ".ws"))
        out.append(
            Token(
                text=t["text"],
                start=_int(t.get("start"), f + ".start"),
                end=_int(t.get("end"), f + ".end"),
                id=_int(t.get("id", i), f + ".id"),
                ws=ws,
            )
        )
    return out


def segments_from_json(items: Any, field: str) -> list[Segment]:
    out = _segments_fast(items)
    return out if out is not None else _segments_checked(items, field)


def _segments_fast(items: Any) -> list[Segment] | None:
    if type(items) is not list:
        return None
    out = []
    append = out.append
    for s in items:
        if type(s) is not dict:
            return None
        get = s.get
        start, end, ts, te = get("start"), get("end"), get("token_start"), get("token_end")
        if (
            type(start) is not int
            or type(end) is not int
            or type(ts) is not int
            or type(te) is not int
            or not INT64_MIN <= start < INT64_END
            or not INT64_MIN <= end < INT64_END
            or not INT64_MIN <= ts < INT64_END
            or not INT64_MIN <= te < INT64_END
        ):
            return None
        seg = _new(Segment)
        d = seg.__dict__
        d["start"], d["end"], d["token_start"], d["token_end"] = start, end, ts, te
        d["heading"] = bool(get("heading", False))
        append(seg)
    return out


def _segments_checked(items: Any, field: str) -> list[Segment]:
    if not isinstance(items, list):
        raise FormatError(Problem("expected a list", field=field))
    out = []
    for i, s in enumerate(items):
        f = f"{field}[{i}]"
        if not isinstance(s, dict):
            raise FormatError(Problem("expected an object", field=f))
        out.append(
            Segment(
                start=_int(s.get("start"), f + ".start"),
                end=_int(s.get("end"), f + ".end"),
                token_start=_int(s.get("token_start"), f + ".token_start"),
                token_end=_int(s.get("token_end"), f + ".token_end"),
                heading=bool(s.get("heading", False)),
            )
        )
    return out


def document_from_task(task: dict[str, Any]) -> Document:
    text = task.get("text")
    if not isinstance(text, str):
        raise FormatError(Problem("missing or non-string 'text'", field="text"))
    meta = task.get("meta", {})
    if not isinstance(meta, dict):
        raise FormatError(Problem("expected an object", field="meta"))
    doc_id = meta.get("doc_id")
    if doc_id is None:  # the text is hashed only when there is no _input_hash
        doc_id = str(task["_input_hash"] if "_input_hash" in task else stable_hash(text))
    return Document(
        str(doc_id),
        text,
        tokens_from_json(task["tokens"]) if "tokens" in task else [],
        segments_from_json(task["sentences"], "sentences") if "sentences" in task else [],
        segments_from_json(task["paragraphs"], "paragraphs") if "paragraphs" in task else [],
        dict(meta),
        task.get("_input_hash"),
    )


def document_from_json(obj: dict[str, Any]) -> Document:
    return document_from_task(obj)


def _relation(r: Any, i: int, mentions: list, index: SpanIndex) -> Relation:
    """Read ``relations[i]``: fast for a plain relation, else each check in turn."""
    label = r.get("label") if type(r) is dict else None
    if type(label) is not str:
        f = f"relations[{i}]"
        if not isinstance(r, dict):
            raise FormatError(Problem("expected an object", field=f))
        if not isinstance(r.get("label"), str):
            raise FormatError(Problem("missing or non-string label", field=f + ".label"))
        label = r["label"]
    head_ref, child_ref = r.get("head_span"), r.get("child_span")
    head = endpoint_fast(head_ref, index)
    if head is None:
        head = resolve_endpoint(head_ref, mentions, f"relations[{i}].head_span", index)
    child = endpoint_fast(child_ref, index)
    if child is None:
        child = resolve_endpoint(child_ref, mentions, f"relations[{i}].child_span", index)
    # both endpoints are objects now; most have only the keys the model keeps
    rel = Relation(
        head,
        child,
        label,
        {} if _REL_KEY_SET.issuperset(r) else {k: v for k, v in r.items() if k not in _REL_KEY_SET},
        {}
        if _SPAN_CORE_SET.issuperset(head_ref)
        else {k: v for k, v in head_ref.items() if k not in _SPAN_CORE_SET},
        {}
        if _SPAN_CORE_SET.issuperset(child_ref)
        else {k: v for k, v in child_ref.items() if k not in _SPAN_CORE_SET},
    )
    # keep head/child as given when they disagree with token_end, so the validator
    # can report it and a round trip stays lossless
    given = r.get("head")
    if given != head.token_end:
        rel.extra["_head_given"] = given
    given = r.get("child")
    if given != child.token_end:
        rel.extra["_child_given"] = given
    return rel


def task_to_annotation(task: dict[str, Any]) -> Annotation:
    """Read one Prodigy task into an :class:`Annotation`.

    >>> ann = task_to_annotation({"text": "Putin spoke.", "spans": [
    ...     {"start": 0, "end": 5, "label": "PERSON"}]})
    >>> ann.mentions[0].label
    'PERSON'
    """
    if not isinstance(task, dict):
        raise FormatError(Problem("expected a JSON object"))
    doc = document_from_task(task)
    spans = task.get("spans", [])
    if not isinstance(spans, list):
        raise FormatError(Problem("expected a list", field="spans"))
    mentions = []
    append = mentions.append
    for i, s in enumerate(spans):
        m = _span_fast(s)
        if m is None:
            m = span_from_json(s, f"spans[{i}]")
        if "kind" not in s:
            m.extra[_NO_KIND] = True
        append(m)
    rels = task.get("relations", [])
    if not isinstance(rels, list):
        raise FormatError(Problem("expected a list", field="relations"))
    relations = []
    if rels:
        index = SpanIndex(mentions)
        relations = [_relation(r, i, mentions, index) for i, r in enumerate(rels)]
    clusters_json = task.get("clusters", [])
    if not isinstance(clusters_json, list):
        raise FormatError(Problem("expected a list", field="clusters"))
    clusters = []
    for i, c in enumerate(clusters_json):
        f = f"clusters[{i}]"
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            raise FormatError(Problem("expected an object with a string 'id'", field=f))
        clusters.append(
            Cluster(
                id=c["id"],
                kind=c.get("kind", "entity"),
                attrs={k: v for k, v in c.items() if k not in ("id", "kind")},
            )
        )
    rest: dict[str, Any] = {k: (_PLACEHOLDER if k in _OWNED_SET else v) for k, v in task.items()}
    token_keys = _token_keys(task.get("tokens"))
    if token_keys is not None:
        rest["tokens"] = token_keys
    return Annotation(doc, mentions, relations, clusters, rest)

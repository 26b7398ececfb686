"""Model objects -> Prodigy task JSON: the writing half of :mod:`newsgold.formats.prodigy`
(which re-exports every name here), the inverse of :mod:`newsgold.formats.prodigy_read`."""

from __future__ import annotations

from typing import Any

from newsgold.formats.prodigy_base import (
    _MARKERS,
    _NO_KIND,
    _NULL_KEYS,
    _PLACEHOLDER,
    _TokenKeys,
    stable_hash,
)
from newsgold.model import Annotation, Document, Mention, Relation, Segment, Token


def token_to_json(t: Token) -> dict[str, Any]:
    d: dict[str, Any] = {"text": t.text, "start": t.start, "end": t.end, "id": t.id}
    if t.ws is not None:
        d["ws"] = t.ws
    return d


def segment_to_json(s: Segment) -> dict[str, Any]:
    d: dict[str, Any] = {
        "start": s.start,
        "end": s.end,
        "token_start": s.token_start,
        "token_end": s.token_end,
    }
    if s.heading:
        d["heading"] = True
    return d


def span_to_json(m: Mention) -> dict[str, Any]:
    d: dict[str, Any] = {"start": m.start, "end": m.end}
    if m.token_start is not None:
        d["token_start"] = m.token_start
    if m.token_end is not None:
        d["token_end"] = m.token_end
    d["label"] = m.label
    if m.text is not None:
        d["text"] = m.text
    if m.id is not None:
        d["id"] = m.id
    # a plain Prodigy span has no kind; it is read as an entity and written back plain
    if not m.extra.get(_NO_KIND):
        d["kind"] = m.kind
    for key in ("mention_type", "head_start", "head_end", "cluster"):
        value = getattr(m, key)
        if value is not None:
            d[key] = value
    if m.attrs:
        d["attrs"] = dict(m.attrs)
    for key in m.extra.get(_NULL_KEYS, ()):
        if key == "attrs" and not m.attrs:
            d["attrs"] = {}
        elif key != "attrs" and getattr(m, key) is None:
            d[key] = None
    d.update({k: v for k, v in m.extra.items() if k not in _MARKERS})
    return d


def _span_core(m: Mention) -> dict[str, Any]:
    d = {"start": m.start, "end": m.end}
    if m.token_start is not None:
        d["token_start"] = m.token_start
    if m.token_end is not None:
        d["token_end"] = m.token_end
    d["label"] = m.label
    return d


def relation_to_json(r: Relation) -> dict[str, Any]:
    head = r.extra.get("_head_given", r.head.token_end)
    child = r.extra.get("_child_given", r.child.token_end)
    d: dict[str, Any] = {
        "head": head,
        "child": child,
        "head_span": {**_span_core(r.head), **r.head_span_extra},
        "child_span": {**_span_core(r.child), **r.child_span_extra},
        "label": r.label,
    }
    d.update({k: v for k, v in r.extra.items() if k not in ("_head_given", "_child_given")})
    return d


def document_to_json(doc: Document) -> dict[str, Any]:
    """A corpus document as a Prodigy-loadable task (no labels)."""
    d: dict[str, Any] = {"text": doc.text}
    if doc.tokens:
        d["tokens"] = [token_to_json(t) for t in doc.tokens]
    if doc.sentences:
        d["sentences"] = [segment_to_json(s) for s in doc.sentences]
    if doc.paragraphs:
        d["paragraphs"] = [segment_to_json(s) for s in doc.paragraphs]
    d["meta"] = dict(doc.meta)
    d["_input_hash"] = doc.input_hash if doc.input_hash is not None else stable_hash(doc.text)
    return d


def annotation_to_task(ann: Annotation) -> dict[str, Any]:
    """Write an :class:`Annotation` as a Prodigy task (inverse of :func:`task_to_annotation`)."""
    doc = ann.document
    owned: dict[str, Any] = {"text": doc.text}
    # a key given as an empty list stays, a key that was absent stays absent
    if doc.tokens or "tokens" in ann.task:
        owned["tokens"] = [token_to_json(t) for t in doc.tokens]
        token_keys = ann.task.get("tokens")
        if isinstance(token_keys, _TokenKeys):
            owned["tokens"] = token_keys.apply(owned["tokens"])
    if doc.sentences or "sentences" in ann.task:
        owned["sentences"] = [segment_to_json(s) for s in doc.sentences]
    if doc.paragraphs or "paragraphs" in ann.task:
        owned["paragraphs"] = [segment_to_json(s) for s in doc.paragraphs]
    owned["spans"] = [span_to_json(m) for m in ann.mentions]
    if ann.relations or "relations" in ann.task:
        owned["relations"] = [relation_to_json(r) for r in ann.relations]
    if doc.meta or "meta" in ann.task:
        owned["meta"] = dict(doc.meta)
    if ann.clusters or "clusters" in ann.task:
        owned["clusters"] = [{"id": c.id, "kind": c.kind, **c.attrs} for c in ann.clusters]
    out: dict[str, Any] = {}
    for k, v in ann.task.items():
        if v is _PLACEHOLDER or isinstance(v, _TokenKeys):
            if k in owned:
                out[k] = owned.pop(k)
        else:
            out[k] = v
    if "spans" not in ann.task and not owned["spans"]:
        owned.pop("spans")
    out.update(owned)
    if "_input_hash" not in out:
        out["_input_hash"] = doc.input_hash if doc.input_hash is not None else stable_hash(doc.text)
    if "_task_hash" not in out:
        out["_task_hash"] = stable_hash(
            out["_input_hash"],
            *(f"{m.start}:{m.end}:{m.label}" for m in ann.mentions),
            *(f"{r.head.start}>{r.child.start}:{r.label}" for r in ann.relations),
        )
    return out

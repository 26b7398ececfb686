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
"""

from __future__ import annotations

import hashlib
from typing import Any

from newsgold.errors import FormatError, Problem
from newsgold.model import (
    ENTITY,
    Annotation,
    Cluster,
    Document,
    Mention,
    Relation,
    Segment,
    Token,
)

_SPAN_KEYS = (
    "start",
    "end",
    "token_start",
    "token_end",
    "label",
    "text",
    "id",
    "kind",
    "mention_type",
    "head_start",
    "head_end",
    "cluster",
    "attrs",
)
_SPAN_CORE = ("start", "end", "token_start", "token_end", "label")
_REL_KEYS = ("head", "child", "head_span", "child_span", "label")
# top-level keys that the model owns; everything else stays in Annotation.task
_OWNED = ("text", "tokens", "spans", "relations", "meta", "clusters", "sentences", "paragraphs")
_NO_KIND = "_no_kind"  # marks a span read without a "kind" key, so it is written back without
# marks span keys that were given as null (or "attrs" given as {}), so they are written back
_NULL_KEYS = "_null_keys"
_MARKERS = (_NO_KIND, _NULL_KEYS)
_NULLABLE = (
    "token_start",
    "token_end",
    "text",
    "id",
    "mention_type",
    "head_start",
    "head_end",
    "cluster",
)
_TOKEN_KEYS = ("text", "start", "end", "id", "ws")


class _Owned:
    """Stands in ``Annotation.task`` for a key the model owns, to keep top-level key order.

    One instance; copying or pickling an Annotation keeps it the same object, so
    ``copy.deepcopy(ann)`` still writes back the same task.
    """

    def __copy__(self) -> _Owned:
        return self

    def __deepcopy__(self, memo: dict) -> _Owned:
        return self

    def __reduce__(self) -> str:
        return "_PLACEHOLDER"

    def __repr__(self) -> str:
        return "<owned by the model>"


_PLACEHOLDER = _Owned()


class _TokenKeys:
    """Stands in ``Annotation.task["tokens"]`` when tokens had keys :class:`Token` cannot
    hold (``"disabled": true`` from rel.manual, a missing ``id``): kept here, by token
    index, and put back on writing. ``Token`` stays a small frozen record."""

    def __init__(self, extras: dict[int, dict[str, Any]], no_id: set[int]):
        self.extras = extras
        self.no_id = no_id

    def apply(self, tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for i, t in enumerate(tokens):
            if i in self.no_id and t.get("id") == i:
                del t["id"]
            t.update(self.extras.get(i, {}))
        return tokens

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _TokenKeys) and (self.extras, self.no_id) == (
            other.extras,
            other.no_id,
        )

    def __repr__(self) -> str:
        return f"<owned by the model, token extras {self.extras!r}>"


def _token_keys(tokens: Any) -> _TokenKeys | None:
    if not isinstance(tokens, list):
        return None
    extras, no_id = {}, set()
    for i, t in enumerate(tokens):
        if not isinstance(t, dict):
            continue
        unknown = {k: v for k, v in t.items() if k not in _TOKEN_KEYS}
        if unknown:
            extras[i] = unknown
        if "id" not in t:
            no_id.add(i)
    return _TokenKeys(extras, no_id) if extras or no_id else None


def stable_hash(*parts: Any) -> int:
    """A deterministic signed 32-bit id, shaped like Prodigy's hashes (which are opaque
    and cannot be recomputed outside Prodigy, so new tasks get these instead)."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(h[:4], "big", signed=True)


def _int(value: Any, field: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(Problem(f"expected an integer, got {value!r}", field=field))
    if not -(2**63) <= value < 2**63:  # offsets and ids are int64 arrays downstream
        raise FormatError(Problem(f"{value} is out of range (offsets must fit int64)", field=field))
    return value


def tokens_from_json(tokens: Any) -> list[Token]:
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


def segments_from_json(items: Any, field: str) -> list[Segment]:
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


def span_from_json(span: Any, field: str) -> Mention:
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


class SpanIndex:
    """The spans of one task by ``id`` and by offsets, built once, so that resolving every
    relation endpoint is linear in the task, not quadratic (first span wins, in order)."""

    def __init__(self, mentions: list[Mention]):
        self.by_id: dict[Any, Mention] = {}
        self.by_offsets: dict[tuple[int, int], list[Mention]] = {}
        for m in mentions:
            if m.id is not None and isinstance(m.id, str | int):
                self.by_id.setdefault(m.id, m)
            self.by_offsets.setdefault((m.start, m.end), []).append(m)


def resolve_endpoint(
    ref: Any, mentions: list[Mention], field: str, index: SpanIndex | None = None
) -> Mention:
    """Find the span a relation's head_span/child_span points to: by ``id`` when given,
    else by offsets and label (then offsets alone). Pass ``index`` (a :class:`SpanIndex`
    of ``mentions``) when resolving many endpoints of one task."""
    if not isinstance(ref, dict):
        raise FormatError(Problem("expected an object", field=field))
    index = index or SpanIndex(mentions)
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


def document_from_task(task: dict[str, Any]) -> Document:
    text = task.get("text")
    if not isinstance(text, str):
        raise FormatError(Problem("missing or non-string 'text'", field="text"))
    meta = task.get("meta", {})
    if not isinstance(meta, dict):
        raise FormatError(Problem("expected an object", field="meta"))
    doc_id = meta.get("doc_id")
    if doc_id is None:
        doc_id = str(task.get("_input_hash", stable_hash(text)))
    return Document(
        doc_id=str(doc_id),
        text=text,
        tokens=tokens_from_json(task["tokens"]) if "tokens" in task else [],
        sentences=segments_from_json(task["sentences"], "sentences") if "sentences" in task else [],
        paragraphs=(
            segments_from_json(task["paragraphs"], "paragraphs") if "paragraphs" in task else []
        ),
        meta=dict(meta),
        input_hash=task.get("_input_hash"),
    )


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
    for i, s in enumerate(spans):
        m = span_from_json(s, f"spans[{i}]")
        if "kind" not in s:
            m.extra[_NO_KIND] = True
        mentions.append(m)
    rels = task.get("relations", [])
    if not isinstance(rels, list):
        raise FormatError(Problem("expected a list", field="relations"))
    relations = []
    index = SpanIndex(mentions)
    for i, r in enumerate(rels):
        f = f"relations[{i}]"
        if not isinstance(r, dict):
            raise FormatError(Problem("expected an object", field=f))
        if not isinstance(r.get("label"), str):
            raise FormatError(Problem("missing or non-string label", field=f + ".label"))
        head = resolve_endpoint(r.get("head_span"), mentions, f + ".head_span", index)
        child = resolve_endpoint(r.get("child_span"), mentions, f + ".child_span", index)
        rel = Relation(
            head=head,
            child=child,
            label=r["label"],
            extra={k: v for k, v in r.items() if k not in _REL_KEYS},
            head_span_extra={k: v for k, v in r["head_span"].items() if k not in _SPAN_CORE},
            child_span_extra={k: v for k, v in r["child_span"].items() if k not in _SPAN_CORE},
        )
        # keep head/child as given when they disagree with token_end, so the validator
        # can report it and a round trip stays lossless
        for end in ("head", "child"):
            expected = (head if end == "head" else child).token_end
            if r.get(end) != expected:
                rel.extra[f"_{end}_given"] = r.get(end)
        relations.append(rel)
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
    rest: dict[str, Any] = {k: (_PLACEHOLDER if k in _OWNED else v) for k, v in task.items()}
    token_keys = _token_keys(task.get("tokens"))
    if token_keys is not None:
        rest["tokens"] = token_keys
    return Annotation(
        document=doc, mentions=mentions, relations=relations, clusters=clusters, task=rest
    )


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


def document_from_json(obj: dict[str, Any]) -> Document:
    return document_from_task(obj)


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

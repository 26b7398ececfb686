"""Check annotation files (Prodigy JSONL) against the corpus and the schema.

Every problem of a file is reported in one run, each naming file, line, doc_id and field
(``spans[3].label``). A task is checked for:

* shape: one JSON object a line, UTF-8 (via :func:`newsgold.formats.jsonl.iter_jsonl`,
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
  ``token_end``; from a trigger, the label is a role of its event type (for an ERE trigger
  with ``attrs.plover``, that PLOVER type's roles too) and the child's label may fill it;
  a relation from a span that is not a trigger is an error (the schema defines none);
* no duplicate spans (start, end, label, kind), relations or span ids;
* clusters: ids unique, every ``span.cluster`` declared, every declared cluster used,
  entity clusters hold entity and timex spans (never values), hoppers hold triggers of one
  event type.

Across lines: two lines with the same doc_id in one file are an **error**. A file under
``annotations/`` is one view of each document (the gold, or one annotator's pass); a
multi-annotator Prodigy export must be split into one file per annotator first.

Warnings (reported, but the exit status stays 0): a task without ``meta.doc_id`` matched by
its text; a span without ``kind`` (read as an entity); an ``answer`` other than accept.

>>> from newsgold.corpus.build import load_corpus  # doctest: +SKIP
>>> from newsgold.schema import load_schema  # doctest: +SKIP
>>> problems = validate_file("annotations/gold.jsonl", load_corpus(), load_schema())  # doctest: +SKIP
>>> [str(p) for p in problems if p.severity == "error"]  # doctest: +SKIP
[]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgold.corpus.align import token_bounds
from newsgold.errors import FormatError, NewsgoldError, Problem
from newsgold.formats.jsonl import iter_jsonl
from newsgold.formats.prodigy import (
    resolve_endpoint,
    segments_from_json,
    span_from_json,
    stable_hash,
    task_to_annotation,
    token_to_json,
    tokens_from_json,
)
from newsgold.model import ENTITY, TIMEX, TRIGGER, VALUE, Annotation, Document, Mention, Token
from newsgold.schema import Schema

ANSWERS = ("accept", "reject", "ignore")
# values never corefer (guidelines 9.1, v1.2): a value in a cluster is an error
CLUSTER_KINDS = {"entity": (ENTITY, TIMEX), "hopper": (TRIGGER,)}
#: at most this many token mismatches are listed one by one; the rest are counted
MAX_TOKEN_PROBLEMS = 3


@dataclass
class FileResult:
    """What validating one file found."""

    path: str
    tasks: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


@dataclass
class Report:
    """What validating several files found."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "files": [
                {"path": f.path, "tasks": f.tasks, "errors": f.errors, "warnings": f.warnings}
                for f in self.files
            ],
            "problems": [p.to_dict() for p in self.problems],
        }


class _Where:
    """Collects problems of one task, each stamped with file, line and doc_id."""

    def __init__(self, file: str | None, line: int | None, doc_id: str | None):
        self.file, self.line, self.doc_id = file, line, doc_id
        self.problems: list[Problem] = []

    def error(self, message: str, field: str | None = None) -> None:
        self.problems.append(Problem(message, self.file, self.line, self.doc_id, field))

    def warning(self, message: str, field: str | None = None) -> None:
        self.problems.append(
            Problem(message, self.file, self.line, self.doc_id, field, severity="warning")
        )

    def extend(self, exc: NewsgoldError, prefix: str = "") -> None:
        for p in exc.problems:
            f = p.field if not prefix else (prefix if p.field is None else p.field)
            self.error(p.message, f)


def text_hash(text: str) -> int:
    """The content hash used to find a task's document when ``meta.doc_id`` is absent
    (the same :func:`~newsgold.formats.prodigy.stable_hash` the build gives documents)."""
    return stable_hash(text)


def find_document(task: dict[str, Any], corpus: Mapping[str, Document]) -> Document | None:
    """The corpus document of a task: by ``meta.doc_id``, else by a hash of its text."""
    meta = task.get("meta")
    if isinstance(meta, dict) and meta.get("doc_id") is not None:
        return corpus.get(str(meta["doc_id"]))
    text = task.get("text")
    if not isinstance(text, str):
        return None
    h = text_hash(text)
    for doc in corpus.values():
        doc_hash = doc.input_hash if doc.input_hash is not None else text_hash(doc.text)
        # the hash finds the document; comparing texts rules out a 32-bit collision
        if doc_hash == h and doc.text == text:
            return doc
    return None


def validate_task(
    task: Any,
    corpus: Mapping[str, Document],
    schema: Schema,
    *,
    file: str | None = None,
    line: int | None = None,
) -> list[Problem]:
    """Every problem of one Prodigy task (an empty list when it is valid).

    >>> validate_task({"text": "x"}, {}, load_schema())  # doctest: +SKIP
    [Problem(message='no corpus document has this text ...', field='meta.doc_id', ...)]
    """
    if not isinstance(task, dict):
        w = _Where(file, line, None)
        w.error(f"expected a JSON object, got {type(task).__name__}")
        return w.problems
    meta = task.get("meta", {})
    doc_id = meta.get("doc_id") if isinstance(meta, dict) else None
    w = _Where(file, line, None if doc_id is None else str(doc_id))
    if not isinstance(meta, dict):
        w.error("expected an object", "meta")
    _check_answer(task, w)
    text = task.get("text")
    if not isinstance(text, str):
        w.error("missing or non-string 'text'", "text")
        return w.problems

    doc = find_document(task, corpus)
    if doc is None:
        if doc_id is not None:
            w.error(f"unknown document {doc_id!r}: not in the corpus", "meta.doc_id")
        else:
            w.error("no meta.doc_id, and no corpus document has this text", "meta.doc_id")
    elif doc_id is None:
        w.doc_id = doc.doc_id
        w.warning(f"no meta.doc_id; matched corpus document {doc.doc_id} by its text", "meta")
    text_ok = doc is not None and doc.text == text
    if doc is not None and not text_ok:
        w.error(_text_difference(doc.text, text), "text")

    tokens = _check_tokens(task, doc if text_ok else None, text, w)
    if text_ok:
        _check_segments(task, doc, w)
    read = _read_leniently(task, w)
    if read is None:
        return w.problems
    _check_spans(read, text, tokens, schema, w)
    _check_relations(read, task, tokens, schema, w)
    _check_clusters(read, w)
    return w.problems


def _check_answer(task: dict[str, Any], w: _Where) -> None:
    if "answer" not in task:
        return
    answer = task["answer"]
    if answer not in ANSWERS:
        w.error(f"answer must be one of {', '.join(ANSWERS)}, got {answer!r}", "answer")
    elif answer != "accept":
        w.warning(f"answer is {answer!r}: this task is not accepted gold", "answer")


def _text_difference(expected: str, got: str) -> str:
    i = next(
        (k for k, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b),
        min(len(expected), len(got)),
    )
    return (
        f"text differs from the corpus document at character {i}: "
        f"corpus {expected[i : i + 20]!r}, task {got[i : i + 20]!r} "
        f"(lengths {len(expected)} and {len(got)})"
    )


_TOKENS_JSON: dict[int, tuple[Document, list[dict[str, Any]]]] = {}


def _tokens_json(doc: Document) -> list[dict[str, Any]]:
    """The corpus tokens as Prodigy JSON, cached per document: most tasks carry exactly
    these, and comparing dicts is far cheaper than reading every token."""
    cached = _TOKENS_JSON.get(id(doc))
    if cached is None or cached[0] is not doc:
        if len(_TOKENS_JSON) > 1000:
            _TOKENS_JSON.clear()
        cached = _TOKENS_JSON[id(doc)] = (doc, [token_to_json(t) for t in doc.tokens])
    return cached[1]


def _check_tokens(
    task: dict[str, Any], doc: Document | None, text: str, w: _Where
) -> list[Token] | None:
    """Compare the task's tokens with the corpus; return the tokens spans are checked on."""
    if "tokens" not in task:
        w.error("no tokens: gold tasks carry the corpus tokens", "tokens")
        return doc.tokens if doc is not None else None
    if doc is not None and task["tokens"] == _tokens_json(doc):  # the usual case, fast
        return doc.tokens
    try:
        given = tokens_from_json(task["tokens"])
    except FormatError as exc:
        w.extend(exc)
        return doc.tokens if doc is not None else None
    raw = task["tokens"]
    bad = []
    if doc is not None:
        if len(given) != len(doc.tokens):
            w.error(f"{len(given)} tokens, the corpus document has {len(doc.tokens)}", "tokens")
        for i, (t, c) in enumerate(zip(given, doc.tokens, strict=False)):
            diff = [
                f"{k} {getattr(t, k)!r} != corpus {getattr(c, k)!r}"
                for k in ("text", "start", "end", "id")
                if getattr(t, k) != getattr(c, k)
            ]
            if "ws" in raw[i] and t.ws != c.ws:
                diff.append(f"ws {t.ws!r} != corpus {c.ws!r}")
            if diff:
                bad.append((i, "; ".join(diff)))
    else:
        for i, t in enumerate(given):
            if text[t.start : t.end] != t.text:
                bad.append((i, f"text {t.text!r} != text[{t.start}:{t.end}]"))
    for i, message in bad[:MAX_TOKEN_PROBLEMS]:
        w.error(message, f"tokens[{i}]")
    if len(bad) > MAX_TOKEN_PROBLEMS:
        w.error(f"{len(bad) - MAX_TOKEN_PROBLEMS} more tokens differ", "tokens")
    if doc is not None and (bad or len(given) != len(doc.tokens)):
        return doc.tokens  # check spans on the corpus tokens, not on broken ones
    return given


@dataclass
class _Read:
    """A task read leniently: the annotation, and where its parts are in the task."""

    ann: Annotation
    span_index: list[int]  # ann.mentions[k] is task["spans"][span_index[k]]
    rel_index: list[int]
    cluster_index: list[int]


def _check_segments(task: dict[str, Any], doc: Document, w: _Where) -> None:
    """Sentences and paragraphs are optional in a task; when given, they are the corpus's."""
    for key in ("sentences", "paragraphs"):
        if key not in task:
            continue
        try:
            given = segments_from_json(task[key], key)
        except FormatError as exc:
            w.extend(exc)
            continue
        expected = getattr(doc, key)
        if given != expected:
            i = next(
                (k for k, (a, b) in enumerate(zip(given, expected, strict=False)) if a != b),
                min(len(given), len(expected)),
            )
            w.error(
                f"{key} differ from the corpus document's ({len(given)} given, "
                f"{len(expected)} in the corpus; first difference at {key}[{i}])",
                f"{key}[{i}]",
            )


def _read_leniently(task: dict[str, Any], w: _Where) -> _Read | None:
    """Read a task with :func:`task_to_annotation`, leaving out (and reporting) each span,
    relation or cluster it cannot read, so the rest can still be checked."""
    good: dict[str, Any] = dict(task)
    # tokens and segments are checked apart from the annotation (_check_tokens)
    for key in ("tokens", "sentences", "paragraphs"):
        good.pop(key, None)
    if not isinstance(good.get("meta", {}), dict):
        good["meta"] = {}  # reported by validate_task
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
                resolve_endpoint(r.get(end), mentions, f"{f}.{end}")
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
    for m, i in zip(read.ann.mentions, read.span_index, strict=True):
        f = f"spans[{i}]"
        if m.extra.get("_no_kind"):
            w.warning("no 'kind'; read as an entity", f + ".kind")
        _check_offsets(m, f, text, tokens, w)
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


def _check_offsets(m: Mention, f: str, text: str, tokens: list[Token] | None, w: _Where) -> None:
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
        bounds = token_bounds(tokens, m.start, m.end)
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


PLOVER_PREFIX = "PLOVER."


def plover_type(trigger: Mention, schema: Schema) -> str | None:
    """The PLOVER type of an event mention: ``attrs.plover``, else its label when that is
    a PLOVER type (a PLOVER-only event); None for an ERE-only event."""
    plover = trigger.attrs.get("plover")
    if isinstance(plover, str) and plover in schema.plover_types:
        return plover
    return trigger.label if trigger.label in schema.plover_types else None


def role_layer(role: str, schema: Schema | None = None) -> str:
    """``"PLOVER"`` for a scheme-qualified PLOVER role (``PLOVER.Actor``), else ``"ERE"``.

    >>> role_layer("PLOVER.Recipient"), role_layer("Recipient")
    ('PLOVER', 'ERE')
    """
    prefix = PLOVER_PREFIX if schema is None else schema.raw.get("plover_role_prefix", PLOVER_PREFIX)
    return "PLOVER" if role.startswith(prefix) else "ERE"


def allowed_roles(trigger: Mention, schema: Schema) -> dict[str, list[str]]:
    """Roles a trigger may have, each with its allowed filler labels: the ERE roles of its
    label when that is an ERE type, and the (``PLOVER.``-qualified) roles of its PLOVER
    type (``attrs.plover``, or the label of a PLOVER-only event)."""
    roles: dict[str, list[str]] = {}
    if trigger.label in schema.event_types:
        roles.update({k: list(v) for k, v in schema.roles(trigger.label).items()})
    plover = plover_type(trigger, schema)
    if plover is not None:
        # on an event with an ERE type, Time and Place are the ERE layer's; the PLOVER layer
        # adds only actor and recipient (guidelines 7.5)
        keep = schema.raw.get("plover_roles_on_ere_events")
        for role, fillers in schema.roles(plover).items():
            if trigger.label in schema.event_types and keep is not None and role not in keep:
                continue
            roles.setdefault(role, [])
            roles[role] += [x for x in fillers if x not in roles[role]]
    return roles


def _role_problem(rel_label: str, trigger: Mention, roles: dict, schema: Schema) -> str:
    """Why a role is not allowed on a trigger, naming the layer rule it breaks."""
    plover = plover_type(trigger, schema)
    if role_layer(rel_label, schema) == "PLOVER" and plover is None:
        return (
            f"{rel_label!r} is a PLOVER role, and this {trigger.label} event has no PLOVER "
            "type (attrs.plover): an ERE-only event takes ERE roles only"
        )
    if role_layer(rel_label, schema) == "ERE" and trigger.label not in schema.event_types:
        hint = ""
        if PLOVER_PREFIX + rel_label in roles:
            hint = f"; PLOVER roles are written {PLOVER_PREFIX + rel_label!r}"
        return (
            f"{rel_label!r} is an ERE role, and {trigger.label} is a PLOVER-only event "
            f"(no ERE type): it takes PLOVER roles only{hint}"
        )
    hint = ""
    if PLOVER_PREFIX + rel_label in roles:
        hint = f"; the PLOVER role is written {PLOVER_PREFIX + rel_label!r}"
    return f"{rel_label!r} is not a role of {trigger.label} ({', '.join(roles)}){hint}"


def _check_event_attrs(m: Mention, f: str, schema: Schema, w: _Where) -> None:
    """Rules across a trigger's label and attributes (guidelines 7.6, 7.7, 8.3)."""
    plover = m.attrs.get("plover")
    if m.label in schema.plover_types and plover is not None and plover != m.label:
        w.error(
            f"attrs.plover {plover!r} differs from the label {m.label!r} of this PLOVER-only "
            "event (it repeats the label)",
            f + ".attrs.plover",
        )
    if "attribution" not in m.attrs:
        return
    if m.attrs["attribution"] is not True:
        return  # a value outside the schema's, reported by _check_attrs
    kinds = list(schema.raw.get("attribution_event_types", []))
    if m.label not in kinds:
        w.error(
            f"an attribution-only speech event must be a Contact type ({', '.join(kinds)}), "
            f"not {m.label!r}",
            f + ".label",
        )
    if plover is not None:
        w.error(
            f"an attribution-only speech event has no PLOVER type (PLOVER drops neutral "
            f"statements); {plover!r} belongs on the content word",
            f + ".attrs.plover",
        )


def _check_relations(
    read: _Read, task: dict[str, Any], tokens: list[Token] | None, schema: Schema, w: _Where
) -> None:
    where = {id(m): i for m, i in zip(read.ann.mentions, read.span_index, strict=True)}
    seen: dict[tuple, int] = {}
    for rel, j in zip(read.ann.relations, read.rel_index, strict=True):
        f = f"relations[{j}]"
        raw = task["relations"][j]
        for end, m in (("head", rel.head), ("child", rel.child)):
            want = m.token_end
            if want is None and tokens:
                bounds = token_bounds(tokens, m.start, m.end)
                want = bounds[1] if bounds else None
            if want is not None and raw.get(end) != want:
                w.error(
                    f"{end} {raw.get(end)!r} != {want}, the token_end of spans[{where[id(m)]}]",
                    f"{f}.{end}",
                )
            copy = raw.get(f"{end}_span", {})
            for key in ("start", "end", "token_start", "token_end", "label"):
                if key in copy and copy[key] != getattr(m, key):
                    w.error(
                        f"{key} {copy[key]!r} != {getattr(m, key)!r} of spans[{where[id(m)]}]",
                        f"{f}.{end}_span.{key}",
                    )
        key = (where[id(rel.head)], where[id(rel.child)], rel.label)
        if key in seen:
            w.error(f"duplicate of relations[{seen[key]}]", f)
        else:
            seen[key] = j
        if rel.head.kind != TRIGGER:
            w.error(
                f"relation from spans[{where[id(rel.head)]}] ({rel.head.kind} {rel.head.label}): "
                "relations must start at a trigger (event arguments)",
                f + ".head_span",
            )
            continue
        roles = allowed_roles(rel.head, schema)
        if rel.label not in roles:
            w.error(_role_problem(rel.label, rel.head, roles, schema), f + ".label")
        elif rel.child.label not in roles[rel.label]:
            w.error(
                f"{rel.child.label!r} cannot fill {rel.head.label} {rel.label} "
                f"({', '.join(roles[rel.label])})",
                f + ".child_span.label",
            )


def _check_clusters(read: _Read, w: _Where) -> None:
    ann = read.ann
    declared: dict[str, int] = {}  # cluster id -> index in task["clusters"]
    kinds: dict[str, str] = {}
    for c, k in zip(ann.clusters, read.cluster_index, strict=True):
        f = f"clusters[{k}]"
        if c.id in declared:
            w.error(
                f"cluster id {c.id!r} is also declared by clusters[{declared[c.id]}]", f + ".id"
            )
            continue
        declared[c.id] = k
        kinds[c.id] = c.kind if isinstance(c.kind, str) else repr(c.kind)
        if kinds[c.id] not in CLUSTER_KINDS:
            w.error(f"cluster kind {c.kind!r}; one of {', '.join(CLUSTER_KINDS)}", f + ".kind")
    where = {id(m): i for m, i in zip(ann.mentions, read.span_index, strict=True)}
    members = ann.cluster_members()
    for cid, mentions in members.items():
        if cid not in declared:
            for m in mentions:
                w.error(
                    f"cluster {cid!r} is not declared in 'clusters'",
                    f"spans[{where[id(m)]}].cluster",
                )
    for cid, k in declared.items():
        f = f"clusters[{k}]"
        mentions = members.get(cid, [])
        if not mentions:
            w.error(f"cluster {cid!r} has no mentions", f)
            continue
        allowed = CLUSTER_KINDS.get(kinds[cid])
        if allowed is None:
            continue
        for m in mentions:
            if m.kind not in allowed:
                w.error(
                    f"{m.kind} span in {kinds[cid]} cluster {cid!r}; it holds only "
                    + "/".join(allowed),
                    f"spans[{where[id(m)]}].cluster",
                )
        if kinds[cid] == "hopper":
            types = sorted({m.label for m in mentions if m.kind == TRIGGER})
            if len(types) > 1:
                w.error(f"hopper {cid!r} mixes event types {', '.join(types)}", f)


def _doc_key(task: dict[str, Any], corpus: Mapping[str, Document]) -> str | None:
    """The doc_id a task annotates: its meta.doc_id, else that of the document its text
    matches."""
    meta = task.get("meta")
    if isinstance(meta, dict) and meta.get("doc_id") is not None:
        return str(meta["doc_id"])
    doc = find_document(task, corpus)
    return doc.doc_id if doc is not None else None


def validate_file(
    path: str | Path, corpus: Mapping[str, Document], schema: Schema
) -> list[Problem]:
    """Every problem of one JSONL file: bad lines, bad tasks, repeated doc_ids."""
    return check_file(path, corpus, schema).problems


def check_file(path: str | Path, corpus: Mapping[str, Document], schema: Schema) -> FileResult:
    """Like :func:`validate_file`, also counting the tasks read."""
    name = str(path)
    result = FileResult(name)
    first_line: dict[str, int] = {}
    try:
        for n, obj, problem in iter_jsonl(path):
            if problem is not None:
                result.problems.append(problem)
                continue
            result.tasks += 1
            result.problems.extend(validate_task(obj, corpus, schema, file=name, line=n))
            doc_id = _doc_key(obj, corpus)
            if doc_id is None:
                continue
            if doc_id in first_line:
                result.problems.append(
                    Problem(
                        f"document also annotated on line {first_line[doc_id]}; "
                        "one line per document in a file",
                        name,
                        n,
                        doc_id,
                        "meta.doc_id",
                    )
                )
            else:
                first_line[doc_id] = n
    except NewsgoldError as exc:  # the file cannot be opened
        result.problems.extend(exc.problems)
    return result


def annotation_files(root: str | Path = "annotations") -> list[Path]:
    """Every ``*.jsonl`` under ``root``, recursively, sorted."""
    root = Path(root)
    return sorted(p for p in root.rglob("*.jsonl") if p.is_file()) if root.is_dir() else []


def validate_paths(
    paths: Iterable[str | Path], corpus: Mapping[str, Document], schema: Schema
) -> Report:
    """Validate files (a directory stands for every ``*.jsonl`` under it)."""
    report = Report()
    for p in paths:
        p = Path(p)
        for f in annotation_files(p) if p.is_dir() else [p]:
            report.files.append(check_file(f, corpus, schema))
    return report

"""TextEE JSON lines (data files and predictions) -> entities, triggers and arguments.

One line per window (``wnd_id``) of a document (``doc_id``, the corpus doc id), with the
window's ``tokens``; every offset is a token index into that list, end exclusive, as in
TextEE (``ej0cl6/TextEE``, ``TextEE/utils.py:load_E2E_data`` and ``scorer.py``). Two shapes:

* **data** (what ``data/preprocessing/*/process_*.py`` write, and OneIE's training data
  with ``sent_id`` instead of ``wnd_id``)::

    {"doc_id": ..., "wnd_id": ..., "tokens": [...],
     "entity_mentions": [{"id", "text", "entity_type", "start", "end"}],
     "event_mentions": [{"id", "event_type", "trigger": {"text", "start", "end"},
                          "arguments": [{"entity_id", "role", "text"}]}]}

* **predictions** (the in-memory shape TextEE's E2E scorer compares, dumped per line)::

    {"doc_id": ..., "wnd_id": ..., "tokens": [...],
     "events": [{"trigger": [start, end, type(, text)],
                 "arguments": [[start, end, role(, text)], ...]}]}

  and the ED and EAE shapes its other scorers compare: ``"triggers": [[start, end,
  type], ...]`` per window, or one ``"trigger": [start, end, type]`` with its
  ``"arguments"`` per line (an EAE instance; several lines may share a window).

Tokens are aligned to the corpus text (:mod:`newsgold.formats.tokens`); a token that is
not the corpus text there is an error naming line and ``tokens[i]``. A ``text`` given for
a trigger, entity or argument must equal the tokens it covers joined by spaces (compared
without whitespace), else the offsets are not what the system meant: an error. An
argument naming an ``entity_id`` the line does not list is an error. Event types may be
LDC-spelled (``Conflict:Attack``); the border checks normalise them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgold.formats.collect import Collector, squeeze
from newsgold.formats.eventbuild import DocBuilder
from newsgold.formats.jsonl import iter_jsonl
from newsgold.formats.tokens import AlignmentError, TokenAligner
from newsgold.model import TRIGGER, Mention


class Window:
    """One line's tokens, aligned: token spans -> character spans, with checks."""

    def __init__(self, b: DocBuilder, spans: list[tuple[int, int]], tokens: list[str]):
        self.b, self.spans, self.tokens = b, spans, tokens

    def chars(self, start: Any, end: Any, field: str, text: Any = None) -> tuple[int, int] | None:
        """Characters of tokens ``[start, end)``, or None after recording an error."""
        n = len(self.spans)
        if isinstance(start, bool) or isinstance(end, bool):
            start = None
        if not isinstance(start, int) or not isinstance(end, int):
            self.b.error(f"expected integer token offsets, got {start!r}, {end!r}", field)
            return None
        if not 0 <= start < end <= n:
            self.b.error(
                f"token offsets {start}-{end} are outside the {n} tokens (end exclusive)", field
            )
            return None
        if isinstance(text, str) and squeeze(text) != squeeze("".join(self.tokens[start:end])):
            self.b.error(
                f"text {text!r} is not the tokens {start}-{end} "
                f"({' '.join(self.tokens[start:end])!r}): the offsets are off",
                field + ".text",
            )
            return None
        return self.spans[start][0], self.spans[end - 1][1]


def open_window(
    collector: Collector,
    docs: dict[str, tuple[DocBuilder, TokenAligner] | None],
    obj: dict[str, Any],
    n: int,
    path: Path,
    tokens_key: str = "tokens",
) -> Window | None:
    """Find the document of a line (once per doc_id), align its tokens; None on error."""
    doc_id = obj.get("doc_id")
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool):
        collector.error(f"missing or non-string doc_id: {doc_id!r}", line=n, field="doc_id")
        return None
    doc_id = str(doc_id)
    if doc_id not in docs:
        doc = collector.resolve(doc_id=doc_id, line=n)
        if doc is None:
            docs[doc_id] = None
        else:
            docs[doc_id] = (DocBuilder(collector, doc, file=str(path), line=n), TokenAligner(doc))
    entry = docs[doc_id]
    if entry is None:
        return None
    b, aligner = entry
    if doc_id in collector.mismatched:  # dropped already (allow_mismatch)
        return None
    tokens = obj.get(tokens_key)
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        b.c.error(
            f"missing or non-list {tokens_key!r}: the token offsets need the tokens",
            line=n,
            doc_id=doc_id,
            field=tokens_key,
        )
        b.ok = False
        return None
    try:
        spans = aligner.align(tokens)
    except AlignmentError as exc:
        # the offsets cannot be trusted: an error, or with allow_mismatch the document
        # is dropped (it predicts nothing), as for a text that differs from the corpus
        collector.mismatch(str(exc), doc_id, line=n, field=f"{tokens_key}[{exc.index}]")
        b.ok = False
        return None
    b.line = n  # errors from here on name this line
    return Window(b, spans, tokens)


def _list(w: Window, obj: dict[str, Any], key: str) -> list[Any]:
    items = obj.get(key, [])
    if not isinstance(items, list):
        w.b.error(f"expected a list, got {type(items).__name__}", key)
        return []
    return items


def read_mentions_shape(w: Window, obj: dict[str, Any]) -> None:
    """The data shape: ``entity_mentions`` and ``event_mentions`` with entity ids."""
    by_id: dict[str, Mention] = {}
    for i, e in enumerate(_list(w, obj, "entity_mentions")):
        f = f"entity_mentions[{i}]"
        if not isinstance(e, dict):
            w.b.error("expected an object", f)
            continue
        span = w.chars(e.get("start"), e.get("end"), f, e.get("text"))
        if span is None:
            continue
        m = w.b.mention(*span, e.get("entity_type"), field=f, mention_type=e.get("mention_type"))
        if m is not None and e.get("id") is not None:
            by_id[str(e["id"])] = m
    for i, ev in enumerate(_list(w, obj, "event_mentions")):
        f = f"event_mentions[{i}]"
        if not isinstance(ev, dict) or not isinstance(ev.get("trigger"), dict):
            w.b.error("expected an object with a 'trigger' object", f)
            continue
        t = ev["trigger"]
        span = w.chars(t.get("start"), t.get("end"), f + ".trigger", t.get("text"))
        if span is None:
            continue
        trig = w.b.mention(*span, ev.get("event_type"), field=f + ".event_type", kind=TRIGGER)
        if trig is None:
            continue
        args = ev.get("arguments", [])
        if not isinstance(args, list):
            w.b.error("expected a list", f + ".arguments")
            continue
        for j, a in enumerate(args):
            fa = f"{f}.arguments[{j}]"
            if not isinstance(a, dict):
                w.b.error("expected an object", fa)
                continue
            child = by_id.get(str(a.get("entity_id")))
            if child is None:
                w.b.error(
                    f"entity_id {a.get('entity_id')!r} is not among this line's entity_mentions",
                    fa + ".entity_id",
                )
                continue
            w.b.argument(trig, child, a.get("role"), field=fa + ".role")


def read_tuple_shape(w: Window, obj: dict[str, Any]) -> None:
    """The prediction shape: ``events`` with ``[start, end, type]`` tuples."""
    for i, ev in enumerate(_list(w, obj, "events")):
        f = f"events[{i}]"
        t = ev.get("trigger") if isinstance(ev, dict) else None
        if not isinstance(t, list) or len(t) < 3:
            w.b.error("expected {'trigger': [start, end, type], 'arguments': [...]}", f)
            continue
        span = w.chars(t[0], t[1], f + ".trigger", t[3] if len(t) > 3 else None)
        if span is None:
            continue
        trig = w.b.mention(*span, t[2], field=f + ".trigger[2]", kind=TRIGGER)
        if trig is None:
            continue
        args = ev.get("arguments", [])
        for j, a in enumerate(args if isinstance(args, list) else [None]):
            fa = f"{f}.arguments[{j}]"
            if not isinstance(a, list) or len(a) < 3:
                w.b.error("expected [start, end, role(, text)]", fa)
                continue
            span = w.chars(a[0], a[1], fa, a[3] if len(a) > 3 else None)
            if span is None:
                continue
            child = w.b.argument_mention(*span, field=fa)
            if child is not None:
                w.b.argument(trig, child, a[2], field=fa + "[2]")


def _as_events(obj: dict[str, Any]) -> dict[str, Any]:
    """TextEE's ED lines (``triggers``) and EAE lines (one ``trigger`` with its
    ``arguments``) in the E2E ``events`` shape; field names then say ``events[i]``."""
    if "triggers" in obj:
        triggers = obj["triggers"] if isinstance(obj["triggers"], list) else [obj["triggers"]]
        return {"events": [{"trigger": t, "arguments": []} for t in triggers]}
    return {"events": [{"trigger": obj["trigger"], "arguments": obj.get("arguments", [])}]}


def read_textee(path: Path, collector: Collector) -> None:
    """Read TextEE JSON lines into ``collector`` (see the module docstring)."""
    docs: dict[str, tuple[DocBuilder, TokenAligner] | None] = {}
    for n, obj, problem in iter_jsonl(path):
        if problem is not None:
            collector.errors.append(problem)
            continue
        w = open_window(collector, docs, obj, n, path)
        if w is None:
            continue
        if "events" in obj:
            read_tuple_shape(w, obj)
        elif "triggers" in obj or "trigger" in obj:
            read_tuple_shape(w, _as_events(obj))
        else:
            read_mentions_shape(w, obj)
    for entry in docs.values():
        if entry is not None:
            entry[0].finish()

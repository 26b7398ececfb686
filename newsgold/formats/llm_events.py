"""Events given as strings (as LLM prompts return them) -> placed triggers and arguments.

Input: JSON lines, one per document::

    {"doc_id": ..., "events": [
        {"trigger": "met", "type": "Contact.Meet", "realis": "ACTUAL", "polarity": "POSITIVE",
         "arguments": [{"text": "Wendy Sherman", "role": "Entity", "type": "PERSON"}, ...]},
        ...]}

A line may give the document ``text`` instead of, or as well as, ``doc_id``. The event
type may be called ``type``, ``event_type`` or ``label``; ``trigger`` is a string or an
object ``{"text", "occurrence", "context"}``; an argument is ``{"text", "role"}`` with an
optional entity ``type`` (its label; else the mention is untyped, see
:mod:`newsgold.formats.eventbuild`) and optional ``occurrence``/``context``. The
arguments may also be given as an object from role to text (or list of texts), as
prompts often ask: ``{"Entity": ["Wendy Sherman", "Sergei Ryabkov"], "Place": "Geneva"}``
(field names then count the flattened list).

**Placement** (gold-blind: only the output and the document text are looked at):

* *Triggers* are placed with the text-only entity rule, by calling
  :func:`newsgold.formats.textonly.place` on all triggers of the document at once (the
  k-th listing of a string gets its k-th free occurrence; ``occurrence``/``context`` pin
  it; token boundaries; the relaxed fallback). So the audited rule is the same code.
* *Arguments* with ``occurrence`` or ``context`` are placed by the same function, alone.
  Other arguments go to the occurrence (found by
  :func:`newsgold.formats.textonly.occurrences`: token-bounded, relaxed if needed) nearest
  to their own trigger, counted in characters between the spans, the earlier one on a
  tie (which is counted ``ambiguous``). Repeating an argument string in several events
  (the same entity acting again) should not push it to later occurrences as the entity
  rule would; the nearest-to-trigger choice is what DEGREE and TextEE's generative
  models use for arguments.
* An event whose trigger is unplaceable is left out, with its arguments, and counted.

Counts go to ``Predictions.placement`` as ``trigger.placed``, ``trigger.unplaceable``,
``trigger.ambiguous``, ``trigger.relaxed``, ``argument.placed``, ``argument.unplaceable``,
``argument.ambiguous``, ``argument.relaxed`` and ``argument.dropped`` (arguments of an
unplaced trigger), and each unplaceable or ambiguous item gives a warning naming the
document and the string. A missing or empty string, type or role is an error naming
file, line and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgold.formats.collect import Collector
from newsgold.formats.eventbuild import DocBuilder
from newsgold.formats.jsonl import iter_jsonl
from newsgold.formats.textonly import occurrences, place
from newsgold.model import TRIGGER, Document

_TYPE_KEYS = ("type", "event_type", "label")


def _str(x: Any) -> bool:
    return isinstance(x, str) and bool(x.strip())


def _item(x: Any, b: DocBuilder, field: str, label: Any) -> dict[str, Any] | None:
    """A placement item ``{text, label, occurrence, context}``, or None after an error."""
    if isinstance(x, str):
        x = {"text": x}
    if not isinstance(x, dict) or not _str(x.get("text")):
        b.error(f"expected a non-empty string or {{'text': ...}}, got {x!r:.60}", field)
        return None
    occ, ctx = x.get("occurrence"), x.get("context")
    if occ is not None and (isinstance(occ, bool) or not isinstance(occ, int) or occ < 0):
        b.error(
            f"occurrence must be an integer >= 0 (0 is the first), got {occ!r}",
            field + ".occurrence",
        )
        return None
    if ctx is not None and not isinstance(ctx, str):
        b.error(f"context must be a string, got {ctx!r}", field + ".context")
        return None
    return {"text": x["text"], "label": label, "occurrence": occ, "context": ctx}


def _nearest(doc: Document, text: str, anchor: tuple[int, int]):
    """``(span, relaxed, tie)`` of the occurrence of ``text`` nearest to ``anchor``."""
    occ, relaxed = occurrences(doc, text.strip())
    if not occ:
        return None, relaxed, False

    def gap(o: tuple[int, int]) -> int:
        return max(o[0] - anchor[1], anchor[0] - o[1], 0)

    best = min(occ, key=lambda o: (gap(o), o[0]))
    tie = sum(1 for o in occ if gap(o) == gap(best)) > 1
    return best, relaxed, tie


def _events(b: DocBuilder, events: list[Any], n: int) -> None:
    c, doc = b.c, b.doc
    parsed = []
    for i, ev in enumerate(events):
        f = f"events[{i}]"
        if not isinstance(ev, dict):
            b.error("expected an object", f)
            continue
        etype = next((ev[k] for k in _TYPE_KEYS if k in ev), None)
        if not _str(etype):
            b.error(f"missing or empty event type: {etype!r}", f + ".type")
            continue
        trig = _item(ev.get("trigger"), b, f + ".trigger", etype)
        args = ev.get("arguments", [])
        if isinstance(args, dict):  # {"Entity": ["Sherman", "Ryabkov"], "Place": "Geneva"}
            args = [
                {"text": t, "role": role} if not isinstance(t, dict) else {**t, "role": role}
                for role, texts in args.items()
                for t in (texts if isinstance(texts, list) else [texts])
            ]
        if not isinstance(args, list):
            b.error("expected a list (or an object of role: text)", f + ".arguments")
            continue
        items = []
        for j, a in enumerate(args):
            fa = f"{f}.arguments[{j}]"
            if not isinstance(a, dict) or not _str(a.get("role")):
                b.error("expected an object with a non-empty 'role'", fa + ".role")
                continue
            label = a.get("type")
            if label is not None and not _str(label):
                b.error(f"entity type must be a non-empty string, got {label!r}", fa + ".type")
                continue
            item = _item(a, b, fa, label)
            if item is not None:
                items.append((fa, a["role"], item))
        if trig is not None:
            attrs = {k: ev[k] for k in ("realis", "polarity") if isinstance(ev.get(k), str)}
            parsed.append((f, trig, attrs, items))
    if not b.ok:
        return
    placed = place(doc, [p[1] for p in parsed])
    for (f, trig, attrs, items), p in zip(parsed, placed, strict=True):
        where = {"file": b.file, "line": n, "doc_id": doc.doc_id, "field": f + ".trigger"}
        c.placement["trigger.relaxed"] += p.relaxed and p.status == "placed"
        if p.status != "placed":
            c.placement["trigger.unplaceable"] += 1
            c.placement["argument.dropped"] += len(items)
            c.warn(f"unplaceable trigger {p.text!r}: {p.reason}; the event is left out", **where)
            continue
        c.placement["trigger.placed"] += 1
        if p.ambiguous:
            c.placement["trigger.ambiguous"] += 1
            c.warn(f"ambiguous trigger {p.text!r}: placed at {p.start}-{p.end}", **where)
        t = b.mention(p.start, p.end, trig["label"], field=f + ".type", kind=TRIGGER, attrs=attrs)
        if t is None:
            continue
        for fa, role, item in items:
            _argument(b, t, fa, role, item, n)


def _argument(b: DocBuilder, t, fa: str, role: str, item: dict[str, Any], n: int) -> None:
    c, doc = b.c, b.doc
    where = {"file": b.file, "line": n, "doc_id": doc.doc_id, "field": fa}
    if item["occurrence"] is not None or item["context"]:
        p = place(doc, [{**item, "label": item["label"] or "ARG"}])[0]
        span = (p.start, p.end) if p.status == "placed" else None
        relaxed, tie, reason = p.relaxed, False, p.reason
    else:
        span, relaxed, tie = _nearest(doc, item["text"], (t.start, t.end))
        reason = "does not occur in the text at token boundaries"
    if span is None:
        c.placement["argument.unplaceable"] += 1
        c.warn(f"unplaceable argument {item['text']!r}: {reason}", **where)
        return
    c.placement["argument.placed"] += 1
    c.placement["argument.relaxed"] += bool(relaxed)
    if tie:
        c.placement["argument.ambiguous"] += 1
        c.warn(
            f"ambiguous argument {item['text']!r}: two occurrences are equally near its "
            f"trigger; placed at {span[0]}-{span[1]}",
            **where,
        )
    child = b.argument_mention(*span, field=fa, label=item["label"])
    if child is not None:
        b.argument(t, child, role, field=fa + ".role")


def read_llm_events(path: Path, collector: Collector) -> None:
    """Read string-given events into ``collector`` (see the module docstring)."""
    for key in ("trigger.placed", "trigger.unplaceable", "argument.placed", "argument.unplaceable"):
        collector.placement[key] += 0
    for n, obj, problem in iter_jsonl(path):
        if problem is not None:
            collector.errors.append(problem)
            continue
        events = obj.get("events")
        if not isinstance(events, list):
            collector.error("missing or non-list 'events'", line=n, field="events")
            continue
        doc_id, text = obj.get("doc_id"), obj.get("text")
        if text is not None and not isinstance(text, str):
            collector.error("expected a string", line=n, field="text")
            continue
        doc = collector.resolve(doc_id=None if doc_id is None else str(doc_id), text=text, line=n)
        if doc is None:
            continue
        b = DocBuilder(collector, doc, file=str(path), line=n)
        _events(b, events, n)
        b.finish()

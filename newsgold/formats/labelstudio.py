"""Label Studio JSON exports <-> annotations.

The shape is Label Studio's own "JSON" export (labelstud.io/guide/task_format): a list of
tasks ``{"id", "data": {"text", ...}, "annotations": [{"id", "completed_by", "result":
[...], "was_cancelled", "created_at", "updated_at", ...}], "predictions": [...]}``. Results
(items of ``result``) used here:

* ``{"id": REGION, "type": "labels", "from_name": "label", "to_name": "text", "value":
  {"start", "end", "text", "labels": [...]}}``: a span; several labels give several
  mentions on one span. The kind (entity, timex, value, trigger) follows from the label
  and the schema (see ``newsgold.corpus.merge.kind_of``).
* per-region ``{"id": REGION, "type": "choices", "from_name": NAME, "value": {..., "choices":
  [V]}}`` with ``NAME`` one of ``mention_type``, ``realis``, ``polarity``, ``plover``,
  ``timex_type``; and ``{"type": "textarea", "from_name": "timex_value", "value":
  {..., "text": [V]}}``: the mention type and attributes of that region (the labelling
  config written by :func:`label_config` declares them with ``perRegion="true"``).
* ``{"type": "relation", "from_id", "to_id", "direction", "labels": [ROLE]}``: an event
  argument (or any relation) from the region ``from_id`` to ``to_id`` (``direction:
  "left"`` swaps them).

Offsets count UTF-16 code units (the browser's JavaScript strings): converted to code
points and CRLF-corrected (:class:`newsgold.formats.tooltext.ToolText`). Each span's
``value.text`` is compared with the text at its offsets; when it does not match in UTF-16
units but does as code points (an export made by a script, not the browser), the code
points are taken with a warning; otherwise it is an error naming the task and region.

Annotators: ``completed_by`` (a user id, or an object with ``email``); a cancelled
annotation (``was_cancelled``) reads as Prodigy's ``ignore``. ``predictions`` are not
annotations and are not read. The document is ``data.doc_id`` (written by our export),
else the corpus document whose text equals ``data.text``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson

from newsgold.errors import FormatError, Problem
from newsgold.formats.tooltext import Imported, OffsetError, ToolText, find_document
from newsgold.model import ENTITY, TIMEX, TRIGGER, Annotation, Document, Mention, Relation

#: per-region attribute controls: Label Studio control name -> (model field, attrs key)
CHOICES = {
    "mention_type": ("mention_type", None),
    "realis": ("attrs", "realis"),
    "polarity": ("attrs", "polarity"),
    "plover": ("attrs", "plover"),
    "timex_type": ("attrs", "type"),
}
TEXTAREAS = {"timex_value": "value"}


def _annotator(completed_by: Any) -> str | None:
    if isinstance(completed_by, dict):
        completed_by = completed_by.get("email") or completed_by.get("id")
    return None if completed_by is None else str(completed_by)


def _timestamp(value: Any) -> float:
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return 0.0
    return 0.0


def read_labelstudio(path: str | Path, corpus: dict[str, Document]) -> list[Imported]:
    """Every annotation of a Label Studio JSON export (see the module docstring)."""
    path = Path(path)
    try:
        tasks = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise FormatError(Problem(f"malformed JSON: {exc}", file=str(path))) from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise FormatError(Problem("expected a list of tasks", file=str(path)))
    out: list[Imported] = []
    problems: list[Problem] = []
    for i, task in enumerate(tasks):
        f = f"[{i}]"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            problems.append(Problem("a task without data.text", file=str(path), field=f))
            continue
        tool = ToolText(data["text"], units="utf16")
        doc, why = find_document(corpus, data.get("doc_id"), tool.text)
        if doc is None:
            problems.append(
                Problem(why, file=str(path), field=f + ".data", doc_id=data.get("doc_id"))
            )
            continue
        for j, ann in enumerate(task.get("annotations", task.get("completions", [])) or []):
            where = f"{f}.annotations[{j}]"
            n_before = len(problems)
            notes: list[Problem] = []
            mentions, relations = _results(
                ann.get("result", []), tool, doc, path, where, problems, notes
            )
            if len(problems) > n_before:
                continue
            out.append(
                Imported(
                    Annotation(document=doc, mentions=mentions, relations=relations),
                    annotator=_annotator(ann.get("completed_by")),
                    where=f"{path} task {task.get('id', i)} annotation {ann.get('id', j)}",
                    answer="ignore" if ann.get("was_cancelled") else "accept",
                    order=_timestamp(ann.get("updated_at") or ann.get("created_at")),
                    warnings=notes,
                )
            )
    if problems:
        raise FormatError(problems)
    return out


def _span(value: dict, tool: ToolText, where: dict) -> tuple[int, int, list[Problem]]:
    """Corpus offsets of a region, trying UTF-16 units first (see the module docstring)."""
    start, end, text = value.get("start"), value.get("end"), value.get("text")
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end:
        return -1, -1, [Problem(f"bad offsets {start!r}-{end!r}", **where)]
    try:
        if end <= tool.length and (text is None or tool.covered(start, end) == text):
            return tool.offset(start), tool.offset(end), []
    except OffsetError as exc:
        return -1, -1, [Problem(str(exc), **where)]
    cp = ToolText(tool.raw)
    if text is not None and end <= len(tool.raw) and tool.raw[start:end] == text:
        warning = Problem(
            "offsets count code points, not UTF-16 units as the browser does; taken as such",
            severity="warning",
            **where,
        )
        return cp.offset(start), cp.offset(end), [warning]
    return -1, -1, [Problem(f"value.text {text!r} is not the text at {start}-{end}", **where)]


def _results(results, tool, doc, path, where, problems, notes):
    regions: dict[str, list[Mention]] = {}
    extras: list[dict] = []
    relations_json: list[dict] = []
    for k, r in enumerate(results):
        w = {"file": str(path), "doc_id": doc.doc_id, "field": f"{where}.result[{k}]"}
        rtype = r.get("type")
        if rtype == "relation":
            relations_json.append({**r, "_w": w})
        elif rtype == "labels":
            start, end, found = _span(r.get("value", {}), tool, w)
            problems.extend(p for p in found if p.severity == "error")
            notes.extend(p for p in found if p.severity != "error")
            if start < 0:
                continue
            labels = r["value"].get("labels") or []
            regions.setdefault(str(r.get("id")), []).extend(
                Mention(
                    start=start,
                    end=end,
                    label=str(label),
                    id=f"ls-{r.get('id')}-{n}",
                    extra={"_no_kind": True},
                )
                for n, label in enumerate(labels)
            )
        elif rtype in ("choices", "textarea"):
            extras.append({**r, "_w": w})
    for r in extras:
        targets = regions.get(str(r.get("id")), [])
        name, value = r.get("from_name"), r.get("value", {})
        if name in CHOICES and value.get("choices"):
            fieldname, key = CHOICES[name]
            for m in targets:
                if fieldname == "mention_type":
                    m.mention_type = str(value["choices"][0])
                else:
                    m.attrs[key] = str(value["choices"][0])
        elif name in TEXTAREAS and value.get("text"):
            for m in targets:
                m.attrs[TEXTAREAS[name]] = str(value["text"][0])
    relations = []
    for r in relations_json:
        a, b = regions.get(str(r.get("from_id"))), regions.get(str(r.get("to_id")))
        if not a or not b:
            problems.append(Problem("relation between unknown regions", **r["_w"]))
            continue
        head, child = (b[0], a[0]) if r.get("direction") == "left" else (a[0], b[0])
        for label in r.get("labels") or []:
            relations.append(Relation(head=head, child=child, label=str(label)))
    mentions = [m for ms in regions.values() for m in ms]
    return sorted(mentions, key=lambda m: (m.start, m.end, m.label)), relations


# -- writing -------------------------------------------------------------------------------


def _utf16(text: str, offset: int) -> int:
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)


def annotation_to_ls(ann: Annotation, task_id: int) -> dict[str, Any]:
    """One Label Studio task holding ``ann`` as a completed annotation (UTF-16 offsets)."""
    text = ann.document.text
    result: list[dict[str, Any]] = []
    region: dict[int, str] = {}
    for n, m in enumerate(ann.mentions):
        rid = f"r{n + 1}"
        region[id(m)] = rid
        s, e = _utf16(text, m.start), _utf16(text, m.end)
        base = {"id": rid, "to_name": "text", "origin": "manual"}
        span = {"start": s, "end": e, "text": text[m.start : m.end]}
        result.append(
            {**base, "from_name": "label", "type": "labels", "value": {**span, "labels": [m.label]}}
        )
        if m.kind == ENTITY:
            chosen = {"mention_type": m.mention_type}
        elif m.kind == TRIGGER:
            chosen = {name: m.attrs.get(name) for name in ("realis", "polarity", "plover")}
        elif m.kind == TIMEX:
            chosen = {"timex_type": m.attrs.get("type")}
        else:
            chosen = {}
        for name, v in chosen.items():
            if v is not None:
                result.append(
                    {
                        **base,
                        "from_name": name,
                        "type": "choices",
                        "value": {**span, "choices": [v]},
                    }
                )
        if m.kind == TIMEX and m.attrs.get("value") is not None:
            result.append(
                {
                    **base,
                    "from_name": "timex_value",
                    "type": "textarea",
                    "value": {**span, "text": [m.attrs["value"]]},
                }
            )
    for r in ann.relations:
        result.append(
            {
                "from_id": region[id(r.head)],
                "to_id": region[id(r.child)],
                "type": "relation",
                "direction": "right",
                "labels": [r.label],
            }
        )
    return {
        "id": task_id,
        "data": {"text": text, "doc_id": ann.doc_id},
        "annotations": [
            {
                "id": task_id,
                "completed_by": ann.task.get("_annotator_id") or 1,
                "result": result,
                "was_cancelled": False,
                "ground_truth": False,
                "lead_time": 0,
            }
        ],
        "predictions": [],
    }


def label_config(span_labels: list[str], roles: list[str], attributes: dict[str, list[str]]) -> str:
    """The Label Studio labelling config (XML) whose control names the reader expects."""
    from xml.sax.saxutils import quoteattr

    lines = ["<View>", "  <Relations>"]
    lines += [f"    <Relation value={quoteattr(r)}/>" for r in roles]
    lines += ["  </Relations>", '  <Labels name="label" toName="text">']
    lines += [f"    <Label value={quoteattr(x)}/>" for x in span_labels]
    lines += ["  </Labels>", '  <Text name="text" value="$text"/>']
    for name, values in attributes.items():
        lines.append(f'  <Choices name="{name}" toName="text" perRegion="true" choice="single">')
        lines += [f"    <Choice value={quoteattr(v)}/>" for v in values]
        lines.append("  </Choices>")
    lines.append(
        '  <TextArea name="timex_value" toName="text" perRegion="true" maxSubmissions="1"/>'
    )
    lines.append("</View>")
    return "\n".join(lines) + "\n"

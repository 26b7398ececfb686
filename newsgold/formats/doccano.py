"""doccano JSONL exports <-> annotations.

The shape is doccano's sequence-labelling export (doccano/doccano ``backend/data_export``):

* with relations: ``{"id", "text", "entities": [{"id", "label", "start_offset",
  "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}], "Comments": [...]}``
* without: ``{"id", "text", "label": [[start, end, "LABEL"], ...], "Comments": [...]}``

The example's metadata is spread into the top level (so our export's ``doc_id`` comes back
there). Offsets are code points (doccano stores Python string offsets) with ``\\r\\n``
counted when the text has it: they are CRLF-corrected. ``units="utf16"`` reads offsets
counted in UTF-16 units instead. An annotator is ``user`` (or ``username``) when the line
has one, else the file's stem when several files are read (doccano exports one file per
user as ``<user>.jsonl``).

doccano carries spans, labels and relations only: no mention types, heads, attributes or
clusters. The kind of a span follows from its label and the schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgold.errors import FormatError, Problem
from newsgold.formats.jsonl import iter_jsonl
from newsgold.formats.tooltext import Imported, OffsetError, ToolText, find_document
from newsgold.model import Annotation, Document, Mention, Relation


def read_doccano(
    path: str | Path,
    corpus: dict[str, Document],
    *,
    units: str = "codepoints",
    annotator: str | None = None,
) -> list[Imported]:
    """Every line of a doccano JSONL export (see the module docstring)."""
    path = Path(path)
    out: list[Imported] = []
    problems: list[Problem] = []
    for n, obj, problem in iter_jsonl(path):
        if problem is not None:
            problems.append(problem)
            continue
        w = {"file": str(path), "line": n}
        if not isinstance(obj.get("text"), str):
            problems.append(Problem("missing or non-string 'text'", field="text", **w))
            continue
        tool = ToolText(obj["text"], units=units)
        doc, why = find_document(corpus, obj.get("doc_id"), tool.text)
        if doc is None:
            problems.append(Problem(why, doc_id=obj.get("doc_id"), field="text", **w))
            continue
        w["doc_id"] = doc.doc_id
        items = _entities(obj, w, problems)
        by_id: dict[Any, Mention] = {}
        mentions = []
        for f, eid, start, end, label in items:
            try:
                s, e = tool.offset(start), tool.offset(end)
            except OffsetError as exc:
                problems.append(Problem(str(exc), field=f, **w))
                continue
            if not 0 <= s < e <= len(doc.text):
                problems.append(Problem(f"offsets {start}-{end} outside the text", field=f, **w))
                continue
            m = Mention(
                s, e, label, id=None if eid is None else f"dc{eid}", extra={"_no_kind": True}
            )
            mentions.append(m)
            if eid is not None:
                by_id[eid] = m
        relations = []
        for k, r in enumerate(obj.get("relations") or []):
            f = f"relations[{k}]"
            head, child = by_id.get(r.get("from_id")), by_id.get(r.get("to_id"))
            if head is None or child is None or not isinstance(r.get("type"), str):
                problems.append(
                    Problem("relation needs from_id/to_id of entities and a type", field=f, **w)
                )
                continue
            relations.append(Relation(head=head, child=child, label=r["type"]))
        who = obj.get("user", obj.get("username", annotator))
        out.append(
            Imported(
                Annotation(
                    document=doc,
                    mentions=sorted(mentions, key=lambda m: (m.start, m.end, m.label)),
                    relations=relations,
                ),
                annotator=None if who is None else str(who),
                where=f"{path}:{n}",
            )
        )
    if problems:
        raise FormatError(problems)
    return out


def _entities(obj: dict, w: dict, problems: list[Problem]) -> list[tuple]:
    items = []
    if "entities" in obj:
        for k, e in enumerate(obj.get("entities") or []):
            f = f"entities[{k}]"
            s, t, label = e.get("start_offset"), e.get("end_offset"), e.get("label")
            if not (isinstance(s, int) and isinstance(t, int) and isinstance(label, str)):
                problems.append(
                    Problem("needs integer start_offset/end_offset and a label", field=f, **w)
                )
                continue
            items.append((f, e.get("id"), s, t, label))
    else:
        for k, e in enumerate(obj.get("label") or []):
            f = f"label[{k}]"
            if not (isinstance(e, list) and len(e) == 3 and isinstance(e[2], str)):
                problems.append(Problem("expected [start, end, label]", field=f, **w))
                continue
            items.append((f, None, e[0], e[1], e[2]))
    return items


def annotation_to_doccano(ann: Annotation, line_id: int) -> dict[str, Any]:
    """One doccano line (the relation-labelling shape) holding ``ann``."""
    ids = {id(m): k + 1 for k, m in enumerate(ann.mentions)}
    return {
        "id": line_id,
        "text": ann.document.text,
        "entities": [
            {"id": ids[id(m)], "label": m.label, "start_offset": m.start, "end_offset": m.end}
            for m in ann.mentions
        ],
        "relations": [
            {"id": k + 1, "from_id": ids[id(r.head)], "to_id": ids[id(r.child)], "type": r.label}
            for k, r in enumerate(ann.relations)
        ],
        "Comments": [],
        "doc_id": ann.doc_id,
    }

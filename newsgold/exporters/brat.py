"""Gold annotations -> a brat folder (``<doc_id>.txt``, ``<doc_id>.ann``, ``annotation.conf``).

What is written, so that ``newsgold.formats.brat`` (and ``newsgold import``) read it back:

* ``T`` lines for every span (the text field with line breaks as spaces); triggers get an
  ``E`` line ``Type:T Role:T Role2:T ...`` (a repeated role is numbered as brat numbers
  it: ``Entity``, ``Entity2``); an argument that is itself a trigger is named by its ``E``.
* attributes: ``Realis``, ``Polarity``, ``Plover`` on events; ``Type``, ``Value`` on
  timexes; ``Mention_type`` on entities; ``Kind`` (``timex``/``value``) on spans that are not
  entities, since brat's entities have no kind;
* ``*<TAB>Equiv`` for every entity cluster of two or more mentions.

Heads, hoppers and cluster attributes have no place in brat (see the loss report).
``annotation.conf`` declares the schema's labels, events with their roles and fillers, and
the attributes, so the folder opens in brat as it is.
"""

from __future__ import annotations

from pathlib import Path

from newsgold.model import ENTITY, TIMEX, TRIGGER, Annotation
from newsgold.schema import Schema

_EVENT_ATTRS = (("realis", "Realis"), ("polarity", "Polarity"), ("plover", "Plover"))
_TIMEX_ATTRS = (("type", "Type"), ("value", "Value"))


def annotation_to_brat(ann: Annotation) -> str:
    """The ``.ann`` text of one annotation (offsets on the ``.txt``, which is the doc text)."""
    text = ann.document.text
    lines: list[str] = []
    tid: dict[int, str] = {}
    eid: dict[int, str] = {}
    attrs: list[tuple[str, str, str]] = []
    for n, m in enumerate(ann.mentions, start=1):
        tid[id(m)] = f"T{n}"
        covered = " ".join(text[m.start : m.end].split())
        lines.append(f"T{n}\t{m.label} {m.start} {m.end}\t{covered}")
    triggers = [m for m in ann.mentions if m.kind == TRIGGER]
    for k, m in enumerate(triggers, start=1):
        eid[id(m)] = f"E{k}"
    for m in triggers:
        roles: dict[str, int] = {}
        args = []
        for r in ann.relations:
            if r.head is m:
                roles[r.label] = roles.get(r.label, 0) + 1
                suffix = "" if roles[r.label] == 1 else str(roles[r.label])
                args.append(f"{r.label}{suffix}:{eid.get(id(r.child), tid[id(r.child)])}")
        lines.append(f"{eid[id(m)]}\t{m.label}:{tid[id(m)]}" + "".join(" " + a for a in args))
        for key, name in _EVENT_ATTRS:
            if key in m.attrs:
                attrs.append((name, eid[id(m)], str(m.attrs[key])))
    for m in ann.mentions:
        if m.kind == TRIGGER:
            continue
        if m.kind != ENTITY:
            attrs.append(("Kind", tid[id(m)], m.kind))
        if m.mention_type is not None:
            attrs.append(("Mention_type", tid[id(m)], m.mention_type))
        if m.kind == TIMEX:
            for key, name in _TIMEX_ATTRS:
                if key in m.attrs:
                    attrs.append((name, tid[id(m)], str(m.attrs[key])))
    lines += [f"A{k}\t{name} {target} {value}" for k, (name, target, value) in enumerate(attrs, 1)]
    clusters: dict[str, list[str]] = {}
    for m in ann.mentions:
        if m.cluster is not None and m.kind != TRIGGER:
            clusters.setdefault(m.cluster, []).append(tid[id(m)])
    lines += [f"*\tEquiv {' '.join(ts)}" for ts in clusters.values() if len(ts) > 1]
    return "".join(line + "\n" for line in lines)


def annotation_conf(schema: Schema) -> str:
    """brat's ``annotation.conf`` for the schema."""
    span_labels = list(
        dict.fromkeys(list(schema.entity_labels) + schema.timex_labels + schema.value_labels)
    )
    out = ["[entities]", *span_labels, "", "[relations]", "", "[events]"]
    for etype in list(schema.event_types) + schema.plover_types:
        roles = ", ".join(
            f"{role}*:{'|'.join(fillers)}" for role, fillers in schema.roles(etype).items()
        )
        out.append(f"{etype}\t{roles}" if roles else etype)
    out += ["", "[attributes]"]
    for key, name in _EVENT_ATTRS:
        values = schema.attribute_values("trigger", key) or []
        out.append(f"{name}\tArg:<EVENT>, Value:{'|'.join(values)}")
    out.append(f"Mention_type\tArg:<ENTITY>, Value:{'|'.join(schema.mention_types)}")
    out.append("Kind\tArg:<ENTITY>, Value:timex|value")
    timex = "|".join(schema.timex_labels)
    out.append(
        f"Type\tArg:{timex}, Value:{'|'.join(schema.attribute_values('timex', 'type') or [])}"
    )
    # brat's attribute values are a closed list; TIMEX3 values are free text, so brat's
    # editor cannot offer them, but its files (and our reader) hold any value
    out.append(f"Value\tArg:{timex}, Value:PRESENT_REF|PAST_REF|FUTURE_REF")
    return "\n".join(out) + "\n"


def write_brat(anns: list[Annotation], out_dir: Path, schema: Schema, write) -> list[Path]:
    """Write one ``.txt``/``.ann`` pair per annotation and ``annotation.conf``."""
    paths = []
    for ann in anns:
        txt, a = out_dir / f"{ann.doc_id}.txt", out_dir / f"{ann.doc_id}.ann"
        write(txt, ann.document.text)
        write(a, annotation_to_brat(ann))
        paths += [txt, a]
    conf = out_dir / "annotation.conf"
    write(conf, annotation_conf(schema))
    return [*paths, conf]

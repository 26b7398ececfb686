"""Checks at the border: what every reader's output passes before a layer sees it.

Run by the dispatcher on each read annotation, whatever the format (gold or prediction),
so the metrics never meet a format quirk:

1. **Spelling.** Event types in the LDC spelling ``Conflict:Attack`` become ours,
   ``Conflict.Attack``; ``realis``/``polarity`` values are upper-cased (``Actual`` ->
   ``ACTUAL``).
2. **Ontology maps** (optional, ``event_map=``): event types and roles are mapped through
   the schema's ``event_type_maps`` entry (ACE 2005 -> Rich ERE, CAMEO root codes ->
   PLOVER). A type or role the map leaves out or maps to null keeps its label and is
   counted as unmapped: it then meets check 4 like any other label.
3. **Structure.** A relation whose head or child is not one of the annotation's spans, an
   argument whose head is not a trigger (a relation leaving a span that carries an event
   type label but not ``kind: trigger``; relations between entity spans are kept as
   relations), and a span naming a cluster that the annotation does not list are errors
   naming file, line and field.
4. **Schema.** An event type or an argument role outside the schema is an error reported
   with its count, or, with ``allow_unknown``, a warning with the count and the label is
   kept (and so scored as wrong). Nothing is dropped silently. A role counts as outside
   the schema when no event type has it; a schema role under the wrong event type is a
   wrong prediction, for the metrics to score.

Counts go to ``Predictions.labels``.

>>> normalise_event_type("Conflict:Attack")
'Conflict.Attack'
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsgold.formats.collect import Collector
from newsgold.model import TRIGGER, Annotation, Cluster
from newsgold.schema import Schema

_UPPER_ATTRS = ("realis", "polarity")


def normalise_event_type(label: str) -> str:
    """Our spelling of an event type: LDC's ``Type:Subtype`` -> ``Type.Subtype``.

    >>> normalise_event_type("Movement:Transport-Person")
    'Movement.Transport-Person'
    >>> normalise_event_type("ASSAULT")
    'ASSAULT'
    """
    if ":" in label and "." not in label:
        return label.replace(":", ".", 1)
    return label


def schema_roles(schema: Schema) -> set[str]:
    """Every role name any ERE or PLOVER event type of the schema has."""
    return {r for t in [*schema.event_types, *schema.plover_types] for r in schema.roles(t)}


def event_map(schema: Schema, name: str) -> dict[str, Any]:
    """The schema's ``event_type_maps[name]`` (``types``, ``roles``), or an error naming
    the maps there are."""
    from newsgold.errors import FormatError, Problem

    maps = schema.raw.get("event_type_maps", {})
    if name not in maps:
        raise FormatError(
            Problem(
                f"unknown event type map {name!r}; the schema has {sorted(maps)}",
                field="event_type_maps",
            )
        )
    return maps[name]


class BorderCheck:
    """The checks of the module docstring over every annotation of one collector."""

    def __init__(self, collector: Collector, schema: Schema, mapping: dict[str, Any] | None):
        self.c = collector
        self.schema = schema
        self.mapping = mapping
        self.roles = schema_roles(schema)
        self.counts: dict[str, Counter[str]] = {
            k: Counter()
            for k in ("normalised", "mapped", "unmapped_types", "unmapped_roles")
            + ("unknown_event_types", "unknown_roles")
        }
        self.first: dict[tuple[str, str], dict[str, Any]] = {}

    def run(self) -> None:
        for doc_id, ann in self.c.annotations.items():
            file, line = self.c.origin.get(doc_id, (self.c.file, None))
            self._annotation(ann, {"file": file, "line": line, "doc_id": doc_id})
        self._report()
        self.c.labels = {k: dict(v) for k, v in self.counts.items() if v}

    def _map_type(self, label: str) -> str:
        types = self.mapping.get("types", {}) if self.mapping else {}
        if label not in types and self.schema.is_event_type(label):
            return label  # already a schema type: the map need not list identities
        target = types.get(label)
        if target is None:
            self.counts["unmapped_types"][label] += 1
            return label
        self.counts["mapped"][f"{label} -> {target}"] += 1
        return target

    def _map_role(self, role: str, event_type: str) -> str:
        roles = self.mapping.get("roles", {}) if self.mapping else {}
        specific, general = roles.get(event_type, {}), roles.get("*", {})
        if role in specific or role in general:
            target = specific.get(role, general.get(role))
            if target is None:
                self.counts["unmapped_roles"][role] += 1
                return role
            if target != role:
                self.counts["mapped"][f"{role} -> {target}"] += 1
            return target
        if role in self.roles:
            return role  # already a schema role: the map need not list identities
        self.counts["unmapped_roles"][role] += 1
        return role

    def _annotation(self, ann: Annotation, where: dict[str, Any]) -> None:
        c = self.c
        for m in ann.mentions:
            if m.kind != TRIGGER:
                continue
            label = normalise_event_type(m.label)
            if label != m.label:
                self.counts["normalised"][f"{m.label} -> {label}"] += 1
            if self.mapping is not None:
                label = self._map_type(label)
            m.label = label
            for key in _UPPER_ATTRS:
                if isinstance(m.attrs.get(key), str):
                    m.attrs[key] = m.attrs[key].upper()
            if not self.schema.is_event_type(label):
                self._unknown("unknown_event_types", label, self._at(m, where, "label"), None)
        present = {id(m) for m in ann.mentions}
        for i, rel in enumerate(ann.relations):
            f = f"relations[{i}]"
            ok = True
            for end, m in (("head", rel.head), ("child", rel.child)):
                if id(m) not in present:
                    c.error(
                        f"the relation's {end} ({m.start}-{m.end} {m.label!r}) is not a span "
                        "of this document's annotation",
                        field=f"{f}.{end}",
                        **where,
                    )
                    ok = False
            if not ok:
                continue
            if rel.head.kind != TRIGGER:
                # a relation between entities is not an argument; one that leaves a span
                # labelled with an event type is, and its head must be marked a trigger
                if self.schema.is_event_type(normalise_event_type(rel.head.label)):
                    c.error(
                        f"argument {rel.label!r} hangs on a span of kind {rel.head.kind!r} "
                        f"({rel.head.start}-{rel.head.end} {rel.head.label!r}), not on a "
                        "trigger: give the span kind 'trigger'",
                        field=f"{f}.head",
                        **where,
                    )
                continue
            if self.mapping is not None:
                rel.label = self._map_role(rel.label, rel.head.label)
            if rel.label not in self.roles:
                self._unknown("unknown_roles", rel.label, self._at(rel, where, f"{f}.label"), None)
        # a system that only writes cluster ids on its spans (and lists no cluster)
        # declares them by using them, kind from the span: triggers make hoppers; once an
        # annotation lists clusters, every cluster it uses must be listed
        listed = {cl.id: cl.kind for cl in ann.clusters}
        implied: dict[str, str] = {}
        for i, m in enumerate(ann.mentions):
            if m.cluster is None or m.cluster in listed:
                continue
            if listed:
                c.error(
                    f"span {m.start}-{m.end} {m.label!r} names cluster {m.cluster!r}, which "
                    "the annotation does not list",
                    field=f"mentions[{i}].cluster",
                    **where,
                )
                continue
            kind = "hopper" if m.kind == "trigger" else "entity"
            if implied.setdefault(m.cluster, kind) != kind:
                c.error(
                    f"span {m.start}-{m.end} {m.label!r} names cluster {m.cluster!r}, which "
                    "other spans of another kind name too (an entity and a hopper)",
                    field=f"mentions[{i}].cluster",
                    **where,
                )
        ann.clusters.extend(Cluster(cid, kind) for cid, kind in implied.items())

    def _at(self, obj: object, where: dict[str, Any], field: str) -> dict[str, Any]:
        """Where ``obj`` was read: the reader's own line and field when it recorded them
        (:attr:`Collector.places`), else the document's line and the model field."""
        line, own = self.c.places.get(id(obj), (None, None))
        return {**where, "line": line or where["line"], "field": own or field}

    def _unknown(self, kind: str, label: str, where: dict[str, Any], _: None) -> None:
        self.counts[kind][label] += 1
        self.first.setdefault((kind, label), where)

    def _report(self) -> None:
        what = {"unknown_event_types": "event type", "unknown_roles": "argument role"}
        for kind, noun in what.items():
            for label, n in sorted(self.counts[kind].items()):
                where = self.first[(kind, label)]
                message = f"{noun} {label!r} is not in the schema ({n} time(s); first here)"
                if self.c.allow_unknown:
                    self.c.warn(message + "; kept and scored as wrong (allow_unknown)", **where)
                else:
                    self.c.error(message + "; pass --allow-unknown to score it as wrong", **where)
        for kind, noun in (("unmapped_types", "event type"), ("unmapped_roles", "role")):
            if self.counts[kind]:
                listed = ", ".join(f"{k} ({v})" for k, v in sorted(self.counts[kind].items()))
                self.c.warn(
                    f"{sum(self.counts[kind].values())} {noun}(s) the map leaves "
                    f"unmapped, kept as given: {listed}"
                )


def check_border(
    collector: Collector, schema: Schema | None = None, event_map_name: str | None = None
) -> None:
    """Run the border checks on everything ``collector`` holds (errors and warnings go
    to the collector; counts to ``collector.labels``)."""
    from newsgold.schema import load_schema

    schema = schema or load_schema()
    mapping = event_map(schema, event_map_name) if event_map_name else None
    BorderCheck(collector, schema, mapping).run()

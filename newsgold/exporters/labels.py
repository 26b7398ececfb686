"""The schema's labels by kind, as annotation tools take them (``--label A,B,C``)."""

from __future__ import annotations

from pathlib import Path

from newsgold.errors import NewsgoldError, Problem

LABEL_KINDS = ("entity", "timex", "value", "trigger", "role", "span")


def schema_labels(kind: str, schema_path: Path | None = None) -> list[str]:
    """The labels of one kind, in schema order: ``entity``, ``timex``, ``value``,
    ``trigger`` (ERE event types then PLOVER types), ``role`` (every role of every event
    type, once) or ``span`` (every span label, once: what ``rel.manual`` needs)."""
    from newsgold.schema import load_schema

    s = load_schema(schema_path)
    if kind == "entity":
        return list(s.entity_labels)
    if kind == "timex":
        return s.timex_labels
    if kind == "value":
        return s.value_labels
    if kind == "trigger":
        return list(s.event_types) + s.plover_types
    if kind == "role":
        roles: dict[str, None] = {}
        for t in list(s.event_types) + s.plover_types:
            roles.update(dict.fromkeys(s.roles(t)))
        return list(roles)
    if kind == "span":
        kinds = ("entity", "timex", "value", "trigger")
        return list(dict.fromkeys(x for k in kinds for x in schema_labels(k, schema_path)))
    raise NewsgoldError(
        Problem(f"--kind must be one of {', '.join(LABEL_KINDS)}, got {kind!r}", field="kind")
    )

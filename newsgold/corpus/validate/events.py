"""Event rules: the roles of each layer (ERE, ``PLOVER.``-qualified), fillers, and the
rules across a trigger's label and attributes (PLOVER type, attribution)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsgold.corpus.align import TokenIndex
from newsgold.corpus.validate.report import _Where
from newsgold.model import TRIGGER, Mention, Token
from newsgold.schema import Schema

if TYPE_CHECKING:  # spans imports this module
    from newsgold.corpus.validate.spans import _Read


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
    prefix = (
        PLOVER_PREFIX if schema is None else schema.raw.get("plover_role_prefix", PLOVER_PREFIX)
    )
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
    index: TokenIndex | None = None  # built once, if an endpoint lacks token_end
    for rel, j in zip(read.ann.relations, read.rel_index, strict=True):
        f = f"relations[{j}]"
        raw = task["relations"][j]
        for end, m in (("head", rel.head), ("child", rel.child)):
            want = m.token_end
            if want is None and tokens:
                index = index or TokenIndex(tokens)
                bounds = index.bounds(m.start, m.end)
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

"""Role schemes and event views: which events and arguments an event layer scores.

An annotation's events (:attr:`newsgold.model.Annotation.events`) are split into two
**role schemes** that are scored separately and never pooled (GUIDELINES section 7.4):

* ``ere``: events whose label is a Rich ERE type (or a type the schema does not know, so
  that a system's unknown type is scored as an error, never dropped), with the arguments
  whose role is a role of that ERE type;
* ``plover``: events with a PLOVER type (``attrs.plover``, or a PLOVER label), typed by it,
  with the arguments whose role is a PLOVER role.

Which scheme a role belongs to is read from the schema, never from a list of names here.
On an event labelled with an ERE type: a role of that ERE type is ERE, and so is a role
name that PLOVER types share with most ERE types (``Time``, ``Place``: the guidelines record
them once, under ERE); otherwise a role that some PLOVER type defines (today
``Actor``/``Recipient``, after the schema's renaming ``PLOVER.Actor``/``PLOVER.Recipient``;
any role spelled ``PLOVER.*``) is PLOVER. On an event labelled with a PLOVER type every role
is PLOVER. A role neither scheme defines for the type is *unknown*: it stays in the scheme
of its event and is reported. (The one name collision of today's schema, the ERE
Transaction types' own ``Recipient``, counts as ERE there; the PLOVER renaming removes it.)

**Event views**: ``ere`` scores every event; ``content`` removes the attribution-only
speech events (``attrs.attribution: true``, verbs of saying) from gold and prediction alike,
and also every predicted event whose trigger overlaps a gold attribution-only trigger: a
system trained on ERE/KBP data marks no attribution, and its verbs of saying are then
neither rewarded nor penalised (the gold region is "don't care", as MUC's optional
mentions). ``Side.ignored`` holds, per document, those gold trigger spans.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsgold.model import Mention
from newsgold.schema import Schema

SCHEMES = ("ere", "plover")
VIEWS = ("ere", "content")


@dataclass(frozen=True)
class RoleSchemes:
    """The schema's event types and roles, read once."""

    ere_roles: dict[str, frozenset[str]]
    plover_roles: dict[str, frozenset[str]]
    plover_names: frozenset[str]
    shared: frozenset[str] = frozenset()  # PLOVER role names most ERE types have too

    @classmethod
    def from_schema(cls, schema: Schema) -> RoleSchemes:
        ere = {t: frozenset(s.get("roles", {})) for t, s in schema.raw["event_types"].items()}
        plo = {
            t: frozenset(s.get("roles", {})) for t, s in schema.raw.get("plover_types", {}).items()
        }
        names = frozenset(r for roles in plo.values() for r in roles)
        shared = frozenset(
            r for r in names if 2 * sum(r in roles for roles in ere.values()) >= len(ere)
        )
        return cls(ere, plo, names, shared)

    def event_types(self, trigger: Mention) -> dict[str, str]:
        """The scheme(s) an event belongs to, each with its type in that scheme."""
        out = {}
        label = trigger.label
        plover = trigger.attrs.get("plover")
        if label in self.plover_roles:
            out["plover"] = label
        else:
            out["ere"] = label  # an ERE type, or an unknown type scored as an error
            if isinstance(plover, str):
                out["plover"] = plover
        return out

    def role_scheme(self, label: str, role: str) -> str:
        """``ere`` or ``plover``: where an argument of an event labelled ``label`` counts."""
        key = (label, role)
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            cache[key] = self._role_scheme(label, role)
        return cache[key]

    def _role_scheme(self, label: str, role: str) -> str:
        if label in self.plover_roles:
            return "plover"
        if role in self.ere_roles.get(label, ()) or role in self.shared:
            return "ere"
        if role in self.plover_names or role.startswith("PLOVER."):
            return "plover"
        return "ere"

    def is_known_role(self, scheme: str, etype: str, role: str) -> bool:
        table = self.ere_roles if scheme == "ere" else self.plover_roles
        return role in table.get(etype, ())

    def is_known_type(self, scheme: str, etype: str) -> bool:
        return etype in (self.ere_roles if scheme == "ere" else self.plover_roles)


def in_view(trigger: Mention, view: str, ignored: list[tuple[int, int]] = ()) -> bool:
    """Whether an event of ``trigger`` is scored in ``view``; ``ignored`` are the gold's
    attribution-only trigger spans of the document (``content`` drops overlapping ones)."""
    if view == "content":
        if trigger.attrs.get("attribution") is True:
            return False
        return not any(s < trigger.end and trigger.start < e for s, e in ignored)
    return True

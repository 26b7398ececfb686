"""Building one document's mentions, triggers and argument relations, for event readers.

Every event reader ends in the same model objects: a trigger is a :class:`Mention` of kind
``trigger`` labelled with the event type, an argument is a :class:`Relation` from the
trigger to the argument's mention labelled with the role, coreference is a shared
``Mention.cluster`` plus a :class:`Cluster`. :class:`DocBuilder` does that once, checks
every span on the corpus text (errors name file, line and field) and reuses one mention
for one span and label, so an argument that is also a listed entity mention is that
mention, not a copy.

An argument (or coreference member) whose span is no listed entity mention (DyGIE++ and
LLM output need not list entities) becomes an entity-kind mention with
``extra["untyped"] = True`` and the label given for it, else ``"ARG"`` (``"MENTION"`` for
a coreference member): it was never predicted as a typed entity, so a layer scoring
entity mentions should skip it.
"""

from __future__ import annotations

from typing import Any

from newsgold.formats.collect import Collector
from newsgold.model import ENTITY, TRIGGER, Cluster, Document, Mention, Relation

UNTYPED = "untyped"


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


class DocBuilder:
    """Collects one document's spans and links; :meth:`finish` hands them to the collector."""

    def __init__(self, collector: Collector, doc: Document, *, file: str, line: int | None):
        self.c = collector
        self.doc = doc
        self.file, self.line = file, line  # ``line``: where errors are, set per line read
        self.first_line = line
        self.mentions: list[Mention] = []
        self.relations: list[Relation] = []
        self.clusters: dict[str, Cluster] = {}
        self._by_span: dict[tuple[int, int, str, str], Mention] = {}
        self._at: dict[tuple[int, int], list[Mention]] = {}  # non-trigger mentions by span
        # corpus token boundaries, once per document (token_bounds per span would rescan)
        self._starts = {t.start for t in doc.tokens}
        self._ends = {t.end for t in doc.tokens}
        self.ok = True

    @property
    def where(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "doc_id": self.doc.doc_id}

    def error(self, message: str, field: str) -> None:
        self.c.error(message, field=field, **self.where)
        self.ok = False

    def _span(self, start: Any, end: Any, label: Any, field: str) -> bool:
        where = {"file": self.file, "line": self.line}
        if not self.c.check_span(self.doc, start, end, label, field=field, **where):
            self.ok = False
            return False
        if self.doc.tokens and not (start in self._starts and end in self._ends):
            self.c.placement["off_token_boundary"] += 1
        return True

    def mention(
        self,
        start: Any,
        end: Any,
        label: Any,
        *,
        field: str,
        kind: str = ENTITY,
        mention_type: str | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> Mention | None:
        """The mention for a span (made once per span, label and kind; a trigger each
        time, as two events may share a trigger span), or None if the span is bad."""
        if not self._span(start, end, label, field):
            return None
        key = (start, end, label, kind)
        m = self._by_span.get(key)
        if m is None or kind == TRIGGER:
            m = Mention(start=start, end=end, label=label, kind=kind, mention_type=mention_type)
            m.attrs.update(attrs or {})
            self.c.places[id(m)] = (self.line, field)
            self.mentions.append(m)
            self._by_span[key] = m
            if kind != TRIGGER:
                self._at.setdefault((start, end), []).append(m)
        return m

    def argument_mention(
        self,
        start: Any,
        end: Any,
        *,
        field: str,
        label: str | None = None,
        default: str = "ARG",
    ) -> Mention | None:
        """The non-trigger mention at exactly this span (of ``label`` when given), else a
        new argument-only one."""
        for m in self._at.get((start, end), []) if _is_int(start) and _is_int(end) else []:
            if label in (None, m.label):
                return m
        m = self.mention(start, end, label or default, field=field)
        if m is not None:
            m.extra[UNTYPED] = True
        return m

    def argument(self, trigger: Mention, child: Mention, role: Any, *, field: str) -> None:
        if not isinstance(role, str) or not role.strip():
            self.error(f"missing or empty role: {role!r}", field)
            return
        rel = Relation(head=trigger, child=child, label=role)
        self.c.places[id(rel)] = (self.line, field)
        self.relations.append(rel)

    def cluster(self, cid: str, kind: str, members: list[Mention]) -> None:
        self.clusters.setdefault(cid, Cluster(id=cid, kind=kind))
        for m in members:
            m.cluster = cid

    def finish(self) -> None:
        if not self.ok:
            return
        first = self.first_line
        where = f"{self.file}:{first}" if first is not None else self.file
        self.c.add(
            self.doc, self.mentions, self.relations, list(self.clusters.values()), where=where
        )

"""The data model: plain dataclasses shared by every layer.

Offsets are Python code points, start inclusive and end exclusive, everywhere inside the
package. Token bounds (``token_start``/``token_end``) follow Prodigy: ``token_end`` is
*inclusive*. Format quirks are undone in ``newsgold.formats`` before objects are built.

A :class:`Document` is what a system sees (text, tokens, sentences, metadata, no labels).
An :class:`Annotation` is one labelled view of a document (gold, or a system's output, or
one annotator's pass): its mentions, events and clusters, plus the Prodigy task keys that
must survive a round trip. :class:`Example` pairs a reference annotation with a predicted
one, in the manner of ``spacy.training.Example``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: kinds of span a Mention can be
ENTITY = "entity"
TIMEX = "timex"
TRIGGER = "trigger"
VALUE = "value"
MENTION_KINDS = (ENTITY, TIMEX, VALUE, TRIGGER)


@dataclass(frozen=True)
class Token:
    """A token in Prodigy's shape. ``ws`` is None when the source had no ``ws`` key."""

    text: str
    start: int
    end: int
    id: int
    ws: bool | None = None


@dataclass(frozen=True)
class Segment:
    """A sentence or paragraph: character bounds (end exclusive), token bounds (end inclusive)."""

    start: int
    end: int
    token_start: int
    token_end: int
    heading: bool = False


@dataclass
class Document:
    """A document as systems see it: no labels."""

    doc_id: str
    text: str
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Segment] = field(default_factory=list)
    paragraphs: list[Segment] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    input_hash: int | None = None


@dataclass
class Mention:
    """A labelled character span: an entity mention, a time expression, a value or a trigger.

    ``head_start``/``head_end`` give the head (None when not annotated). ``cluster`` is the
    id of the entity (for entities, timexes, values) or event hopper (for triggers) the span
    belongs to. ``attrs`` holds attribute values (timex type and value, realis, polarity,
    PLOVER type, ...). ``extra`` holds keys this package does not know, kept on round trips.
    """

    start: int
    end: int
    label: str
    kind: str = ENTITY
    id: str | None = None
    token_start: int | None = None
    token_end: int | None = None
    text: str | None = None
    mention_type: str | None = None
    head_start: int | None = None
    head_end: int | None = None
    cluster: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def head(self) -> tuple[int, int]:
        """The head span, or the whole span when no head is annotated."""
        if self.head_start is None or self.head_end is None:
            return (self.start, self.end)
        return (self.head_start, self.head_end)


@dataclass
class Relation:
    """A labelled link from one mention to another (a Prodigy relation).

    Event arguments are relations from a trigger to the argument mention, labelled with
    the role. ``extra`` keeps unknown relation keys; ``head_span_extra`` and
    ``child_span_extra`` keep unknown keys of Prodigy's ``head_span``/``child_span``.
    """

    head: Mention
    child: Mention
    label: str
    extra: dict[str, Any] = field(default_factory=dict)
    head_span_extra: dict[str, Any] = field(default_factory=dict)
    child_span_extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Argument:
    """An event argument: the role a mention plays in an event."""

    role: str
    mention: Mention


@dataclass
class Event:
    """An event mention: its trigger Mention (kind ``trigger``) and its arguments.

    The event type is the trigger's label (an ERE subtype such as ``Conflict.Attack``, or
    a PLOVER type when ERE has none); realis, polarity and the PLOVER type live in the
    trigger's ``attrs``; the event hopper is the trigger's ``cluster``.
    """

    trigger: Mention
    arguments: list[Argument] = field(default_factory=list)

    @property
    def id(self) -> str | None:
        return self.trigger.id

    @property
    def type(self) -> str:
        return self.trigger.label

    @property
    def realis(self) -> str | None:
        return self.trigger.attrs.get("realis")

    @property
    def polarity(self) -> str | None:
        return self.trigger.attrs.get("polarity")

    @property
    def hopper(self) -> str | None:
        return self.trigger.cluster


@dataclass
class Cluster:
    """An entity (coreference chain) or an event hopper, with its attributes (``qid``,
    ``name``, ...). Membership is not stored here: a mention names its cluster in
    ``Mention.cluster``, so there is one source of truth."""

    id: str
    kind: str  # "entity" or "hopper"
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Annotation:
    """One labelled view of a document.

    ``mentions`` holds every span (entities, timexes, values, triggers); ``relations``
    every link between them; ``events`` is derived from both. ``task`` keeps the Prodigy task keys that are not
    spans, relations, tokens or text (``answer``, ``_input_hash``, ``_task_hash``,
    ``_annotator_id``, ``_session_id``, ``_timestamp`` and any unknown key), in order.
    """

    document: Document
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    task: dict[str, Any] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return self.document.doc_id

    @property
    def events(self) -> list[Event]:
        """Events, derived from trigger mentions and the relations leaving them."""
        args: dict[int, list[Argument]] = {}
        for rel in self.relations:
            if rel.head.kind == TRIGGER:
                args.setdefault(id(rel.head), []).append(Argument(rel.label, rel.child))
        return [Event(m, args.get(id(m), [])) for m in self.mentions if m.kind == TRIGGER]

    def cluster_members(self) -> dict[str, list[Mention]]:
        members: dict[str, list[Mention]] = {}
        for m in self.mentions:
            if m.cluster is not None:
                members.setdefault(m.cluster, []).append(m)
        return members

    def mentions_of_kind(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind in kinds]

    def mention_by_id(self) -> dict[str, Mention]:
        return {m.id: m for m in self.mentions if m.id is not None}


@dataclass
class Example:
    """A reference annotation paired with a predicted one for the same document."""

    reference: Annotation
    predicted: Annotation

    @property
    def doc_id(self) -> str:
        return self.reference.doc_id

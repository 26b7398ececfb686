"""Tokens, sentences and paragraphs, with spaCy's English tokenizer.

Prodigy tokenizes with spaCy, so ``spacy.blank("en")`` (no model download) gives tokens
that Prodigy would give. Paragraphs are runs of text separated by blank lines. A
paragraph of one line that does not end in sentence punctuation (``.``, ``!``, ``?``,
possibly inside closing quotes) is a heading: 'Meet Lavrov, Blinken'. Sentences come from
spaCy's rule-based sentencizer inside each paragraph, so no sentence crosses a paragraph
break, and a heading is exactly one sentence. Whitespace-only tokens ('\\n\\n') stay in
``tokens`` (Prodigy keeps them) but never start or end a sentence or paragraph.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsgold.model import Segment, Token

_PARA_BREAK = re.compile(r"\n[ \t]*\n\s*")
_CLOSERS = "\"'”’»)]"


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _tokens(doc) -> list[Token]:
    return [
        Token(text=t.text, start=t.idx, end=t.idx + len(t.text), id=t.i, ws=bool(t.whitespace_))
        for t in doc
    ]


def tokenize(text: str) -> list[Token]:
    """Prodigy-shaped tokens of ``text`` from spaCy's English tokenizer."""
    return _tokens(_nlp().make_doc(text))


def _is_heading(par: str) -> bool:
    par = par.strip()
    return "\n" not in par and not par.rstrip(_CLOSERS).endswith((".", "!", "?", ":", ";"))


def _segment(tokens: list[Token], start: int, end: int, heading: bool) -> Segment | None:
    inside = [t for t in tokens if t.start >= start and t.end <= end and t.text.strip()]
    if not inside:
        return None
    return Segment(inside[0].start, inside[-1].end, inside[0].id, inside[-1].id, heading)


def segment(text: str) -> tuple[list[Token], list[Segment], list[Segment]]:
    """Return ``(tokens, sentences, paragraphs)`` for ``text``."""
    nlp = _nlp()
    doc = nlp(text)
    tokens = _tokens(doc)
    bounds, pos = [], 0
    for m in _PARA_BREAK.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    paragraphs: list[Segment] = []
    sentences: list[Segment] = []
    for p_start, p_end in bounds:
        heading = _is_heading(text[p_start:p_end])
        par = _segment(tokens, p_start, p_end, heading)
        if par is None:
            continue
        paragraphs.append(par)
        if heading:
            sentences.append(par)
            continue
        for sent in doc.sents:
            s_start = max(sent.start_char, par.start)
            s_end = min(sent.end_char, par.end)
            if s_start < s_end:
                seg = _segment(tokens, s_start, s_end, False)
                if seg is not None:
                    sentences.append(seg)
    return tokens, sentences, paragraphs

"""Heads of event mentions (the ``head`` matching level of :mod:`newsgold.metrics.events`).

A mention's annotated head when it has one; otherwise, with a spaCy pipeline given
(``head_parser``), BART-Gen's ``find_head`` (raspberryice/gen-arg ``src/genie/scorer.py``:
start at the span's first token and follow dependency heads while they stay inside the
span) over a parse of the corpus tokens, which never sees the gold; otherwise the span
itself. The rule is the same for gold and prediction.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from newsgold.model import Document, Mention


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

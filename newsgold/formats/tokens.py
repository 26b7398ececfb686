"""Token-level formats -> character offsets on the corpus text.

OneIE, TextEE and DyGIE++ give spans as token indices into their own tokenization of a
sentence, window or document. :class:`TokenAligner` finds each of those tokens in the
corpus document's text, in order (whitespace between tokens is skipped, none is needed),
so a token span becomes the characters from its first token's start to its last token's
end. Two spellings that Penn-Treebank-style preprocessing introduces are accepted:
bracket codes (``-LRB-`` for ``(``) and LaTeX-style quotes (````` and ``''`` for straight
or curly double quotes); straight and curly quotes and apostrophes are also
interchangeable. Anything else that differs is an error naming the token (its list
field, e.g. ``tokens[17]`` or ``sentences[2][5]``) and what the corpus text has there:
the offsets could not be trusted.

Windows or sentences of one document are aligned one after another from where the last
one ended; one that does not align there is searched for from the start of the text (a
file in another order still reads; a window whose tokens occur twice in the document then
goes to the first place they all match). Spans are then checked against the corpus
tokenization: a span that does not start and end on corpus token boundaries is kept (its
characters are what the system claimed) and counted in ``placement["off_token_boundary"]``.

>>> from newsgold.model import Document
>>> a = TokenAligner(Document("d", "Putin said (again): no."))
>>> a.align(["Putin", "said", "-LRB-", "again", "-RRB-", ":", "no", "."])[:3]
[(0, 5), (6, 10), (11, 12)]
"""

from __future__ import annotations

import re

from newsgold.model import Document

_PTB = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
}
_QUOTES = {"``": '["“”]', "''": '["“”]', "'": "['‘’`]", "’": "['‘’`]", "‘": "['‘’`]"}
_QUOTES |= {'"': '["“”]', "“": '["“”]', "”": '["“”]', "`": "['‘’`]"}
_WS = re.compile(r"\s*")


def _pattern(token: str) -> re.Pattern[str]:
    token = _PTB.get(token, token)
    if token in _QUOTES:
        return re.compile(_QUOTES[token])
    return re.compile("".join(_QUOTES.get(c, re.escape(c)) for c in token))


class AlignmentError(Exception):
    """A token that is not the corpus text where it should be."""

    def __init__(self, index: int, token: str, at: int, found: str):
        self.index, self.token, self.at, self.found = index, token, at, found
        super().__init__(
            f"token {token!r} is not the corpus text at character {at} ({found!r}): "
            "the tokens do not spell the corpus document"
        )


class TokenAligner:
    """Aligns successive token lists (sentences, windows) of one document to its text."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.cursor = 0
        self._patterns: dict[str, re.Pattern[str]] = {}

    def _match(self, token: str, pos: int) -> tuple[int, int] | None:
        text = self.doc.text
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith(token, pos):
            return pos, pos + len(token)
        pat = self._patterns.get(token)
        if pat is None:
            pat = self._patterns[token] = _pattern(token)
        m = pat.match(text, pos)
        return (pos, m.end()) if m and m.end() > pos else None

    def _run(self, tokens: list[str], pos: int) -> tuple[list[tuple[int, int]], int]:
        spans: list[tuple[int, int]] = []
        for tok in tokens:
            got = self._match(tok, pos)
            if got is None:
                return spans, pos
            spans.append(got)
            pos = got[1]
        return spans, pos

    def align(self, tokens: list[str]) -> list[tuple[int, int]]:
        """Character spans ``(start, end)`` of ``tokens``; raises :class:`AlignmentError`."""
        if not tokens:
            return []
        spans, pos = self._run(tokens, self.cursor)
        best = (spans, pos)
        if len(spans) < len(tokens):
            # not where the previous window ended: try every place the first token occurs
            for m in _pattern(tokens[0]).finditer(self.doc.text):
                spans, pos = self._run(tokens, m.start())
                if len(spans) > len(best[0]):
                    best = (spans, pos)
                if len(spans) == len(tokens):
                    break
        if len(spans) < len(tokens):
            spans, pos = best
            at = _WS.match(self.doc.text, pos).end()  # type: ignore[union-attr]
            k = len(spans)
            raise AlignmentError(k, tokens[k], at, self.doc.text[at : at + len(tokens[k]) + 8])
        self.cursor = pos
        return spans

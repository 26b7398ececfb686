"""Character spans to token bounds."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from newsgold.model import Token


def token_bounds(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """Return ``(token_start, token_end)`` (end inclusive, Prodigy's convention) of the
    tokens that exactly cover characters ``[start, end)``, or None when ``start`` or ``end``
    falls inside a token or between tokens with nothing covered.

    >>> from newsgold.corpus.segment import tokenize
    >>> token_bounds(tokenize("Russian President Putin"), 8, 23)
    (1, 2)
    >>> token_bounds(tokenize("Russian President Putin"), 9, 23) is None
    True
    """
    return TokenIndex(tokens).bounds(start, end)


class TokenIndex:
    """:func:`token_bounds` for many spans of one document: the token offsets are gathered
    once, so each span costs a binary search, not a pass over the tokens.

    >>> from newsgold.corpus.segment import tokenize
    >>> TokenIndex(tokenize("Russian President Putin")).bounds(8, 23)
    (1, 2)
    """

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.starts = [t.start for t in tokens]
        self.ends = [t.end for t in tokens]

    def bounds(self, start: int, end: int) -> tuple[int, int] | None:
        """:func:`token_bounds` of ``[start, end)``."""
        if start >= end:
            return None
        starts, ends = self.starts, self.ends
        i = bisect_left(starts, start)
        j = bisect_right(ends, end) - 1
        if i >= len(starts) or j < i or starts[i] != start or ends[j] != end:
            return None
        return self.tokens[i].id, self.tokens[j].id

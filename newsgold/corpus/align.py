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
    if start >= end:
        return None
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    i = bisect_left(starts, start)
    j = bisect_right(ends, end) - 1
    if i >= len(tokens) or j < i or starts[i] != start or ends[j] != end:
        return None
    return tokens[i].id, tokens[j].id

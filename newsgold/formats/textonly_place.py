"""Where text-only mentions go in a document's text: the placement rule of
:mod:`newsgold.formats.textonly` (the reader), which calls :func:`place`.

**Placement rule.** It looks only at the system's output and the document text, never at
the gold. For one document, items are placed in the order listed:

1. *Occurrences* of a string ``s`` (the item's text, stripped of surrounding whitespace)
   are the places where ``s`` occurs exactly (case-sensitive, overlapping allowed) and
   starts and ends on token boundaries of the corpus tokenization (spaCy's, as in
   ``Document.tokens``; checked with :func:`newsgold.corpus.align.token_bounds`): "Russia"
   occurs in "Russia’s" but not in "Russian". Only if ``s`` has **no** exact occurrence,
   a relaxed search is tried: case-insensitive, any whitespace run for a space, and
   straight/curly quotes and apostrophes interchangeable (``'`` = ``’``). Items placed so
   are counted ``relaxed``.
2. With ``occurrence: k``, the item goes to the k-th occurrence (unplaceable if there are
   fewer than k+1).
3. With ``context``, the item goes to the first occurrence of ``s`` not yet taken that lies
   inside an exact occurrence of the context. If there is none (the context is not in
   the text, e.g. paraphrased) it is counted ``context_unmatched`` and placed by rule 4.
4. Otherwise (after all items of rules 2 and 3 are placed) the item goes to the first
   occurrence of ``s`` not yet taken by another item with the same string. So listing
   "Putin" three times places the first three occurrences (the k-th listing gets the k-th
   occurrence), and a string listed more times than it occurs is ``unplaceable`` for the
   extra listings. One refinement: these items are placed longest string first (listing
   order kept within a string), and an occurrence overlapping a span already placed for
   a *different* string is used only when no other is free. So "Wendy Sherman", then
   "Sherman" goes to the later, standalone "Sherman", not inside "Wendy Sherman".
5. A string that occurs nowhere (even relaxed) is ``unplaceable``.
6. A string listed fewer times than it has occurrences that overlap no span placed for
   another string is ``ambiguous``: each of its items placed by rule 4 counts once
   (they are also ``placed``). A string listed once that occurs several times is thus
   placed at its first occurrence and counted ambiguous.

7. With ``occurrences="all"`` (``newsgold score --occurrences all``; LLMs usually list
   each distinct entity once) the first plain listing of a string stands for **every**
   occurrence of it that is not pinned by rules 2-3 and does not overlap a span placed for
   a longer string (longest strings first, as in rule 4: "Sherman" does not also go inside
   "Wendy Sherman"); later plain listings of the same string are counted ``repeated`` and
   add nothing. Nothing is ``ambiguous`` under this rule. Like the default, it never looks
   at the gold.

>>> from newsgold.model import Document
>>> doc = Document("d", "Putin met Putin.")
>>> [(p.start, p.status) for p in place(doc, [{"text": "Putin", "label": "PER"}] * 3)]
[(0, 'placed'), (10, 'placed'), (None, 'unplaceable')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from newsgold.model import Document, Token

#: the non-ASCII code points that re.IGNORECASE matches to an ASCII letter (found by trying
#: every code point against every ASCII letter; tests/test_textonly_placement_oracle.py)
_IGNORECASE_ASCII = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_ALNUM = re.compile(r"[A-Za-z0-9]+")

#: how listed strings stand for occurrences: each listing one occurrence, or every one
OCCURRENCE_RULES = ("listed", "all")

_QUOTES = {"'": "['‘’`]", "‘": "['‘’`]", "’": "['‘’`]", '"': '["“”]', "“": '["“”]', "”": '["“”]'}


@dataclass
class Placed:
    """Where one listed item went. ``start``/``end`` are None when unplaceable."""

    index: int
    text: str
    label: str
    start: int | None
    end: int | None
    status: str  # "placed", "unplaceable", or (occurrences="all") "repeated"
    ambiguous: bool = False
    relaxed: bool = False
    context_unmatched: bool = False
    reason: str = ""


def _relaxed_pattern(s: str) -> re.Pattern[str]:
    words = []
    for word in s.split():
        words.append("".join(_QUOTES.get(c, re.escape(c)) for c in word))
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def _tokens(doc: Document) -> list[Token]:
    if doc.tokens:
        return doc.tokens
    from newsgold.corpus.segment import tokenize

    return tokenize(doc.text)


class _Index:
    """A document's token boundaries, indexed once, so that finding a string's
    token-bounded occurrences costs its own candidates, not a pass over the text.

    An occurrence starts at a token start and ends at a token end, so the token at its
    start is a prefix of the string: candidates are the starts of tokens whose text is a
    prefix of it (rule 1; equal to :func:`newsgold.corpus.align.token_bounds` being
    defined, which holds exactly when both ends are token boundaries).
    """

    def __init__(self, doc: Document, tokens: list[Token]):
        self.text = doc.text
        self.start_of = {t.start: k for k, t in enumerate(tokens)}
        self.end_of = {t.end: k for k, t in enumerate(tokens)}
        self.by_text: dict[str, list[int]] = {}
        for t in tokens:
            self.by_text.setdefault(self.text[t.start : t.end], []).append(t.start)
        self.longest = max((t.end - t.start for t in tokens), default=0)
        self._folded: str | None = None
        self._at_starts: dict[str, list[int]] | None = None

    def exact(self, s: str) -> list[tuple[int, int]]:
        starts: list[int] = []
        for k in range(1, min(len(s), self.longest) + 1):
            starts += self.by_text.get(s[:k], ())
        n, text, ends = len(s), self.text, self.end_of
        return [(i, i + n) for i in sorted(starts) if i + n in ends and text.startswith(s, i)]

    def occurrences(self, s: str) -> tuple[list[tuple[int, int]], bool]:
        found = self.exact(s)
        if found:
            return found, False
        if not self._may_match_relaxed(s):
            return [], False
        # the relaxed search: one regular-expression pass, for strings with no exact match
        found = [
            (m.start(), m.end())
            for m in _relaxed_pattern(s).finditer(self.text)
            if m.start() in self.start_of and m.end() in self.end_of
        ]
        return found, bool(found)

    def _may_match_relaxed(self, s: str) -> bool:
        """False when the relaxed pattern of ``s`` cannot match at a token start; then the
        text is not scanned. Under ``re.IGNORECASE`` an ASCII letter matches only its two
        cases and the four code points of :data:`_IGNORECASE_ASCII` (checked over every
        code point), so in the case-folded text a match of ``s`` shows its runs of ASCII
        letters and digits lower-cased; when ``s`` starts with such a run, a match must
        start with it at a token start (found through a dictionary of the folded text's
        first three characters at each token start). This never rules out a match."""
        if self._folded is None:
            folded = self.text.translate(_IGNORECASE_ASCII).lower()
            self._folded = folded
            self._at_starts = {}
            if len(folded) == len(self.text):  # offsets line up (İ is mapped before lower())
                for p in self.start_of:
                    self._at_starts.setdefault(folded[p : p + 3], []).append(p)
        runs = _ALNUM.findall(s)
        if not runs:
            return True
        lead = _ALNUM.match(s)
        if lead is None or self._at_starts is None or not self._at_starts:
            return max(runs, key=len).lower() in self._folded
        run = lead.group().lower()
        folded = self._folded
        return any(folded.startswith(run, p) for p in self._at_starts.get(run[:3], ()))

    def tokens_of(self, span: tuple[int, int]) -> range:
        return range(self.start_of[span[0]], self.end_of[span[1]] + 1)


def occurrences(doc: Document, s: str, tokens: list[Token] | None = None):
    """Token-bounded occurrences ``[(start, end)]`` of ``s`` in ``doc.text`` and whether
    the relaxed search was needed (rule 1 of the module docstring)."""
    return _Index(doc, tokens if tokens is not None else _tokens(doc)).occurrences(s)


class _Placed:
    """What is placed so far: starts taken per string, and which strings cover each token
    (placed spans are token-bounded, so two overlap exactly when they share a token)."""

    def __init__(self, index: _Index):
        self.index = index
        self.taken: dict[str, set[int]] = {}
        self.cover: dict[int, dict[str, int]] = {}

    def put(self, p: Placed, pos: tuple[int, int]) -> None:
        p.start, p.end = pos
        p.status = "placed"
        self.taken.setdefault(p.text, set()).add(pos[0])
        for k in self.index.tokens_of(pos):
            c = self.cover.setdefault(k, {})
            c[p.text] = c.get(p.text, 0) + 1

    def inside_other(self, s: str, o: tuple[int, int]) -> bool:
        """Does ``o`` overlap a span placed for another string?"""
        for k in self.index.tokens_of(o):
            c = self.cover.get(k)
            if c and (len(c) > 1 or s not in c):
                return True
        return False


def place(doc: Document, items: list[dict[str, Any]], occurrences: str = "listed") -> list[Placed]:
    """Place already-validated items (``text``, ``label``, optional ``occurrence`` and
    ``context``) on ``doc`` by the rule of the module docstring (``occurrences="all"``:
    rule 7). O(n log n) in the items and the text, plus one pass over the text per string
    that needs the relaxed search."""
    if occurrences not in OCCURRENCE_RULES:
        raise ValueError(f"occurrences must be one of {OCCURRENCE_RULES}, not {occurrences!r}")
    index = _Index(doc, _tokens(doc))
    cache: dict[str, tuple[list[tuple[int, int]], bool]] = {}
    ctx_cache: dict[str, list[int]] = {}
    listed: dict[str, int] = {}
    state = _Placed(index)
    out: list[Placed] = []
    plain: list[Placed] = []

    # rules 2 and 3 (pinned items) in listed order
    for i, item in enumerate(items):
        s = item["text"].strip()
        listed[s] = listed.get(s, 0) + 1
        if s not in cache:
            cache[s] = index.occurrences(s)
        occ, relaxed = cache[s]
        p = Placed(i, s, item["label"], None, None, "unplaceable", relaxed=relaxed)
        out.append(p)
        if item.get("occurrence") is not None:
            k = item["occurrence"]
            if k < len(occ):
                state.put(p, occ[k])
            else:
                p.reason = f"occurrence {k} asked, but it occurs {len(occ)} time(s)"
            continue
        if item.get("context"):
            ctx = item["context"]
            if ctx not in ctx_cache:
                found, j = [], doc.text.find(ctx)
                while j != -1:
                    found.append(j)
                    j = doc.text.find(ctx, j + 1)
                ctx_cache[ctx] = found
            spot = _in_context(occ, ctx_cache[ctx], len(ctx), state.taken.get(s, set()))
            if spot is not None:
                state.put(p, spot)
                continue
            p.context_unmatched = True
        plain.append(p)
    if occurrences == "all":
        return _place_all(out, plain, cache, state)
    # rule 4: longest strings first, so "Sherman" avoids the "Wendy Sherman" already placed.
    # A string's pointers only move forward: a taken occurrence stays taken and one that
    # overlaps another string's span keeps overlapping it, as spans are only ever added.
    clear_at: dict[str, int] = {}
    free_at: dict[str, int] = {}
    for p in sorted(plain, key=lambda p: (-len(p.text), p.index)):
        occ = cache[p.text][0]
        used = state.taken.get(p.text, set())
        k = clear_at.get(p.text, 0)
        while k < len(occ) and (occ[k][0] in used or state.inside_other(p.text, occ[k])):
            k += 1
        clear_at[p.text] = k
        f = free_at.get(p.text, 0)
        while f < len(occ) and occ[f][0] in used:
            f += 1
        free_at[p.text] = f
        if k < len(occ):
            state.put(p, occ[k])
        elif f < len(occ):
            state.put(p, occ[f])
        elif occ:
            p.reason = f"listed more times than it occurs ({len(occ)})"
        else:
            p.reason = "does not occur in the text at token boundaries"
    # rule 6, once per string: its occurrences that overlap no span of another string
    avail: dict[str, int] = {}
    for p in plain:
        if p.status == "placed":
            if p.text not in avail:
                occ = cache[p.text][0]
                avail[p.text] = sum(not state.inside_other(p.text, o) for o in occ)
            p.ambiguous = listed[p.text] < avail[p.text]
    return out


def _in_context(
    occ: list[tuple[int, int]], ctx_starts: list[int], ctx_len: int, used: set[int]
) -> tuple[int, int] | None:
    """The first occurrence not in ``used`` that lies inside an occurrence of the context."""
    starts = [o[0] for o in occ]
    best = None
    for a in ctx_starts:
        k = bisect_left(starts, a)
        while k < len(occ) and occ[k][1] <= a + ctx_len:
            if occ[k][0] not in used:
                if best is None or occ[k][0] < best[0]:
                    best = occ[k]
                break
            k += 1
    return best


def _place_all(
    out: list[Placed],
    plain: list[Placed],
    cache: dict[str, tuple[list[tuple[int, int]], bool]],
    state: _Placed,
) -> list[Placed]:
    """Rule 7 (``occurrences="all"``): the first plain listing of a string stands for
    every occurrence not taken and not overlapping a span placed for a longer string
    (longest strings first); later listings of the string are ``repeated``."""
    first: dict[str, Placed] = {}
    extra: list[Placed] = []
    for p in sorted(plain, key=lambda p: (-len(p.text), p.index)):
        if p.text in first:
            p.status, p.reason = (
                "repeated",
                f"already stands for every occurrence (item {first[p.text].index})",
            )
            continue
        first[p.text] = p
        occ = cache[p.text][0]
        used = state.taken.get(p.text, set())
        spots = [o for o in occ if o[0] not in used and not state.inside_other(p.text, o)]
        if not spots:
            p.reason = (
                "every occurrence is taken or inside a longer string's span"
                if occ
                else "does not occur in the text at token boundaries"
            )
            continue
        state.put(p, spots[0])
        for o in spots[1:]:
            q = Placed(p.index, p.text, p.label, None, None, "unplaceable", relaxed=p.relaxed)
            state.put(q, o)
            extra.append(q)
    return sorted(out + extra, key=lambda p: (p.index, p.start if p.start is not None else -1))

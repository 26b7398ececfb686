"""Text-only mentions (as LLMs give them) -> placed entity mentions.

Input: JSON lines ``{"doc_id": ..., "mentions": [{"text": "Putin", "label": "PERSON"},
...]}`` (the list may be called ``entities``; an item's label may be called ``type``; a
line may give the document ``text`` instead of, or as well as, ``doc_id``). Items may
carry ``occurrence`` (0-based: 0 is the first occurrence) or ``context`` (a stretch of the
document text around the mention), and for the timex and coreference layers ``value`` (a
TIMEX3 value: the mention is then a time expression, its type ``timex_type`` or its label
when that is DATE, TIME, DURATION or SET) and ``cluster`` (a chain id).

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

A line may also be a **bare list** of items, ``[{"text": "Putin", "label": "PERSON"}]``:
bare lists have no doc_id and no text, so they are matched to the corpus by order (the
n-th line is the n-th document in doc_id order, with a warning), allowed only when every
line is a bare list and there is one per corpus document. A whole file that is one
pretty-printed JSON list is one bare list (a one-document corpus).

Counts go in ``Predictions.placement`` (``placed``, ``unplaceable``, ``ambiguous``,
``relaxed``, ``context_unmatched``, and ``repeated`` under rule 7), with the ``placed``,
``unplaceable`` and ``ambiguous`` counts the *other* rule would give under keys
``"all: placed"`` (or ``"listed: placed"``) and so on; every unplaceable or ambiguous item also gives a
warning naming the document and the string. An item without a non-empty ``text`` or
label, or with a bad ``occurrence``/``context``, is an error naming file, line and field.

>>> from newsgold.model import Document
>>> doc = Document("d", "Putin met Putin.")
>>> [(p.start, p.status) for p in place(doc, [{"text": "Putin", "label": "PER"}] * 3)]
[(0, 'placed'), (10, 'placed'), (None, 'unplaceable')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgold.formats.collect import Collector
from newsgold.formats.jsonl import iter_jsonl
from newsgold.model import TIMEX, Cluster, Document, Mention, Token
from newsgold.timex_values import TIMEX3_TYPES

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


def _validate(item: Any, f: str, collector: Collector, line: int, doc_id: str) -> dict | None:
    where = {"line": line, "doc_id": doc_id}
    if not isinstance(item, dict):
        collector.error(f"expected an object, got {item!r:.40}", field=f, **where)
        return None
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        collector.error(f"missing or empty mention text: {text!r}", field=f + ".text", **where)
        return None
    label = item.get("label", item.get("type"))
    if not isinstance(label, str) or not label.strip():
        collector.error(f"missing or empty label: {label!r}", field=f + ".label", **where)
        return None
    occ = item.get("occurrence")
    if occ is not None and (isinstance(occ, bool) or not isinstance(occ, int) or occ < 0):
        collector.error(
            f"occurrence must be an integer >= 0 (0 is the first), got {occ!r}",
            field=f + ".occurrence",
            **where,
        )
        return None
    ctx = item.get("context")
    if ctx is not None and not isinstance(ctx, str):
        collector.error(f"context must be a string, got {ctx!r}", field=f + ".context", **where)
        return None
    for key in ("value", "timex_type", "cluster"):
        v = item.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, str | int)):
            collector.error(f"{key} must be a string, got {v!r:.40}", field=f"{f}.{key}", **where)
            return None
    return {"text": text, "label": label, "occurrence": occ, "context": ctx, "raw": item}


def _timex_and_cluster(m: Mention, item: dict[str, Any]) -> None:
    """An item's TIMEX3 ``value`` (and ``timex_type``, else a TIMEX3 label) makes the
    mention a timex; its ``cluster`` names its coreference chain."""
    if item.get("value") is not None:
        m.kind = TIMEX
        m.attrs["value"] = str(item["value"])
        t = item.get("timex_type") or (m.label if m.label in TIMEX3_TYPES else None)
        if t:
            m.attrs["type"] = str(t)
    if item.get("cluster") is not None:
        m.cluster = str(item["cluster"])


def _lines(path: Path, collector: Collector):
    """``(line, object)`` pairs: JSON lines, each an object or a bare list of mentions; or
    a whole file that is one (pretty-printed) JSON list of mentions, as line 1."""
    import orjson

    try:
        raw = path.read_bytes()
    except OSError as exc:
        collector.error(f"cannot open: {exc.strerror}")
        return
    stripped = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"[") and b"\n" in stripped.strip():
        try:
            whole = orjson.loads(stripped)
        except ValueError:
            whole = None
        if isinstance(whole, list):  # one JSON list over several lines: one document
            yield 1, whole
            return
    list_lines = set()
    for n, raw_line in enumerate(raw.split(b"\n"), start=1):
        if not raw_line.strip():
            continue
        if raw_line.lstrip(b"\xef\xbb\xbf \t").startswith(b"["):
            list_lines.add(n)
            try:
                value = orjson.loads(raw_line.lstrip(b"\xef\xbb\xbf"))
            except ValueError as exc:
                collector.error(f"malformed JSON: {exc}", line=n)
                continue
            yield n, value
    # the object lines, with iter_jsonl's messages (UTF-8, truncation, non-objects)
    for n, obj, problem in iter_jsonl(path):
        if problem is not None:
            if problem.line not in list_lines:  # those lines were read (or reported) above
                collector.errors.append(problem)
            continue
        yield n, obj


def read_text_mentions(path: Path, collector: Collector, occurrences: str = "listed") -> None:
    """Read text-only mentions into ``collector`` (see the module docstring).

    ``occurrences`` is the placement rule: ``listed`` (rules 1-6) or ``all`` (rule 7).
    ``Predictions.placement`` counts the rule used, and under ``other:`` keys what the
    other rule would have given, so a user sees the choice's effect without the gold."""
    if occurrences not in OCCURRENCE_RULES:
        collector.error(
            f"--occurrences must be one of {', '.join(OCCURRENCE_RULES)}, not {occurrences!r}",
            field="--occurrences",
        )
        return
    other = "all" if occurrences == "listed" else "listed"
    for key in ("placed", "unplaceable", "ambiguous"):
        collector.placement[key] += 0
        collector.placement[f"{other}: {key}"] += 0
    lines = sorted(_lines(path, collector), key=lambda x: x[0])
    bare = [n for n, v in lines if isinstance(v, list)]
    by_order = sorted(collector.corpus)
    if bare:
        if len(lines) != len(by_order) or len(bare) != len(lines):
            collector.error(
                f"{len(bare)} line(s) are bare lists of mentions (no doc_id, no text), which "
                f"are matched to the corpus documents by order, but the file has "
                f"{len(lines)} line(s) for {len(by_order)} corpus document(s); write "
                '{"doc_id": ..., "mentions": [...]} per document',
                line=bare[0],
            )
            return
        collector.warn(
            f"{len(bare)} bare list(s) of mentions matched to corpus documents by order "
            "(the n-th list is the n-th document in doc_id order)"
        )
    for pos, (n, obj) in enumerate(lines):
        if isinstance(obj, list):
            key, items, doc = "", obj, collector.corpus[by_order[pos]]
        else:
            if "mentions" in obj and "entities" in obj:
                collector.error("give 'mentions' or 'entities', not both", line=n, field="mentions")
                continue
            key = "mentions" if "mentions" in obj else "entities"
            items = obj.get(key)
            if not isinstance(items, list):
                collector.error(f"missing or non-list '{key}'", line=n, field=key)
                continue
            doc_id, text = obj.get("doc_id"), obj.get("text")
            if text is not None and not isinstance(text, str):
                collector.error("expected a string", line=n, field="text")
                continue
            doc = collector.resolve(
                doc_id=None if doc_id is None else str(doc_id), text=text, line=n
            )
            if doc is None:
                continue
        valid = [_validate(x, f"{key}[{i}]", collector, n, doc.doc_id) for i, x in enumerate(items)]
        if any(v is None for v in valid):
            continue
        for p in place(doc, valid, other):  # type: ignore[arg-type]
            if p.status in ("placed", "unplaceable"):
                collector.placement[f"{other}: {p.status}"] += 1
            collector.placement[f"{other}: ambiguous"] += p.ambiguous
        mentions = []
        for p in place(doc, valid, occurrences):  # type: ignore[arg-type]
            where = {"line": n, "doc_id": doc.doc_id, "field": f"{key}[{p.index}]"}
            collector.placement["relaxed"] += p.relaxed and p.status == "placed"
            collector.placement["context_unmatched"] += p.context_unmatched
            if p.status == "repeated":
                collector.placement["repeated"] += 1
                continue
            if p.status == "unplaceable":
                collector.placement["unplaceable"] += 1
                collector.warn(f"unplaceable mention {p.text!r}: {p.reason}", **where)
                continue
            collector.placement["placed"] += 1
            if p.ambiguous:
                collector.placement["ambiguous"] += 1
                collector.warn(
                    f"ambiguous mention {p.text!r}: listed fewer times than it occurs; "
                    f"placed at {p.start}-{p.end}",
                    **where,
                )
            m = Mention(start=p.start, end=p.end, label=p.label)  # type: ignore[arg-type]
            _timex_and_cluster(m, valid[p.index]["raw"])  # type: ignore[index]
            m.extra["placement"] = "relaxed" if p.relaxed else "exact"
            if p.ambiguous:
                m.extra["ambiguous"] = True
            mentions.append(m)
        chains = sorted({m.cluster for m in mentions if m.cluster is not None})
        collector.add(
            doc, mentions, clusters=[Cluster(c, "entity") for c in chains], where=f"{path}:{n}"
        )

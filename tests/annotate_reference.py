"""The reference annotation of the tricky test article (``repo_copy.TRICKY_ARTICLE``).

Spans are given by their text and occurrence, and placed on the corpus text (LF line
ends, code points) here, independently of any reader; ``make_exports.py`` writes each
tool's file from the same table with the tool's own offset convention.
"""

from __future__ import annotations

#: the document text the corpus holds for TRICKY_ARTICLE (header cut, CRLF -> LF)
TEXT = (
    "Kyiv talks \U0001f600 began on Monday.\n"
    "Jose\u0301 Garci\u0301a met NATO officials in Kyiv.\n"
    "Russia attacked Kharkiv.\n"
)
#: (key, text, occurrence, label, kind, mention_type, head text, attrs, cluster)
SPANS = [
    ("kyiv1", "Kyiv", 0, "GPE", "entity", "NAM", None, {}, "E1"),
    (
        "monday",
        "Monday",
        0,
        "DATE",
        "timex",
        None,
        None,
        {"type": "DATE", "value": "2026-11-30"},
        None,
    ),
    ("jose", "Jose\u0301 Garci\u0301a", 0, "PERSON", "entity", "NAM", None, {}, None),
    ("officials", "NATO officials", 0, "PERSON", "entity", "NOM", "officials", {}, None),
    ("nato", "NATO", 0, "ORG", "entity", "NAM", None, {}, None),
    (
        "met",
        "met",
        0,
        "Contact.Meet",
        "trigger",
        None,
        None,
        {"realis": "ACTUAL", "polarity": "POSITIVE"},
        None,
    ),
    ("kyiv2", "Kyiv", 1, "GPE", "entity", "NAM", None, {}, "E1"),
    ("russia", "Russia", 0, "GPE", "entity", "NAM", None, {}, None),
    (
        "attacked",
        "attacked",
        0,
        "Conflict.Attack",
        "trigger",
        None,
        None,
        {"realis": "ACTUAL", "polarity": "POSITIVE"},
        None,
    ),
    ("kharkiv", "Kharkiv", 0, "GPE", "entity", "NAM", None, {}, None),
]
#: (trigger key, argument key, role)
ARGUMENTS = [
    ("met", "jose", "Entity"),
    ("met", "officials", "Entity"),
    ("met", "kyiv2", "Place"),
    ("attacked", "russia", "Attacker"),
    ("attacked", "kharkiv", "Target"),
]


def offsets(text: str, needle: str, occurrence: int) -> tuple[int, int]:
    i = -1
    for _ in range(occurrence + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


def span_offsets(text: str = TEXT) -> dict[str, tuple[int, int]]:
    return {key: offsets(text, s, occ) for key, s, occ, *_ in SPANS}


def expected_spans(*, with_types=True, with_attrs=True, with_heads=True) -> set[tuple]:
    """The reference spans as comparable tuples (code points on the corpus text)."""
    out = set()
    for row in SPANS:
        key, s, occ, label, kind, mtype, head, attrs, cluster = row
        start, end = offsets(TEXT, s, occ)
        h = None
        if head is not None and with_heads:
            hs = TEXT.index(head, start)
            h = (hs, hs + len(head))
        out.add(
            (
                start,
                end,
                label,
                kind,
                mtype if with_types else None,
                h,
                tuple(sorted(attrs.items())) if with_attrs else (),
            )
        )
    return out


def expected_arguments() -> set[tuple]:
    pos = span_offsets()
    return {(pos[t], pos[a], role) for t, a, role in ARGUMENTS}

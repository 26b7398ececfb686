"""A transparent rule-based TIMEX3 normaliser against the document date.

:func:`normalise` turns the text of a time expression (as a NER system or a matcher found
it) into a TIMEX3 ``(type, value)`` relative to the document date (``meta.date``), or
None when no rule applies. The rules, in the order tried (case-insensitive; a leading
'on', 'in', 'at', 'since', 'by', 'until', 'for' or 'the' is ignored):

* ISO dates as written (``2021-12-01``, ``2021-12``) and day-month-year in words
  (``1 December 2021``, ``December 1, 2021``), month and year (``December 2021``), a month
  alone (``December``: the month of that name in the document's year), a year alone
  (``2014``);
* deictic days: ``today``, ``tonight``, ``this morning/afternoon/evening`` -> the document
  date; ``yesterday`` -> the day before; ``tomorrow`` -> the day after; ``N days ago`` and
  ``in N days``;
* weeks, months and years relative to the document date: ``this/last/next week`` (ISO
  week, ``2021-W48``), ``this/last/next month`` (``2021-12``), ``this/last/next year``;
* weekday names (``Monday``, ``on Friday``): the nearest such day on or before the
  document date, because news reports mostly tell what happened (TimeML annotators
  resolve by tense; a rule cannot see the tense, so this is the documented guess);
* vague references: ``now``, ``currently``, ``at present`` -> ``PRESENT_REF``;
  ``recently``, ``lately``, ``formerly``, ``in the past`` -> ``PAST_REF``; ``soon``,
  ``in the future`` -> ``FUTURE_REF``;
* durations: ``N days/weeks/months/years`` (digits or the words one to twelve) ->
  ``PnD``/``PnW``/``PnM``/``PnY`` (type DURATION); ``(for) some time``, ``for years``,
  ``decades`` -> the underspecified ``PXY``; hours, minutes -> ``PTnH``/``PTnM``.

Anything else is returned as None: the mention is kept, with no value.

>>> normalise("Yesterday", "2021-12-01")
('DATE', '2021-11-30')
>>> normalise("this week", "2021-12-01")
('DATE', '2021-W48')
>>> normalise("recently", "2021-12-01")
('DATE', 'PAST_REF')
>>> normalise("three days", "2021-12-01")
('DURATION', 'P3D')
>>> normalise("2014", "2021-12-01")
('DATE', '2014')
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ],
        start=1,
    )
}
UNITS = {
    "day": "D",
    "week": "W",
    "month": "M",
    "year": "Y",
    "decade": "DE",
    "hour": "H",
    "minute": "M",
}
VAGUE = {
    "now": "PRESENT_REF",
    "currently": "PRESENT_REF",
    "at present": "PRESENT_REF",
    "at the moment": "PRESENT_REF",
    "recently": "PAST_REF",
    "lately": "PAST_REF",
    "formerly": "PAST_REF",
    "in the past": "PAST_REF",
    "soon": "FUTURE_REF",
    "in the future": "FUTURE_REF",
}
_LEAD = re.compile(r"^(?:on|in|at|since|by|until|for|the)\s+")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUM = r"(\d+|" + "|".join(NUMBERS) + r")"


def _num(s: str) -> int:
    return int(s) if s.isdigit() else NUMBERS[s]


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _month_shift(d: date, k: int) -> str:
    m = d.month - 1 + k
    return f"{d.year + m // 12}-{m % 12 + 1:02d}"


def _anchor(document_date: str | date | None) -> date | None:
    if isinstance(document_date, date):
        return document_date
    try:
        return date.fromisoformat(str(document_date)[:10]) if document_date else None
    except ValueError:
        return None


def normalise(text: str, document_date: str | date | None) -> tuple[str, str] | None:
    """TIMEX3 ``(type, value)`` of ``text`` against ``document_date`` (ISO), or None."""
    t = " ".join(text.lower().replace("’", "'").split()).strip(" .,;:")
    if t in VAGUE:
        return ("DATE", VAGUE[t])
    t = _LEAD.sub("", t)
    if t in VAGUE:
        return ("DATE", VAGUE[t])
    anchor = _anchor(document_date)
    absolute = _absolute(t, anchor)
    if absolute is not None:
        return ("DATE", absolute)
    duration = _duration(t)
    if duration is not None:
        return ("DURATION", duration)
    if anchor is None:
        return None
    return _relative(t, anchor)


def _absolute(t: str, anchor: date | None) -> str | None:
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", t):
        try:  # an ISO date as written, if it is one
            date.fromisoformat(t if len(t) == 10 else t + "-01")
        except ValueError:
            return None
        return t
    if re.fullmatch(r"(1[5-9]|20)\d{2}", t):
        return t
    m = re.fullmatch(
        rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?,?(?:\s+(\d{{4}}))?", t
    )
    if m is None:
        m2 = re.fullmatch(rf"({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s+(\d{{4}}))?", t)
        if m2 is not None:
            m = m2
            day, month, year = m2.group(2), m2.group(1), m2.group(3)
        else:
            day = month = year = None
    else:
        day, month, year = m.group(1), m.group(2), m.group(3)
    if m is not None:
        y = int(year) if year else (anchor.year if anchor else None)
        try:  # '31 February' is no date
            date(y or 2000, MONTHS[month], int(day))
        except ValueError:
            return None
        if y is None:
            return f"XXXX-{MONTHS[month]:02d}-{int(day):02d}"
        return f"{y}-{MONTHS[month]:02d}-{int(day):02d}"
    m = re.fullmatch(rf"({_MONTH})\.?(?:\s+(?:of\s+)?(\d{{4}}))?", t)
    if m is not None and (m.group(2) or anchor):
        y = int(m.group(2)) if m.group(2) else anchor.year  # type: ignore[union-attr]
        return f"{y}-{MONTHS[m.group(1)]:02d}"
    return None


def _duration(t: str) -> str | None:
    t = re.sub(r"^(?:more than|over|about|almost|nearly|some|the (?:past|last))\s+", "", t)
    m = re.fullmatch(rf"{_NUM}\s+(day|week|month|year|decade|hour|minute)s?", t)
    if m is not None:
        n, unit = _num(m.group(1)), m.group(2)
        if unit in ("hour", "minute"):
            return f"PT{n}{UNITS[unit]}"
        if unit == "decade":
            return f"P{10 * n}Y"
        return f"P{n}{UNITS[unit]}"
    if t in ("time", "time now", "years", "many years", "decades", "a long time", "long"):
        return "PXY"
    if t in ("days", "weeks", "months"):
        return f"PX{UNITS[t[:-1]]}"
    return None


def _relative(t: str, anchor: date) -> tuple[str, str] | None:
    day = {
        "today": 0,
        "tonight": 0,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "yesterday": -1,
        "tomorrow": 1,
    }
    if t in day:
        return ("DATE", (anchor + timedelta(days=day[t])).isoformat())
    m = re.fullmatch(rf"{_NUM}\s+days?\s+ago", t)
    if m is not None:
        return ("DATE", (anchor - timedelta(days=_num(m.group(1)))).isoformat())
    m = re.fullmatch(rf"in\s+{_NUM}\s+days?", t)
    if m is not None:
        return ("DATE", (anchor + timedelta(days=_num(m.group(1)))).isoformat())
    m = re.fullmatch(r"(this|last|next|past|coming)\s+(week|month|year)", t)
    if m is not None:
        k = {"this": 0, "last": -1, "past": -1, "next": 1, "coming": 1}[m.group(1)]
        unit = m.group(2)
        if unit == "week":
            return ("DATE", _iso_week(anchor + timedelta(weeks=k)))
        if unit == "month":
            return ("DATE", _month_shift(anchor, k))
        return ("DATE", str(anchor.year + k))
    if t in WEEKDAYS:
        back = (anchor.weekday() - WEEKDAYS.index(t)) % 7
        return ("DATE", (anchor - timedelta(days=back)).isoformat())
    return None


__all__ = ["normalise"]

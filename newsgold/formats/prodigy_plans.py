"""Span readers compiled for one key set: the fast path of reading a Prodigy span.

The spans of a file come in a handful of shapes (``start, end, label`` from Prodigy's
``ner.manual``; ``start, end, label, kind, cluster`` from our gold; ...). For each exact
key tuple (keys and their order) met, a small function is generated, the way
:mod:`dataclasses` generates ``__init__``: it reads only the keys the span has, checks only
their types, and builds the :class:`~newsgold.model.Mention` with the absent fields as
constants. That halves the cost of reading a span against one generic function that asks
for all thirteen keys (``scripts/bench_prodigy.py``).

A plan returns None for anything that is not plain valid JSON (a bool where an offset
belongs, an offset outside int64, a list as an attribute value, ...); the checked reader
(:func:`newsgold.formats.prodigy_spans._span_checked`) then decides, and it alone makes
errors. Only the fixed key names of :data:`_SPAN_KEYS` are ever written into generated
source; unknown keys are passed to it as data. At most :data:`MAX_PLANS` are kept (a file
whose spans come in more shapes than that uses the generic fast path for the rest).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsgold.formats.prodigy_base import _NULL_KEYS, _NULLABLE, _SPAN_KEY_SET, INT64_END, INT64_MIN
from newsgold.model import ENTITY, Mention

#: the most compiled plans kept (each is a few hundred bytes of code)
MAX_PLANS = 512
_PLANS: dict[tuple, Callable[[dict], Mention | None]] = {}

# each known key's local name in generated code, in Mention's positional order (which
# prodigy_spans checks at import: _MENTION_FIELDS)
_ARGS = (
    ("start", "start"),
    ("end", "end"),
    ("label", "label"),
    ("kind", "kind"),
    ("id", "id_"),
    ("token_start", "ts"),
    ("token_end", "te"),
    ("text", "text"),
    ("mention_type", "mention_type"),
    ("head_start", "hs"),
    ("head_end", "he"),
    ("cluster", "cluster"),
)
_VAR = dict(_ARGS)
_OPT_INTS = ("token_start", "token_end", "head_start", "head_end")
_OPT_STRS = ("text", "id", "kind", "mention_type", "cluster")
# attribute values the checked path accepts for sure (it rejects only lists and objects)
SCALARS = frozenset((str, int, float, bool, type(None)))


def plan_for(keys: tuple) -> Callable[[dict], Mention | None] | None:
    """The compiled reader for spans with exactly ``keys`` (in order), or None when no
    more plans are kept."""
    plan = _PLANS.get(keys)
    if plan is None:
        if len(_PLANS) >= MAX_PLANS:
            return None
        plan = _PLANS[keys] = _compile(keys)
    return plan


def _never(s: dict) -> None:
    """The plan of a key set without start, end or label: always the checked path."""
    return None


def _compile(keys: tuple) -> Callable[[dict], Mention | None]:
    present = set(keys) & _SPAN_KEY_SET
    if not {"start", "end", "label"} <= present:
        return _never
    unknown = tuple(k for k in keys if k not in _SPAN_KEY_SET)
    src = ["def plan(s):"]
    src += [f"    {_VAR[k]} = s[{k!r}]" for k, _ in _ARGS if k in present]
    checks = [
        "type(start) is not int",
        "type(end) is not int",
        "type(label) is not str",
        "not LO <= start < HI",
        "not LO <= end < HI",
    ]
    for k in _OPT_INTS:
        if k in present:
            v = _VAR[k]
            checks.append(f"({v} is not None and (type({v}) is not int or not LO <= {v} < HI))")
    for k in _OPT_STRS:
        if k in present:
            v = _VAR[k]
            checks.append(f"({v} is not None and type({v}) is not str)")
    src += [
        "    if (",
        *(f"        {c} or" for c in checks[:-1]),
        f"        {checks[-1]}",
        "    ):",
    ]
    src += ["        return None"]
    if "attrs" in present:
        src += [
            "    attrs = s['attrs']",
            "    if type(attrs) is not dict:",
            "        return None",
            "    empty = not attrs",
            "    if empty:",
            "        attrs = {}",
            "    else:",
            "        for v in attrs.values():",
            "            if type(v) not in SCALARS:",
            "                return None",
            "        attrs = attrs.copy()",
        ]
    else:
        src.append("    attrs = {}")
    src.append("    extra = {k: s[k] for k in UNKNOWN}" if unknown else "    extra = {}")
    # keys given as null (and attrs given as {}) are remembered, in _NULLABLE order
    nullable = [k for k in _NULLABLE if k in present]
    conditions = [f"{_VAR[k]} is None" for k in nullable] + (
        ["empty"] if "attrs" in present else []
    )
    if conditions:
        src.append(f"    if {' or '.join(conditions)}:")
        src.append("        nulls = []")
        for k in nullable:
            src.append(f"        if {_VAR[k]} is None:")
            src.append(f"            nulls.append({k!r})")
        if "attrs" in present:
            src += ["        if empty:", "            nulls.append('attrs')"]
        src.append("        extra[NULL_KEYS] = nulls")
    args = [(_VAR[k] if k in present else ("ENTITY" if k == "kind" else "None")) for k, _ in _ARGS]
    src.append(f"    return Mention({', '.join(args)}, attrs, extra)")
    namespace: dict[str, Any] = {
        "LO": INT64_MIN,
        "HI": INT64_END,
        "SCALARS": SCALARS,
        "UNKNOWN": unknown,
        "NULL_KEYS": _NULL_KEYS,
        "ENTITY": ENTITY,
        "Mention": Mention,
    }
    exec(compile("\n".join(src), f"<newsgold span plan {keys!r:.200}>", "exec"), namespace)
    return namespace["plan"]

"""What reading and writing Prodigy tasks share: the key sets, the markers kept on model
objects for a lossless round trip, :func:`stable_hash` and the integer check.

Split from :mod:`newsgold.formats.prodigy` (which re-exports every name here)."""

from __future__ import annotations

import hashlib
from typing import Any

from newsgold.errors import FormatError, Problem

_SPAN_KEYS = (
    "start",
    "end",
    "token_start",
    "token_end",
    "label",
    "text",
    "id",
    "kind",
    "mention_type",
    "head_start",
    "head_end",
    "cluster",
    "attrs",
)
_SPAN_CORE = ("start", "end", "token_start", "token_end", "label")
_REL_KEYS = ("head", "child", "head_span", "child_span", "label")
# top-level keys that the model owns; everything else stays in Annotation.task
_OWNED = ("text", "tokens", "spans", "relations", "meta", "clusters", "sentences", "paragraphs")
_NO_KIND = "_no_kind"  # marks a span read without a "kind" key, so it is written back without
# marks span keys that were given as null (or "attrs" given as {}), so they are written back
_NULL_KEYS = "_null_keys"
_MARKERS = (_NO_KIND, _NULL_KEYS)
_NULLABLE = (
    "token_start",
    "token_end",
    "text",
    "id",
    "mention_type",
    "head_start",
    "head_end",
    "cluster",
)
_TOKEN_KEYS = ("text", "start", "end", "id", "ws")
# the same as sets, for the fast paths' one-call "no unknown key" checks
_SPAN_KEY_SET = frozenset(_SPAN_KEYS)
_SPAN_CORE_SET = frozenset(_SPAN_CORE)
_REL_KEY_SET = frozenset(_REL_KEYS)
_OWNED_SET = frozenset(_OWNED)
_TOKEN_KEY_SET = frozenset(_TOKEN_KEYS)
#: offsets and ids are int64 arrays downstream
INT64_MIN, INT64_END = -(2**63), 2**63


class _Owned:
    """Stands in ``Annotation.task`` for a key the model owns, to keep top-level key order.

    One instance; copying or pickling an Annotation keeps it the same object, so
    ``copy.deepcopy(ann)`` still writes back the same task.
    """

    def __copy__(self) -> _Owned:
        return self

    def __deepcopy__(self, memo: dict) -> _Owned:
        return self

    def __reduce__(self) -> str:
        return "_PLACEHOLDER"

    def __repr__(self) -> str:
        return "<owned by the model>"


_PLACEHOLDER = _Owned()


class _TokenKeys:
    """Stands in ``Annotation.task["tokens"]`` when tokens had keys :class:`Token` cannot
    hold (``"disabled": true`` from rel.manual, a missing ``id``): kept here, by token
    index, and put back on writing. ``Token`` stays a small frozen record."""

    def __init__(self, extras: dict[int, dict[str, Any]], no_id: set[int]):
        self.extras = extras
        self.no_id = no_id

    def apply(self, tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for i, t in enumerate(tokens):
            if i in self.no_id and t.get("id") == i:
                del t["id"]
            t.update(self.extras.get(i, {}))
        return tokens

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _TokenKeys) and (self.extras, self.no_id) == (
            other.extras,
            other.no_id,
        )

    def __repr__(self) -> str:
        return f"<owned by the model, token extras {self.extras!r}>"


def stable_hash(*parts: Any) -> int:
    """A deterministic signed 32-bit id, shaped like Prodigy's hashes (which are opaque
    and cannot be recomputed outside Prodigy, so new tasks get these instead)."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(h[:4], "big", signed=True)


def _int(value: Any, field: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(Problem(f"expected an integer, got {value!r}", field=field))
    if not INT64_MIN <= value < INT64_END:
        raise FormatError(Problem(f"{value} is out of range (offsets must fit int64)", field=field))
    return value

"""The annotation schema, loaded from ``annotations/schema.json``.

One source of truth for entity labels, mention types, event types with their roles and the
entity labels that may fill each role, attribute vocabularies and label maps to other label
sets (CoNLL-2003, ACE 2005, OntoNotes 5). The validator, the scorer, the guidelines and
the exports all read it through :func:`load_schema`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsgold.errors import FormatError, Problem

DEFAULT_SCHEMA = Path("annotations") / "schema.json"


@dataclass(frozen=True)
class Schema:
    raw: dict[str, Any] = field(repr=False)

    @property
    def entity_labels(self) -> list[str]:
        return list(self.raw["entity_labels"])

    @property
    def value_labels(self) -> list[str]:
        return list(self.raw.get("value_labels", []))

    @property
    def timex_labels(self) -> list[str]:
        return list(self.raw.get("timex_labels", ["DATE", "TIME"]))

    @property
    def mention_types(self) -> list[str]:
        return list(self.raw["mention_types"])

    @property
    def span_kinds(self) -> list[str]:
        return list(self.raw["span_kinds"])

    @property
    def event_types(self) -> list[str]:
        return list(self.raw["event_types"])

    @property
    def plover_types(self) -> list[str]:
        return list(self.raw.get("plover_types", {}))

    def attribute_values(self, kind: str, name: str) -> list[str] | None:
        """Allowed values of attribute ``name`` on spans of ``kind`` (None: free text)."""
        values = self.raw["attributes"].get(kind, {}).get(name)
        return list(values) if isinstance(values, list) else None

    def attribute_names(self, kind: str) -> list[str]:
        return list(self.raw["attributes"].get(kind, {}))

    def required_attributes(self, kind: str) -> list[str]:
        return list(self.raw.get("required_attributes", {}).get(kind, []))

    @property
    def timex_value_pattern(self) -> re.Pattern[str]:
        return re.compile(self.raw["timex_value_pattern"])

    def _fillers(self, spec: str | list[str]) -> list[str]:
        if isinstance(spec, str):
            return list(self.raw["role_fillers"][spec])
        return list(spec)

    def roles(self, event_type: str) -> dict[str, list[str]]:
        """Roles of an ERE or PLOVER event type, each with the entity labels that may fill it."""
        spec = self.raw["event_types"].get(event_type) or self.raw.get("plover_types", {}).get(
            event_type
        )
        if spec is None:
            return {}
        return {role: self._fillers(f) for role, f in spec["roles"].items()}

    def is_event_type(self, label: str) -> bool:
        return label in self.raw["event_types"] or label in self.raw.get("plover_types", {})

    @property
    def label_maps(self) -> dict[str, dict[str, str | None]]:
        return {k: dict(v) for k, v in self.raw.get("label_maps", {}).items()}

    def label_map(self, name: str) -> dict[str, str | None]:
        maps = self.raw.get("label_maps", {})
        if name not in maps:
            raise FormatError(
                Problem(
                    f"unknown label map {name!r}; the schema has {sorted(maps)}", field="label_maps"
                )
            )
        return dict(maps[name])


def _check(raw: Any, path: str) -> None:
    need = (
        "entity_labels",
        "mention_types",
        "span_kinds",
        "attributes",
        "event_types",
        "role_fillers",
    )
    if not isinstance(raw, dict):
        raise FormatError(Problem("schema must be a JSON object", file=path))
    missing = [k for k in need if k not in raw]
    if missing:
        raise FormatError(Problem(f"schema lacks {', '.join(missing)}", file=path))
    for etype, spec in {**raw["event_types"], **raw.get("plover_types", {})}.items():
        for role, filler in spec.get("roles", {}).items():
            if isinstance(filler, str) and filler not in raw["role_fillers"]:
                raise FormatError(
                    Problem(
                        f"role {role} of {etype} uses undefined filler {filler}",
                        file=path,
                        field=f"event_types.{etype}.roles.{role}",
                    )
                )


@lru_cache(maxsize=8)
def _load(path: str) -> Schema:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise FormatError(Problem(f"cannot read schema: {exc.strerror}", file=path)) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            Problem(f"malformed JSON: {exc.msg}", file=path, line=exc.lineno)
        ) from None
    _check(raw, path)
    return Schema(raw)


def load_schema(path: str | Path | None = None) -> Schema:
    """Load the schema (default ``annotations/schema.json``, else the packaged copy)."""
    if path is None:
        path = DEFAULT_SCHEMA if DEFAULT_SCHEMA.exists() else Path(__file__).parent / "schema.json"
    return _load(str(Path(path).resolve()))

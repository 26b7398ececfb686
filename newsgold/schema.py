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
        return {role: self._fillers(f) for role, f in spec.get("roles", {}).items()}

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


#: top-level keys every schema has
REQUIRED = (
    "entity_labels",
    "mention_types",
    "span_kinds",
    "attributes",
    "event_types",
    "role_fillers",
)


def _names(value: Any) -> bool:
    """A label set: a list of strings, or an object of label -> description."""
    if isinstance(value, dict):
        return all(isinstance(k, str) for k in value)
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def _type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )


def problems(raw: Any, path: str) -> list[Problem]:
    """Every way ``raw`` is not a schema, each naming its field (empty: a usable schema).

    >>> [p.field for p in problems({"entity_labels": 3}, "s.json")][:2]
    ['entity_labels', 'mention_types']
    """
    if not isinstance(raw, dict):
        return [Problem(f"schema must be a JSON object, not {_type(raw)}", file=path)]
    out: list[Problem] = []

    def bad(field: str, message: str) -> None:
        out.append(Problem(message, file=path, field=field))

    for key in REQUIRED:
        if key not in raw:
            bad(key, "missing: every schema has it")
    for key in ("entity_labels", "mention_types", "span_kinds", "value_labels", "timex_labels"):
        if key in raw and not _names(raw[key]):
            bad(key, f"expected a list of labels (or label -> description), got {_type(raw[key])}")
    fillers = raw.get("role_fillers", {})
    if not isinstance(fillers, dict):
        bad("role_fillers", f"expected an object of name -> labels, got {_type(fillers)}")
        fillers = {}
    for name, labels in fillers.items():
        if not _names(labels):
            bad(f"role_fillers.{name}", f"expected a list of labels, got {_type(labels)}")
    attributes = raw.get("attributes", {})
    if not isinstance(attributes, dict):
        bad("attributes", f"expected an object of span kind -> attributes, got {_type(attributes)}")
        attributes = {}
    for kind, attrs in attributes.items():
        if not isinstance(attrs, dict):
            bad(f"attributes.{kind}", f"expected an object of name -> values, got {_type(attrs)}")
            continue
        for name, values in attrs.items():
            # a flag attribute lists its one value, true (attribution); others list strings
            flag = values == [True]
            if not (isinstance(values, str) or _names(values) or flag):
                bad(
                    f"attributes.{kind}.{name}",
                    "expected a list of allowed values or a string describing free text, "
                    f"got {_type(values)}",
                )
    required = raw.get("required_attributes", {})
    if not isinstance(required, dict):
        bad("required_attributes", f"expected an object, got {_type(required)}")
        required = {}
    for kind, names in required.items():
        if not _names(names):
            bad(f"required_attributes.{kind}", f"expected a list of names, got {_type(names)}")
    for key in ("event_types", "plover_types"):
        types = raw.get(key, {})
        if not isinstance(types, dict):
            bad(key, f"expected an object of event type -> spec, got {_type(types)}")
            continue
        for etype, spec in types.items():
            f = f"{key}.{etype}"
            if not isinstance(spec, dict):
                bad(f, f'expected an object {{"roles": {{...}}}}, got {_type(spec)}')
                continue
            roles = spec.get("roles", {})
            if not isinstance(roles, dict):
                bad(f + ".roles", f"expected an object of role -> fillers, got {_type(roles)}")
                continue
            for role, filler in roles.items():
                if isinstance(filler, str):
                    if filler not in fillers:
                        bad(f"{f}.roles.{role}", f"uses undefined filler {filler}")
                elif not _names(filler):
                    bad(
                        f"{f}.roles.{role}",
                        f"expected a role_fillers name or a list of labels, got {_type(filler)}",
                    )
    if "timex_value_pattern" in raw:
        pattern = raw["timex_value_pattern"]
        if not isinstance(pattern, str):
            bad("timex_value_pattern", f"expected a regular expression, got {_type(pattern)}")
        else:
            try:
                re.compile(pattern)
            except (re.error, RecursionError, OverflowError) as exc:
                bad("timex_value_pattern", f"not a valid regular expression: {exc}")
    maps = raw.get("label_maps", {})
    if not isinstance(maps, dict):
        bad("label_maps", f"expected an object of name -> mapping, got {_type(maps)}")
        maps = {}
    for name, mapping in maps.items():
        if not isinstance(mapping, dict):
            bad(f"label_maps.{name}", f"expected an object of label -> label, got {_type(mapping)}")
            continue
        for label, target in mapping.items():
            if target is not None and not isinstance(target, str):
                bad(f"label_maps.{name}.{label}", f"expected a label or null, got {_type(target)}")
    return out


def _check(raw: Any, path: str) -> None:
    found = problems(raw, path)
    if found:
        raise FormatError(found)


@lru_cache(maxsize=8)
def _load(path: str) -> Schema:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FormatError(Problem(f"cannot read schema: {exc.strerror}", file=path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(
            Problem(
                f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "save the schema as UTF-8",
                file=path,
            )
        ) from None
    try:
        raw = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise FormatError(
            Problem(f"malformed JSON: {exc.msg}", file=path, line=exc.lineno)
        ) from None
    except RecursionError:
        raise FormatError(Problem("malformed JSON: nested too deeply", file=path)) from None
    _check(raw, path)
    return Schema(raw)


def load_schema(path: str | Path | None = None) -> Schema:
    """Load and check the schema (default: the project's ``annotations/schema.json``, found
    as :mod:`newsgold.paths` says, else the packaged copy); a malformed schema is an error
    naming each bad field."""
    if path is None:
        from newsgold.paths import SCHEMA, default_file

        path = default_file(SCHEMA, "--schema")
    return _load(str(Path(path).resolve()))

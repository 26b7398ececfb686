"""Stored system outputs: ``evaluate/systems/<name>/`` with the output and ``system.json``.

``system.json`` says how the output was produced::

    {"name": "gazetteer", "version": "0.1.0", "layers": ["entities"],
     "command": "newsgold benchmark", "date": "2026-12-01",
     "corpus_sha256": "...", "output": "predictions.jsonl", "format": "prodigy",
     "description": "...", "runnable": true}

``output`` names the output file (or brat folder) inside the system's folder, in any
format ``newsgold score`` reads (``format`` may be omitted: it is detected). A runnable
system's stored output is reused while ``corpus_sha256`` is the hash of the corpus file and
``version`` is the system's version; a stored-only system (``runnable`` false: an LLM's
answers, a GPU model's output) is scored as it is, with a note when it ran on another
corpus. Outputs are written atomically and never over a stored-only system's files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import write_jsonl, write_text_atomic
from newsgold.formats.prodigy import annotation_to_task
from newsgold.model import Annotation

SYSTEM_JSON = "system.json"
OUTPUT = "predictions.jsonl"
REQUIRED = ("name", "version", "command", "date", "corpus_sha256", "output")


@dataclass
class StoredSystem:
    """A system's folder and what its ``system.json`` says."""

    folder: Path
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.info["name"])

    @property
    def output(self) -> Path:
        return self.folder / str(self.info["output"])

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(self.info.get("layers") or ("entities",))

    @property
    def runnable(self) -> bool:
        return bool(self.info.get("runnable", False))

    def fresh(self, corpus_sha256: str, version: str | None = None) -> bool:
        """True when the output exists and was made on this corpus (and version)."""
        if not self.output.exists() or self.info.get("corpus_sha256") != corpus_sha256:
            return False
        return version is None or self.info.get("version") == version


def read_system(folder: str | Path) -> StoredSystem:
    """Read ``folder/system.json``; an error naming the file and field when it is bad."""
    folder = Path(folder)
    path = folder / SYSTEM_JSON
    try:
        info = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise NewsgoldError(Problem(f"malformed JSON: {exc}", file=str(path))) from None
    if not isinstance(info, dict):
        raise NewsgoldError(Problem("expected a JSON object", file=str(path)))
    missing = [k for k in REQUIRED if not info.get(k)]
    if missing:
        raise NewsgoldError([Problem("missing or empty", file=str(path), field=k) for k in missing])
    if "/" in str(info["output"]) or str(info["output"]).startswith("."):
        raise NewsgoldError(
            Problem("must name a file inside the folder", file=str(path), field="output")
        )
    return StoredSystem(folder, info)


def stored_systems(root: str | Path) -> list[StoredSystem]:
    """Every ``<root>/<name>/system.json``, sorted by folder name."""
    root = Path(root)
    if not root.is_dir():
        return []
    return [read_system(p.parent) for p in sorted(root.glob(f"*/{SYSTEM_JSON}"))]


def write_output(
    folder: str | Path,
    annotations: list[Annotation],
    *,
    name: str,
    version: str,
    layers: tuple[str, ...],
    corpus_sha256: str,
    command: str,
    description: str = "",
    details: dict[str, Any] | None = None,
    today: str | None = None,
) -> StoredSystem:
    """Write a runnable system's predictions (Prodigy JSONL) and its ``system.json``.

    Refuses to write into a folder whose ``system.json`` says it is stored-only (not
    ``runnable``) or names another system: those files are someone's data.
    """
    folder = Path(folder)
    meta_path = folder / SYSTEM_JSON
    if meta_path.exists():
        old = read_system(folder)
        if not old.runnable or old.name != name:
            raise NewsgoldError(
                Problem(
                    f"holds the stored output of {old.name!r} (not runnable by this run); "
                    "not overwritten",
                    file=str(meta_path),
                )
            )
    write_jsonl(folder / OUTPUT, (annotation_to_task(a) for a in annotations))
    info = {
        "name": name,
        "version": version,
        "layers": list(layers),
        "command": command,
        "date": today or dt.date.today().isoformat(),
        "corpus_sha256": corpus_sha256,
        "output": OUTPUT,
        "format": "prodigy",
        "runnable": True,
        "description": description,
        **({"details": details} if details else {}),
    }
    write_text_atomic(meta_path, orjson.dumps(info, option=orjson.OPT_INDENT_2).decode() + "\n")
    return StoredSystem(folder, info)


__all__ = ["OUTPUT", "SYSTEM_JSON", "StoredSystem", "read_system", "stored_systems", "write_output"]

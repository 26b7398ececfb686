"""Many documents made from the bundled one, for tests that validate or count large files.

Copy ``i`` has doc_id ``s0000i`` and a text made distinct by toggling the case of the
letters picked by the bits of ``i`` (offsets, tokens, sentences unchanged, so the copy of the
gold task stays valid gold); :func:`break_task` spoils a task in one of several ways the
validator reports.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from newsgold.formats.jsonl import iter_jsonl
from newsgold.formats.prodigy import stable_hash

ROOT = Path(__file__).resolve().parent.parent

#: how a task is spoilt: each is found by the validator (a label, an offset off the tokens,
#: the text, the document lookup) or tests the lookup by text
BREAKS = ("label", "offset", "text", "unknown", "no-doc-id", "answer")


def _first(path: Path) -> dict[str, Any]:
    for _, obj, problem in iter_jsonl(path):
        assert problem is None, problem
        return obj
    raise AssertionError(f"{path} is empty")


def _variant(text: str, i: int) -> str:
    letters = [k for k, ch in enumerate(text) if ch.isascii() and ch.isalpha()]
    chars = list(text)
    for bit in range(min(16, len(letters))):
        if i >> bit & 1:
            k = letters[bit * 7 % len(letters)]
            chars[k] = chars[k].swapcase()
    return "".join(chars)


def copies(n: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``n`` corpus documents (JSON) and ``n`` valid gold tasks, one per document."""
    docs, tasks = [], []
    for doc, task in iter_copies(n):
        docs.append(doc)
        tasks.append(task)
    return docs, tasks


def iter_copies(n: int) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """:func:`copies` one pair at a time (``scripts/bench_scale.py --gold bundled`` writes
    thousands)."""
    doc0 = _first(ROOT / "corpus" / "documents.jsonl")
    task0 = _first(ROOT / "annotations" / "gold.jsonl")
    for i in range(n):
        text = _variant(doc0["text"], i + 1)
        doc_id = f"s{i:05d}"
        doc, task = copy.deepcopy(doc0), copy.deepcopy(task0)
        for obj in (doc, task):
            obj["text"] = text
            for t in obj["tokens"]:
                t["text"] = text[t["start"] : t["end"]]
            obj["meta"]["doc_id"] = doc_id
            obj["_input_hash"] = stable_hash(text)
        for s in task["spans"]:
            if "text" in s:
                s["text"] = text[s["start"] : s["end"]]
        yield doc, task


def break_task(task: dict[str, Any], how: str, k: int = 0) -> dict[str, Any]:
    """A copy of ``task`` spoilt as ``how`` says (one of :data:`BREAKS`), at span ``k``."""
    task = copy.deepcopy(task)
    span = task["spans"][k % len(task["spans"])]
    if how == "label":
        span["label"] = "NOT-A-LABEL"
    elif how == "offset":
        span["end"] += 1
    elif how == "text":
        task["text"] = task["text"][:-1] + "?"
    elif how == "unknown":
        task["meta"]["doc_id"] = "no-such-document"
    elif how == "no-doc-id":
        del task["meta"]["doc_id"]
    elif how == "answer":
        task["answer"] = "maybe"
    else:
        raise ValueError(how)
    return task


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path

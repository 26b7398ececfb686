"""Recognising an input's format, and saying what is wrong when it cannot be read at all.

:func:`detect_format` looks at the path (a folder of ``.ann`` files is brat; ``.spacy`` and
zlib/gzip magic bytes are a spaCy DocBin; CoNLL extensions are conll) and else at the first
non-blank line: JSON lines go to the detectors of :mod:`newsgold.formats.registry`; a
``-DOCSTART-`` or ``token ... TAG`` line is conll.

A first line that is broken is reported as what it is, with its line number and, where
it can be found, the field (issue 8, §5): a truncated or malformed JSON line, a lone
UTF-16 surrogate (as a ``\\ud800`` escape or as the bytes Python's ``surrogatepass``
writes), nesting deeper than a JSON parser accepts, a UTF-16 encoded file, a file that is
not UTF-8. None of these is called "cannot tell the format" or a bad DocBin.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from newsgold.errors import FormatError, Problem
from newsgold.formats.registry import FORMATS, detect_json

_CONLL_EXT = {".conll", ".conll03", ".conllu", ".bio", ".iob", ".iob1", ".iob2", ".bioes"}
_CONLL_EXT |= {".bilou", ".ner", ".tsv", ".col"}
_TAG = re.compile(r"^(?:O|[BIESLU]-\S+)$")
#: orjson's (and RFC 8259 parsers') practical nesting limit
MAX_DEPTH = 1024


def _is_zlib(head: bytes) -> bool:
    # RFC 1950: CMF 0x78 (deflate, 32K window) and (CMF*256 + FLG) divisible by 31; a text
    # file that merely starts with "x" fails the check on its second byte
    return len(head) >= 2 and head[0] == 0x78 and (head[0] * 256 + head[1]) % 31 == 0


def _fail(message: str, path: Path, *, line: int | None = None, field: str | None = None):
    raise FormatError(Problem(message, file=str(path), line=line, field=field))


def _surrogate_field(line: str) -> str | None:
    """The dotted path of the first string holding a lone surrogate, via the stdlib
    parser (which, unlike orjson, accepts them)."""
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        return None

    def walk(x: Any, where: str) -> str | None:
        if isinstance(x, str):
            return where if any(0xD800 <= ord(c) <= 0xDFFF for c in x) else None
        if isinstance(x, dict):
            for k, v in x.items():
                sub = f"{where}.{k}" if where else str(k)
                if any(0xD800 <= ord(c) <= 0xDFFF for c in str(k)):
                    return sub
                found = walk(v, sub)
                if found:
                    return found
        if isinstance(x, list):
            for i, v in enumerate(x):
                found = walk(v, f"{where}[{i}]")
                if found:
                    return found
        return None

    return walk(obj, "")


def _deep_field(line: str, limit: int = MAX_DEPTH) -> str | None:
    """The top-level key under which brackets nest deeper than ``limit`` (or ``"(top)"``
    for a top-level array), by a scan that skips strings; None if nesting stays within."""
    depth, key, in_str, esc, last_str, start = 0, None, False, False, "", 0
    for i, c in enumerate(line):
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str, last_str = False, line[start:i]
            continue
        if c == '"':
            in_str, start = True, i + 1
        elif c == ":" and depth == 1:
            key = last_str
        elif c in "[{":
            depth += 1
            if depth > limit:
                return key or "(top)"
        elif c in "]}":
            depth -= 1
    return None


def _whole_file_is_json(path: Path, limit: int = 64_000_000) -> bool:
    import orjson

    if path.stat().st_size > limit:
        return False
    try:
        orjson.loads(path.read_bytes())
    except ValueError:
        return False
    return True


def _diagnose_json(first: str, raw: bytes, n: int, path: Path, exc: Exception) -> None:
    """Raise the error that says what is wrong with a first line that looks like JSON."""
    deep = _deep_field(first)
    if deep is not None:
        _fail(f"JSON nested deeper than {MAX_DEPTH} levels", path, line=n, field=deep)
    where = _surrogate_field(first)
    if where is not None:
        _fail(
            "a lone UTF-16 surrogate escape (\\ud800-\\udfff without its pair) is not text",
            path,
            line=n,
            field=where or None,
        )
    if _whole_file_is_json(path):
        _fail(
            "the file is one JSON value spread over several lines, not JSON lines: write "
            "one object per line (for a list: jq -c '.[]')",
            path,
            line=n,
        )
    if not raw.endswith(b"\n"):
        _fail(f"the line is truncated (malformed JSON: {exc})", path, line=n)
    _fail(f"malformed JSON: {exc}", path, line=n)


def detect_format(path: str | Path) -> str:
    """Guess the format of ``path`` (see the module docstring), or raise a
    :class:`~newsgold.errors.FormatError` saying what was tried or what is broken.

    >>> detect_format("tests/data/formats/system.iob1.conll")  # doctest: +SKIP
    'conll'
    """
    import orjson

    path = Path(path)
    tried = []
    if path.is_dir():
        if any(path.rglob("*.ann")):
            return "brat"
        _fail("a folder but not a brat folder: it holds no .ann files", path)
    if not path.exists():
        _fail("no such file or folder", path)
    ext = path.suffix.lower()
    if ext == ".spacy":
        return "spacy"
    from newsgold.formats.conll2012 import looks_like

    if looks_like(path):
        return "conll2012"
    if ext in _CONLL_EXT:
        return "conll"
    tried.append(f"the extension {ext or '(none)'!r} does not decide it")
    with path.open("rb") as fh:
        head = fh.read(512)
        quarter = len(head) // 4
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (
            b"\x00" in head and (head[1::2].count(0) > quarter or head[0::2].count(0) > quarter)
        ):
            _fail("the file is UTF-16 encoded; save it as UTF-8", path, line=1)
        if _is_zlib(head) or head[:2] == b"\x1f\x8b":
            return "spacy"  # DocBin files are zlib-compressed msgpack: binary from byte one
        if b"\x00" in head:
            _fail("a binary file (NUL bytes), neither text nor a spaCy DocBin", path, line=1)
        fh.seek(0)
        # the first non-blank line, whole: a Prodigy task with tokens can be very long
        n, first_raw = 0, b""
        for n, ln in enumerate(fh, start=1):  # noqa: B007
            if ln.strip():
                first_raw = ln
                break
    try:
        first = first_raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = first_raw[exc.start : exc.start + 3]
        what = (
            "a lone UTF-16 surrogate encoded as bytes"
            if bad[:1] == b"\xed" and len(bad) > 1 and bad[1] >= 0xA0
            else f"byte 0x{first_raw[exc.start]:02x}"
        )
        _fail(f"not UTF-8: {what} at column {exc.start + 1}; save the file as UTF-8", path, line=n)
    first = first.lstrip("\ufeff")
    if first.strip() == "[" and _is_mention_list(_whole_json(path)):
        return "text"  # a pretty-printed bare list of text-only mentions
    if first.startswith(("{", "[")):
        try:
            obj = orjson.loads(first)
        except ValueError as exc:
            _diagnose_json(first, first_raw, n, path, exc)
        if _is_mention_list(obj):
            return "text"  # one bare list of text-only mentions per line
        found = detect_json(obj)
        if found is not None:
            return found
        if isinstance(obj, dict):
            tried.append(f"the first line's keys {sorted(obj)} fit no JSON format")
        else:
            tried.append(f"the first line is a JSON {type(obj).__name__}, not an object")
    elif first.split()[:1] == ["-DOCSTART-"] or (
        len(first.split()) >= 2 and _TAG.match(first.split()[-1])
    ):
        return "conll"
    else:
        tried.append(f"the first line {first[:40]!r} is neither JSON nor 'token ... TAG'")
    _fail("cannot tell the format: " + "; ".join(tried) + f"; pass format= one of {FORMATS}", path)
    raise AssertionError  # unreachable: _fail raises


# -- bare lists of text-only mentions (LLM output): [{"text": "Putin", "label": "PERSON"}]


def _is_mention_list(value: object) -> bool:
    """A list whose first item is a mention given as a string (``text``, no offsets and no
    pipeline tag): text-only output, not a Hugging Face pipeline's list."""
    if not isinstance(value, list) or not value or not isinstance(value[0], dict):
        return False
    item = value[0]
    return "text" in item and not {"start", "end", "entity", "entity_group", "score"} & set(item)


def _whole_json(path: Path, limit: int = 64 << 20) -> object:
    """The whole file parsed as one JSON value (None when too large or not JSON)."""
    import orjson

    if path.stat().st_size > limit:
        return None
    try:
        return orjson.loads(path.read_bytes().lstrip(b"\xef\xbb\xbf"))
    except ValueError:
        return None

"""Reading a raw seed article: its ``date YYYY-MM-DD`` header and its text.

A seed is kept byte for byte in ``seeds/``; the document text is the seed without its
header. Decisions for unusual seeds (each tested in ``tests/test_seeds.py``):

* a UTF-8 byte-order mark is not text: it is dropped and ``meta.normalised`` says so;
* CRLF (and lone CR) line ends become LF, recorded in ``meta.normalised``, so that
  offsets agree with what every tool reading the corpus text sees;
* bytes that are not UTF-8, a missing header, an impossible date or an empty body are
  errors naming the file (and, for bad bytes, the byte offset), never guessed around.

Nothing else in the text changes: no quote, whitespace or Unicode normalisation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from newsgold.errors import FormatError, Problem

# matched on the file as decoded, before line ends are normalised, so that text_offset
# counts the characters of the file itself
HEADER = re.compile(r"\A[ \t]*date[ \t]+(\d{4})-(\d{2})-(\d{2})(?:[ \t]+|[ \t]*(?:\r\n|\r|\n)|\Z)")


@dataclass
class Seed:
    doc_id: str
    text: str
    date: str
    sha256: str
    source: str
    # characters of the decoded file (a BOM counts as one) before the text: the text is
    # file[text_offset:] with line ends normalised
    text_offset: int
    normalised: list[str] = field(default_factory=list)


def read_seed(path: str | Path, *, root: str | Path | None = None) -> Seed:
    """Parse one seed file into its text and metadata.

    >>> seed = read_seed("seeds/000_e2a7510a474f58d9.txt")  # doctest: +SKIP
    >>> seed.date
    '2021-12-01'
    """
    path = Path(path)
    source = str(path.relative_to(root)) if root is not None else str(path)
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    normalised = []
    body = raw
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
        normalised.append("bom-removed")
    elif body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(
            Problem("file is UTF-16 (byte-order mark found); seeds must be UTF-8", file=source)
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(
            Problem(
                f"not UTF-8: byte 0x{body[exc.start]:02x} at byte offset {exc.start}; "
                "re-encode the seed as UTF-8 (it is not guessed)",
                file=source,
            )
        ) from None
    m = HEADER.match(text)
    if m is None:
        first = (text.splitlines() or [""])[0][:40]
        raise FormatError(
            Problem(
                f"no ' date YYYY-MM-DD ' header at the start of the first line (found {first!r})",
                file=source,
                line=1,
            )
        )
    year, month, day = (int(g) for g in m.groups())
    try:
        date = dt.date(year, month, day).isoformat()
    except ValueError as exc:
        raise FormatError(
            Problem(
                f"impossible date {m.group(1)}-{m.group(2)}-{m.group(3)}: {exc}",
                file=source,
                line=1,
            )
        ) from None
    body_text = text[m.end() :]
    if "\r" in body_text:
        body_text = body_text.replace("\r\n", "\n").replace("\r", "\n")
        normalised.append("newlines-to-lf")
    if not body_text.strip():
        raise FormatError(Problem("the article body is empty", file=source))
    offset = m.end() + (1 if "bom-removed" in normalised else 0)
    return Seed(
        doc_id=path.stem,
        text=body_text,
        date=date,
        sha256=sha,
        source=source,
        text_offset=offset,
        normalised=normalised,
    )

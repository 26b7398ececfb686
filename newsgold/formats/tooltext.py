"""What every annotation tool's reader shares: offsets of the tool's own copy of the text
mapped to corpus offsets, and finding the corpus document an exported task is for.

* **UTF-16**: JavaScript strings count UTF-16 code units, so a character outside the Basic
  Multilingual Plane (an emoji) counts two in a browser tool (Label Studio) and one in
  Python. ``units="utf16"`` maps such offsets to code points; an offset inside a surrogate
  pair is an error.
* **CRLF**: a tool that was given CRLF text counts each ``\\r``; the corpus turned CRLF
  (and lone CR) into LF, so offsets move back by the number of ``\\r`` removed before them.
* A combining accent (``e`` + U+0301) is two code points in Python and two code units in
  UTF-16: nothing to convert, but never normalise (NFC would shift every later offset).

>>> t = ToolText("a\\U0001f600b\\r\\nc", units="utf16")
>>> t.text, t.offset(3), t.offset(6)
('a\\U0001f600b\\nc', 2, 4)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field

from newsgold.errors import Problem
from newsgold.model import Annotation, Document


class OffsetError(ValueError):
    """An offset that points into the middle of a character (a surrogate pair)."""


class ToolText:
    """A tool's copy of a document text and the map from its offsets to corpus offsets."""

    def __init__(self, raw: str, units: str = "codepoints"):
        if units not in ("codepoints", "utf16"):
            raise ValueError(f"units must be codepoints or utf16, not {units!r}")
        self.raw = raw
        self.units = units
        self._cr = [i for i, ch in enumerate(raw) if ch == "\r" and raw[i + 1 : i + 2] == "\n"]
        self.text = raw.replace("\r\n", "\n").replace("\r", "\n")
        self._wide: list[int] = []  # UTF-16 unit index of each character outside the BMP
        if units == "utf16":
            pos = 0
            for ch in raw:
                if ord(ch) > 0xFFFF:
                    self._wide.append(pos)
                    pos += 2
                else:
                    pos += 1
            self.length = pos
        else:
            self.length = len(raw)

    def raw_offset(self, offset: int) -> int:
        """A tool offset -> a code-point offset of the tool's raw text."""
        if self.units == "codepoints":
            return offset
        k = bisect_left(self._wide, offset)  # wide characters wholly before ``offset``
        if k > 0 and self._wide[k - 1] == offset - 1:
            raise OffsetError(f"offset {offset} falls inside a surrogate pair")
        return offset - k

    def offset(self, offset: int) -> int:
        """A tool offset -> a corpus offset (code points, CRLF read as LF)."""
        cp = self.raw_offset(offset)
        return cp - bisect_left(self._cr, cp)

    def covered(self, start: int, end: int) -> str:
        """The raw text between two tool offsets (what the tool showed as selected)."""
        return self.raw[self.raw_offset(start) : self.raw_offset(end)]


@dataclass
class Imported:
    """One annotation read from a tool's export, on a corpus document.

    ``annotator`` tells several annotators apart (Prodigy ``_annotator_id``, Label Studio
    ``completed_by``, doccano ``user``); ``answer`` is Prodigy's accept/reject/ignore (a
    cancelled Label Studio annotation is ``ignore``); ``where`` names the place in the file;
    ``order`` sorts several versions by one annotator (a timestamp when the tool gives one).
    """

    annotation: Annotation
    annotator: str | None
    where: str
    answer: str = "accept"
    order: float = 0.0
    warnings: list[Problem] = field(default_factory=list)


def find_document(
    corpus: Mapping[str, Document], doc_id: object, text: str
) -> tuple[Document | None, str]:
    """The corpus document of an exported task, by doc_id (its text must then equal the
    corpus text), else by its text; with the reason when there is none."""
    if doc_id is not None and str(doc_id) in corpus:
        doc = corpus[str(doc_id)]
        if doc.text != text:
            return None, f"the text differs from corpus document {doc_id}'s text"
        return doc, ""
    found = [d for d in corpus.values() if d.text == text]
    if len(found) == 1:
        return found[0], ""
    if len(found) > 1:
        return None, "the text matches several corpus documents; give a doc_id"
    how = f"doc_id {doc_id!r}" if doc_id is not None else "its text"
    return None, f"no corpus document matches (by {how}); add the article first"

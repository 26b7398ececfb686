"""Token-per-line CoNLL / BIO files -> entity mentions on the corpus text.

Layout: one token per line, columns separated by whitespace (or tabs: then a token may
hold spaces), the token in the first column and the tag in the **last** (so CoNLL-2003's
``word POS chunk NE`` and a plain ``token tag`` both work). A blank line ends a sentence;
no entity crosses it. Documents are split by ``-DOCSTART-`` lines (``-DOCSTART- -X- O O``,
``-DOCSTART- -X- -X- O``, or ``-DOCSTART- <doc_id>``: the first field after
``-DOCSTART-`` that is not ``-X-``/``O`` is the doc id, parentheses stripped) and by the
comment lines ``# newdoc id = X`` / ``# doc_id = X`` / ``#begin document (X)``. Other
``# key = value`` comment lines are skipped. A file with no split is one document.

Placing tokens: CoNLL loses whitespace, so each token is found by scanning the document
text from the end of the previous token, skipping whitespace; a token that is not next in
the text is an error naming its line (Penn Treebank escapes such as ``-LRB-`` and the
quotes `````/``''`` are accepted for ``(`` and ``"``/``“``/``”``). Text left over after the
last token is an error too (a truncated output). A document with a doc id is aligned to
that corpus document; one without is matched by its tokens joined without whitespace.

Tags: ``O``, or ``P-TYPE`` with prefix ``B I E S`` (``L``/``U`` are read as ``E``/``S``,
BILOU); a bare ``TYPE`` is read as ``I-TYPE`` (IO tagging). Decoding is lenient, with the
rules of seqeval's ``get_entities``: an entity starts at ``B-``/``S-``, at an ``I-``/``E-``
after ``O``, after ``E-``/``S-``, or after another type; it ends before ``O``, ``B-``,
``S-`` or another type, and after ``E-``/``S-``. So an ``I-`` after ``O`` starts an
entity (lenient IOB2), which also decodes IOB1 correctly.

``scheme`` (auto, iob1, iob2, bioes) therefore does not change the spans; it decides which
tags are reported (one warning, with lines) as breaking the scheme: for iob2 an ``I-``
that starts an entity, for iob1 a ``B-`` that does not follow the same type, for bioes an
``I-``/``E-`` that starts an entity or a ``B-``/``I-`` not followed by ``I-``/``E-`` of its
type. **auto** picks bioes when any ``E-``/``S-``/``L-``/``U-`` tag occurs; else iob1 when
some ``I-`` starts an entity (after ``O``, a sentence start or another type) and every
``B-`` follows a same-type ``I-``/``B-`` (the CoNLL-2003 original: B- only between
touching same-type entities); else iob2. The detected scheme is in the warnings when it is
iob1.

>>> decode([("B", "PER"), ("I", "PER"), ("O", ""), ("I", "LOC")])
[('PER', 0, 1), ('LOC', 3, 3)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from newsgold.formats.collect import Collector, squeeze
from newsgold.model import Document, Mention, Segment, Token

SCHEMES = ("auto", "iob1", "iob2", "bioes")
_PREFIX = {"B": "B", "I": "I", "E": "E", "S": "S", "L": "E", "U": "S"}
_DOC_COMMENT = re.compile(
    r"^#\s*(?:newdoc id|doc_id)\s*=\s*(\S+)\s*$|^#begin document \(?([^)\s;]+)\)?"
)
_COMMENT = re.compile(r"^#\s*[\w .-]+\s*=|^#end document|^#begin document")
_PTB = {
    "-LRB-": ("(",),
    "-RRB-": (")",),
    "-LSB-": ("[",),
    "-RSB-": ("]",),
    "-LCB-": ("{",),
    "-RCB-": ("}",),
    "``": ('"', "“", "‘‘"),
    "''": ('"', "”", "’’"),
}


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "`": "'"})


def _fold(s: str) -> str:
    return s.translate(_QUOTES).replace("''", '"')


@dataclass
class _Row:
    line: int
    token: str
    tag: tuple[str, str]  # (prefix, type), prefix in B I E S O


@dataclass
class _Block:
    doc_id: str | None
    line: int
    sentences: list[list[_Row]] = field(default_factory=list)

    def rows(self) -> list[_Row]:
        return [r for s in self.sentences for r in s]


def split_tag(tag: str) -> tuple[str, str] | None:
    """``"B-PER"`` -> ``("B", "PER")``; ``"O"`` -> ``("O", "")``; ``"PER"`` -> ``("I", "PER")``;
    ``"U-PER"`` -> ``("S", "PER")``; None when the tag cannot be read (``"B-"``)."""
    if tag == "O":
        return ("O", "")
    if len(tag) > 2 and tag[1] == "-" and tag[0] in _PREFIX:
        return (_PREFIX[tag[0]], tag[2:])
    if "-" not in tag[:2] and tag not in ("B", "I", "E", "S", "L", "U"):
        return ("I", tag)
    return None


def decode(tags: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """Entities ``(type, first, last)`` (token indices, last inclusive) of one sentence,
    decoded leniently with seqeval's rules (see the module docstring)."""
    out: list[tuple[str, int, int]] = []
    open_: tuple[str, int] | None = None
    for i, (p, t) in enumerate(tags):
        if p == "O":
            if open_ is not None:
                out.append((open_[0], open_[1], i - 1))
            open_ = None
            continue
        if p in ("B", "S") or open_ is None or open_[0] != t:
            if open_ is not None:
                out.append((open_[0], open_[1], i - 1))
            open_ = (t, i)
        if p in ("E", "S"):
            out.append((t, open_[1], i))
            open_ = None
    if open_ is not None:
        out.append((open_[0], open_[1], len(tags) - 1))
    return out


def _starts_entity(prev: tuple[str, str] | None, tag: tuple[str, str]) -> bool:
    """Whether an I-/E- tag opens an entity (nothing of its type is open before it)."""
    return prev is None or prev[0] in ("O", "E", "S") or prev[1] != tag[1]


def detect_scheme(sentences: list[list[tuple[str, str]]], raw_prefixes: set[str]) -> str:
    """The scheme ``auto`` picks (rule in the module docstring)."""
    if raw_prefixes & {"E", "S", "L", "U"}:
        return "bioes"
    i_starts = False
    b_legal_iob1 = True
    for tags in sentences:
        prev = None
        for tag in tags:
            if tag[0] == "I" and _starts_entity(prev, tag):
                i_starts = True
            if tag[0] == "B" and (prev is None or prev[0] not in ("I", "B") or prev[1] != tag[1]):
                b_legal_iob1 = False
            prev = tag
    return "iob1" if i_starts and b_legal_iob1 else "iob2"


def scheme_breaks(tags: list[tuple[str, str]], scheme: str) -> list[int]:
    """Indices of tags that break ``scheme`` (decoded leniently all the same)."""
    bad = []
    for i, tag in enumerate(tags):
        prev = tags[i - 1] if i else None
        nxt = tags[i + 1] if i + 1 < len(tags) else None
        p = tag[0]
        opens = p in ("I", "E") and _starts_entity(prev, tag)
        if scheme == "iob2":
            broken = (p == "I" and opens) or p in ("E", "S")
        elif scheme == "iob1":
            after_same = prev is not None and prev[0] in ("I", "B") and prev[1] == tag[1]
            broken = (p == "B" and not after_same) or p in ("E", "S")
        else:
            continued = nxt is not None and nxt[0] in ("I", "E") and nxt[1] == tag[1]
            broken = opens or (p in ("B", "I") and not continued)
        if broken:
            bad.append(i)
    return bad


def _doc_id_of_docstart(fields: list[str]) -> str | None:
    for f in fields[1:]:
        if f not in ("-X-", "O", "-"):
            return f.strip("()[]") or None
    return None


def _parse(path: Path, collector: Collector) -> tuple[list[_Block], set[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        collector.error(f"not UTF-8 (byte offset {exc.start}); save the file as UTF-8")
        return [], set()
    except OSError as exc:
        collector.error(f"cannot open: {exc.strerror}")
        return [], set()
    blocks: list[_Block] = []
    current = _Block(None, 1, [[]])
    raw_prefixes: set[str] = set()

    def new_block(doc_id: str | None, line: int) -> None:
        nonlocal current
        if current.rows() or current.doc_id is not None:
            blocks.append(current)
        current = _Block(doc_id, line, [[]])

    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            if current.sentences[-1]:
                current.sentences.append([])
            continue
        m = _DOC_COMMENT.match(stripped)
        if m:
            new_block(m.group(1) or m.group(2), n)
            continue
        if stripped.startswith("#") and _COMMENT.match(stripped):
            continue
        fields = [f.strip() for f in line.split("\t")] if "\t" in line else stripped.split()
        fields = [f for f in fields if f]
        if fields[0] == "-DOCSTART-":
            new_block(_doc_id_of_docstart(fields), n)
            continue
        if len(fields) < 2:
            collector.error(
                f"expected 'token ... TAG' (at least 2 columns), got {stripped[:40]!r}",
                line=n,
                field="tag",
            )
            continue
        tag = split_tag(fields[-1])
        if tag is None:
            collector.error(
                f"tag {fields[-1]!r} is not O, B-/I-/E-/S-/L-/U-TYPE or a bare TYPE",
                line=n,
                field="tag",
            )
            continue
        if len(fields[-1]) > 2 and fields[-1][1] == "-":
            raw_prefixes.add(fields[-1][0])
        current.sentences[-1].append(_Row(n, fields[0], tag))
    new_block(None, 0)
    for b in blocks:
        b.sentences = [s for s in b.sentences if s]
    return blocks, raw_prefixes


def _align(text: str, rows: list[_Row], collector: Collector, doc_id: str):
    """Character offsets of every row's token in ``text``, or None after an error."""
    spans = []
    pos = 0
    for r in rows:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        for form in (r.token, *_PTB.get(r.token, ())):
            if text.startswith(form, pos):
                spans.append((pos, pos + len(form)))
                pos += len(form)
                break
        else:
            collector.error(
                f"token {r.token!r} is not next in the document text: at character {pos} "
                f"it reads {text[pos : pos + 20]!r}",
                line=r.line,
                doc_id=doc_id,
                field="token",
            )
            return None
    if text[pos:].strip():
        collector.error(
            f"the tokens end at character {pos} but the document text goes on "
            f"({text[pos : pos + 20]!r}...): the output looks truncated",
            line=rows[-1].line if rows else None,
            doc_id=doc_id,
            field="token",
        )
        return None
    return spans


def read_conll(path: Path, collector: Collector, scheme: str = "auto") -> None:
    """Read a CoNLL/BIO file into ``collector`` (see the module docstring)."""
    if scheme not in SCHEMES:
        collector.error(f"unknown scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
        return
    blocks, raw_prefixes = _parse(path, collector)
    if collector.errors:
        return
    all_sentences = [[r.tag for r in s] for b in blocks for s in b.sentences]
    used = detect_scheme(all_sentences, raw_prefixes) if scheme == "auto" else scheme
    if scheme == "auto" and used == "iob1":
        collector.warn(
            "tags read as IOB1 (I- starts entities, B- only between touching same-type "
            "entities), the CoNLL-2003 original scheme"
        )
    breaks: list[int] = []
    folded: dict[str, list[str]] | None = None
    for block in blocks:
        rows = block.rows()
        doc_id, squeezed = block.doc_id, None
        if doc_id is None:
            # match by the tokens spelling the text; PTB escapes and quote styles folded
            if folded is None:
                folded = {}
                for k, d in collector.corpus.items():
                    folded.setdefault(_fold(squeeze(d.text)), []).append(k)
            found = folded.get(_fold("".join(_PTB.get(r.token, (r.token,))[0] for r in rows)))
            if found and len(found) == 1:
                doc_id = found[0]
            else:
                squeezed = "".join(r.token for r in rows)
        doc = collector.resolve(doc_id=doc_id, squeezed=squeezed, line=block.line or None)
        if doc is None:
            continue
        spans = _align(doc.text, rows, collector, doc.doc_id)
        if spans is None:
            continue
        mentions = []
        k = 0
        for sentence in block.sentences:
            tags = [r.tag for r in sentence]
            breaks.extend(sentence[i].line for i in scheme_breaks(tags, used))
            for label, first, last in decode(tags):
                start, end = spans[k + first][0], spans[k + last][1]
                if collector.check_span(doc, start, end, label, line=sentence[first].line):
                    mentions.append(Mention(start=start, end=end, label=label))
            k += len(sentence)
        collector.add(doc, mentions, where=f"{path}:{block.line or 1}")
    if breaks:
        shown = ", ".join(map(str, breaks[:10])) + (" ..." if len(breaks) > 10 else "")
        collector.warn(
            f"{len(breaks)} tag(s) break the {used} scheme and were decoded leniently "
            f"(an I- after O or another type starts an entity): lines {shown}",
            field="tag",
        )


def documents_from_conll(path: str | Path) -> dict[str, Document]:
    """The documents a CoNLL file spells, for when the CoNLL file *is* the reference (a gold
    in CoNLL, scored the way seqeval or conlleval would): tokens joined by one space,
    sentences by a newline, with the file's tokens and sentences kept. Doc ids come from
    ``-DOCSTART-``/comment lines, else ``doc1``, ``doc2``, ... in file order.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.conll"
    >>> _ = p.write_text("Putin B-PER\\nspoke O\\n\\nNATO B-ORG\\n", encoding="utf-8")
    >>> doc = documents_from_conll(p)["doc1"]
    >>> doc.text, len(doc.sentences)
    ('Putin spoke\\nNATO', 2)
    """
    from newsgold.errors import NewsgoldError

    collector = Collector({}, path, "conll")
    blocks, _ = _parse(Path(path), collector)
    if collector.errors:
        raise NewsgoldError(collector.errors)
    docs: dict[str, Document] = {}
    for n, block in enumerate(blocks, start=1):
        doc_id = block.doc_id or f"doc{n}"
        parts, tokens, sentences, pos = [], [], [], 0
        for sentence in block.sentences:
            first = len(tokens)
            start = pos
            for k, row in enumerate(sentence):
                tokens.append(Token(row.token, pos, pos + len(row.token), len(tokens), True))
                parts.append(row.token + (" " if k < len(sentence) - 1 else "\n"))
                pos += len(parts[-1])
            sentences.append(Segment(start, pos - 1, first, len(tokens) - 1))
        text = "".join(parts)[:-1]
        if tokens:
            last = tokens[-1]
            tokens[-1] = Token(last.text, last.start, last.end, last.id, False)
        docs[doc_id] = Document(
            doc_id, text, tokens, sentences, [], {"doc_id": doc_id, "source": str(path)}
        )
    return docs

"""CoNLL-2012 (OntoNotes ``*_conll``) files -> entity mentions and coreference clusters.

Layout, as the CoNLL-2011/2012 shared tasks and their reference scorer read it: documents
between ``#begin document (NAME); part NNN`` and ``#end document``; one token per line,
columns separated by whitespace: document, part, word number, **word**, POS, parse, lemma,
frameset, sense, speaker, **named entity**, predicate arguments ..., and **coreference** in
the last column. A blank line ends a sentence. A line with fewer than four columns is read
as ``word ... coref`` (a reduced layout some systems write).

Coreference column: ``-`` or ``|``-separated parts ``(12`` (a mention of chain 12 starts
here), ``12)`` (one ends here) and ``(12)`` (a one-token mention); the reference scorer's
reading. Mentions of one chain may nest; an unclosed or unopened mention is an error naming
its line. Every mention becomes an entity mention with cluster id ``NAME:12``; its label is
the named-entity type when the NE column (``(PERSON*`` ... ``*)``, 11 columns or more)
marks the same tokens, else ``MENTION``. Named entities outside every chain are read too
(labelled, without a cluster). Tokens are placed on the corpus text as for CoNLL BIO files
(:mod:`newsgold.formats.conll`: whitespace skipped, Penn Treebank escapes accepted).

The document is ``NAME`` (or ``NAME_NNN`` for a part other than 000) when the corpus has
it, else the corpus document spelled by the tokens.

>>> parse_coref("(3|(7)|3)")
[('open', '3'), ('single', '7'), ('close', '3')]
"""

from __future__ import annotations

import re
from pathlib import Path

from newsgold.formats.collect import Collector, squeeze
from newsgold.formats.conll import _align, _fold, _Row
from newsgold.model import Cluster, Mention

_BEGIN = re.compile(r"^#begin document \(?([^);]+?)\)?;?\s*(?:part\s+(\d+))?\s*$")
_PART = re.compile(r"^\((\w+)\)$|^\((\w+)$|^(\w+)\)$")
_NE = re.compile(r"^\(([^*()]+)\*?(\))?$|^\*(\))?$")
MENTION = "MENTION"


def parse_coref(cell: str) -> list[tuple[str, str]] | None:
    """The coreference column's parts as ``(open|close|single, chain)``; None if malformed."""
    if cell == "-":
        return []
    out = []
    for part in cell.split("|"):
        m = _PART.match(part)
        if not m:
            return None
        single, opening, closing = m.groups()
        out.append(
            ("single", single) if single else ("open", opening) if opening else ("close", closing)
        )
    return out


def looks_like(path: Path) -> bool:
    """A ``#begin document`` first line and a data line whose last column is a
    coreference cell (how :func:`~newsgold.formats.predictions.detect_format` knows it)."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            lines = [ln.strip() for _, ln in zip(range(50), fh)]
    except OSError:
        return False
    lines = [ln for ln in lines if ln]
    if not lines or not _BEGIN.match(lines[0]):
        return False
    data = [ln.split() for ln in lines[1:] if not ln.startswith("#")]
    return bool(data) and len(data[0]) >= 4 and parse_coref(data[0][-1]) is not None


def _ne_spans(cells: list[tuple[int, str]], collector: Collector, doc_id: str):
    """Named-entity spans ``(label, first, last)`` from the bracketed NE column."""
    out, open_ = [], None
    for i, (line, cell) in enumerate(cells):
        m = _NE.match(cell)
        if not m:
            collector.error(
                f"named-entity cell {cell!r} is not (TYPE*, *, *) or (TYPE)",
                line=line,
                doc_id=doc_id,
                field="ne",
            )
            return []
        label, close = m.group(1), m.group(2) or m.group(3)
        if label:
            open_ = (label, i)
        if close and open_ is not None:
            out.append((open_[0], open_[1], i))
            open_ = None
    return out


def _block_mentions(name: str, rows, spans, collector: Collector, doc_id: str):
    """Mentions and clusters of one document block (``rows``: line, token, ne, coref)."""
    opened: dict[str, list[int]] = {}
    chains: list[tuple[str, int, int]] = []
    for i, (line, _, _, cell) in enumerate(rows):
        parts = parse_coref(cell)
        if parts is None:
            collector.error(
                f"coreference cell {cell!r} is not -, (N, N) or (N) joined by |",
                line=line,
                doc_id=doc_id,
                field="coref",
            )
            return None
        for kind, chain in parts:
            if kind == "single":
                chains.append((chain, i, i))
            elif kind == "open":
                opened.setdefault(chain, []).append(i)
            elif opened.get(chain):
                chains.append((chain, opened[chain].pop(), i))
            else:
                collector.error(
                    f"mention of chain {chain} closed but never opened",
                    line=line,
                    doc_id=doc_id,
                    field="coref",
                )
                return None
    left = [(c, rows[s[-1]][0]) for c, s in opened.items() if s]
    if left:
        collector.error(
            f"mention of chain {left[0][0]} opened but never closed",
            line=left[0][1],
            doc_id=doc_id,
            field="coref",
        )
        return None
    ne = {}
    if any(r[2] is not None for r in rows):
        for label, a, b in _ne_spans([(r[0], r[2] or "*") for r in rows], collector, doc_id):
            ne[(a, b)] = label
    mentions = []
    seen = set()
    for chain, a, b in sorted(chains, key=lambda x: (x[1], x[2], x[0])):
        label = ne.get((a, b), MENTION)
        mentions.append(Mention(spans[a][0], spans[b][1], label, cluster=f"{name}:{chain}"))
        seen.add((a, b))
    for (a, b), label in sorted(ne.items()):
        if (a, b) not in seen:
            mentions.append(Mention(spans[a][0], spans[b][1], label))
    clusters = [
        Cluster(c, "entity") for c in dict.fromkeys(m.cluster for m in mentions if m.cluster)
    ]
    return mentions, clusters


def _blocks(path: Path, collector: Collector):
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        collector.error(f"not UTF-8 (byte offset {exc.start}); save the file as UTF-8")
        return []
    except OSError as exc:
        collector.error(f"cannot open: {exc.strerror}")
        return []
    blocks, current = [], None
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if not s:
            continue
        m = _BEGIN.match(s)
        if m:
            current = (m.group(1), m.group(2) or "000", n, [])
            blocks.append(current)
            continue
        if s.startswith("#end document"):
            current = None
            continue
        if s.startswith("#"):
            continue
        if current is None:
            collector.error(
                "a token line outside '#begin document' ... '#end document'", line=n, field="token"
            )
            return []
        f = s.split()
        if len(f) < 2:
            collector.error(
                f"expected at least 'word coref' columns, got {s[:40]!r}", line=n, field="coref"
            )
            return []
        word = f[3] if len(f) >= 4 else f[0]
        ne = f[10] if len(f) >= 12 else None
        current[3].append((n, word, ne, f[-1]))
    return blocks


def read_conll2012(path: Path, collector: Collector) -> None:
    """Read a CoNLL-2012 file into ``collector`` (see the module docstring)."""
    blocks = _blocks(path, collector)
    if collector.errors:
        return
    folded = None
    for name, part, line, rows in blocks:
        doc_id = name if part == "000" else f"{name}_{part}"
        squeezed = None
        if doc_id not in collector.corpus:
            if folded is None:
                folded = {}
                for k, d in collector.corpus.items():
                    folded.setdefault(_fold(squeeze(d.text)), []).append(k)
            found = folded.get(_fold("".join(r[1] for r in rows)))
            doc_id = found[0] if found and len(found) == 1 else None
            squeezed = None if doc_id else "".join(r[1] for r in rows)
        doc = collector.resolve(doc_id=doc_id, squeezed=squeezed, line=line)
        if doc is None:
            continue
        spans = _align(doc.text, [_Row(r[0], r[1], ("O", "")) for r in rows], collector, doc.doc_id)
        if spans is None:
            continue
        got = _block_mentions(name, rows, spans, collector, doc.doc_id)
        if got is None:
            continue
        mentions, clusters = got
        mentions = [
            m for m in mentions if collector.check_span(doc, m.start, m.end, m.label, line=line)
        ]
        collector.add(doc, mentions, clusters=clusters, where=f"{path}:{line}")

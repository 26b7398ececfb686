"""brat standoff (a folder of ``X.txt`` + ``X.ann``) -> mentions, events and relations.

Documents: every ``X.ann`` in the folder (and its subfolders) with its ``X.txt`` beside it;
the doc id is the stem ``X``, else the corpus document with the same text. A ``.txt``
without an ``.ann`` is a document predicted empty. Offsets in ``.ann`` count code points of
the ``.txt`` as brat reads it (UTF-8, nothing translated), and are mapped to the corpus:

* **CRLF**: brat counts the ``\\r`` of ``\\r\\n``; the corpus turned every CRLF into LF
  (and a lone CR into LF). The ``.txt`` is normalised the same way and every offset is
  moved back by the number of removed ``\\r`` before it (one warning per file).
* **Seed header**: a ``.txt`` that is the raw seed, starting with its ``date YYYY-MM-DD``
  header (and maybe a byte-order mark), is accepted: offsets are shifted by the header
  length, which is the document's ``meta.text_offset``. A span inside the header is an
  error. Otherwise the ``.txt`` must equal the corpus text exactly.

Lines (tab-separated, as brat writes them):

* ``T1<TAB>Label START END[;START END...]<TAB>text``: an entity mention (kind entity) with
  id ``T1``. The text field, when present, must equal the covered text (fragments joined
  by one space, whitespace runs compared as one space), else it is an error: the offsets
  are then not what the system meant. **Discontinuous** spans (``0 5;10 15``) give a
  warning and, with ``discontinuous="fragments"`` (default), one mention per fragment
  (ids ``T1``, ``T1#2``, ...): each fragment is text the system claimed, whereas the hull
  would claim the text between. ``discontinuous="hull"`` gives one mention from the first
  start to the last end. When such a T is an event trigger or argument, its first
  fragment stands for it.
* ``E1<TAB>Type:T2 Role:T1 Role:E3 ...``: an event. Its trigger becomes a Mention of kind
  ``trigger`` labelled with the event type (id ``E1``; a T used only as a trigger is not an
  entity mention), and each argument a Relation trigger -> argument labelled with the role.
  brat's numbering of repeated roles is dropped (``Victim2`` -> ``Victim``). An ``E``
  argument points at that event's trigger.
* ``R1<TAB>Type Arg1:T1 Arg2:T2``: a Relation from Arg1 to Arg2.
* ``A1<TAB>Name Target [Value]`` / ``M1<TAB>Name Target``: attributes, stored in the
  target's ``attrs`` under the lower-cased name. ``Realis`` and ``Polarity`` values are
  upper-cased into the schema vocabulary (``Actual`` -> ``ACTUAL``); a binary
  ``Negation``/``Negated``/``Negative`` sets ``polarity: NEGATIVE``; other binary
  attributes are stored as ``True``.
* ``*<TAB>Equiv T1 T2 ...``: kept as coreference: the members share a cluster id
  ``equiv1``, ``equiv2``, ... (transitively merged) and a Cluster of kind entity. An
  Equiv over events (``E`` ids, or the T of a trigger) is event coreference: the triggers
  share the cluster, of kind ``hopper``. One Equiv set mixing events and entities is an
  error.
* ``N1<TAB>Reference T1 Wikidata:Q7747<TAB>text``: kept as ``attrs["norm"]``, a list of
  ``"DB:ID"`` strings.
* ``#1<TAB>AnnotatorNotes ...`` notes are ignored. Any other line is an error.

>>> read = load_predictions("system_brat/", corpus, format="brat")  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_left
from pathlib import Path

from newsgold.corpus.seeds import HEADER
from newsgold.formats.collect import Collector
from newsgold.model import TRIGGER, Cluster, Document, Mention, Relation

# at most 18 digits: an offset must fit int64 (and Python refuses to parse 5,000 digits)
_T = re.compile(r"^(\S+) (\d{1,18} \d{1,18}(?:;\d{1,18} \d{1,18})*)$")
_ARG = re.compile(r"^(\S+?):([TE]\S*)$")
_NORM = re.compile(r"^(\S+) (\S+) (\S+?:\S+)$")
_NEGATION = {"negation", "negated", "negative"}
_UPPER = {"realis", "polarity"}


class _Shift:
    """brat offsets of the .txt -> corpus offsets (CRLF removed, header cut)."""

    def __init__(self, raw: str):
        self.removed = [m.start() for m in re.finditer("\r\n", raw)]
        self.text = raw.replace("\r\n", "\n").replace("\r", "\n")
        self.header = 0

    def __call__(self, offset: int) -> int:
        return offset - bisect_left(self.removed, offset) - self.header


def _read_text(txt: Path, collector: Collector) -> _Shift | None:
    try:
        raw = txt.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        collector.error(f"not UTF-8 (byte offset {exc.start}); save it as UTF-8", file=str(txt))
        return None
    except OSError as exc:
        collector.error(f"cannot open: {exc.strerror}", file=str(txt))
        return None
    shift = _Shift(raw)
    notes = []
    if shift.removed or "\r" in raw:
        notes.append("CRLF line ends read as LF, offsets moved back accordingly")
    body = shift.text
    bom = 1 if body.startswith("\ufeff") else 0
    m = HEADER.match(body[bom:])
    if m is not None:
        shift.header = bom + m.end()
        notes.append(f"the .txt starts with the seed header; offsets shifted by {shift.header}")
    elif bom:
        shift.header = 1
        notes.append("byte-order mark skipped (offsets shifted by 1)")
    if notes:
        collector.warn("; ".join(notes), file=str(txt))
    shift.text = shift.text[shift.header :]
    return shift


def _where(ann: Path, n: int) -> dict:
    return {"file": str(ann), "line": n}


def read_brat(path: Path, collector: Collector, discontinuous: str = "fragments") -> None:
    """Read a brat folder into ``collector`` (see the module docstring)."""
    if discontinuous not in ("fragments", "hull"):
        collector.error(f"discontinuous must be 'fragments' or 'hull', not {discontinuous!r}")
        return
    if not path.is_dir():
        collector.error("brat output must be a folder of .txt/.ann files")
        return
    anns = sorted(path.rglob("*.ann"))
    lone = sorted(p for p in path.rglob("*.txt") if not p.with_suffix(".ann").exists())
    if not anns and not lone:
        collector.error("the folder holds no .ann or .txt files")
        return
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            collector.error(f"no {txt.name} beside it: brat needs the text", file=str(ann))
            continue
        _read_pair(txt, ann, collector, discontinuous)
    for txt in lone:
        _read_pair(txt, None, collector, discontinuous)


def _read_pair(txt: Path, ann: Path | None, collector: Collector, discontinuous: str) -> None:
    shift = _read_text(txt, collector)
    if shift is None:
        return
    doc = collector.resolve(doc_id=txt.stem, text=shift.text, file=str(txt))
    if doc is None:
        return
    if ann is None:
        collector.add(doc, [], where=str(txt))
        return
    try:
        lines = ann.read_bytes().decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        collector.error(f"not UTF-8 (byte offset {exc.start})", file=str(ann))
        return
    n_errors = len(collector.errors)
    # raw .txt text, for comparing the T text fields in brat's own terms
    raw_text = txt.read_bytes().decode("utf-8")
    ts: dict[str, list[Mention]] = {}
    t_line: dict[str, int] = {}
    events: list[tuple[int, str, str, str, list[tuple[str, str]]]] = []
    rels: list[tuple[int, str, str, str]] = []
    attrs: list[tuple[int, str, str, str | None]] = []
    equivs: list[tuple[int, list[str]]] = []
    norms: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    n_discontinuous = 0
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        aid = parts[0]
        w = _where(ann, n)
        if aid.startswith("#"):
            continue
        if len(parts) < 2:
            collector.error("expected ID<TAB>DATA (brat separates fields by tabs)", field="id", **w)
            continue
        if aid != "*":
            if aid in seen:
                collector.error(f"duplicate annotation id {aid}", field="id", **w)
                continue
            seen.add(aid)
        data = parts[1]
        kind = aid[:1]
        if kind == "T":
            m = _T.match(data)
            if m is None:
                collector.error(
                    f"expected 'Label START END[;START END]', got {data!r}", field="offsets", **w
                )
                continue
            label = m.group(1)
            frags = [tuple(int(x) for x in f.split()) for f in m.group(2).split(";")]
            if len(parts) > 2 and all(0 <= s <= e <= len(raw_text) for s, e in frags):
                covered = " ".join(raw_text[s:e] for s, e in frags)
                if " ".join(covered.split()) != " ".join(parts[2].split()):
                    collector.error(
                        f"text field {parts[2]!r} is not the text at {m.group(2)} "
                        f"({covered!r}): the offsets are off",
                        doc_id=doc.doc_id,
                        field="text",
                        **w,
                    )
                    continue
            if len(frags) > 1:
                n_discontinuous += 1
                if discontinuous == "hull":
                    frags = [(frags[0][0], frags[-1][1])]
            mentions = []
            for k, (s, e) in enumerate(frags):
                start, end = shift(s), shift(e)
                if not collector.check_span(doc, start, end, label, field="offsets", **w):
                    break
                mid = aid if k == 0 else f"{aid}#{k + 1}"
                mentions.append(Mention(start=start, end=end, label=label, id=mid))
            else:
                ts[aid] = mentions
                t_line[aid] = n
        elif kind == "E":
            args = data.split()
            parsed = [_ARG.match(a) for a in args]
            if not args or any(p is None for p in parsed):
                collector.error(
                    f"expected 'Type:T1 Role:T2 ...', got {data!r}", field="arguments", **w
                )
                continue
            etype, trig = parsed[0].group(1), parsed[0].group(2)
            roles = [(re.sub(r"\d+$", "", p.group(1)), p.group(2)) for p in parsed[1:]]
            events.append((n, aid, etype, trig, roles))
        elif kind == "R":
            fields = data.split()
            parsed = [_ARG.match(a) for a in fields[1:]]
            if len(fields) != 3 or any(p is None for p in parsed):
                collector.error(
                    f"expected 'Type Arg1:T1 Arg2:T2', got {data!r}", field="arguments", **w
                )
                continue
            rels.append((n, fields[0], parsed[0].group(2), parsed[1].group(2)))
        elif kind in ("A", "M"):
            fields = data.split()
            if len(fields) not in (2, 3):
                collector.error(
                    f"expected 'Name Target [Value]', got {data!r}", field="attribute", **w
                )
                continue
            attrs.append((n, fields[0], fields[1], fields[2] if len(fields) == 3 else None))
        elif aid == "*":
            fields = data.split()
            if len(fields) < 3 or fields[0] != "Equiv":
                collector.error(f"expected 'Equiv T1 T2 ...', got {data!r}", field="equiv", **w)
                continue
            equivs.append((n, fields[1:]))
        elif kind == "N":
            m = _NORM.match(data)
            if m is None:
                collector.error(
                    f"expected 'Reference T1 DB:ID', got {data!r}", field="normalization", **w
                )
                continue
            norms.append((n, m.group(2), m.group(3)))
        else:
            collector.error(
                f"unknown annotation id {aid!r} (brat ids start with T, E, R, A, M, N, #, *)",
                field="id",
                **w,
            )
    if len(collector.errors) > n_errors:
        return
    if n_discontinuous:
        how = "one mention per fragment" if discontinuous == "fragments" else "their hull"
        collector.warn(
            f"{n_discontinuous} discontinuous span(s) read as {how}",
            file=str(ann),
            doc_id=doc.doc_id,
        )
    _assemble(doc, ann, collector, ts, t_line, events, rels, attrs, equivs, norms)


def _assemble(doc: Document, ann, collector, ts, t_line, events, rels, attrs, equivs, norms):
    n_errors = len(collector.errors)
    triggers: dict[str, Mention] = {}  # event id -> trigger mention
    trigger_ts: set[str] = set()
    for n, eid, etype, trig, _ in events:
        if trig not in ts:
            collector.error(
                f"event trigger {trig} is not a T annotation of this file",
                field="trigger",
                doc_id=doc.doc_id,
                **_where(ann, n),
            )
            continue
        t = ts[trig][0]
        if t.label != etype:
            collector.warn(
                f"event type {etype} differs from its trigger's label {t.label}; "
                "the event type is used",
                doc_id=doc.doc_id,
                **_where(ann, n),
            )
        m = copy.deepcopy(t)
        m.kind, m.label, m.id = TRIGGER, etype, eid
        m.extra["brat_trigger"] = trig
        triggers[eid] = m
        trigger_ts.add(trig)

    def target(ref: str, n: int, field: str) -> Mention | None:
        if ref in triggers:
            return triggers[ref]
        if ref in ts and ref in trigger_ts:
            return next(m for m in triggers.values() if m.extra["brat_trigger"] == ref)
        if ref in ts:
            return ts[ref][0]
        collector.error(
            f"{ref} is not an annotation of this file",
            field=field,
            doc_id=doc.doc_id,
            **_where(ann, n),
        )
        return None

    relations: list[Relation] = []
    for n, eid, _, _, roles in events:
        if eid not in triggers:
            continue
        for role, ref in roles:
            child = target(ref, n, f"arguments.{role}")
            if child is not None:
                relations.append(Relation(head=triggers[eid], child=child, label=role))
    for n, label, a1, a2 in rels:
        head, child = target(a1, n, "Arg1"), target(a2, n, "Arg2")
        if head is not None and child is not None:
            relations.append(Relation(head=head, child=child, label=label))
    for n, name, ref, value in attrs:
        if ref in triggers:
            mentions = [triggers[ref]]
        elif ref in ts:
            mentions = ts[ref]
        else:
            target(ref, n, "attribute")
            continue
        key = name.lower()
        if value is None and key in _NEGATION:
            key, val = "polarity", "NEGATIVE"
        elif value is None:
            val = True
        else:
            val = value.upper() if key in _UPPER else value
        for m in mentions:
            m.attrs[key] = val
    for n, ref, norm in norms:
        if target(ref, n, "normalization") is not None:
            for m in [triggers[ref]] if ref in triggers else ts.get(ref, []):
                m.attrs.setdefault("norm", []).append(norm)
    # union-find over Equiv sets, so chains given in pieces become one cluster
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for n, members in equivs:
        for ref in members:
            target(ref, n, "equiv")
        for ref in members[1:]:
            parent[find(ref)] = find(members[0])
    if len(collector.errors) > n_errors:
        return
    groups: dict[str, list[str]] = {}
    for ref in parent:
        groups.setdefault(find(ref), []).append(ref)
    clusters = []
    e_line = {eid: n for n, eid, *_ in events}

    def members_of(ref: str) -> list[Mention]:
        # an E (or a T used as a trigger) stands for its trigger(s): Equiv over events
        # is event coreference, an event hopper
        if ref in triggers:
            return [triggers[ref]]
        if ref in trigger_ts:
            return [m for m in triggers.values() if m.extra["brat_trigger"] == ref]
        return ts.get(ref, [])

    for k, root in enumerate(
        sorted(groups, key=lambda r: min(t_line.get(x, e_line.get(x, 0)) for x in groups[r])), 1
    ):
        cid = f"equiv{k}"
        members = [m for ref in groups[root] for m in members_of(ref)]
        kinds = {m.kind == TRIGGER for m in members}
        if len(kinds) > 1:
            n = min(n for n, ms in equivs if set(ms) & set(groups[root]))
            collector.error(
                "Equiv mixes events and entities: "
                + " ".join(sorted(groups[root]))
                + " (coreference links mentions of one entity, or events of one hopper)",
                field="equiv",
                doc_id=doc.doc_id,
                **_where(ann, n),
            )
            continue
        clusters.append(Cluster(id=cid, kind="hopper" if kinds == {True} else "entity"))
        for m in members:
            m.cluster = cid
    if len(collector.errors) > n_errors:
        return
    entities = [m for tid, ms in ts.items() if tid not in trigger_ts for m in ms]
    mentions = sorted(
        entities + list(triggers.values()), key=lambda m: (m.start, m.end, m.kind, m.label)
    )
    collector.add(doc, mentions, relations, clusters, where=str(ann))

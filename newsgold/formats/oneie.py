"""OneIE output JSON lines -> entities, triggers, arguments and relations.

One line per sentence, as OneIE's ``predict.py`` writes it (``GAIA-IE/oneie``,
``oneie/README.md`` "Output Format")::

    {"doc_id": ..., "sent_id": ..., "tokens": [...], "token_ids": ["DOC:2295-2296", ...],
     "graph": {"entities": [[start, end, type, mention_type, score], ...],
               "triggers": [[start, end, event_type, score], ...],
               "relations": [[arg1_entity_index, arg2_entity_index, type, score], ...],
               "roles": [[trigger_index, entity_index, role, score], ...]}}

Token offsets are end exclusive (``[3, 5, "GPE", ...]`` covers tokens 3 and 4). A role
is an argument relation from ``triggers[i]`` to ``entities[j]``; a relation links two
entities. An index outside its list is an error naming line and field. Scores are
ignored: OneIE writes only what its decoder kept.

OneIE's *training data* lines (``sent_id``, ``entity_mentions``, ``event_mentions``) have
TextEE's data shape and are read by the same code (:mod:`newsgold.formats.textee`).

Offsets come from aligning ``tokens`` to the corpus text, not from ``token_ids``: those
count characters of OneIE's own input (an LTF or text file), which need not be the
corpus text (the seed header, CRLF). They are cross-checked: a constant shift (the seed
header) is expected; tokens at other shifts give a warning with their count. Event types keep OneIE's LDC spelling
(``Conflict:Attack``) until the border checks normalise them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from newsgold.formats.collect import Collector
from newsgold.formats.eventbuild import DocBuilder
from newsgold.formats.jsonl import iter_jsonl
from newsgold.formats.textee import Window, open_window, read_mentions_shape
from newsgold.formats.tokens import TokenAligner
from newsgold.model import TRIGGER, Mention, Relation

_TOKEN_ID = re.compile(r"^.*:(\d+)-(\d+)$")


def _rows(w: Window, graph: dict[str, Any], key: str, width: int) -> list[list[Any]]:
    rows = graph.get(key, [])
    if not isinstance(rows, list):
        w.b.error("expected a list", f"graph.{key}")
        return []
    out = []
    for i, r in enumerate(rows):
        if not isinstance(r, list) or len(r) < width:
            w.b.error(
                f"expected a list of at least {width} values, got {r!r:.60}", f"graph.{key}[{i}]"
            )
            out.append(None)
        else:
            out.append(r)
    return out


def _graph(w: Window, graph: Any) -> None:
    if not isinstance(graph, dict):
        w.b.error("expected an object", "graph")
        return
    entities: list[Mention | None] = []
    for i, r in enumerate(_rows(w, graph, "entities", 3)):
        f = f"graph.entities[{i}]"
        span = None if r is None else w.chars(r[0], r[1], f)
        m = None
        if span is not None:
            mtype = r[3] if len(r) > 3 and isinstance(r[3], str) else None
            m = w.b.mention(*span, r[2], field=f + "[2]", mention_type=mtype)
        entities.append(m)
    triggers: list[Mention | None] = []
    for i, r in enumerate(_rows(w, graph, "triggers", 3)):
        f = f"graph.triggers[{i}]"
        span = None if r is None else w.chars(r[0], r[1], f)
        triggers.append(
            None if span is None else w.b.mention(*span, r[2], field=f + "[2]", kind=TRIGGER)
        )

    def pick(items: list[Mention | None], index: Any, what: str, field: str) -> Mention | None:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(items):
            w.b.error(f"{index!r} is not an index into graph.{what} ({len(items)} items)", field)
            return None
        return items[index]  # None when that item was itself in error (already reported)

    for i, r in enumerate(_rows(w, graph, "roles", 3)):
        f = f"graph.roles[{i}]"
        if r is None:
            continue
        trig = pick(triggers, r[0], "triggers", f + "[0]")
        child = pick(entities, r[1], "entities", f + "[1]")
        if trig is not None and child is not None:
            w.b.argument(trig, child, r[2], field=f + "[2]")
    for i, r in enumerate(_rows(w, graph, "relations", 3)):
        f = f"graph.relations[{i}]"
        if r is None:
            continue
        head = pick(entities, r[0], "entities", f + "[0]")
        child = pick(entities, r[1], "entities", f + "[1]")
        if head is not None and child is not None:
            if not isinstance(r[2], str) or not r[2].strip():
                w.b.error(f"missing or empty relation type: {r[2]!r}", f + "[2]")
            else:
                w.b.relations.append(Relation(head=head, child=child, label=r[2]))


def read_oneie(path: Path, collector: Collector) -> None:
    """Read OneIE JSON lines into ``collector`` (see the module docstring)."""
    docs: dict[str, tuple[DocBuilder, TokenAligner] | None] = {}
    shifts: Counter[int] = Counter()
    for n, obj, problem in iter_jsonl(path):
        if problem is not None:
            collector.errors.append(problem)
            continue
        w = open_window(collector, docs, obj, n, path)
        if w is None:
            continue
        _token_id_shifts(w, obj.get("token_ids"), shifts)
        if "graph" in obj:
            _graph(w, obj["graph"])
        else:
            read_mentions_shape(w, obj)
    for entry in docs.values():
        if entry is not None:
            entry[0].finish()
    if len(shifts) > 1:
        (usual, n_usual), *_ = shifts.most_common()
        other = sum(shifts.values()) - n_usual
        collector.warn(
            f"token_ids disagree with where the tokens are in the corpus text: {other} "
            f"token(s) are not at the usual shift of {usual} characters; the offsets are "
            "taken from the tokens"
        )


def _token_id_shifts(w: Window, ids: Any, shifts: Counter[int]) -> None:
    """Count, per token, corpus start minus the start ``token_ids`` gives (a constant
    shift, such as the seed header, is expected; several shifts mean OneIE read another
    text than the corpus's)."""
    if not isinstance(ids, list) or len(ids) != len(w.spans):
        return
    for tid, (start, _) in zip(ids, w.spans, strict=True):
        m = _TOKEN_ID.match(tid) if isinstance(tid, str) else None
        if m is not None:
            shifts[start - int(m.group(1))] += 1

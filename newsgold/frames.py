"""The corpus as pandas DataFrames, for people who analyse it: ``newsgold.frames()``.

Five tables, one row each, with ids that join:

* ``documents``: ``doc_id`` (key), date, source, characters, tokens, sentences, whether
  the gold annotates it, and the corpus version;
* ``mentions``: ``mention_id`` (key, ``doc_id/id``), ``doc_id``, kind, label, offsets
  (code points, end exclusive), text, mention type, head, ``entity_id`` (its cluster,
  ``doc_id/cluster``, for entity, timex and value mentions), ``event_id`` (for triggers:
  the trigger's own ``mention_id``), ``sentence`` (index in the document), attributes;
* ``entities``: ``entity_id`` (key), ``doc_id``, cluster attributes (``name``, ``qid``), the
  number of mentions and the most frequent label;
* ``events``: ``event_id`` (key: the trigger's ``mention_id``), ``doc_id``, type, realis,
  polarity, PLOVER type, ``hopper_id``, trigger text and offsets, number of arguments;
* ``arguments``: ``event_id``, ``role``, ``mention_id`` of the filler and its ``entity_id``.

>>> import newsgold
>>> f = newsgold.frames()  # doctest: +SKIP
>>> f.arguments.merge(f.mentions, on="mention_id").groupby("role").size()  # doctest: +SKIP
"""

from __future__ import annotations

import sys
import types
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from newsgold.model import TRIGGER, Annotation, Document


@dataclass
class Frames:
    """The five DataFrames (see the module docstring)."""

    documents: object
    mentions: object
    entities: object
    events: object
    arguments: object

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _mention_id(doc_id: str, m, n: int) -> str:
    return f"{doc_id}/{m.id if m.id is not None else f'#{n}'}"


def _rows(ann: Annotation):
    doc = ann.document
    starts = [s.start for s in doc.sentences]
    ids = {id(m): _mention_id(ann.doc_id, m, n) for n, m in enumerate(ann.mentions)}
    mentions, events, arguments = [], [], []
    for m in ann.mentions:
        mid = ids[id(m)]
        cluster = None if m.cluster is None else f"{ann.doc_id}/{m.cluster}"
        mentions.append(
            {
                "mention_id": mid,
                "doc_id": ann.doc_id,
                "kind": m.kind,
                "label": m.label,
                "start": m.start,
                "end": m.end,
                "text": doc.text[m.start : m.end],
                "mention_type": m.mention_type,
                "head_start": m.head_start,
                "head_end": m.head_end,
                "head_text": None if m.head_start is None else doc.text[m.head_start : m.head_end],
                "entity_id": None if m.kind == TRIGGER else cluster,
                "event_id": mid if m.kind == TRIGGER else None,
                "sentence": bisect_right(starts, m.start) - 1 if starts else None,
                **{f"attr_{k}": v for k, v in m.attrs.items()},
            }
        )
    for ev in ann.events:
        t = ev.trigger
        events.append(
            {
                "event_id": ids[id(t)],
                "doc_id": ann.doc_id,
                "type": t.label,
                "realis": ev.realis,
                "polarity": ev.polarity,
                "plover": t.attrs.get("plover"),
                "hopper_id": None if t.cluster is None else f"{ann.doc_id}/{t.cluster}",
                "trigger": doc.text[t.start : t.end],
                "start": t.start,
                "end": t.end,
                "n_arguments": len(ev.arguments),
            }
        )
        for a in ev.arguments:
            c = a.mention.cluster
            arguments.append(
                {
                    "event_id": ids[id(t)],
                    "doc_id": ann.doc_id,
                    "role": a.role,
                    "mention_id": ids[id(a.mention)],
                    "entity_id": None
                    if c is None or a.mention.kind == TRIGGER
                    else f"{ann.doc_id}/{c}",
                }
            )
    entities = []
    members = Counter(
        m.cluster for m in ann.mentions if m.cluster is not None and m.kind != TRIGGER
    )
    labels: dict[str, Counter] = {}
    for m in ann.mentions:
        if m.cluster is not None and m.kind != TRIGGER:
            labels.setdefault(m.cluster, Counter())[m.label] += 1
    for c in ann.clusters:
        if c.kind != "entity":
            continue
        entities.append(
            {
                "entity_id": f"{ann.doc_id}/{c.id}",
                "doc_id": ann.doc_id,
                "cluster": c.id,
                **c.attrs,
                "n_mentions": members.get(c.id, 0),
                "label": labels[c.id].most_common(1)[0][0] if c.id in labels else None,
            }
        )
    return mentions, entities, events, arguments


def frames(
    gold: str | Path | None = None, corpus: str | Path | None = None, root: str | Path = "."
) -> Frames:
    """The corpus and its gold as DataFrames (default: ``annotations/gold.jsonl`` and
    ``corpus/documents.jsonl`` under ``root``)."""
    import pandas as pd

    from newsgold.corpus.annotations import load_annotations
    from newsgold.corpus.build import load_corpus
    from newsgold.corpus.release import corpus_version

    root = Path(root)
    anns = load_annotations(gold if gold is not None else root / "annotations" / "gold.jsonl")
    corpus_path = Path(corpus) if corpus is not None else root / "corpus" / "documents.jsonl"
    docs: dict[str, Document] = (
        load_corpus(corpus_path)
        if corpus_path.exists()
        else {d: a.document for d, a in anns.items()}
    )
    version = corpus_version(root)
    documents = [
        {
            "doc_id": d.doc_id,
            "date": d.meta.get("date"),
            "source": d.meta.get("source"),
            "n_chars": len(d.text),
            "n_tokens": len(d.tokens),
            "n_sentences": len(d.sentences),
            "annotated": d.doc_id in anns,
            "corpus_version": version,
        }
        for d in sorted(docs.values(), key=lambda d: d.doc_id)
    ]
    tables: list[list[dict]] = [[], [], [], []]
    for doc_id in sorted(anns):
        for table, rows in zip(tables, _rows(anns[doc_id])):
            table.extend(rows)
    columns = {
        "mentions": ["mention_id", "doc_id", "kind", "label", "start", "end", "text"],
        "entities": ["entity_id", "doc_id", "cluster", "n_mentions", "label"],
        "events": ["event_id", "doc_id", "type", "realis", "polarity", "hopper_id"],
        "arguments": ["event_id", "doc_id", "role", "mention_id", "entity_id"],
    }
    frames_ = [
        pd.DataFrame(rows) if rows else pd.DataFrame(columns=columns[name])
        for name, rows in zip(columns, tables)
    ]
    return Frames(pd.DataFrame(documents), *frames_)


class _CallableModule(types.ModuleType):
    """Lets ``newsgold.frames()`` be called although ``newsgold.frames`` is this module."""

    def __call__(self, *args, **kwargs) -> Frames:
        return frames(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

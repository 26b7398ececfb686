"""Counts that describe an annotation file: per layer, label, mention type, role, attribute.

Every number in the datasheet (``corpus/README.md``) comes from here, through
``newsgold stats``. The functions are pure: annotations in, pandas DataFrames out (or
plain :class:`Counts`, which ``newsgold stats`` prints without importing pandas).

Layers, as the guidelines define them (``annotations/GUIDELINES.md``):

* documents, sentences (headings included), tokens: of the documents the tasks carry;
* entity mentions, timexes, values: spans of kind ``entity``, ``timex``, ``value``;
* events: spans of kind ``trigger`` (one per event mention);
* arguments: relations whose head is a trigger (ERE roles and PLOVER Actor/Recipient);
* entity clusters: declared clusters of kind ``entity`` that hold entity mentions;
* timex clusters: declared clusters of kind ``entity`` that hold only timexes;
* hoppers: declared clusters of kind ``hopper``.

>>> from newsgold.formats.prodigy import task_to_annotation
>>> ann = task_to_annotation({"text": "Putin met Biden.", "spans": [
...     {"start": 0, "end": 5, "label": "PERSON", "kind": "entity", "mention_type": "NAM"},
...     {"start": 6, "end": 9, "label": "Contact.Meet", "kind": "trigger",
...      "attrs": {"realis": "ACTUAL", "polarity": "POSITIVE", "plover": "CONSULT"}}]})
>>> int(layer_counts([ann]).set_index("layer").loc["events", "count"])
1
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgold.corpus.check import check_annotation
from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import iter_jsonl_offsets
from newsgold.formats.prodigy import task_to_annotation
from newsgold.model import ENTITY, TIMEX, TRIGGER, VALUE, Annotation

if TYPE_CHECKING:  # pandas is imported by the functions that make DataFrames: ~0.4 s, 90 MB
    import pandas as pd

#: the layers, in the order tables show them
LAYERS = (
    "documents",
    "sentences",
    "tokens",
    "entity mentions",
    "timexes",
    "values",
    "events",
    "arguments",
    "entity clusters",
    "timex clusters",
    "hoppers",
)

#: the breakdowns, in the order tables show them: name -> what is counted
BREAKDOWNS = {
    "entity label": "entity mentions per label",
    "mention type": "entity mentions per mention type (NAM/NOM/PRO)",
    "timex type": "timexes per TIMEX3 type",
    "value label": "values per label",
    "event type": "event mentions per type (ERE subtype or PLOVER-only type)",
    "role": "arguments per role",
    "realis": "event mentions per realis",
    "polarity": "event mentions per polarity",
    "plover": "event mentions per PLOVER type (attrs.plover; '(none)' when absent)",
}

NONE = "(none)"


def load_annotations(path: str | Path) -> list[Annotation]:
    """Read every task of a Prodigy JSONL file, raising one error listing every bad line.

    >>> load_annotations("annotations/gold.jsonl")[0].doc_id  # doctest: +SKIP
    '000_e2a7510a474f58d9'
    """
    anns, problems = [], []
    for ann, found in _read_tasks(path):
        problems += found
        if ann is not None:
            anns.append(ann)
    if problems:
        raise NewsgoldError(problems)
    return anns


def _read_tasks(
    path: str | Path, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[Annotation | None, list[Problem]]]:
    """Each task of ``path`` in turn: its annotation (None when it cannot be read) and the
    problems found reading and checking it (the attributes it counts). ``progress`` is
    called with the bytes read so far."""
    for line, offset, obj, problem in iter_jsonl_offsets(path):
        if progress is not None:
            progress(offset)
        if problem is not None:
            yield None, [problem]
            continue
        try:
            ann = task_to_annotation(obj)
            found = check_annotation(ann, file=str(path), line=line)  # attrs it counts
        except NewsgoldError as exc:
            meta = obj.get("meta")
            doc_id = meta.get("doc_id") if isinstance(meta, dict) else None
            yield None, [Problem(p.message, str(path), line, doc_id, p.field) for p in exc.problems]
            continue
        yield ann, found


def _arguments(ann: Annotation) -> list[Any]:
    return [r for r in ann.relations if r.head.kind == TRIGGER]


def _cluster_ids(ann: Annotation) -> dict[str, set[str]]:
    """Declared cluster ids by what they hold: entity, timex (timexes only), hopper."""
    members = ann.cluster_members()
    out: dict[str, set[str]] = {"entity": set(), "timex": set(), "hopper": set()}
    for c in ann.clusters:
        if c.kind == "hopper":
            out["hopper"].add(c.id)
            continue
        kinds = {m.kind for m in members.get(c.id, [])}
        out["timex" if kinds == {TIMEX} else "entity"].add(c.id)
    return out


@dataclass
class Counts:
    """The counts of :func:`layer_counts` and :func:`breakdown_counts`, added one annotation
    at a time, so a file is counted without holding its annotations (:func:`stats_file`).

    >>> counts = Counts()
    >>> counts.add(task_to_annotation({"text": "Putin spoke.", "spans": [
    ...     {"start": 0, "end": 5, "label": "PERSON", "kind": "entity"}]}))
    >>> counts.layers["entity mentions"], counts.breakdowns["entity label"]["PERSON"]
    (1, 1)
    """

    layers: Counter = field(default_factory=lambda: Counter({layer: 0 for layer in LAYERS}))
    breakdowns: dict[str, Counter] = field(
        default_factory=lambda: {name: Counter() for name in BREAKDOWNS}
    )

    def add(self, ann: Annotation) -> None:
        """Count one annotation (one document)."""
        counts, c = self.layers, self.breakdowns
        counts["documents"] += 1
        counts["sentences"] += len(ann.document.sentences)
        counts["tokens"] += len(ann.document.tokens)
        kinds = Counter(m.kind for m in ann.mentions)
        counts["entity mentions"] += kinds[ENTITY]
        counts["timexes"] += kinds[TIMEX]
        counts["values"] += kinds[VALUE]
        counts["events"] += kinds[TRIGGER]
        arguments = _arguments(ann)
        counts["arguments"] += len(arguments)
        ids = _cluster_ids(ann)
        counts["entity clusters"] += len(ids["entity"])
        counts["timex clusters"] += len(ids["timex"])
        counts["hoppers"] += len(ids["hopper"])
        for m in ann.mentions:
            if m.kind == ENTITY:
                c["entity label"][m.label] += 1
                c["mention type"][m.mention_type or NONE] += 1
            elif m.kind == TIMEX:
                c["timex type"][m.attrs.get("type", NONE)] += 1
            elif m.kind == VALUE:
                c["value label"][m.label] += 1
            elif m.kind == TRIGGER:
                c["event type"][m.label] += 1
                c["realis"][m.attrs.get("realis", NONE)] += 1
                c["polarity"][m.attrs.get("polarity", NONE)] += 1
                c["plover"][m.attrs.get("plover", NONE)] += 1
        for r in arguments:
            c["role"][r.label] += 1

    def rows(self, breakdown: str) -> list[tuple[Any, int]]:
        """``(key, count)`` of one breakdown, by descending count, then key."""
        # keys are attribute values as written: null, numbers and strings sort side by side
        return sorted(self.breakdowns[breakdown].items(), key=lambda kv: (-kv[1], str(kv[0])))

    def to_json(self) -> dict[str, Any]:
        """What :func:`stats_to_json` gives of :meth:`tables`, without pandas."""
        out: dict[str, Any] = {"layers": {layer: self.layers[layer] for layer in LAYERS}}
        for name in BREAKDOWNS:
            out[name] = {str(key): n for key, n in self.rows(name)}
        return out

    def layer_table(self) -> pd.DataFrame:
        """One row per layer (:data:`LAYERS`): ``layer``, ``count``."""
        import pandas as pd

        return pd.DataFrame({"layer": list(LAYERS), "count": [self.layers[k] for k in LAYERS]})

    def breakdown_table(self) -> pd.DataFrame:
        """Long table of counts: ``breakdown``, ``key``, ``count``; within a breakdown, rows
        by descending count, then key."""
        import pandas as pd

        rows = [(name, key, n) for name in BREAKDOWNS for key, n in self.rows(name)]
        return pd.DataFrame(rows, columns=["breakdown", "key", "count"])

    def tables(self) -> dict[str, pd.DataFrame]:
        """Both tables, as :func:`stats` gives them."""
        return {"layers": self.layer_table(), "breakdowns": self.breakdown_table()}


def count(anns: Iterable[Annotation]) -> Counts:
    """:class:`Counts` of every annotation."""
    counts = Counts()
    for ann in anns:
        counts.add(ann)
    return counts


def layer_counts(anns: Iterable[Annotation]) -> pd.DataFrame:
    """One row per layer (:data:`LAYERS`): ``layer``, ``count``."""
    return count(anns).layer_table()


def breakdown_counts(anns: Iterable[Annotation]) -> pd.DataFrame:
    """Long table of counts: ``breakdown`` (a key of :data:`BREAKDOWNS`), ``key``,
    ``count``; within a breakdown, rows by descending count, then key."""
    return count(anns).breakdown_table()


def stats(anns: Iterable[Annotation]) -> dict[str, pd.DataFrame]:
    """Both tables: ``{"layers": layer_counts, "breakdowns": breakdown_counts}``."""
    return count(anns).tables()


def count_file(path: str | Path, *, progress: Callable[[int], None] | None = None) -> Counts:
    """:class:`Counts` of ``load_annotations(path)``, counted one task at a time: memory is
    that of the largest task and the counts, not of the file. A bad line is an error listing
    every bad line (raised after the whole file is read, as :func:`load_annotations` does).
    ``progress`` is called with the bytes read so far.

    >>> count_file("annotations/gold.jsonl").layers["documents"]  # doctest: +SKIP
    1
    """
    counts, problems = Counts(), []
    for ann, found in _read_tasks(path, progress):
        problems += found
        if ann is not None and not problems:  # counts of a bad file are never shown
            counts.add(ann)
    if problems:
        raise NewsgoldError(problems)
    return counts


def stats_file(
    path: str | Path, *, progress: Callable[[int], None] | None = None
) -> dict[str, pd.DataFrame]:
    """``stats(load_annotations(path))`` through :func:`count_file` (one task at a time)."""
    return count_file(path, progress=progress).tables()


def stats_to_json(tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Plain JSON: ``{"layers": {layer: n}, "<breakdown>": {key: n}, ...}``.

    >>> stats_to_json(stats([]))["layers"]["events"]
    0
    """
    out: dict[str, Any] = {
        "layers": {str(r.layer): int(r.count) for r in tables["layers"].itertuples(index=False)}
    }
    b = tables["breakdowns"]
    for name in BREAKDOWNS:
        part = b[b["breakdown"] == name]
        out[name] = {str(r.key): int(r.count) for r in part.itertuples(index=False)}
    return out

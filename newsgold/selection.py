"""Which spans are scored, and in which label set.

**Which gold spans are scored** (``view``):

* ``ner`` (default): what a named-entity recogniser is asked to find — named entity
  mentions (``mention_type`` NAM) plus time expressions and values. Named mentions are
  scored on their **head** (``span="head"``, the default for this view): the gold extent of
  'US Secretary of State Blinken' is an ACE-style noun phrase, while NER systems, trained on
  OntoNotes, tag the name 'Blinken'. Time expressions with only a vague value
  (``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``: 'recently') are left out of this view:
  TIMEX3 marks them, OntoNotes DATE does not (guidelines §6, v1.2);
* ``mentions``: every entity mention (NAM, NOM, PRO) plus timexes and values, on extents;
* a comma list of mention types (``NAM,NOM``), on extents unless ``span="head"``.

**Label maps**: ``label_map`` names a map of the schema (``conll2003``, ``ace2005``,
``ontonotes5``) applied to the gold labels and to predicted labels of our label set; a label
that maps to nothing (``null``) is left out and **reported with its count**. ``rename`` maps
system labels to gold labels first (``{"PER": "PERSON"}``). A predicted label outside the
gold label set is kept (it can only be wrong) and reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from newsgold.errors import FormatError, Problem
from newsgold.model import ENTITY, TIMEX, VALUE, Annotation
from newsgold.schema import Schema

Spans = list[list[tuple[int, int, str]]]

#: TIMEX3 values of time expressions that OntoNotes NER does not tag ('recently')
_VAGUE = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})


def _view(view: str, schema: Schema) -> tuple[set[str] | None, str]:
    """Mention types selected for entity-kind spans, and the view's default span."""
    if view == "ner":
        return {"NAM"}, "head"
    if view == "mentions":
        return set(schema.mention_types), "extent"
    types = {t.strip() for t in view.split(",") if t.strip()}
    unknown = types - set(schema.mention_types)
    if unknown or not types:
        raise FormatError(
            Problem(
                f"unknown view {view!r}: use ner, mentions or a comma list of {schema.mention_types}",
                field="view",
            )
        )
    return types, "extent"


def select_spans(
    ann: Annotation | None, view: str, span: str | None, schema: Schema
) -> list[tuple[int, int, str]]:
    """The ``(start, end, label)`` spans a view scores, in the order listed.

    The same rule serves gold and predictions: entity mentions of the view's mention types
    (on heads or extents), time expressions and values; never triggers. A mention with no
    ``mention_type`` (a plain Prodigy NER file, most systems' output) is in every view; an
    untyped argument mention of an event reader (``extra["untyped"]``) is in none.
    """
    if ann is None:
        return []
    types, default_span = _view(view, schema)
    use_head = (span or default_span) == "head"
    out = []
    for m in ann.mentions:
        if m.extra.get("untyped") is True:
            # an event argument a reader had to make a mention of, with no entity type
            # (newsgold/formats/eventbuild.py): not a claim about entities
            continue
        if m.kind == ENTITY:
            if m.mention_type is not None and m.mention_type not in types:
                continue
            s, e = m.head if use_head else m.span
        elif m.kind == TIMEX and view == "ner" and m.attrs.get("value") in _VAGUE:
            continue
        elif m.kind in (TIMEX, VALUE):
            s, e = m.span
        else:
            continue
        out.append((s, e, m.label))
    return out


class LabelMapper:
    """Applies ``rename`` and a schema label map, and counts what it leaves out.

    A predicted label is *unknown* when it is neither in the target label set (the schema's
    labels, or the label map's targets) nor used by the gold (a gold read from a CoNLL file
    brings its own labels).
    """

    def __init__(self, schema: Schema, label_map: str | None, rename: dict[str, str]):
        self.rename = dict(rename)
        self.map = schema.label_map(label_map) if label_map else None
        self.known = (
            {v for v in self.map.values() if v is not None}
            if self.map
            else set(schema.entity_labels)
        )
        self.gold_unmapped: Counter = Counter()
        self.pred_unmapped: Counter = Counter()
        self.pred_unknown: Counter = Counter()

    def gold(self, label: str) -> str | None:
        if self.map is None:
            return label
        mapped = self.map.get(label, label)
        if mapped is None:
            self.gold_unmapped[label] += 1
        return mapped

    def pred(self, label: str) -> str | None:
        label = self.rename.get(label, label)
        if self.map is not None and label in self.map:
            mapped = self.map[label]
            if mapped is None:
                self.pred_unmapped[label] += 1
                return None
            label = mapped
        return label

    def report(self) -> dict[str, dict[str, int]]:
        return {
            "gold_unmapped": dict(sorted(self.gold_unmapped.items())),
            "pred_unmapped": dict(sorted(self.pred_unmapped.items())),
            "pred_unknown": dict(sorted(self.pred_unknown.items())),
        }


def select_corpus(
    gold: dict[str, Annotation],
    pred: dict[str, Annotation],
    doc_ids: list[str],
    schema: Schema,
    mapper: LabelMapper,
    *,
    view: str = "ner",
    span: str | None = None,
    labels: Iterable[str] | None = None,
) -> tuple[Spans, Spans]:
    """Per document (in ``doc_ids`` order), the gold and predicted ``(start, end, label)``
    spans that ``view``/``span`` select, labels mapped by ``mapper`` and, with ``labels``,
    restricted to those (on both sides, as nervaluate's ``tags``)."""
    keep = set(labels) if labels else None
    gold_lists, pred_lists = [], []
    for d in doc_ids:
        gl, pl = [], []
        for s, e, lbl in select_spans(gold[d], view, span, schema):
            lbl = mapper.gold(lbl)
            if lbl is not None and (keep is None or lbl in keep):
                gl.append((s, e, lbl))
        for s, e, lbl in select_spans(pred.get(d), view, span, schema):
            lbl = mapper.pred(lbl)
            if lbl is not None and (keep is None or lbl in keep):
                pl.append((s, e, lbl))
        gold_lists.append(gl)
        pred_lists.append(pl)
    known = mapper.known | {lbl for doc in gold_lists for _, _, lbl in doc}
    mapper.pred_unknown.update(lbl for doc in pred_lists for _, _, lbl in doc if lbl not in known)
    return gold_lists, pred_lists


def gold_view_labels(gold_anns, options, schema) -> set[str]:
    """The labels of the gold in the scored view (after the label maps)."""
    mapper = LabelMapper(schema, options.label_map, options.rename)
    doc_ids = sorted(gold_anns)
    lists, _ = select_corpus(
        gold_anns, {}, doc_ids, schema, mapper, view=options.view, span=options.span
    )
    return {lbl for doc in lists for _, _, lbl in doc}


def system_labels(preds, options) -> set[str]:
    """The system's entity labels (after ``--map`` renames), for the label-map hint of ``score``."""
    return {options.rename.get(m.label, m.label) for a in preds.values() for m in a.mentions}

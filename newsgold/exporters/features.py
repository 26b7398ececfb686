"""What each export format can carry, and the comparable form of an annotation.

An annotation is split into **features**, each a set of comparable tuples, so that a
round trip (export, read back) can be checked feature by feature and the loss report can
count exactly what a format leaves out:

========================  ================================================================
``spans``                 (start, end, label) of every mention
``kinds``                 (start, end, label, kind)
``mention_types``         (start, end, label, mention_type) of entity mentions
``heads``                 (start, end, label, head_start, head_end) where a head is given
``attributes``            (start, end, label, name, value) of the schema's attributes:
                          realis, polarity, PLOVER type on triggers, TIMEX3 type and value
``other_attributes``      the same for any other attribute (``norm``, ...)
``relations``             (head span, child span, label): event arguments
``clusters``              the partition of entity, timex and value mentions into entities
                          (coreference), as sets of spans, without the cluster ids
``hoppers``               the partition of triggers into event hoppers, the same way
``cluster_attributes``    (members, name, value) of cluster attributes (``qid``, ``name``)
``overlaps``              spans that overlap another span (token formats hold one tag per
                          token: only the longest of overlapping spans is kept)
========================  ================================================================
"""

from __future__ import annotations

from newsgold.model import ENTITY, TRIGGER, Annotation, Mention

FEATURES = (
    "spans",
    "kinds",
    "mention_types",
    "heads",
    "attributes",
    "other_attributes",
    "relations",
    "clusters",
    "hoppers",
    "cluster_attributes",
    "overlaps",
)
_ALL = frozenset(FEATURES)
#: the attributes every tool export with attributes writes, by mention kind
SCHEMA_ATTRIBUTES = {"trigger": ("realis", "polarity", "plover"), "timex": ("type", "value")}
#: the features each export format carries; everything else is in its loss report
CARRIES: dict[str, frozenset[str]] = {
    "prodigy": _ALL,
    "brat": _ALL - {"heads", "hoppers", "cluster_attributes", "other_attributes"},
    "label-studio": _ALL
    - {"heads", "clusters", "hoppers", "cluster_attributes", "other_attributes"},
    "doccano": frozenset({"spans", "kinds", "relations", "overlaps"}),
    "conll": frozenset({"spans"}),
    "spacy": frozenset({"spans", "kinds", "overlaps"}),
    "hf": frozenset({"spans", "kinds", "mention_types", "overlaps"}),
}
#: why a format cannot carry a feature (for the loss report)
WHY = {
    "heads": "the format has no place for a mention's head",
    "attributes": "the format has no attributes (realis, polarity, PLOVER type, TIMEX3 type and value)",
    "mention_types": "the format has no mention type (NAM, NOM, PRO)",
    "other_attributes": "only the schema's attributes are written",
    "relations": "the format has no relations, so no event arguments",
    "clusters": "the format has no coreference (entity clusters)",
    "hoppers": "the format has no event coreference (hoppers)",
    "cluster_attributes": "cluster attributes (qid, name) have no place",
    "kinds": "the kind (entity, timex, value, trigger) is not written",
    "spans": "",
    "overlaps": "one tag per token: of overlapping spans only the longest is kept",
}
NOTES = {
    "brat": "brat's Equiv holds entity clusters only (ids renumbered equiv1, ...); "
    "singleton clusters are implicit",
    "label-studio": "a value labelled DATE or TIME comes back as a time expression",
    "doccano": "the kind is inferred from the label; a value labelled DATE or TIME comes back "
    "as a time expression",
    "conll": "triggers are not written (CoNLL has no events); entity, timex and value spans "
    "only, one tag per token",
    "spacy": "all spans in doc.spans['sc']; doc.ents holds the longest non-overlapping ones",
    "hf": "ner_tags (IOB2) hold the longest non-overlapping spans; the spans column all of them",
}


def _key(m: Mention) -> tuple[int, int, str]:
    return (m.start, m.end, m.label)


def longest_first(mentions: list[Mention]) -> list[Mention]:
    """The non-overlapping mentions a one-tag-per-token format keeps: longest first, then
    earliest (the rule of ``spacy.util.filter_spans``), returned in text order."""
    kept: list[Mention] = []
    taken: set[int] = set()
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, m.label)):
        chars = set(range(m.start, m.end))
        if not chars & taken:
            kept.append(m)
            taken |= chars
    return sorted(kept, key=lambda m: (m.start, m.end))


def features(ann: Annotation, kinds: tuple[str, ...] | None = None) -> dict[str, set]:
    """Every feature of ``ann`` as a set of tuples (``kinds`` restricts the mentions)."""
    ms = [m for m in ann.mentions if kinds is None or m.kind in kinds]
    out: dict[str, set] = {f: set() for f in FEATURES}
    members: dict[str, set] = {}
    for m in ms:
        k = _key(m)
        out["spans"].add(k)
        out["kinds"].add((*k, m.kind))
        if m.kind == ENTITY:
            out["mention_types"].add((*k, m.mention_type))
        if m.head_start is not None:
            out["heads"].add((*k, m.head_start, m.head_end))
        for name, value in m.attrs.items():
            known = name in SCHEMA_ATTRIBUTES.get(m.kind, ())
            out["attributes" if known else "other_attributes"].add((*k, name, str(value)))
        if m.cluster is not None:
            members.setdefault((m.kind == TRIGGER, m.cluster), set()).add(k)
    for m in ms:
        if any(o is not m and o.start < m.end and m.start < o.end for o in ms):
            out["overlaps"].add(_key(m))
    keep = {id(m) for m in ms}
    for r in ann.relations:
        if id(r.head) in keep and id(r.child) in keep:
            out["relations"].add((_key(r.head), _key(r.child), r.label))
    out["clusters"] = {frozenset(v) for (h, _), v in members.items() if len(v) > 1 and not h}
    out["hoppers"] = {frozenset(v) for (h, _), v in members.items() if len(v) > 1 and h}
    attrs = {c.id: c.attrs for c in ann.clusters}
    for (_, cid), v in members.items():
        for name, value in attrs.get(cid, {}).items():
            out["cluster_attributes"].add((frozenset(v), name, str(value)))
    return out


#: the mentions each format writes (None: all); CoNLL leaves out triggers
WRITES: dict[str, tuple[str, ...] | None] = {f: None for f in CARRIES}
WRITES["conll"] = ("entity", "timex", "value")


def carried(ann: Annotation, fmt: str) -> dict[str, set]:
    """The features of ``ann`` that ``fmt`` carries: what a round trip must give back."""
    feats = features(ann, WRITES[fmt])
    if "overlaps" not in CARRIES[fmt]:
        kept = {
            _key(m)
            for m in longest_first(
                [m for m in ann.mentions if WRITES[fmt] is None or m.kind in WRITES[fmt]]
            )
        }
        feats["spans"] &= kept
    return {f: v for f, v in feats.items() if f in CARRIES[fmt] and f != "overlaps"}


def losses(anns: list[Annotation], fmt: str) -> list[dict]:
    """What ``fmt`` cannot carry of ``anns``: one row per lost feature, with counts."""
    rows = []
    lost_triggers = 0
    totals: dict[str, int] = {f: 0 for f in FEATURES}
    dropped = 0
    for ann in anns:
        f = features(ann)
        for name, items in f.items():
            totals[name] += len(items)
        if WRITES[fmt] is not None:
            lost_triggers += sum(m.kind == TRIGGER for m in ann.mentions)
        if "overlaps" not in CARRIES[fmt]:
            written = [m for m in ann.mentions if WRITES[fmt] is None or m.kind in WRITES[fmt]]
            dropped += len(written) - len(longest_first(written))
    for name in FEATURES:
        if name in CARRIES[fmt] or name == "spans" or not totals[name]:
            continue
        if name == "overlaps":
            rows.append({"feature": name, "lost": dropped, "why": WHY[name]})
        else:
            rows.append({"feature": name, "lost": totals[name], "why": WHY[name]})
    if lost_triggers:
        rows.append(
            {
                "feature": "triggers",
                "lost": lost_triggers,
                "why": "no events: triggers are not written",
            }
        )
    return rows

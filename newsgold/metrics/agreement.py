"""Inter-annotator agreement: pairwise exact-match F1 per annotation layer.

Definition (Hripcsak and Rothschild 2005, as bratiaa computes it): for two annotators A and B
and one layer, with each annotation reduced to a key,

    F1 = 2 |A ∩ B| / (|A| + |B|)

where ∩ is multiset intersection (which is exactly the optimal one-to-one alignment of
:mod:`newsgold.match` when keys must be equal). F1 is symmetric, so it needs no reference.
Where there are no well-defined negatives, as for spans, it is the usual agreement measure;
chance-corrected coefficients are left to token-level label comparisons.

Layers and their keys (offsets are characters, end exclusive):

* ``entity``: (start, end, label, mention_type) of entity mentions; ``entity_span``: (start,
  end) only; ``head``: (head_start, head_end, label);
* ``timex``: (start, end, label); ``timex_value``: (start, end, TIMEX3 type, value);
* ``value``: (start, end, label);
* ``trigger``: (start, end, event type); ``trigger_attrs``: the same plus realis, polarity
  and PLOVER type;
* ``argument``: (trigger start, end, event type, argument start, end, role);
* ``coref_link``: unordered pairs of entity-mention spans in one cluster; ``hopper_link``:
  unordered pairs of trigger spans in one hopper (a link-based measure; MUC, B³ and CEAF come
  with the coreference scorer).
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from newsgold.model import ENTITY, TIMEX, TRIGGER, VALUE, Annotation

LAYERS = (
    "entity",
    "entity_span",
    "head",
    "timex",
    "timex_value",
    "value",
    "trigger",
    "trigger_attrs",
    "argument",
    "coref_link",
    "hopper_link",
)


def layer_keys(ann: Annotation) -> dict[str, Counter]:
    """The multiset of keys of every layer of one annotation."""
    keys: dict[str, Counter] = {layer: Counter() for layer in LAYERS}
    clusters: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for m in ann.mentions:
        if m.kind == ENTITY:
            keys["entity"][(m.start, m.end, m.label, m.mention_type)] += 1
            keys["entity_span"][(m.start, m.end)] += 1
            keys["head"][(*m.head, m.label)] += 1
        elif m.kind == TIMEX:
            keys["timex"][(m.start, m.end, m.label)] += 1
            keys["timex_value"][(m.start, m.end, m.attrs.get("type"), m.attrs.get("value"))] += 1
        elif m.kind == VALUE:
            keys["value"][(m.start, m.end, m.label)] += 1
        elif m.kind == TRIGGER:
            keys["trigger"][(m.start, m.end, m.label)] += 1
            a = m.attrs
            keys["trigger_attrs"][
                (m.start, m.end, m.label, a.get("realis"), a.get("polarity"), a.get("plover"))
            ] += 1
        if m.cluster is not None and m.kind in (ENTITY, TRIGGER):
            clusters.setdefault((m.kind, m.cluster), []).append((m.start, m.end))
    for (kind, _), spans in clusters.items():
        layer = "coref_link" if kind == ENTITY else "hopper_link"
        for a, b in combinations(sorted(spans), 2):
            keys[layer][(a, b)] += 1
    for ev in ann.events:
        t = ev.trigger
        for arg in ev.arguments:
            keys["argument"][
                (t.start, t.end, t.label, arg.mention.start, arg.mention.end, arg.role)
            ] += 1
    return keys


def pairwise_agreement(a: Annotation, b: Annotation) -> dict[str, dict[str, float]]:
    """Exact-match F1 between two annotations of one document, per layer.

    >>> from newsgold.model import Document, Mention
    >>> doc = Document("d", "Putin met Blinken.")
    >>> x = Annotation(doc, [Mention(0, 5, "PERSON", mention_type="NAM")])
    >>> y = Annotation(doc, [Mention(0, 5, "PERSON", mention_type="NAM"),
    ...                      Mention(10, 17, "PERSON", mention_type="NAM")])
    >>> round(pairwise_agreement(x, y)["entity"]["f1"], 3)
    0.667
    """
    ka, kb = layer_keys(a), layer_keys(b)
    out = {}
    for layer in LAYERS:
        na, nb = sum(ka[layer].values()), sum(kb[layer].values())
        both = sum((ka[layer] & kb[layer]).values())
        out[layer] = {
            "a": na,
            "b": nb,
            "matched": both,
            "f1": 2 * both / (na + nb) if na + nb else 1.0,
        }
    return out


def corpus_agreement(
    a: dict[str, Annotation], b: dict[str, Annotation]
) -> dict[str, dict[str, float]]:
    """Pairwise agreement pooled over the documents both annotated (micro: counts summed)."""
    total: dict[str, dict[str, float]] = {layer: {"a": 0, "b": 0, "matched": 0} for layer in LAYERS}
    for doc_id in sorted(set(a) & set(b)):
        for layer, row in pairwise_agreement(a[doc_id], b[doc_id]).items():
            for k in ("a", "b", "matched"):
                total[layer][k] += row[k]
    for row in total.values():
        n = row["a"] + row["b"]
        row["f1"] = 2 * row["matched"] / n if n else 1.0
    return total

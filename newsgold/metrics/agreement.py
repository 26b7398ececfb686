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

# token-level coefficients and attributes live in agreement_tokens; still importable here
from newsgold.metrics.agreement_tokens import (  # noqa: F401
    TRIGGER_ATTRIBUTES,
    _token_key,
    cohen_kappa,
    krippendorff_alpha,
    token_tags,
    tokenisation_check,
    trigger_attribute_agreement,
)
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


# -- every layer: spans per label, token-level chance-corrected coefficients, attributes --

#: the span layers of the extended report, by mention kind
SPAN_KINDS = ("entity", "timex", "value", "trigger")
#: the event scorer's metrics and levels an agreement report shows
EVENT_METRICS = ("Trig-I", "Trig-C", "Arg-I", "Arg-C", "Event-Arg-C")
EVENT_LEVELS = ("exact", "head", "overlap")


def event_agreement(a: dict[str, Annotation], b: dict[str, Annotation]) -> dict:
    """Trigger and argument F1 between two annotators at the event scorer's levels, for
    Rich ERE and PLOVER apart (:func:`newsgold.event_scoring.score_events` with ``a`` as the
    reference; F1 is symmetric, so the choice does not change it; P and R swap).

    >>> event_agreement({}, {})
    {}
    """
    if not a:
        return {}
    from newsgold.event_results import EventOptions
    from newsgold.event_scoring import score_events

    out: dict[str, dict] = {}
    results = score_events(a, b, EventOptions(n_resamples=0, allow_unknown=True))
    for scheme, r in results.items():
        out[scheme] = {
            m: {lv: r.summaries[m][lv]["f1"] for lv in EVENT_LEVELS if lv in r.summaries[m]}
            for m in EVENT_METRICS
            if m in r.summaries
        }
    return out


def coref_agreement(a: dict[str, Annotation], b: dict[str, Annotation]) -> dict:
    """MUC, B³, CEAF-e, CoNLL and LEA F1 between two annotators' entity clusters and event
    hoppers (:func:`newsgold.timex_coref_scoring.score_coref`, ``a`` as the key)."""
    if not a:
        return {}
    from newsgold.timex_coref_scoring import LayerOptions, score_coref

    r = score_coref(a, b, LayerOptions(n_resamples=0))
    return {
        chain: {name: s["f1"] for name, s in metrics.items()}
        for chain, metrics in r.summaries.items()
    }


def _f1(a: int, b: int, matched: int) -> float:
    return 2 * matched / (a + b) if a + b else 1.0


def _row(a: int, b: int, matched: int) -> dict:
    return {"a": a, "b": b, "matched": matched, "f1": _f1(a, b, matched)}


def span_agreement(
    a: dict[str, Annotation], b: dict[str, Annotation], kind: str, docs: list[str]
) -> dict[str, dict]:
    """Span F1 of one layer (mention kind) between two annotators, micro and per label.

    ``exact``: same start, end and label (multiset intersection, as :func:`layer_keys`).
    ``overlap``: the same label and at least one shared character, aligned one-to-one by
    :func:`newsgold.match.align` (most pairs, then most shared characters), so one long
    span cannot match two short ones. F1 = 2·matched / (|A| + |B|); per label, both
    sides are counted by their own label (a pair always has one label).

    >>> from newsgold.model import Document, Mention
    >>> d = Document("d", "Blinken met Lavrov")
    >>> x = {"d": Annotation(d, [Mention(0, 7, "PERSON"), Mention(12, 18, "PERSON")])}
    >>> y = {"d": Annotation(d, [Mention(0, 11, "PERSON")])}
    >>> r = span_agreement(x, y, "entity", ["d"])
    >>> r["exact"]["micro"]["f1"], round(r["overlap"]["micro"]["f1"], 3)
    (0.0, 0.667)
    """
    import numpy as np

    from newsgold.match import SpanArrays, align, overlap_pairs

    labels: dict[str, int] = {}
    sides = []
    for side in (a, b):
        doc_i, start, end, lab = [], [], [], []
        for i, d in enumerate(docs):
            for m in side[d].mentions:
                if m.kind == kind:
                    doc_i.append(i)
                    start.append(m.start)
                    end.append(m.end)
                    lab.append(labels.setdefault(m.label, len(labels)))
        sides.append(SpanArrays.from_lists(doc_i, start, end, lab))
    sa, sb = sides
    names = sorted(labels, key=labels.get)
    count_a = np.bincount(sa.label, minlength=len(names))
    count_b = np.bincount(sb.label, minlength=len(names))
    exact_m = np.zeros(len(names), int)
    ka = Counter(zip(sa.doc.tolist(), sa.start.tolist(), sa.end.tolist(), sa.label.tolist()))
    kb = Counter(zip(sb.doc.tolist(), sb.start.tolist(), sb.end.tolist(), sb.label.tolist()))
    for key, n in (ka & kb).items():
        exact_m[key[3]] += n
    cand = overlap_pairs(sa, sb)
    same = sa.label[cand.gold] == sb.label[cand.pred]
    cand = type(cand)(cand.gold[same], cand.pred[same], cand.overlap[same])
    chosen = align(cand, np.ones(len(cand), np.int64), len(sa), len(sb))
    overlap_m = np.bincount(sa.label[chosen.gold], minlength=len(names))
    out = {}
    for mode, matched in (("exact", exact_m), ("overlap", overlap_m)):
        out[mode] = {
            "micro": _row(int(count_a.sum()), int(count_b.sum()), int(matched.sum())),
            "labels": {
                name: _row(int(count_a[i]), int(count_b[i]), int(matched[i]))
                for i, name in enumerate(names)
            },
        }
    return out


def agreement_report(files: dict[str, dict[str, Annotation]]) -> dict:
    """Agreement of two or more annotation files on every layer (a JSON-able dict).

    Per pair of files, on the documents both annotated: the exact-match F1 per layer
    (:func:`corpus_agreement`), span F1 per kind and label, exact and overlap
    (:func:`span_agreement`), Cohen's κ on token tags per kind, realis and polarity on
    matched triggers, the event scorer's trigger and argument F1
    (:func:`event_agreement`) and the coreference F1 (:func:`coref_agreement`). Over all
    files: Krippendorff's α (nominal) on token tags per kind. Documents with different texts are left out of
    everything, and documents tokenised differently out of the token-level numbers; both
    are listed under ``tokenisation``.
    """
    from itertools import combinations

    usable, problems = tokenisation_check(files)
    bad_text = {p["doc_id"] for p in problems if p["problem"] == "the texts differ"}
    pairs = {}
    for x, y in combinations(files, 2):
        a, b = files[x], files[y]
        shared = sorted((set(a) & set(b)) - bad_text)
        # token-level numbers need the same tokens in the two files (checked per pair)
        tok = [d for d in shared if a[d].document.tokens and _token_key(a[d]) == _token_key(b[d])]
        row = {
            "documents": len(shared),
            "layers": corpus_agreement({d: a[d] for d in shared}, {d: b[d] for d in shared}),
            "spans": {k: span_agreement(a, b, k, shared) for k in SPAN_KINDS},
            "kappa": {
                k: cohen_kappa(
                    [t for d in tok for t in token_tags(a[d], k)],
                    [t for d in tok for t in token_tags(b[d], k)],
                )
                for k in SPAN_KINDS
            },
            "trigger_attributes": trigger_attribute_agreement(a, b, shared),
        }
        both = ({d: a[d] for d in shared}, {d: b[d] for d in shared})
        row["events"] = event_agreement(*both)
        row["coref"] = coref_agreement(*both)
        pairs[f"{x} vs {y}"] = row
    alpha = {}
    for k in SPAN_KINDS:
        rows: list[list[str | None]] = [[] for _ in files]
        for d in usable:
            n_tokens = len(next(f[d] for f in files.values() if d in f).document.tokens)
            for i, f in enumerate(files.values()):
                rows[i] += token_tags(f[d], k) if d in f else [None] * n_tokens
        alpha[k] = krippendorff_alpha(rows)
    return {
        "files": list(files),
        "tokenisation": {"usable": usable, "problems": problems},
        "pairs": pairs,
        "alpha": alpha,
    }

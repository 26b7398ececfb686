"""Coreference metrics: MUC, B³, CEAF-e, LEA and the CoNLL average, as numerator/denominator
pairs per document.

Definitions follow Pradhan et al. (2014), *Scoring Coreference Partitions of Predicted
Mentions: A Reference Implementation* (the CoNLL-2011/2012 scorer, v8.01) and, for LEA,
Moosavi and Strube (2016), *Which Coreference Evaluation Metric Do You Trust?*. Each is
checked against ``scorch`` (``scorch.scores``; LEA against coval's loop, which scorch lacks).

Every metric returns ``(r_num, r_den, p_num, p_den)``: recall is ``r_num / r_den``, precision
``p_num / p_den`` (0 for 0/0), F1 their harmonic mean. A corpus score sums the documents'
numerators and denominators (the reference scorer's and coval's aggregation); so these four
numbers are the per-unit count vector the bootstrap resamples. ``scorch`` scoring a folder
instead averages per-document scores weighted by mention counts; that differs from the
reference on more than one document and we do not follow it (pinned by a test).

Clusters are sequences of sets of hashable mention ids (mentions aligned beforehand, see
:func:`clusters_from_mentions`). The twinless-mention rule of the reference implementation
is :func:`add_twinless`: response mentions with no key twin join the key as singletons.

>>> key = [{1, 2, 3}, {4, 5}]
>>> response = [{1, 2}, {3, 4, 5}]
>>> r_num, r_den, p_num, p_den = muc(key, response)
>>> (r_num / r_den, p_num / p_den)
(0.6666666666666666, 0.6666666666666666)
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from functools import lru_cache

import numpy as np

Clusters = Sequence[set]
Nums = tuple[float, float, float, float]

#: metric names as the reference scorer and the literature spell them (used in --json)
METRICS = ("MUC", "B3", "CEAFe", "LEA")
CONLL = "CoNLL"


def _owner(clusters: Clusters) -> dict[Hashable, int]:
    return {m: i for i, c in enumerate(clusters) for m in c}


def _overlaps(a: Clusters, b: Clusters) -> dict[tuple[int, int], int]:
    """``|a_i ∩ b_j|`` for every pair that shares a mention."""
    owner = _owner(b)
    out: dict[tuple[int, int], int] = {}
    for i, c in enumerate(a):
        for m in c:
            j = owner.get(m)
            if j is not None:
                out[(i, j)] = out.get((i, j), 0) + 1
    return out


def _muc_side(a: Clusters, b: Clusters) -> tuple[float, float]:
    # |p(k, R)|: the parts of k cut by R, each mention outside R a part of its own
    owner = _owner(b)
    num = den = 0
    for c in a:
        parts = {owner[m] for m in c if m in owner}
        outside = sum(1 for m in c if m not in owner)
        num += len(c) - (len(parts) + outside)
        den += len(c) - 1
    return float(num), float(den)


def muc(key: Clusters, response: Clusters) -> Nums:
    """MUC (Vilain et al. 1995): ``R = Σ(|k| − |p(k, R)|) / Σ(|k| − 1)``, P symmetric.

    Singleton clusters add nothing to either side (a singleton has no link). When every
    key (or every response) cluster is a singleton both scores are 0, as in the reference.

    >>> muc([{1, 2}], [{1}, {2}])
    (0.0, 1.0, 0.0, 0.0)
    """
    r = _muc_side(key, response)
    p = _muc_side(response, key)
    return r[0], r[1], p[0], p[1]


def b_cubed(key: Clusters, response: Clusters) -> Nums:
    """B³ (Bagga and Baldwin 1998): ``R = Σ_k Σ_r |k∩r|² / |k| ÷ Σ|k|``, P symmetric.

    >>> b_cubed([{1, 2}], [{1, 2, 3}])
    (2.0, 2, 1.3333333333333333, 3)
    """
    ov = _overlaps(key, response)
    r_num = math.fsum(n * n / len(key[i]) for (i, _), n in ov.items())
    p_num = math.fsum(n * n / len(response[j]) for (_, j), n in ov.items())
    return r_num, sum(map(len, key)), p_num, sum(map(len, response))


def ceaf_e(key: Clusters, response: Clusters) -> Nums:
    """CEAF-e (Luo 2005): the one-to-one cluster alignment maximising the total of
    ``φ4(k, r) = 2|k∩r| / (|k| + |r|)`` (Hungarian algorithm); ``R = Σφ4 / |K|``,
    ``P = Σφ4 / |R|``.

    >>> ceaf_e([{1, 2}, {3}], [{1, 2, 3}])
    (0.8, 2, 0.8, 1)
    """
    # imported here: scipy.optimize costs ~0.7 s, and every `newsgold score` imports this
    # module, coreference scored or not
    from scipy.optimize import linear_sum_assignment

    ov = _overlaps(key, response)
    if not ov:
        return 0.0, len(key), 0.0, len(response)
    rows = sorted({i for i, _ in ov})
    cols = sorted({j for _, j in ov})
    ri = {x: n for n, x in enumerate(rows)}
    ci = {x: n for n, x in enumerate(cols)}
    sim = np.zeros((len(rows), len(cols)))
    for (i, j), n in ov.items():
        sim[ri[i], ci[j]] = 2 * n / (len(key[i]) + len(response[j]))
    rr, cc = linear_sum_assignment(sim, maximize=True)
    total = math.fsum(sim[rr, cc].tolist())
    return total, len(key), total, len(response)


def _lea_side(a: Clusters, b: Clusters) -> tuple[float, float]:
    owner = _owner(b)
    ov = _overlaps(a, b)
    common = [0.0] * len(a)
    for (i, _), n in ov.items():
        common[i] += n * (n - 1) / 2
    num = 0.0
    for i, c in enumerate(a):
        if len(c) == 1:
            # a singleton is one self-link, resolved iff its mention is a singleton in b
            (m,) = tuple(c)
            hit = m in owner and len(b[owner[m]]) == 1
            num += 1.0 if hit else 0.0
        else:
            num += len(c) * common[i] / (len(c) * (len(c) - 1) / 2)
    return num, float(sum(map(len, a)))


def lea(key: Clusters, response: Clusters) -> Nums:
    """LEA (Moosavi and Strube 2016): each key entity weighted by its size, credited with
    the fraction of its links the response resolves; P symmetric. A singleton counts one
    self-link, resolved when its mention is a singleton in the other clustering (coval).

    >>> r_num, r_den, p_num, p_den = lea([{1, 2, 3}, {4, 5, 6, 7}], [{1, 2}, {3, 4}, {6, 7, 8, 9}])
    >>> round(r_num / r_den, 4), round(p_num / p_den, 4)
    (0.2381, 0.3333)
    """
    r = _lea_side(key, response)
    p = _lea_side(response, key)
    return r[0], r[1], p[0], p[1]


FUNCTIONS = {"MUC": muc, "B3": b_cubed, "CEAFe": ceaf_e, "LEA": lea}


def add_twinless(key: Clusters, response: Clusters) -> list[set]:
    """The key with every response mention it lacks added as a singleton cluster (Pradhan
    et al. 2014, section 3; what ``scorch`` does by default). Key mentions the response
    lacks stay as they are: they lower recall."""
    have = set().union(*key) if key else set()
    extra = sorted({m for c in response for m in c} - have, key=repr)
    return [set(c) for c in key] + [{m} for m in extra]


def prf(nums: Nums) -> tuple[float, float, float]:
    """Recall, precision and F1 of one metric's numbers (0 for any 0/0).

    >>> prf((1.0, 2.0, 1.0, 1.0))
    (0.5, 1.0, 0.6666666666666666)
    """
    r = nums[0] / nums[1] if nums[1] else 0.0
    p = nums[2] / nums[3] if nums[3] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return r, p, f


def score_clusters(key: Clusters, response: Clusters, *, twinless: bool = True) -> dict:
    """Every metric of one document: ``{name: (r_num, r_den, p_num, p_den)}``.

    >>> s = score_clusters([{1, 2}], [{1, 2}])
    >>> [prf(s[m])[2] for m in METRICS]
    [1.0, 1.0, 1.0, 1.0]
    """
    if twinless:
        key = add_twinless(key, response)
    response = [set(c) for c in response]
    return {name: fn(key, response) for name, fn in FUNCTIONS.items()}


def conll_f1(f_muc: np.ndarray, f_b3: np.ndarray, f_ceafe: np.ndarray) -> np.ndarray:
    """The CoNLL-2012 score: the unweighted mean of the MUC, B³ and CEAF-e F1 (not BLANC,
    not LEA)."""
    return (np.asarray(f_muc) + np.asarray(f_b3) + np.asarray(f_ceafe)) / 3


# --- mentions to clusters: the exact-span alignment through newsgold.match ---------------

#: which mentions each chain kind clusters (by Mention.kind)
CHAIN_KINDS = {"entities": ("entity", "timex", "value"), "hoppers": ("trigger",)}
#: mentions that are singletons when they name no cluster but their annotation has
#: clusters of that chain kind (a brat Equiv covers only chains of two or more)
SINGLETON_KINDS = {"entities": ("entity",), "hoppers": ("trigger",)}


@lru_cache(maxsize=1)
def _value_labels() -> frozenset[str]:
    """Labels of timexes and values (DATE, CARDINAL, ...): a brat or CoNLL reader gives them
    kind entity, but unchained they are not singleton entities."""
    from newsgold.schema import load_schema

    schema = load_schema()
    return frozenset(schema.value_labels) | frozenset(schema.timex_labels)


def chain_mentions(ann, chain: str) -> tuple[list[tuple[int, int, str]], int]:
    """The ``(start, end, cluster)`` of every mention of ``chain`` that names a cluster,
    each span once, and how many repeats were dropped.

    A span listed twice (in two clusters, or twice in one) is kept once, in the cluster met
    first in document order, as the reference scorer keeps a repeated response mention's
    first occurrence. A mention without a cluster id is a singleton when it is an entity
    mention (a trigger, for hoppers) and its annotation has clusters of this chain kind;
    otherwise it is not a coreference mention (an NER system's output has no clusters;
    timexes and values without an id, whatever their kind, are not chained).
    """
    if ann is None:
        return [], 0
    kinds = CHAIN_KINDS[chain]
    ms = [m for m in ann.mentions if m.kind in kinds]
    chained = any(m.cluster is not None for m in ms)
    unchained = _value_labels()
    items = sorted(
        (m.start, m.end, str(m.cluster) if m.cluster is not None else f"\0single:{m.start}:{m.end}")
        for m in ms
        if m.cluster is not None
        or (chained and m.kind in SINGLETON_KINDS[chain] and m.label not in unchained)
    )
    first_seen: dict[str, int] = {}
    for pos, (_, _, c) in enumerate(items):
        first_seen.setdefault(c, pos)
    out: dict[tuple[int, int], str] = {}
    repeated = 0
    for s, e, c in sorted(items, key=lambda x: (first_seen[x[2]], x[0], x[1])):
        if (s, e) in out:
            repeated += 1
        else:
            out[(s, e)] = c
    return sorted((s, e, c) for (s, e), c in out.items()), repeated


def aligned_clusters(
    gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]]
) -> tuple[list[set], list[set], int]:
    """Key and response clusters over shared mention ids, and the number of predicted
    mentions aligned to a gold mention.

    Mentions align on the exact span (:func:`newsgold.match.equal_pairs` on the span's
    key; spans are unique on each side, so the pairs are one-to-one). An aligned predicted
    mention takes its gold twin's id; an unaligned one keeps an id of its own, stays in its
    response cluster and becomes a key singleton under :func:`add_twinless`.
    """
    from newsgold.match import equal_pairs

    code: dict[tuple[int, int], int] = {}
    for s, e, _ in (*gold, *pred):
        code.setdefault((s, e), len(code))
    pairs = equal_pairs(
        np.array([code[(s, e)] for s, e, _ in gold], np.int64),
        np.array([code[(s, e)] for s, e, _ in pred], np.int64),
    )
    ids = list(range(len(gold)))
    pred_ids = [len(gold) + j for j in range(len(pred))]
    for g, p in zip(pairs.gold.tolist(), pairs.pred.tolist()):
        pred_ids[p] = ids[g]
    key: dict[str, set] = {}
    for i, (_, _, c) in enumerate(gold):
        key.setdefault(c, set()).add(i)
    resp: dict[str, set] = {}
    for i, (_, _, c) in zip(pred_ids, pred):
        resp.setdefault(c, set()).add(i)
    return list(key.values()), list(resp.values()), len(pairs)


def document_numbers(gold_ann, pred_ann, chain: str) -> tuple[dict[str, Nums], dict[str, int]]:
    """Every metric's numbers for one document and chain kind, and the mention counts."""
    g, g_rep = chain_mentions(gold_ann, chain)
    p, p_rep = chain_mentions(pred_ann, chain)
    key, resp, n_aligned = aligned_clusters(g, p)
    info = {
        "gold_mentions": len(g),
        "pred_mentions": len(p),
        "aligned_mentions": n_aligned,
        "gold_clusters": len(key),
        "pred_clusters": len(resp),
        "gold_repeated": g_rep,
        "pred_repeated": p_rep,
    }
    return score_clusters(key, resp), info

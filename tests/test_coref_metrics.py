"""Coreference metrics against scorch (the CoNLL-2011/2012 alternative scorer) and coval's
LEA loop, on hand cases and hypothesis-generated clusterings."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.metrics import coref

scores = pytest.importorskip("scorch.scores")

SCORCH = {"MUC": scores.muc, "B3": scores.b_cubed, "CEAFe": scores.ceaf_e}


def coval_lea(input_clusters, output_clusters):
    """coval's ``lea`` (Moosavi), transcribed: the reference for LEA, which scorch lacks."""
    mention_to_out = {m: i for i, c in enumerate(output_clusters) for m in c}
    num = den = 0.0
    for c in input_clusters:
        c = sorted(c)
        if len(c) == 1:
            all_links = 1
            common = (
                1
                if c[0] in mention_to_out and len(output_clusters[mention_to_out[c[0]]]) == 1
                else 0
            )
        else:
            common = 0
            all_links = len(c) * (len(c) - 1) / 2.0
            for i, m in enumerate(c):
                if m in mention_to_out:
                    for m2 in c[i + 1 :]:
                        if m2 in mention_to_out and mention_to_out[m] == mention_to_out[m2]:
                            common += 1
        num += len(c) * common / float(all_links)
        den += len(c)
    return num, den


def check_equal(key, response):
    """Our four metrics equal scorch's (and coval's LEA) on one document, with scorch's
    default twinless rule (system mentions missing from the key join it as singletons)."""
    ours = coref.score_clusters(key, response)
    full_key = coref.add_twinless(key, response)
    for name, fn in SCORCH.items():
        r, p, f = fn(full_key, [set(c) for c in response])
        mr, mp, mf = coref.prf(ours[name])
        assert math.isclose(mr, r, abs_tol=1e-9), (name, mr, r)
        assert math.isclose(mp, p, abs_tol=1e-9), (name, mp, p)
        assert math.isclose(mf, f, abs_tol=1e-9), (name, mf, f)
    rn, rd = coval_lea(full_key, response)
    pn, pd = coval_lea(response, full_key)
    assert math.isclose(ours["LEA"][0], rn) and ours["LEA"][1] == rd
    assert math.isclose(ours["LEA"][2], pn) and ours["LEA"][3] == pd
    conll = float(coref.conll_f1(*(coref.prf(ours[m])[2] for m in ("MUC", "B3", "CEAFe"))))
    assert math.isclose(conll, scores.conll2012(full_key, [set(c) for c in response]), abs_tol=1e-9)


HAND = {
    # Pradhan et al. (2014) / Moosavi and Strube (2016) running example
    "paper": ([{1, 2, 3}, {4, 5, 6, 7}], [{1, 2}, {3, 4}, {6, 7, 8, 9}]),
    "identity": ([{1, 2}, {3}], [{1, 2}, {3}]),
    "all merged": ([{1, 2}, {3, 4}], [{1, 2, 3, 4}]),
    "all split": ([{1, 2, 3}], [{1}, {2}, {3}]),
    "singleton in key only": ([{1, 2}, {3}], [{1, 2}]),
    "singleton in response only": ([{1, 2}], [{1, 2}, {3}]),
    "disjoint mentions": ([{1, 2}], [{3, 4}]),
    "empty response": ([{1, 2}, {3}], []),
    "empty key": ([], [{1, 2}]),
    "all key singletons": ([{1}, {2}], [{1, 2}]),
}


@pytest.mark.parametrize("name", sorted(HAND))
def test_hand_cases_equal_scorch(name):
    check_equal(*HAND[name])


def test_paper_example_numbers():
    # LEA of the running example, by hand: R = (3·1/3 + 4·1/6) / 7, P = (2·1 + 2·0 + 4·1/6) / 8
    key, resp = HAND["paper"]
    r, p, _ = coref.prf(coref.score_clusters(key, resp, twinless=False)["LEA"])
    assert math.isclose(r, (1 + 4 / 6) / 7)
    assert math.isclose(p, (2 + 4 / 6) / 8)


def test_identity_is_one_everywhere():
    key = [{1, 2, 3}, {4}, {5, 6}]
    s = coref.score_clusters(key, key)
    assert all(coref.prf(s[m]) == (1.0, 1.0, 1.0) for m in coref.METRICS)


@st.composite
def clusterings(draw):
    """A key and a response over partly shared mentions (some key mentions missed, some
    response mentions spurious), singletons included."""
    n = draw(st.integers(1, 14))
    key_ids = draw(st.lists(st.integers(0, 20), min_size=0, max_size=n, unique=True))
    resp_ids = draw(st.lists(st.integers(0, 20), min_size=0, max_size=n, unique=True))

    def part(ids):
        labels = draw(st.lists(st.integers(0, 4), min_size=len(ids), max_size=len(ids)))
        out: dict[int, set] = {}
        for m, c in zip(ids, labels):
            out.setdefault(c, set()).add(m)
        return list(out.values())

    return part(key_ids), part(resp_ids)


@settings(max_examples=2000, deadline=None)
@given(clusterings())
def test_equal_scorch_on_generated_clusterings(kr):
    check_equal(*kr)

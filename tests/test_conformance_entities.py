"""Our entity scores against the reference libraries themselves (test-only dependencies).

* nervaluate 1.2.1: the ``nervaluate`` preset must equal it on every random input; our
  default (optimal alignment) must equal it whenever greedy order cannot matter, and must
  never give less credit than it (it is an optimum over the same pairs).
* seqeval 1.2.2: the ``seqeval`` preset, and our default ``strict`` mode, must equal its
  per-label and micro/macro scores on spans decoded from random tag sequences.
* spaCy: the ``spacy`` preset must equal ``spacy.scorer.get_ner_prf``.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgold.match import SpanArrays
from newsgold.metrics.counts import CH, summary
from newsgold.metrics.entities import MODES, semeval_counts
from newsgold.metrics.presets import nervaluate_counts, set_match_counts, spacy_counts

nervaluate = pytest.importorskip("nervaluate")
seqeval_metrics = pytest.importorskip("seqeval.metrics")
from seqeval.metrics.sequence_labeling import get_entities  # noqa: E402

LABELS = ("LOC", "ORG", "PER")
# thousands of random cases per reference, kept to about a minute per test on 2 cores
SETTINGS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SPACY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def span_docs(draw, max_len=40, max_spans=8, max_span_len=12):
    """Documents of random, possibly overlapping, nested or duplicate spans, in list order."""
    n_docs = draw(st.integers(1, 4))
    docs = []
    for _ in range(n_docs):
        spans = []
        for _ in range(draw(st.integers(0, max_spans))):
            s = draw(st.integers(0, max_len - 1))
            e = draw(st.integers(s + 1, min(max_len, s + max_span_len)))
            spans.append((s, e, draw(st.sampled_from(LABELS))))
        docs.append(spans)
    return docs


@st.composite
def gold_and_pred(draw, **kw):
    gold = draw(span_docs(**kw))
    pred = []
    for doc in gold:
        p = []
        for s, e, lbl in doc:  # a realistic error mix derived from gold
            kind = draw(st.sampled_from(["same", "same", "shift", "relabel", "drop", "split"]))
            if kind == "same":
                p.append((s, e, lbl))
            elif kind == "shift":
                ns = max(0, s + draw(st.integers(-2, 2)))
                ne = max(ns + 1, e + draw(st.integers(-2, 2)))
                p.append((ns, ne, lbl))
            elif kind == "relabel":
                p.append((s, e, draw(st.sampled_from(LABELS))))
            elif kind == "split" and e - s > 1:
                m = (s + e) // 2
                p += [(s, m, lbl), (m, e, lbl)]
        p += draw(span_docs(max_spans=3)).pop(0)  # spurious ones
        pred.append(draw(st.permutations(p)))
    return gold, pred


def _arrays(docs):
    d, s, e, lab = [], [], [], []
    for i, doc in enumerate(docs):
        for a, b, lbl in doc:
            d.append(i)
            s.append(a)
            e.append(b)
            lab.append(LABELS.index(lbl))
    return SpanArrays.from_lists(d, s, e, lab)


def _default(gold, pred):
    return semeval_counts(_arrays(gold), _arrays(pred), LABELS)


def _nerv(gold, pred):
    def conv(docs):
        return [[{"label": lbl, "start": s, "end": e - 1} for s, e, lbl in doc] for doc in docs]

    # nervaluate's loader inference needs a first entity; wrap empty input ourselves
    if not any(gold) and not any(pred):
        return None
    ev = nervaluate.Evaluator(conv(gold), conv(pred), tags=list(LABELS), loader="dict")
    return ev.evaluate()


FIELDS = ("correct", "incorrect", "partial", "missed", "spurious")


def _assert_close(a: float, b: float) -> None:
    assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (a, b)


@SETTINGS
@given(gold_and_pred())
def test_nervaluate_preset_equals_nervaluate(data):
    gold, pred = data
    ref = _nerv(gold, pred)
    ours = nervaluate_counts(gold, pred, LABELS)
    if ref is None:
        return
    for mode in MODES:
        s = summary(ours[mode])
        r = ref["overall"][mode]
        for f in FIELDS:
            assert s["micro"][f] == getattr(r, f), (mode, f)
        _assert_close(s["micro"]["precision"], r.precision)
        _assert_close(s["micro"]["recall"], r.recall)
        _assert_close(s["micro"]["f1"], r.f1)
        for label, modes in ref["entities"].items():
            row = s["per_label"].get(label)
            r = modes[mode]
            if row is None:
                assert r.actual == r.possible == 0
                continue
            for f in FIELDS:
                assert row[f] == getattr(r, f), (mode, label, f)
            _assert_close(row["f1"], r.f1)


def _one_to_one(gold, pred) -> bool:
    """True when each span overlaps at most one span of the other side (order cannot matter)."""
    for g, p in zip(gold, pred):
        for a, b in ((g, p), (p, g)):
            for s, e, _ in a:
                if sum(1 for s2, e2, _ in b if s2 < e and s < e2) > 1:
                    return False
    return True


@SETTINGS
@given(gold_and_pred())
def test_default_equals_nervaluate_when_order_cannot_matter(data):
    gold, pred = data
    if not _one_to_one(gold, pred):
        return
    ref = _nerv(gold, pred)
    if ref is None:
        return
    ours = _default(gold, pred)
    for mode in MODES:
        s = summary(ours[mode])["micro"]
        r = ref["overall"][mode]
        for f in FIELDS:
            assert s[f] == getattr(r, f), (mode, f)
        _assert_close(s["f1"], r.f1)


@SETTINGS
@given(gold_and_pred())
def test_default_credit_is_never_below_greedy(data):
    gold, pred = data
    ref = _nerv(gold, pred)
    if ref is None:
        return
    ours = _default(gold, pred)
    for mode in MODES:
        s = summary(ours[mode])["micro"]
        r = ref["overall"][mode]
        assert s["correct"] + 0.5 * s["partial"] >= r.correct + 0.5 * r.partial, mode
        # every span is accounted for exactly once
        assert s["correct"] + s["incorrect"] + s["partial"] + s["spurious"] == s["n_pred"]
        assert s["correct"] + s["incorrect"] + s["partial"] + s["missed"] == s["n_gold"]


def test_default_is_order_independent_where_nervaluate_is_not():
    gold = [[(0, 10, "PER")]]
    partial_first = [[(0, 4, "PER"), (0, 10, "PER")]]
    exact_first = [[(0, 10, "PER"), (0, 4, "PER")]]
    # nervaluate (and our preset that pins it): the order changes strict counts
    a = _nerv(gold, partial_first)["overall"]["strict"]
    b = _nerv(gold, exact_first)["overall"]["strict"]
    assert (a.correct, a.incorrect, a.spurious) == (0, 1, 1)
    assert (b.correct, b.incorrect, b.spurious) == (1, 0, 1)
    pa = summary(nervaluate_counts(gold, partial_first, LABELS)["strict"])["micro"]
    assert (pa["correct"], pa["incorrect"]) == (0, 1)
    # ours: the same answer both ways, the optimal one
    for pred in (partial_first, exact_first):
        s = summary(_default(gold, pred)["strict"])["micro"]
        assert (s["correct"], s["incorrect"], s["spurious"]) == (1, 0, 1)


def test_semeval_documentation_example():
    """The worked example of nervaluate's README / David Batista's blog post."""
    gold = [[(5, 8, "PER"), (21, 22, "LOC"), (36, 38, "ORG"), (53, 54, "LOC"), (59, 61, "PER")]]
    # pred: exact PER; LOC shifted; ORG relabelled; a spurious PER; the last LOC and PER missed
    pred = [[(5, 8, "PER"), (21, 23, "LOC"), (36, 38, "PER"), (45, 46, "PER")]]
    ours = _default(gold, pred)
    ref = _nerv(gold, pred)
    for mode in MODES:
        s = summary(ours[mode])["micro"]
        for f in FIELDS:
            assert s[f] == getattr(ref["overall"][mode], f)
    strict = summary(ours["strict"])["micro"]
    assert (strict["correct"], strict["incorrect"], strict["missed"], strict["spurious"]) == (
        1,
        2,
        2,
        1,
    )
    partial = summary(ours["partial"])["micro"]
    assert (partial["correct"], partial["partial"]) == (2, 1)


# --- seqeval ------------------------------------------------------------------------------

TAGS = ["O", "O", "O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER"]


@st.composite
def tag_docs(draw):
    n = draw(st.integers(1, 5))
    return [draw(st.lists(st.sampled_from(TAGS), min_size=0, max_size=25)) for _ in range(n)]


def _decode(docs):
    out = []
    for tags in docs:
        out.append([(s, e + 1, lbl) for lbl, s, e in get_entities(tags)])
    return out


@SETTINGS
@given(tag_docs(), tag_docs())
def test_seqeval_preset_and_strict_equal_seqeval(y_true, y_pred):
    n = min(len(y_true), len(y_pred))
    y_true = y_true[:n]
    y_pred = [p[: len(t)] + ["O"] * (len(t) - len(p)) for t, p in zip(y_true, y_pred[:n])]
    gold, pred = _decode(y_true), _decode(y_pred)
    labels = tuple(sorted({lbl for d in gold + pred for _, _, lbl in d}) or LABELS)
    if not any(gold) and not any(pred):
        return
    report = seqeval_metrics.classification_report(
        y_true, y_pred, output_dict=True, zero_division=0
    )
    ours = summary(set_match_counts(gold, pred, labels, "seqeval"), macro_over="any")
    for label, row in ours["per_label"].items():
        _assert_close(row["precision"], report[label]["precision"])
        _assert_close(row["recall"], report[label]["recall"])
        _assert_close(row["f1"], report[label]["f1-score"])
        assert row["n_gold"] == report[label]["support"]
    _assert_close(ours["micro"]["f1"], seqeval_metrics.f1_score(y_true, y_pred, zero_division=0))
    _assert_close(ours["macro"]["f1"], report["macro avg"]["f1-score"])
    _assert_close(ours["macro"]["precision"], report["macro avg"]["precision"])
    # our default strict mode gives seqeval's micro numbers on tag-derived spans
    lab_idx = {lbl: i for i, lbl in enumerate(labels)}

    def arr(docs):
        rows = [(i, s, e, lab_idx[lbl]) for i, d in enumerate(docs) for s, e, lbl in d]
        return (
            SpanArrays.from_lists(*(list(c) for c in zip(*rows)))
            if rows
            else SpanArrays.from_lists([], [], [], [])
        )

    strict = summary(semeval_counts(arr(gold), arr(pred), labels)["strict"])["micro"]
    _assert_close(
        strict["precision"], seqeval_metrics.precision_score(y_true, y_pred, zero_division=0)
    )
    _assert_close(strict["recall"], seqeval_metrics.recall_score(y_true, y_pred, zero_division=0))


# --- spaCy --------------------------------------------------------------------------------


@st.composite
def token_docs(draw):
    n = draw(st.integers(1, 3))
    docs = []
    for _ in range(n):
        n_tok = draw(st.integers(1, 15))

        def ents(n_tok=n_tok):
            spans, i = [], 0
            while i < n_tok:
                if draw(st.booleans()):
                    j = draw(st.integers(i + 1, min(n_tok, i + 3)))
                    spans.append((i, j, draw(st.sampled_from(LABELS))))
                    i = j
                i += 1
            return spans

        docs.append((n_tok, ents(), ents()))
    return docs


@functools.lru_cache(maxsize=1)
def _blank():
    import spacy

    return spacy.blank("en")


@SPACY_SETTINGS
@given(token_docs())
def test_spacy_preset_equals_get_ner_prf(docs):
    import spacy
    from spacy.scorer import get_ner_prf
    from spacy.tokens import Span as SpacySpan
    from spacy.training import Example

    nlp = _blank()
    examples, gold, pred, tokens = [], [], [], []
    for n_tok, g, p in docs:
        words = [f"w{i}" for i in range(n_tok)]
        ref = spacy.tokens.Doc(nlp.vocab, words=words)
        hyp = spacy.tokens.Doc(nlp.vocab, words=words)
        ref.ents = [SpacySpan(ref, s, e, label=lbl) for s, e, lbl in g]
        hyp.ents = [SpacySpan(hyp, s, e, label=lbl) for s, e, lbl in p]
        examples.append(Example(hyp, ref))
        toks = [(t.idx, t.idx + len(t)) for t in ref]
        tokens.append(toks)
        gold.append([(toks[s][0], toks[e - 1][1], lbl) for s, e, lbl in g])
        pred.append([(toks[s][0], toks[e - 1][1], lbl) for s, e, lbl in p])
    ref_scores = get_ner_prf(examples)
    ours = summary(spacy_counts(gold, pred, tokens, LABELS), macro_over="none")
    if ref_scores["ents_p"] is None:
        assert ours["micro"]["n_gold"] == ours["micro"]["n_pred"] == 0
        return
    _assert_close(ours["micro"]["precision"], ref_scores["ents_p"])
    _assert_close(ours["micro"]["recall"], ref_scores["ents_r"])
    _assert_close(ours["micro"]["f1"], ref_scores["ents_f"])
    for label, row in ref_scores["ents_per_type"].items():
        _assert_close(ours["per_label"][label]["f1"], row["f"])


def test_spacy_preset_snaps_predictions_to_reference_tokens():
    tokens = [[(0, 7), (8, 17), (18, 23)]]  # "Russian President Putin"
    gold = [[(18, 23, "PER")]]
    pred = [[(19, 23, "PER")]]  # starts inside a token: spaCy expands it
    s = summary(spacy_counts(gold, pred, tokens, LABELS), macro_over="none")["micro"]
    assert s["correct"] == 1
    strict = summary(_default(gold, pred)["strict"])["micro"]
    assert strict["correct"] == 0 and strict["incorrect"] == 1


def test_counts_channels_are_consistent_on_empty_input():
    c = semeval_counts(_arrays([[]]), _arrays([[]]), LABELS)
    for mode in MODES:
        assert np.all(c[mode].overall_totals() == 0)
        assert summary(c[mode])["micro"]["f1"] == 0.0
    assert CH["n_gold"] == len(CH) - 1


def test_seqeval_documentation_example():
    """The example of seqeval's README and docstrings."""
    y_true = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
    y_pred = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
    gold, pred = _decode(y_true), _decode(y_pred)
    ours = summary(set_match_counts(gold, pred, ("MISC", "PER"), "seqeval"), macro_over="any")
    assert ours["micro"]["f1"] == seqeval_metrics.f1_score(y_true, y_pred) == 0.5
    assert ours["macro"]["f1"] == 0.5
    assert ours["per_label"]["MISC"]["f1"] == 0.0 and ours["per_label"]["PER"]["f1"] == 1.0


def test_seqeval_strict_mode_is_ignored_without_a_scheme():
    """A known seqeval pitfall, pinned: ``mode='strict'`` without ``scheme`` is the lenient
    default. An I- after O starts an entity in the default mode but not in strict IOB2."""
    from seqeval.scheme import IOB2

    y_true = [["B-PER", "I-PER", "O"]]
    y_pred = [["I-PER", "I-PER", "O"]]
    lenient = seqeval_metrics.f1_score(y_true, y_pred)
    ignored = seqeval_metrics.f1_score(y_true, y_pred, mode="strict")
    strict = seqeval_metrics.f1_score(y_true, y_pred, mode="strict", scheme=IOB2)
    assert lenient == ignored == 1.0
    assert strict == 0.0
    # span level: the lenient decoding gives the gold span, so strict span F1 is 1 as well
    assert summary(_default(_decode(y_true), _decode(y_pred))["strict"])["micro"]["f1"] == 1.0


# --- the same, from tag sequences and from raw exclusive ends ----------------------------

BIO = ["O", "O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER"]


@st.composite
def paired_tags(draw):
    n = draw(st.integers(1, 4))
    lengths = [draw(st.integers(0, 20)) for _ in range(n)]
    true = [[draw(st.sampled_from(BIO)) for _ in range(k)] for k in lengths]
    pred = [[draw(st.sampled_from(BIO)) for _ in range(k)] for k in lengths]
    return true, pred


@SETTINGS
@given(paired_tags())
def test_score_tags_equals_seqeval_and_nervaluate_on_tags(data):
    from newsgold.tag_scoring import score_tags

    y_true, y_pred = data
    if not any(t != "O" for seq in y_true + y_pred for t in seq):
        return
    s = score_tags(y_true, y_pred, preset="seqeval").summaries["seqeval"]
    _assert_close(s["micro"]["f1"], seqeval_metrics.f1_score(y_true, y_pred, zero_division=0))
    report = seqeval_metrics.classification_report(
        y_true, y_pred, output_dict=True, zero_division=0
    )
    _assert_close(s["macro"]["f1"], report["macro avg"]["f1-score"])
    ours = score_tags(y_true, y_pred).summaries
    _assert_close(
        ours["strict"]["micro"]["f1"], seqeval_metrics.f1_score(y_true, y_pred, zero_division=0)
    )
    ref = nervaluate.Evaluator(y_true, y_pred, tags=list(LABELS), loader="list").evaluate()
    nv = score_tags(y_true, y_pred, preset="nervaluate").summaries
    for mode in MODES:
        for f in FIELDS:
            assert nv[mode]["micro"][f] == getattr(ref["overall"][mode], f), (mode, f)


@SETTINGS
@given(gold_and_pred())
def test_nervaluate_raw_preset_equals_nervaluate_given_exclusive_ends(data):
    gold, pred = data
    if not any(gold) and not any(pred):
        return

    def raw(docs):
        return [[{"label": lbl, "start": s, "end": e} for s, e, lbl in doc] for doc in docs]

    ref = nervaluate.Evaluator(raw(gold), raw(pred), tags=list(LABELS), loader="dict").evaluate()
    ours = nervaluate_counts(gold, pred, LABELS, raw_ends=True)
    for mode in MODES:
        s = summary(ours[mode])["micro"]
        for f in FIELDS:
            assert s[f] == getattr(ref["overall"][mode], f), (mode, f)


def test_nervaluate_raw_ends_make_touching_spans_overlap():
    gold, pred = [[(0, 5, "PER")]], [[(5, 9, "PER")]]
    fixed = summary(nervaluate_counts(gold, pred, LABELS)["ent_type"])["micro"]
    raw = summary(nervaluate_counts(gold, pred, LABELS, raw_ends=True)["ent_type"])["micro"]
    assert (fixed["correct"], fixed["spurious"]) == (0, 1)
    assert raw["correct"] == 1  # 'Putin' and the next word touch, and nervaluate sees overlap


@pytest.mark.parametrize(
    ("tags", "seqeval_reads", "we_read"),
    [
        (["U-PER", "U-PER"], [("PER", 0, 1)], [("PER", 0, 0), ("PER", 1, 1)]),
        (["B-PER", "L-PER", "U-PER"], [("PER", 0, 2)], [("PER", 0, 1), ("PER", 2, 2)]),
    ],
)
def test_bilou_sequences_seqeval_misreads(tags, seqeval_reads, we_read):
    """A deliberate difference, pinned: seqeval's default decoder knows B/I/E/S, not BILOU's
    L and U, so two adjacent single-token entities merge. We read L as E and U as S."""
    import warnings

    from newsgold.formats.conll import decode, split_tag

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert get_entities(tags) == seqeval_reads
    assert decode([split_tag(t) for t in tags]) == we_read

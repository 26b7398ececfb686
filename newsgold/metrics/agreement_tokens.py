"""Inter-annotator agreement on tokens and attributes: chance-corrected coefficients.

Span layers have no well-defined negatives, so their agreement is F1
(:mod:`newsgold.metrics.agreement`). Here each token gets one tag per layer (IO tags,
:func:`token_tags`), and two raters' tags are compared by Cohen's κ (scikit-learn's
``cohen_kappa_score``), any number of raters' by Krippendorff's α, nominal (the
``krippendorff`` package); realis and polarity are compared on the triggers both
annotators marked. Token-level numbers need the same text and tokens in every file
(:func:`tokenisation_check`).
"""

from __future__ import annotations

from newsgold.model import TRIGGER, Annotation

#: the attributes compared on triggers both annotators marked (same span and type)
TRIGGER_ATTRIBUTES = ("realis", "polarity")


def token_tags(ann: Annotation, kind: str) -> list[str]:
    """One tag per token for one layer: the label of the span covering the token, else
    ``O`` (IO tags; of overlapping spans the longest, then the earliest, wins, as in
    ``spacy.util.filter_spans``). Tokens are the annotation's own."""
    spans = sorted(
        (m for m in ann.mentions if m.kind == kind),
        key=lambda m: (-(m.end - m.start), m.start, m.label),
    )
    tags = ["O"] * len(ann.document.tokens)
    taken = [False] * len(tags)
    for m in spans:
        idx = [i for i, t in enumerate(ann.document.tokens) if t.start < m.end and m.start < t.end]
        if idx and not any(taken[i] for i in idx):
            for i in idx:
                tags[i], taken[i] = m.label, True
    return tags


def cohen_kappa(tags_a: list[str], tags_b: list[str]) -> float | None:
    """Cohen's κ of two raters' token tags (``sklearn.metrics.cohen_kappa_score``); None
    when it is undefined (both raters gave one and the same tag to every token).

    >>> cohen_kappa(["O", "PER", "PER", "O"], ["O", "PER", "O", "O"])
    0.5
    """
    from sklearn.metrics import cohen_kappa_score

    if not tags_a or len(set(tags_a) | set(tags_b)) < 2:
        return None
    return float(cohen_kappa_score(tags_a, tags_b))


def krippendorff_alpha(tags: list[list[str | None]]) -> float | None:
    """Krippendorff's α (nominal) of any number of raters' token tags, one list per rater,
    None marking a token a rater did not annotate (the ``krippendorff`` package, with
    ``level_of_measurement="nominal"``; its default is interval). None when undefined
    (fewer than two values in all) or when the package is not installed."""
    try:
        import krippendorff
    except ImportError:
        return None
    import numpy as np

    values = sorted({t for row in tags for t in row if t is not None})
    if len(values) < 2:
        return None
    code = {v: i for i, v in enumerate(values)}
    data = np.array([[np.nan if t is None else code[t] for t in row] for row in tags], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def trigger_attribute_agreement(
    a: dict[str, Annotation], b: dict[str, Annotation], docs: list[str]
) -> dict[str, dict]:
    """Realis and polarity on the triggers both annotators marked with the same span and
    event type: how many such pairs, how many agree, the observed agreement and Cohen's κ
    (None when undefined)."""
    pairs: list[tuple] = []
    for d in docs:
        left: dict[tuple, list] = {}
        for m in a[d].mentions:
            if m.kind == TRIGGER:
                left.setdefault((m.start, m.end, m.label), []).append(m)
        for m in b[d].mentions:
            if m.kind == TRIGGER and left.get((m.start, m.end, m.label)):
                pairs.append((left[(m.start, m.end, m.label)].pop(0), m))
    out = {}
    for attr in TRIGGER_ATTRIBUTES:
        xs = [str(x.attrs.get(attr)) for x, _ in pairs]
        ys = [str(y.attrs.get(attr)) for _, y in pairs]
        agree = sum(x == y for x, y in zip(xs, ys))
        out[attr] = {
            "matched_triggers": len(pairs),
            "agree": agree,
            "observed": agree / len(pairs) if pairs else None,
            "kappa": cohen_kappa(xs, ys),
        }
    return out


def _token_key(ann: Annotation) -> tuple:
    return tuple((t.text, t.start, t.end) for t in ann.document.tokens)


def tokenisation_check(files: dict[str, dict[str, Annotation]]) -> tuple[list[str], list[dict]]:
    """The documents every token-level comparison may use, and those it may not: a
    document whose text or tokens differ between files (or that has no tokens) is listed
    with the files that differ, never silently mis-aligned."""
    names = list(files)
    docs = sorted(set().union(*(set(f) for f in files.values())))
    usable, problems = [], []
    for d in docs:
        have = [n for n in names if d in files[n]]
        if len(have) < 2:
            continue
        first = files[have[0]][d]
        texts = {files[n][d].document.text for n in have}
        tokens = {_token_key(files[n][d]) for n in have}
        if len(texts) > 1:
            problems.append({"doc_id": d, "files": have, "problem": "the texts differ"})
        elif len(tokens) > 1 or not first.document.tokens:
            groups: dict[tuple, list[str]] = {}
            for n in have:
                groups.setdefault(_token_key(files[n][d]), []).append(n)
            what = (
                "no tokens"
                if not first.document.tokens and len(tokens) == 1
                else (
                    "tokenised differently: "
                    + " vs ".join(f"{', '.join(g)} ({len(k)} tokens)" for k, g in groups.items())
                )
            )
            problems.append({"doc_id": d, "files": have, "problem": what})
        else:
            usable.append(d)
    return usable, problems

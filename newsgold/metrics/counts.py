"""Counts, the currency between layers, and the one definition of P, R and F from them.

A :class:`Counts` holds integer counts per unit (document or sentence), per label and per
channel. Scores are computed only from summed counts, so micro and macro averages, the
bootstrap and paired tests are all sums of the same vectors and can never disagree with the
headline numbers.

Channels (SemEval-2013 task 9.1 vocabulary, as in nervaluate):

* ``correct``, ``partial``, ``incorrect``: aligned pairs, counted under the *gold* label;
* ``missed``: gold spans left unaligned; ``spurious``: predictions left unaligned (under the
  predicted label);
* ``correct_pred``, ``partial_pred``: the same credited pairs counted under the *predicted*
  label (they differ from ``correct``/``partial`` only in label-blind modes);
* ``n_pred`` (SemEval's *actual*) and ``n_gold`` (*possible*).

Definitions (micro, and per label):

    precision = (correct_pred + 0.5 * partial_pred) / n_pred
    recall    = (correct + 0.5 * partial) / n_gold
    f1        = 2 * precision * recall / (precision + recall)

with 0 for any 0/0. ``partial`` is non-zero only in the ``partial`` mode, so the 0.5 weight is
SemEval's partial credit there and has no effect elsewhere. Macro averages are unweighted means
of the per-label precision, recall and F1 over **the labels with gold support** (n_gold > 0);
a label that only the system uses still lowers micro precision but is not averaged in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CHANNELS = (
    "correct",
    "incorrect",
    "partial",
    "missed",
    "spurious",
    "correct_pred",
    "partial_pred",
    "n_pred",
    "n_gold",
)
CH = {name: i for i, name in enumerate(CHANNELS)}


@dataclass(frozen=True)
class Counts:
    """Counts of one matching mode: ``data[unit, label, channel]``.

    ``overall``, when given, holds ``[unit, channel]`` counts for the micro average that are
    not the sum over labels (the nervaluate preset, whose per-label and overall passes are
    separate alignments); otherwise the micro average sums the labels.
    """

    mode: str
    labels: tuple[str, ...]
    units: tuple[str, ...]
    data: np.ndarray
    overall: np.ndarray | None = None

    def totals(self) -> np.ndarray:
        """``[label, channel]`` sums over units."""
        return self.data.sum(axis=0)

    def overall_totals(self) -> np.ndarray:
        """``[channel]`` sums for the micro average."""
        if self.overall is not None:
            return self.overall.sum(axis=0)
        return self.data.sum(axis=(0, 1))


#: the fate of one span or pair: ``(outcome, gold_index, pred_index)``, indices into one
#: document's span lists (None on the side with no span); outcomes are ``correct``,
#: ``partial``, ``incorrect`` (aligned pairs), ``missed`` and ``spurious``
Outcome = tuple[str, "int | None", "int | None"]


@dataclass(frozen=True)
class SpanUnits:
    """The resampling units of a corpus and the unit of every span.

    Units are documents, or sentences: a span belongs to the sentence its start lies in.
    ``bases[d]`` is the index of document ``d``'s first unit and ``starts[d]`` the start
    offsets of its units (``[0]`` for a whole document).

    >>> u = SpanUnits.by_segments(["a", "b"], [[0, 10], [0]])
    >>> u.names, u.unit(0, 12), u.unit(1, 3)
    (('a#s0', 'a#s1', 'b#s0'), 1, 2)
    """

    names: tuple[str, ...]
    bases: tuple[int, ...]
    starts: tuple[np.ndarray, ...]

    @classmethod
    def by_document(cls, gold: Sequence, pred: Sequence = (), names=None) -> SpanUnits:
        n = max(len(gold), len(pred))
        names = tuple(str(i) for i in range(n)) if names is None else tuple(names)
        zero = np.zeros(1, np.int64)
        return cls(names, tuple(range(n)), (zero,) * n)

    @classmethod
    def by_segments(cls, doc_ids: Sequence[str], starts: Sequence[Sequence[int]]) -> SpanUnits:
        names: list[str] = []
        bases = []
        arrays = []
        for d, s in zip(doc_ids, starts, strict=True):
            s = list(s) or [0]
            bases.append(len(names))
            arrays.append(np.asarray(s, np.int64))
            names += [f"{d}#s{i}" for i in range(len(s))]
        return cls(tuple(names), tuple(bases), tuple(arrays))

    def unit(self, doc: int, start: int) -> int:
        """The unit of a span of document ``doc`` starting at ``start``."""
        k = int(np.searchsorted(self.starts[doc], start, side="right")) - 1
        return self.bases[doc] + max(k, 0)

    def units_of(self, doc: np.ndarray, start: np.ndarray) -> np.ndarray:
        """:meth:`unit` for arrays of spans."""
        out = np.empty(len(doc), np.int64)
        for d in np.unique(doc).tolist():
            rows = doc == d
            idx = np.searchsorted(self.starts[d], start[rows], side="right") - 1
            out[rows] = self.bases[d] + np.maximum(idx, 0)
        return out


def counts_from_outcomes(
    mode: str,
    labels: tuple[str, ...],
    gold: Sequence[Sequence[tuple[int, int, str]]],
    pred: Sequence[Sequence[tuple[int, int, str]]],
    outcomes: Sequence[Sequence[Outcome]],
    units: SpanUnits,
) -> Counts:
    """Counts of an alignment given as per-document :data:`Outcome` rows.

    The rule is the one of the vectorised default (:mod:`newsgold.metrics.entities`): an
    aligned pair counts in its gold span's unit (``correct``/``partial``/``incorrect`` under
    the gold label, ``correct_pred``/``partial_pred`` under the predicted one), a missed
    span in its unit, a spurious one in its unit. ``n_gold``/``n_pred`` count the spans
    that appear in the rows, so a span a preset leaves out (a duplicate, a filtered one)
    counts nowhere.

    >>> c = counts_from_outcomes("strict", ("PER",), [[(0, 5, "PER")]], [[(0, 5, "PER")]],
    ...                          [[("correct", 0, 0)]], SpanUnits.by_document([0]))
    >>> c.totals()[0, [CH["correct"], CH["n_pred"], CH["n_gold"]]].tolist()
    [1, 1, 1]
    """
    lab = {name: i for i, name in enumerate(labels)}
    n_l, n_c = len(labels), len(CHANNELS)
    cells: list[int] = []

    def add(unit: int, label: str, channel: str) -> None:
        cells.append((unit * n_l + lab[label]) * n_c + CH[channel])

    for d, rows in enumerate(outcomes):
        g, p = gold[d], pred[d]
        for kind, gi, pi in rows:
            gu = None if gi is None else units.unit(d, g[gi][0])
            pu = None if pi is None else units.unit(d, p[pi][0])
            if gi is not None:
                add(gu, g[gi][2], "n_gold")  # type: ignore[arg-type]
            if pi is not None:
                add(pu, p[pi][2], "n_pred")  # type: ignore[arg-type]
            if kind == "missed":
                add(gu, g[gi][2], "missed")  # type: ignore[arg-type, index]
            elif kind == "spurious":
                add(pu, p[pi][2], "spurious")  # type: ignore[arg-type, index]
            else:
                add(gu, g[gi][2], kind)  # type: ignore[arg-type, index]
                if kind in ("correct", "partial"):
                    add(gu, p[pi][2], kind + "_pred")  # type: ignore[arg-type, index]
    size = len(units.names) * n_l * n_c
    flat = np.bincount(np.asarray(cells, np.int64), minlength=size)
    return Counts(mode, tuple(labels), units.names, flat.reshape(len(units.names), n_l, n_c))


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den > 0)


def prf(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and F1 from counts whose last axis is :data:`CHANNELS`.

    Works on any leading shape: one row of totals, per-label totals, or bootstrap replicates.

    >>> c = np.zeros(len(CHANNELS), dtype=int)
    >>> c[CH["correct"]] = c[CH["correct_pred"]] = 3; c[CH["n_pred"]] = 4; c[CH["n_gold"]] = 6
    >>> [round(float(x), 3) for x in prf(c)]
    [0.75, 0.5, 0.6]
    """
    p = _div(
        counts[..., CH["correct_pred"]] + 0.5 * counts[..., CH["partial_pred"]],
        counts[..., CH["n_pred"]],
    )
    r = _div(
        counts[..., CH["correct"]] + 0.5 * counts[..., CH["partial"]], counts[..., CH["n_gold"]]
    )
    f = _div(2 * p * r, p + r)
    return p, r, f


def micro(counts_overall: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Micro P/R/F from ``[..., channel]`` overall counts."""
    return prf(counts_overall)


def _support(counts_by_label: np.ndarray, macro_over: str) -> np.ndarray:
    if macro_over == "gold":
        return counts_by_label[..., CH["n_gold"]] > 0
    if macro_over == "any":
        return (counts_by_label[..., CH["n_gold"]] > 0) | (counts_by_label[..., CH["n_pred"]] > 0)
    raise ValueError(f"macro_over must be gold or any, not {macro_over!r}")


def macro(
    counts_by_label: np.ndarray, macro_over: str = "gold"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Macro P/R/F: unweighted means of per-label scores over the labels with gold support
    (``macro_over="gold"``) or in gold or prediction (``"any"``), from ``[..., label, channel]``."""
    p, r, f = prf(counts_by_label)
    support = _support(counts_by_label, macro_over)
    n = support.sum(axis=-1)
    return (
        _div((p * support).sum(axis=-1), n),
        _div((r * support).sum(axis=-1), n),
        _div((f * support).sum(axis=-1), n),
    )


def summary(counts: Counts, *, macro_over: str = "gold") -> dict:
    """Per-label and averaged scores of one :class:`Counts`, as plain numbers.

    ``macro_over`` is ``"gold"`` (labels with gold support; our default), ``"any"`` (labels
    in gold or prediction: seqeval's choice) or ``"none"`` (no macro average: conlleval,
    spaCy).
    """
    totals = counts.totals()
    p, r, f = prf(totals)
    per_label = {}
    for i, name in enumerate(counts.labels):
        row = {ch: int(totals[i, CH[ch]]) for ch in CHANNELS}
        if row["n_gold"] == 0 and row["n_pred"] == 0:
            continue
        row.update(precision=float(p[i]), recall=float(r[i]), f1=float(f[i]))
        per_label[name] = row
    overall = counts.overall_totals()
    mp, mr, mf = micro(overall)
    result = {
        "mode": counts.mode,
        "micro": {
            **{ch: int(overall[CH[ch]]) for ch in CHANNELS},
            "precision": float(mp),
            "recall": float(mr),
            "f1": float(mf),
        },
        "per_label": per_label,
    }
    if macro_over != "none":
        ap, ar, af = macro(totals, macro_over)
        result["macro"] = {
            "precision": float(ap),
            "recall": float(ar),
            "f1": float(af),
            "labels": int(_support(totals, macro_over).sum()),
            "over": macro_over,
        }
    return result

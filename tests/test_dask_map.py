"""The scoring map run by ``dask.bag`` (docs/scale.md) equals the single-process score."""

from __future__ import annotations

import copy
import pickle
from functools import partial
from pathlib import Path

import pytest

db = pytest.importorskip("dask.bag")

from newsgold.corpus.annotations import load_annotations  # noqa: E402
from newsgold.event_scoring import EventOptions  # noqa: E402
from newsgold.layers import (  # noqa: E402
    document_chunks,
    map_chunk,
    plan_layer,
    score_layer,
    sum_counts,
)
from newsgold.metrics.counts import summary  # noqa: E402
from newsgold.model import TRIGGER  # noqa: E402
from newsgold.scoring import EntityOptions  # noqa: E402

GOLD = Path(__file__).resolve().parent.parent / "annotations" / "gold.jsonl"


def _perturbed(gold):
    """The gold with entity labels, boundaries and arguments changed and mentions dropped,
    differently in each document (``d`` shifts the pattern)."""
    pred = copy.deepcopy(gold)
    for d, ann in enumerate(pred.values()):
        ents = [m for m in ann.mentions if m.kind != TRIGGER]
        for i, m in enumerate(ents):
            if (i + d) % 5 == 0:
                m.label = "ORG" if m.label != "ORG" else "PERSON"
            elif (i + d) % 7 == 0:
                m.end = max(m.start + 1, m.end - 1)
        dropped = {id(m) for i, m in enumerate(ents) if (i + d) % 11 == 3}
        ann.relations = [
            r for i, r in enumerate(ann.relations) if i % 4 and id(r.child) not in dropped
        ]
        ann.mentions = [m for m in ann.mentions if id(m) not in dropped]
    return pred


CASES = [
    ("entities", EntityOptions(n_resamples=0)),
    ("entities", EntityOptions(n_resamples=0, units="document")),
    ("events", EventOptions(n_resamples=0)),
    ("events", EventOptions(n_resamples=0, units="document")),
]


def _copies(gold, n):
    """The bundled gold (one document) as ``n`` documents, so there is something to split."""
    out = {}
    for k in range(n):
        for doc_id, ann in gold.items():
            new = copy.deepcopy(ann)
            new.document.doc_id = f"{doc_id}-{k:02d}"
            out[new.document.doc_id] = new
    return out


@pytest.fixture(scope="module")
def data():
    gold = _copies(load_annotations(GOLD), 12)
    return gold, _perturbed(gold)


def _whole_counts(layer, result):
    # entities: metric -> Counts (one level, "exact"); events: metric -> level -> Counts
    if layer == "entities":
        return {m: {"exact": c} for m, c in result.counts.items()}
    return result.counts


@pytest.mark.parametrize(("layer", "options"), CASES)
def test_dask_bag_equals_single_process(data, layer, options):
    gold, pred = data
    chunks = document_chunks(gold, 1)
    assert len(chunks) == 12
    plan = plan_layer(layer, gold, pred, options)
    # the three lines of docs/scale.md
    bag = db.from_sequence(chunks, npartitions=4).map(partial(map_chunk, plan))
    total = bag.reduction(sum_counts, sum_counts).compute(scheduler="synchronous")
    assert bag.npartitions == 4

    whole = _whole_counts(layer, score_layer(layer, gold, pred, options))
    assert set(total.counts) == set(whole)
    for metric, levels in whole.items():
        assert set(total.counts[metric]) == set(levels), metric
        for level, c in levels.items():
            mine = total.counts[metric][level]
            assert mine.units == c.units, (metric, level)
            assert mine.labels == c.labels, (metric, level)
            assert mine.data.shape == c.data.shape, (metric, level)
            assert (mine.data == c.data).all(), (metric, level)
            if layer == "entities":
                assert summary(mine)["micro"] == summary(c)["micro"], metric
    # the perturbation is seen: the counts are not those of the gold scored against itself
    perfect = _whole_counts(layer, score_layer(layer, gold, gold, options))
    assert any(
        not (perfect[m][lv].data == c.data).all()
        for m, levels in whole.items()
        for lv, c in levels.items()
    )


def test_plan_survives_pickling(data):
    """Process and distributed schedulers pickle the mapped function and its plan."""
    gold, pred = data
    for layer in ("entities", "events"):
        plan = plan_layer(layer, gold, pred)
        ids = document_chunks(gold, 5)[0]
        a, b = map_chunk(plan, ids), map_chunk(pickle.loads(pickle.dumps(plan)), ids)
        for metric, levels in a.counts.items():
            for level, c in levels.items():
                assert (b.counts[metric][level].data == c.data).all()


def test_document_chunks_rejects_zero():
    with pytest.raises(ValueError, match="chunk"):
        document_chunks({"a": None}, 0)

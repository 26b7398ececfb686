"""``newsgold.frames()``: one row per item, ids that join, counts equal to the gold's."""

from __future__ import annotations

from repo_copy import DATA, ROOT, TRICKY_ARTICLE, copy_repo

import newsgold
from newsgold.corpus.annotations import load_annotations
from newsgold.corpus.intake import Article, add_articles
from newsgold.corpus.merge import import_annotations


def test_frames_of_the_gold_join_and_count():
    f = newsgold.frames(root=ROOT)
    [ann] = load_annotations(ROOT / "annotations" / "gold.jsonl").values()
    assert len(f.mentions) == len(ann.mentions) and f.mentions.mention_id.is_unique
    assert len(f.events) == len(ann.events) and f.events.event_id.is_unique
    assert len(f.arguments) == sum(len(e.arguments) for e in ann.events) == len(ann.relations)
    assert len(f.entities) == sum(c.kind == "entity" for c in ann.clusters)
    assert f.entities.entity_id.is_unique
    # every id joins
    assert set(f.arguments.mention_id) <= set(f.mentions.mention_id)
    assert set(f.arguments.event_id) <= set(f.events.event_id)
    assert set(f.mentions.entity_id.dropna()) <= set(f.entities.entity_id)
    assert set(f.events.event_id) <= set(f.mentions.event_id.dropna())
    assert set(f.mentions.doc_id) <= set(f.documents.doc_id)
    # a joined view: who is the Actor of the first REQUEST
    joined = f.arguments.merge(f.events, on="event_id").merge(f.entities, on="entity_id")
    first = joined[(joined.type == "REQUEST") & (joined.role == "PLOVER.Actor")].iloc[0]
    assert first["name"] == "Putin"
    texts = f.mentions.set_index("mention_id").text
    for m in ann.mentions[:20]:
        assert texts[f"{ann.doc_id}/{m.id}"] == ann.document.text[m.start : m.end]


def test_frames_follow_add_and_import(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    before = newsgold.frames(root=repo).documents.corpus_version.iloc[0]
    [doc_id] = add_articles([Article(TRICKY_ARTICLE, "t.txt")], repo).added
    f = newsgold.frames(root=repo)
    assert dict(zip(f.documents.doc_id, f.documents.annotated)) == {
        "000_e2a7510a474f58d9": True,
        doc_id: False,
    }
    import_annotations(DATA / "labelstudio_export.json", repo)
    f = newsgold.frames(root=repo)
    assert f.documents.annotated.all()
    assert set(f.documents.corpus_version) != {before}
    assert (f.mentions.doc_id == doc_id).sum() == 10

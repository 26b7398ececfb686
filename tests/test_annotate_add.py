"""``newsgold add`` and ``newsgold labels`` on a copy of the repository."""

from __future__ import annotations

import hashlib

import orjson
import pytest
from repo_copy import TRICKY_ARTICLE, copy_repo
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.build import load_corpus
from newsgold.corpus.intake import Article, add_articles
from newsgold.corpus.release import corpus_version
from newsgold.corpus.validate import validate_paths
from newsgold.errors import NewsgoldError
from newsgold.schema import load_schema

runner = CliRunner()


@pytest.fixture
def repo(tmp_path):
    return copy_repo(tmp_path / "repo")


def test_add_names_builds_queues_and_bumps(repo):
    result = add_articles([Article(TRICKY_ARTICLE, "a.txt")], repo)
    [doc_id] = result.added
    corpus = load_corpus(repo / "corpus" / "documents.jsonl")
    doc = corpus[doc_id]
    # the name: next number, then the text's own hash
    assert doc_id == "001_" + hashlib.sha256(doc.text.encode()).hexdigest()[:16]
    assert (repo / "seeds" / f"{doc_id}.txt").read_bytes() == TRICKY_ARTICLE
    assert doc.meta["date"] == "2026-11-30" and "\r" not in doc.text
    assert "000_e2a7510a474f58d9" in corpus
    [line] = (repo / "annotations" / "queue" / f"{doc_id}.jsonl").read_text().splitlines()
    task = orjson.loads(line)
    assert task["spans"] == [] and task["relations"] == []
    assert task["meta"]["doc_id"] == doc_id and task["text"] == doc.text
    assert [t["text"] for t in task["tokens"]] == [t.text for t in doc.tokens]
    report = validate_paths(
        [repo / "annotations" / "queue"], corpus, load_schema(repo / "annotations/schema.json")
    )
    assert report.ok, [str(p) for p in report.problems]


def test_second_copy_is_refused_naming_the_doc(repo, tmp_path):
    first = add_articles([Article(TRICKY_ARTICLE, "a.txt")], repo).added[0]
    # the same article with LF line ends and another header date is the same text
    again = TRICKY_ARTICLE.replace(b"\r\n", b"\n").replace(b"2026-11-30", b"2026-11-29")
    with pytest.raises(NewsgoldError) as exc:
        add_articles([Article(again, "b.txt")], repo)
    assert first in str(exc.value) and "b.txt" in str(exc.value)
    seed0 = (repo / "seeds" / "000_e2a7510a474f58d9.txt").read_bytes()
    with pytest.raises(NewsgoldError, match="000_e2a7510a474f58d9"):
        add_articles([Article(seed0, "c.txt")], repo)
    assert len(list((repo / "seeds").iterdir())) == 2


def test_cli_add_from_stdin_with_date(repo):
    before = corpus_version(repo)
    body = "Blinken met Lavrov in Stockholm.\n"
    res = runner.invoke(app, ["add", "-", "--date", "2021-12-02", "--root", str(repo)], input=body)
    assert res.exit_code == 0, res.output
    [seed] = [p for p in (repo / "seeds").iterdir() if p.name.startswith("001_")]
    assert seed.read_bytes() == b" date 2021-12-02 " + body.encode()
    assert corpus_version(repo) != before
    assert f"added document {seed.stem}" in (repo / "CHANGELOG.md").read_text()


def test_cli_add_errors_are_messages(repo, tmp_path):
    art = tmp_path / "no_header.txt"
    art.write_text("No header here.\n")
    res = runner.invoke(app, ["add", str(art), "--root", str(repo)])
    assert res.exit_code == 1 and "date YYYY-MM-DD" in res.output
    res = runner.invoke(app, ["add", str(art), "--date", "2021-13-01", "--root", str(repo)])
    assert res.exit_code == 1 and "impossible date" in res.output
    res = runner.invoke(app, ["add", str(art), "--system", "nope", "--root", str(repo)])
    assert res.exit_code == 1 and "nope" in res.output
    assert not (repo / "annotations" / "queue").exists()


def test_labels_come_from_the_schema():
    schema = load_schema()
    res = runner.invoke(app, ["labels", "--kind", "entity"])
    assert res.output.strip().split(",") == list(schema.entity_labels)
    roles = runner.invoke(app, ["labels", "--kind", "role"]).output.strip().split(",")
    assert "Attacker" in roles and "PLOVER.Actor" in roles and len(roles) == len(set(roles))
    spans = runner.invoke(app, ["labels", "--kind", "span"]).output.strip().split(",")
    assert "Conflict.Attack" in spans and "PERSON" in spans and "REQUEST" in spans
    assert runner.invoke(app, ["labels", "--kind", "nope"]).exit_code == 1


def _fake_systems(monkeypatch, predict):
    """A stand-in for newsgold.systems with the benchmark's interface (discover,
    load_factory, MissingDependency, System.predict -> annotations in document order)."""
    import sys
    import types

    mod = types.ModuleType("newsgold.systems")

    class MissingDependency(Exception):
        pass

    def load_factory(spec):
        if spec == "needs:gpu":

            def factory():
                raise MissingDependency("a GPU model is not installed")

            return factory
        return lambda: types.SimpleNamespace(predict=predict)

    mod.MissingDependency = MissingDependency
    mod.load_factory = load_factory
    mod.discover = lambda extra=(): {"rules": "fake:rules", "big": "needs:gpu"}
    monkeypatch.setitem(sys.modules, "newsgold.systems", mod)


def test_add_pre_annotates_with_a_system(repo, monkeypatch):
    from newsgold.model import Annotation, Mention

    def predict(docs):
        out = []
        for d in docs:
            i = d.text.index("Kyiv")
            out.append(Annotation(d, [Mention(i, i + 4, "GPE"), Mention(i + 1, i + 4, "GPE")]))
        return out

    _fake_systems(monkeypatch, predict)
    result = add_articles([Article(TRICKY_ARTICLE, "a.txt")], repo, system="rules")
    [doc_id] = result.added
    task = orjson.loads((repo / "annotations" / "queue" / f"{doc_id}.jsonl").read_bytes())
    # the span on token boundaries is queued with its tokens; the other is left out, warned
    assert [(s["start"], s["end"], s["token_start"], s["token_end"]) for s in task["spans"]] == [
        (0, 4, 0, 0)
    ]
    assert task["meta"]["pre_annotated_by"] == "rules"
    assert any("not on token boundaries" in w.message for w in result.warnings)
    with pytest.raises(NewsgoldError, match="cannot run here"):
        add_articles([Article(b" date 2021-01-01 Other text.\n", "b.txt")], repo, system="big")
    with pytest.raises(NewsgoldError, match="known: big, rules"):
        add_articles([Article(b" date 2021-01-01 Other text.\n", "b.txt")], repo, system="x")


def test_a_failed_rebuild_takes_the_new_seed_back(repo):
    (repo / "seeds" / "007_bad.txt").write_bytes(b"no header\n")
    before = sorted(p.name for p in (repo / "seeds").iterdir())
    corpus = (repo / "corpus" / "documents.jsonl").read_bytes()
    with pytest.raises(NewsgoldError, match="007_bad"):
        add_articles([Article(TRICKY_ARTICLE, "a.txt")], repo)
    assert sorted(p.name for p in (repo / "seeds").iterdir()) == before
    assert (repo / "corpus" / "documents.jsonl").read_bytes() == corpus

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
    assert "Attacker" in roles and "Actor" in roles and len(roles) == len(set(roles))
    spans = runner.invoke(app, ["labels", "--kind", "span"]).output.strip().split(",")
    assert "Conflict.Attack" in spans and "PERSON" in spans and "REQUEST" in spans
    assert runner.invoke(app, ["labels", "--kind", "nope"]).exit_code == 1

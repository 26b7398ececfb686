"""``newsgold import`` of every tool's realistic export, on a copy of the repository.

The files in tests/data/annotate/ are written by make_exports.py in each tool's own shape
and offset convention (UTF-16 units for Label Studio, CRLF counted by all of them); the
article has an emoji, combining accents and CRLF line ends.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from annotate_reference import TEXT, expected_arguments, expected_spans
from repo_copy import DATA, TRICKY_ARTICLE, copy_repo
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.annotations import load_annotations
from newsgold.corpus.build import load_corpus
from newsgold.corpus.imports import detect_import_format
from newsgold.corpus.intake import Article, add_articles
from newsgold.corpus.merge import import_annotations
from newsgold.corpus.release import corpus_version
from newsgold.corpus.validate import validate_paths
from newsgold.errors import NewsgoldError
from newsgold.formats.tooltext import OffsetError, ToolText
from newsgold.schema import load_schema

runner = CliRunner()
SEED0 = "000_e2a7510a474f58d9"


class Repo(type(Path())):
    """The copied repository's root, knowing the doc_id of the added tricky article."""

    doc_id: str


@pytest.fixture
def repo(tmp_path):
    root = Repo(copy_repo(tmp_path / "repo"))
    [root.doc_id] = add_articles([Article(TRICKY_ARTICLE, "tricky.txt")], root).added
    return root


def spans_of(ann, heads=True):
    return {
        (
            m.start,
            m.end,
            m.label,
            m.kind,
            m.mention_type,
            (m.head_start, m.head_end) if heads and m.head_start is not None else None,
            tuple(sorted(m.attrs.items())),
        )
        for m in ann.mentions
    }


def args_of(ann):
    return {(ev.trigger.span, a.mention.span, a.role) for ev in ann.events for a in ev.arguments}


def gold(repo):
    return load_annotations(repo / "annotations" / "gold.jsonl")


def assert_all_valid(repo):
    corpus = load_corpus(repo / "corpus" / "documents.jsonl")
    report = validate_paths(
        [repo / "annotations"], corpus, load_schema(repo / "annotations" / "schema.json")
    )
    assert report.ok, [str(p) for p in report.problems if p.severity == "error"]


def test_the_article_as_the_corpus_holds_it(repo):
    doc = load_corpus(repo / "corpus" / "documents.jsonl")[repo.doc_id]
    assert doc.text == TEXT


def test_formats_are_detected():
    assert detect_import_format(DATA / "prodigy_db_out.jsonl") == "prodigy"
    assert detect_import_format(DATA / "labelstudio_export.json") == "label-studio"
    assert detect_import_format(DATA / "doccano_export.jsonl") == "doccano"
    assert detect_import_format(DATA / "brat") == "brat"


def test_text_file_to_validated_gold_through_add_prodigy_and_import(repo):
    """The done-when path: add (fixture), a Prodigy db-out correction file, import."""
    before = corpus_version(repo)
    res = runner.invoke(app, ["import", str(DATA / "prodigy_db_out.jsonl"), "--root", str(repo)])
    assert res.exit_code == 1
    assert "news-alice" in res.output and "news-bob" in res.output and "--annotator" in res.output
    res = runner.invoke(
        app,
        ["import", str(DATA / "prodigy_db_out.jsonl"), "--annotator", "alice", "--root", str(repo)],
    )
    assert res.exit_code == 0, res.output
    assert "superseded" in res.output  # alice's earlier version
    g = gold(repo)
    assert set(g) == {SEED0, repo.doc_id}
    ann = g[repo.doc_id]
    assert spans_of(ann) == expected_spans()
    assert args_of(ann) == expected_arguments()
    kyiv = [m for m in ann.mentions if m.text == "Kyiv"]
    assert len(kyiv) == 2 and kyiv[0].cluster == kyiv[1].cluster == "E1"
    assert ann.task["_annotator_id"] == "news-alice" and ann.task["answer"] == "accept"
    assert corpus_version(repo) != before
    assert f"imported document {repo.doc_id}" in (repo / "CHANGELOG.md").read_text()
    assert_all_valid(repo)


def test_reject_and_ignore_are_not_imported(repo):
    result = import_annotations(DATA / "prodigy_db_out.jsonl", repo, annotator="news-bob")
    assert result.added == [repo.doc_id]
    assert any("'reject'" in p.message for p in result.warnings)
    # bob's accepted task left out NATO
    assert len(gold(repo)[repo.doc_id].mentions) == len(expected_spans()) - 1
    with pytest.raises(NewsgoldError, match="no accepted annotation"):
        import_annotations(DATA / "prodigy_db_out.jsonl", repo, annotator="news-carol")


def test_replace_needs_the_flag_and_keeps_a_backup(repo):
    import_annotations(DATA / "prodigy_db_out.jsonl", repo, annotator="news-bob")
    old = (repo / "annotations" / "gold.jsonl").read_bytes()
    with pytest.raises(NewsgoldError, match="--replace"):
        import_annotations(DATA / "prodigy_db_out.jsonl", repo, annotator="news-alice")
    assert (repo / "annotations" / "gold.jsonl").read_bytes() == old
    version = corpus_version(repo)
    result = import_annotations(
        DATA / "prodigy_db_out.jsonl", repo, annotator="news-alice", replace=True
    )
    assert result.replaced == [repo.doc_id] and result.added == []
    assert result.backup.read_bytes() == old
    assert result.backup.parent.parent == repo / "annotations" / "backup"
    assert spans_of(gold(repo)[repo.doc_id]) == expected_spans()
    major, minor, patch = version.split(".")
    assert corpus_version(repo) == f"{major}.{minor}.{int(patch) + 1}"
    # the seed document, never part of the import, is unchanged
    assert gold(repo)[SEED0].mentions[0].text == "Russian President Putin"


def test_label_studio_export_utf16_and_crlf(repo):
    result = import_annotations(DATA / "labelstudio_export.json", repo)
    assert result.format == "label-studio" and result.added == [repo.doc_id]
    ann = gold(repo)[repo.doc_id]
    # Label Studio cannot hold heads or clusters: everything else comes back
    assert spans_of(ann) == expected_spans(with_heads=False)
    assert args_of(ann) == expected_arguments()
    emoji_after = [m for m in ann.mentions if m.text == "Monday"][0]
    assert (emoji_after.start, emoji_after.end) == (TEXT.index("Monday"), TEXT.index("Monday") + 6)
    assert_all_valid(repo)


def test_label_studio_code_point_offsets_are_recognised(repo, tmp_path):
    export = orjson.loads((DATA / "labelstudio_export.json").read_bytes())
    text = export[0]["data"]["text"]
    units = text.encode("utf-16-le")
    for r in export[0]["annotations"][1]["result"]:
        for key in ("start", "end") if "value" in r else ():
            # a script's export: code points, not the browser's UTF-16 units
            r["value"][key] = len(units[: 2 * r["value"][key]].decode("utf-16-le"))
    path = tmp_path / "ls.json"
    path.write_bytes(orjson.dumps(export))
    result = import_annotations(path, repo)
    assert any("code points" in p.message for p in result.warnings)
    assert spans_of(gold(repo)[repo.doc_id]) == expected_spans(with_heads=False)


def test_label_studio_wrong_offsets_are_an_error(repo, tmp_path):
    export = orjson.loads((DATA / "labelstudio_export.json").read_bytes())
    export[0]["annotations"][1]["result"][0]["value"]["start"] += 1
    path = tmp_path / "ls.json"
    path.write_bytes(orjson.dumps(export))
    with pytest.raises(NewsgoldError, match=r"value.text 'Kyiv' is not the text"):
        import_annotations(path, repo)
    assert set(gold(repo)) == {SEED0}


def test_doccano_needs_the_gold_for_what_it_cannot_carry(repo):
    # doccano has no mention types: a new document cannot become valid gold from it alone
    with pytest.raises(NewsgoldError, match="mention_type"):
        import_annotations(DATA / "doccano_export.jsonl", repo)
    assert set(gold(repo)) == {SEED0}
    import_annotations(DATA / "prodigy_db_out.jsonl", repo, annotator="news-bob")
    # over bob's version: carried over where the span is the same; NATO is new and has none
    with pytest.raises(NewsgoldError, match="mention_type"):
        import_annotations(DATA / "doccano_export.jsonl", repo, replace=True)
    import_annotations(DATA / "prodigy_db_out.jsonl", repo, annotator="news-alice", replace=True)
    result = import_annotations(DATA / "doccano_export.jsonl", repo, replace=True)
    assert result.format == "doccano"
    ann = gold(repo)[repo.doc_id]
    assert spans_of(ann) == expected_spans()
    assert args_of(ann) == expected_arguments()
    assert_all_valid(repo)


def test_doccano_offsets_without_carry_over(repo):
    import_annotations(DATA / "prodigy_db_out.jsonl", repo, annotator="news-alice")
    with pytest.raises(NewsgoldError, match="mention_type"):
        import_annotations(DATA / "doccano_export.jsonl", repo, replace=True, carry_over=False)


def test_brat_folder_raw_seed_with_crlf(repo):
    result = import_annotations(DATA / "brat", repo)
    assert result.format == "brat" and result.added == [repo.doc_id]
    ann = gold(repo)[repo.doc_id]
    assert spans_of(ann) == expected_spans(with_heads=False)
    assert args_of(ann) == expected_arguments()
    kyiv = [m for m in ann.mentions if m.text == "Kyiv"]
    assert kyiv[0].cluster is not None and kyiv[0].cluster == kyiv[1].cluster
    assert_all_valid(repo)


def test_unknown_document_is_an_error(repo, tmp_path):
    line = orjson.loads((DATA / "doccano_export.jsonl").read_bytes())
    line["text"] = "A text no corpus document has."
    path = tmp_path / "x.jsonl"
    path.write_bytes(orjson.dumps(line) + b"\n")
    res = runner.invoke(app, ["import", str(path), "--root", str(repo)])
    assert res.exit_code == 1 and "no corpus document matches" in res.output
    assert "Traceback" not in res.output


def test_tool_text_offsets():
    t = ToolText("\U0001f600ab\r\ncd", units="utf16")
    assert t.text == "\U0001f600ab\ncd"
    assert [t.offset(i) for i in (0, 2, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]
    with pytest.raises(OffsetError):
        t.offset(1)
    # a combining accent is two code points and two UTF-16 units: nothing moves
    c = ToolText("e\u0301x", units="utf16")
    assert c.offset(2) == 2 and c.covered(0, 2) == "e\u0301"


def test_doccano_label_triples_and_label_studio_annotators(repo, tmp_path):
    line = orjson.loads((DATA / "doccano_export.jsonl").read_bytes())
    triples = {
        "id": 9,
        "text": line["text"],
        "label": [[e["start_offset"], e["end_offset"], e["label"]] for e in line["entities"]],
        "Comments": [],
    }
    path = tmp_path / "seq.jsonl"
    path.write_bytes(orjson.dumps(triples) + b"\n")
    import_annotations(DATA / "prodigy_db_out.jsonl", repo, annotator="news-alice")
    import_annotations(path, repo, replace=True)
    ann = gold(repo)[repo.doc_id]
    assert spans_of(ann) == expected_spans() and args_of(ann) == set()
    # two Label Studio users annotated the task: pick one
    export = orjson.loads((DATA / "labelstudio_export.json").read_bytes())
    export[0]["annotations"][0] = {**export[0]["annotations"][1], "id": 33, "completed_by": 2}
    two = tmp_path / "two.json"
    two.write_bytes(orjson.dumps(export))
    with pytest.raises(NewsgoldError, match=r"2 annotators \(1, 2\)"):
        import_annotations(two, repo, replace=True)
    result = import_annotations(two, repo, replace=True, annotator="2")
    assert result.replaced == [repo.doc_id]
    assert gold(repo)[repo.doc_id].task["_annotator_id"] == "2"


def test_doccano_utf16_offsets(repo, tmp_path):
    line = orjson.loads((DATA / "doccano_export.jsonl").read_bytes())
    text = line["text"]
    for e in line["entities"]:  # as a JavaScript front end would count them
        for key in ("start_offset", "end_offset"):
            e[key] = len(text[: e[key]].encode("utf-16-le")) // 2
    path = tmp_path / "u16.jsonl"
    path.write_bytes(orjson.dumps(line) + b"\n")
    import_annotations(DATA / "prodigy_db_out.jsonl", repo, annotator="news-alice")
    res = runner.invoke(
        app, ["import", str(path), "--units", "utf16", "--replace", "--root", str(repo)]
    )
    assert res.exit_code == 0, res.output
    assert spans_of(gold(repo)[repo.doc_id]) == expected_spans()
    res = runner.invoke(app, ["import", str(path), "--units", "bytes", "--root", str(repo)])
    assert res.exit_code == 1 and "units must be" in res.output


def test_the_whole_loop_through_the_command_line(tmp_path):
    """add (CLI) -> the queued task, corrected as Prodigy's db-out writes it -> import
    (CLI) -> validate (CLI): the article is validated gold."""
    repo = copy_repo(tmp_path / "repo")
    article = tmp_path / "tricky.txt"
    article.write_bytes(TRICKY_ARTICLE)
    res = runner.invoke(app, ["add", str(article), "--root", str(repo)])
    assert res.exit_code == 0, res.output
    [queued] = (repo / "annotations" / "queue").iterdir()
    task = orjson.loads(queued.read_bytes())
    # the annotator's pass over the queued task: alice's accepted spans and relations
    alice = orjson.loads((DATA / "prodigy_db_out.jsonl").read_bytes().splitlines()[1])
    for key in ("spans", "relations", "clusters", "answer", "_annotator_id", "_timestamp"):
        task[key] = alice[key]
    task["_view_id"] = "relations"
    corrections = tmp_path / "db-out.jsonl"
    corrections.write_bytes(orjson.dumps(task) + b"\n")
    res = runner.invoke(app, ["import", str(corrections), "--root", str(repo)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        app,
        [
            "validate",
            str(repo / "annotations"),
            "--corpus",
            str(repo / "corpus" / "documents.jsonl"),
            "--schema",
            str(repo / "annotations" / "schema.json"),
        ],
    )
    assert res.exit_code == 0, res.output
    ann = gold(repo)[queued.stem]
    assert spans_of(ann) == expected_spans() and args_of(ann) == expected_arguments()
    assert ann.task["_view_id"] == "relations"


def test_iaa_split_by_annotator_then_agreement(repo):
    gold_before = (repo / "annotations" / "gold.jsonl").read_bytes()
    version = corpus_version(repo)
    res = runner.invoke(
        app, ["import", str(DATA / "prodigy_db_out.jsonl"), "--iaa", "--root", str(repo)]
    )
    assert res.exit_code == 0, res.output
    iaa = repo / "annotations" / "iaa"
    alice, bob = iaa / "news-alice.jsonl", iaa / "news-bob.jsonl"
    assert alice.exists() and bob.exists()
    assert (repo / "annotations" / "gold.jsonl").read_bytes() == gold_before
    assert corpus_version(repo) == version
    res = runner.invoke(app, ["agreement", str(alice), str(bob), "--json"])
    assert res.exit_code == 0, res.output
    pair = orjson.loads(res.stdout)["pairs"]["news-alice vs news-bob"]
    # bob left out NATO: 7 entity mentions against 6, all 6 shared: F1 = 12/13
    assert pair["spans"]["entity"]["exact"]["micro"]["f1"] == pytest.approx(12 / 13)
    assert pair["spans"]["trigger"]["exact"]["micro"]["f1"] == 1.0
    again = runner.invoke(
        app, ["import", str(DATA / "prodigy_db_out.jsonl"), "--iaa", "--root", str(repo)]
    )
    assert again.exit_code == 1 and "already in news-alice.jsonl" in again.output
    assert_all_valid(repo)

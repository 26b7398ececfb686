"""The repository with a second article: build, build --check, validate, stats and score
end to end through the command line, in a copy of the repository's data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NEW_ID = "999_growth_test_geneva"  # sorts last, and is no real seed
SEED = (
    " date 2021-12-02 Blinken met Lavrov in Geneva on Friday.\n\nThey discussed Ukraine and NATO.\n"
)
CLI = "import sys; sys.argv[0] = 'newsgold'; from newsgold.cli import main; main()"


def newsgold(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env_path = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


def _gold_task(doc) -> dict:
    """A hand-made gold task for the new article, by the guidelines' rules."""
    from newsgold.formats.prodigy import annotation_to_task
    from newsgold.model import Annotation, Cluster, Mention

    def at(s: str, label: str, **kw) -> Mention:
        i = doc.text.index(s)
        return Mention(i, i + len(s), label, **kw)

    names = ["Blinken", "Lavrov", "Geneva", "Ukraine", "NATO"]
    labels = ["PERSON", "PERSON", "GPE", "GPE", "ORG"]
    mentions = []
    for i, (n, lbl) in enumerate(zip(names, labels, strict=True)):
        m = at(n, lbl, mention_type="NAM", cluster=f"E{i + 1}")
        m.head_start, m.head_end = m.start, m.end  # a name is its own head
        mentions.append(m)
    mentions.append(
        at("Friday", "DATE", kind="timex", attrs={"type": "DATE", "value": "2021-11-26"})
    )
    they = at("They", "PERSON", mention_type="PRO", cluster="E6")
    they.head_start, they.head_end = they.start, they.end
    mentions.append(they)
    clusters = [Cluster(f"E{i + 1}", "entity", {"name": n}) for i, n in enumerate(names)]
    clusters.append(Cluster("E6", "entity", {"name": "Blinken and Lavrov"}))
    mentions.sort(key=lambda m: (m.start, -m.end))
    task = annotation_to_task(Annotation(doc, mentions, clusters=clusters))
    return {**task, "answer": "accept"}


@pytest.fixture(scope="module")
def grown(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("repo")
    for folder in ("seeds", "corpus", "annotations"):
        shutil.copytree(ROOT / folder, repo / folder)
    (repo / "seeds" / f"{NEW_ID}.txt").write_text(SEED, encoding="utf-8")
    return repo


def test_a_second_article_goes_through_every_command(grown):
    from newsgold.corpus.build import load_corpus

    done = newsgold("build", cwd=grown)
    assert done.returncode == 0, done.stderr
    assert NEW_ID in done.stdout + done.stderr
    docs = load_corpus(grown / "corpus" / "documents.jsonl")
    assert len(docs) == len(list((ROOT / "seeds").glob("*.txt"))) + 1

    # before its gold exists: a warning, and an error with --strict
    done = newsgold("validate", cwd=grown)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no gold annotation" in done.stdout and NEW_ID in done.stdout
    assert newsgold("validate", "--strict", cwd=grown).returncode == 1

    with (grown / "annotations" / "gold.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(_gold_task(docs[NEW_ID]), ensure_ascii=False) + "\n")
    for args in (("build", "--check"), ("validate", "--strict")):
        done = newsgold(*args, cwd=grown)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "error" not in done.stdout.replace("0 error(s)", ""), done.stdout

    done = newsgold("stats", "--json", cwd=grown)
    assert done.returncode == 0, done.stderr
    layers = json.loads(done.stdout)["layers"]
    n_tasks = len((grown / "annotations" / "gold.jsonl").read_text(encoding="utf-8").splitlines())
    assert layers["documents"] == n_tasks >= 2 and layers["timexes"] >= 1

    gold = grown / "annotations" / "gold.jsonl"
    done = newsgold("score", str(gold), "--json", "--bootstrap", "50", cwd=grown)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["manifest"]["documents"] == n_tasks
    assert result["modes"]["strict"]["micro"]["f1"] == 1.0
    assert result["unit"] == "sentence"

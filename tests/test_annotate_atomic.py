"""A process killed (SIGKILL) in the middle of writing the gold leaves the old file whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from repo_copy import ROOT, copy_repo

from newsgold.corpus.annotations import load_annotations

# the child streams a large gold through the same writer ``import`` uses, and stops
# half-way (after 40 MB) so that the kill lands during the write, not before or after
CHILD = """
import sys, time
from newsgold.corpus.merge import write_lines_atomic

def lines():
    pad = "x" * 1_000_000
    for i in range(400):
        yield '{"meta": {"doc_id": "d%d"}, "pad": "%s"}\\n' % (i, pad)
        if i == 40:
            print("half-way", flush=True)
            time.sleep(120)

write_lines_atomic(sys.argv[1], lines())
"""


def test_sigkill_during_a_large_write_leaves_the_old_gold(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    gold = repo / "annotations" / "gold.jsonl"
    old = gold.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(gold)], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        assert child.stdout.readline().strip() == "half-way"
        partial = [p for p in gold.parent.iterdir() if p.name.endswith(".tmp")]
        assert len(partial) == 1 and partial[0].stat().st_size > 40_000_000
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
    assert gold.read_bytes() == old
    assert list(load_annotations(gold)) == ["000_e2a7510a474f58d9"]
    # the killed writer's temporary file is left beside it, hidden and not *.jsonl, so
    # neither `validate` nor a reader of annotations/ takes it for an annotation file
    assert not any(p.suffix == ".jsonl" for p in partial)


def test_a_finished_write_replaces_the_file(tmp_path):
    from newsgold.corpus.merge import write_lines_atomic

    target = tmp_path / "g.jsonl"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    write_lines_atomic(target, iter(["a\n", "b\n"]))
    assert target.read_text() == "a\nb\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["g.jsonl"]

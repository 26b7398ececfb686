"""`stats` one task at a time: the counts equal those of the loaded file, errors included,
and memory stays flat."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stream_corpus import BREAKS, break_task, copies, write_jsonl
from typer.testing import CliRunner

from newsgold.cli import app
from newsgold.corpus.stats import (
    BREAKDOWNS,
    count,
    count_file,
    load_annotations,
    stats,
    stats_file,
    stats_to_json,
)
from newsgold.errors import NewsgoldError

ENDS = ("head_span", "child_span")


@pytest.fixture(scope="module")
def tasks():
    return copies(4 * 6)[1]


def _drop_some(task: dict, k: int) -> dict:
    """A task with every k-th span (and relations and clusters touching them) left out, so
    that the copies' counts differ."""
    task = orjson.loads(orjson.dumps(task))
    if k > 1:
        keep = [s for i, s in enumerate(task["spans"]) if i % k]
        ends = {(s["start"], s["end"], s["label"]) for s in keep}
        task["spans"] = keep
        task["relations"] = [
            r
            for r in task.get("relations", [])
            if all((r[e]["start"], r[e]["end"], r[e]["label"]) in ends for e in ENDS)
        ]
    return task


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 4), st.sampled_from((None, None, *BREAKS))),
        min_size=0,
        max_size=6,
    ),
    st.booleans(),
)
def test_stats_file_equals_stats_of_the_loaded_file(tmp_path_factory, tasks, picks, bad_line):
    path = tmp_path_factory.mktemp("s") / "a.jsonl"
    rows = [
        _drop_some(tasks[i] if how is None else break_task(tasks[i], how, 1), k)
        for i, k, how in picks
    ]
    lines = [orjson.dumps(r) for r in rows] + ([b'{"text": 3}', b"[1]"] if bad_line else [])
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    try:
        want = stats(load_annotations(path))
    except NewsgoldError as exc:
        with pytest.raises(NewsgoldError) as streamed:
            stats_file(path)
        assert streamed.value.problems == exc.problems
        return
    got = stats_file(path)
    for name in ("layers", "breakdowns"):
        assert got[name].equals(want[name])
    assert stats_to_json(got) == stats_to_json(want)
    assert count_file(path).to_json() == stats_to_json(want)  # the CLI's path, no pandas
    # counting is one pass, so an iterator of annotations works too
    assert stats_to_json(count(iter(load_annotations(path))).tables()) == stats_to_json(want)


def test_cli_counts_the_file_as_before(tmp_path, tasks):
    path = write_jsonl(tmp_path / "a.jsonl", [_drop_some(t, i) for i, t in enumerate(tasks[:5])])
    result = CliRunner().invoke(app, ["stats", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout) == stats_to_json(stats(load_annotations(path)))


def _tables_as_before(path: Path, tables) -> list:
    """The tables `newsgold stats` printed from the DataFrames, before it streamed."""
    from rich.table import Table

    layers = Table(title=f"{path}: layers")
    layers.add_column("layer")
    layers.add_column("count", justify="right")
    for row in tables["layers"].itertuples(index=False):
        layers.add_row(str(row.layer), str(row.count))
    parts = [layers]
    b = tables["breakdowns"]
    for name, what in BREAKDOWNS.items():
        part = b[b["breakdown"] == name]
        table = Table(title=name, caption=what)
        table.add_column("key")
        table.add_column("count", justify="right")
        for row in part.itertuples(index=False):
            table.add_row(str(row.key), str(row.count))
        parts.append(table)
    return parts


def test_cli_tables_as_before(tmp_path, tasks):
    from newsgold.cli_common import render_plain

    path = write_jsonl(tmp_path / "a.jsonl", [_drop_some(t, i) for i, t in enumerate(tasks[:5])])
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(app, ["stats", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    want = render_plain(_tables_as_before(path, stats(load_annotations(path))))
    assert out.read_text(encoding="utf-8") == want


def _peak_counting(tmp: Path, tasks: list[dict], n: int) -> int:
    path = write_jsonl(tmp / f"gold{n}.jsonl", tasks[:n])
    gc.collect()
    tracemalloc.start()
    try:
        tables = stats_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert stats_to_json(tables)["layers"]["documents"] == n
    return peak


def test_memory_is_flat_in_the_number_of_documents(tmp_path, tasks):
    """Counting 4x the tasks peaks at about the same memory: one task's annotation and the
    counters (load_annotations held every annotation: ~4x here). The 25% margin is far
    above what the counters add and far below the growth of holding the file."""
    n = len(tasks) // 4
    _peak_counting(tmp_path, tasks, 1)  # imports (pandas for the tables) once, not measured
    small = _peak_counting(tmp_path, tasks, n)
    large = _peak_counting(tmp_path, tasks, 4 * n)
    assert large < 1.25 * small, (small, large)

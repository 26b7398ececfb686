"""``newsgold score --csv`` over several layers: every row's numbers are those of --json."""

from __future__ import annotations

import csv
import io
import json
import math

from tests.cli_helpers import ROOT, run

PRED = ROOT / "evaluate" / "systems" / "events-rules" / "predictions.jsonl"


def _score(*args):
    res = run("score", PRED, "--bootstrap", "20", "--layers", "entities,events,timex,coref", *args)
    assert res.exit_code == 0, res.output
    return res.stdout


def _json_summary(data: dict, row: dict) -> dict:
    layer = data["layers"][row["layer"]]
    label = row["label"]
    if row["layer"] == "events":
        s = layer["metrics"][row["metric"]][row["level"]]
        if label == "micro":
            return s
        if label.startswith("role:"):
            return s["per_role"][label[5:]]
        return s["per_type"][label]
    if row["layer"] == "timex":
        return layer["metrics"][row["metric"]] if label == "micro" else None
    if row["layer"] == "coref":
        chain, metric = row["metric"].split("/", 1)
        return layer["metrics"][chain][metric]
    return layer["modes"][row["metric"]][label] if label in ("micro", "macro") else None


def test_csv_rows_are_the_json_numbers():
    rows = list(csv.DictReader(io.StringIO(_score("--csv"))))
    data = json.loads(_score("--json"))
    layers = {r["layer"] for r in rows}
    assert layers == {"entities", "events", "timex", "coref"}
    checked = 0
    for row in rows:
        s = _json_summary(data, row)
        if s is None:
            continue
        for key in ("precision", "recall", "f1", "n_gold", "n_pred"):
            if row.get(key):
                assert math.isclose(float(row[key]), float(s[key]), rel_tol=1e-12), (row, key)
                checked += 1
        interval = s.get("interval") or {}
        if "f1" in interval and row.get("f1_low"):
            assert math.isclose(float(row["f1_low"]), interval["f1"][0], rel_tol=1e-12)
            checked += 1
    assert checked > 200
    roles = [r for r in rows if r["label"].startswith("role:")]
    assert roles and all(r["layer"] == "events" for r in roles)

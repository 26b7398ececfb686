"""Time-expression tables for the terminal (rich) and Markdown: the TempEval-3 metrics and
the value relations. No metric logic: everything comes from a
:class:`~newsgold.timex_coref_scoring.TimexResult`."""

from __future__ import annotations

from rich import box
from rich.table import Table

HEADER = ("metric", "tp", "gold", "pred", "P", "R", "F1", "F1 95% CI")


def _pct(x: float) -> str:
    return f"{100 * x:.2f}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def _ci(c: dict) -> str:
    ci = c.get("interval", {}).get("f1")
    return f"{100 * ci[0]:.1f}-{100 * ci[1]:.1f}" if ci else ""


def metric_rows(result) -> list[list[str]]:
    """One row per metric: name, tp, gold, pred, P, R, F1, F1 interval."""
    return [
        [
            name,
            _num(c["tp"]),
            _num(c["n_gold"]),
            _num(c["n_pred"]),
            _pct(c["precision"]),
            _pct(c["recall"]),
            _pct(c["f1"]),
            _ci(c),
        ]
        for name, c in result.summaries.items()
    ]


def relation_rows(result) -> list[list[str]]:
    rows = [[k, str(v)] for k, v in result.relations.items()]
    for side, values in result.invalid.items():
        for v, n in values.items():
            rows.append([f"not TIMEX3 ({side}): {v}", str(n)])
    return rows


def rich_timex_tables(result) -> list[Table]:
    t = Table(
        title=f"timex: TempEval-3 (units: {result.unit})", title_justify="left", box=box.SIMPLE
    )
    for h in HEADER:
        t.add_column(h, justify="left" if h == "metric" else "right")
    for row in metric_rows(result):
        t.add_row(*row)
    r = Table(title="timex: value of aligned pairs", title_justify="left", box=box.SIMPLE)
    r.add_column("relation (prediction to gold)")
    r.add_column("pairs", justify="right")
    for row in relation_rows(result):
        r.add_row(*row)
    return [t, r]


def timex_markdown(result) -> str:
    lines = [f"### timex (units: {result.unit})", "", "| " + " | ".join(HEADER) + " |"]
    lines.append("|" + "---|" * len(HEADER))
    lines += ["| " + " | ".join(row) + " |" for row in metric_rows(result)]
    lines += ["", "| value relation | pairs |", "|---|---|"]
    lines += [f"| {a} | {b} |" for a, b in relation_rows(result)]
    return "\n".join(lines) + "\n"

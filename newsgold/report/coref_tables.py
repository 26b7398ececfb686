"""Coreference tables for the terminal (rich) and Markdown: MUC, B³, CEAF-e, LEA and the
CoNLL average for entity clusters and event hoppers. No metric logic: everything comes from
a :class:`~newsgold.timex_coref_scoring.CorefResult`."""

from __future__ import annotations

from rich import box
from rich.table import Table

HEADER = ("chains", "metric", "R", "P", "F1", "F1 95% CI")


def _pct(x: float) -> str:
    return f"{100 * x:.2f}"


def _ci(c: dict) -> str:
    ci = c.get("interval", {}).get("f1")
    return f"{100 * ci[0]:.1f}-{100 * ci[1]:.1f}" if ci else ""


def metric_rows(result) -> list[list[str]]:
    rows = []
    for chain, metrics in result.summaries.items():
        for name, c in metrics.items():
            rows.append(
                [
                    chain,
                    name,
                    _pct(c["recall"]) if "recall" in c else "",
                    _pct(c["precision"]) if "precision" in c else "",
                    _pct(c["f1"]),
                    _ci(c),
                ]
            )
    return rows


def mention_line(result) -> str:
    parts = []
    for chain, m in result.mentions.items():
        parts.append(
            f"{chain}: {m.get('aligned_mentions', 0)} of {m.get('gold_mentions', 0)} gold and "
            f"{m.get('pred_mentions', 0)} predicted mentions aligned (exact span); "
            f"{m.get('gold_clusters', 0)} gold, {m.get('pred_clusters', 0)} predicted clusters"
            + (
                f"; repeated spans dropped: gold {m.get('gold_repeated', 0)}, "
                f"predicted {m.get('pred_repeated', 0)}"
                if m.get("gold_repeated") or m.get("pred_repeated")
                else ""
            )
        )
    return "\n".join(parts)


def rich_coref_tables(result) -> list[Table]:
    n = result.manifest.get("n_units", 0)
    note = "; one unit: the interval cannot vary" if n == 1 else ""
    t = Table(
        title=f"coref: CoNLL-2012 metrics and LEA (units: {n} document{'' if n == 1 else 's'}{note})",
        title_justify="left",
        box=box.SIMPLE,
    )
    for h in HEADER:
        t.add_column(h, justify="left" if h in ("chains", "metric") else "right")
    for row in metric_rows(result):
        t.add_row(*row)
    return [t]


def coref_markdown(result) -> str:
    lines = ["### coref", "", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in metric_rows(result)]
    return "\n".join(lines) + "\n\n" + mention_line(result) + "\n"

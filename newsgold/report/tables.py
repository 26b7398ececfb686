"""Score tables for the terminal (rich), Markdown and CSV."""

from __future__ import annotations

import io

from rich import box
from rich.table import Table

from newsgold.scoring import EntityResult

_COLUMNS = ("correct", "incorrect", "partial", "missed", "spurious")
_SHORT = {
    "correct": "cor",
    "incorrect": "inc",
    "partial": "par",
    "missed": "mis",
    "spurious": "spu",
}
#: per-label support columns: the denominators of R and P
_SUPPORT = {"gold": "n_gold", "pred": "n_pred"}


def percent(x: float, digits: int = 2) -> str:
    return f"{100 * x:.{digits}f}"


def interval_text(result: EntityResult, mode: str, avg: str, metric: str) -> str:
    ci = result.intervals.get(mode, {}).get(avg, {}).get(metric)
    return f"{percent(ci[0], 1)}-{percent(ci[1], 1)}" if ci else ""


def _has_intervals(result: EntityResult) -> bool:
    return any(result.intervals.get(m) for m in result.summaries)


def _ci_caption(result: EntityResult) -> str:
    if not _has_intervals(result):
        return "no intervals (--bootstrap 0)"
    return (
        f"{result.manifest['options']['confidence']:.0%} bootstrap CI by {result.unit}, "
        f"{result.manifest['n_units']} units"
    )


def rich_tables(result: EntityResult) -> list[Table]:
    """One table per mode: per-label rows, then micro and macro with their intervals (no
    interval column without a bootstrap)."""
    tables = []
    with_ci = _has_intervals(result)
    for mode, s in result.summaries.items():
        ci_note = f"; CI by {result.unit}, {result.manifest['n_units']} units" if with_ci else ""
        t = Table(
            title=f"{mode} ({result.preset} preset{ci_note})",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        t.add_column("label", no_wrap=True)
        for c in _COLUMNS:
            t.add_column(_SHORT[c], justify="right", min_width=3)
        for c in _SUPPORT:
            t.add_column(c, justify="right", min_width=4)
        for c in ("P", "R", "F1"):
            t.add_column(c, justify="right", min_width=6, no_wrap=True)
        if with_ci:
            t.add_column("F1 95% CI", justify="right", min_width=11, no_wrap=True)
        ci_cell = [""] if with_ci else []
        for label, row in s["per_label"].items():
            t.add_row(
                label,
                *(str(row[c]) for c in _COLUMNS),
                *(str(row[_SUPPORT[c]]) for c in _SUPPORT),
                percent(row["precision"]),
                percent(row["recall"]),
                percent(row["f1"]),
                *ci_cell,
            )
        m = s["micro"]
        t.add_section()
        t.add_row(
            "micro",
            *(str(m[c]) for c in _COLUMNS),
            *(str(m[_SUPPORT[c]]) for c in _SUPPORT),
            percent(m["precision"]),
            percent(m["recall"]),
            percent(m["f1"]),
            *([interval_text(result, mode, "micro", "f1")] if with_ci else []),
            style="bold",
        )
        if "macro" in s:
            a = s["macro"]
            t.add_row(
                f"macro/{a['labels']}",
                *("" for _ in _COLUMNS),
                *("" for _ in _SUPPORT),
                percent(a["precision"]),
                percent(a["recall"]),
                percent(a["f1"]),
                *([interval_text(result, mode, "macro", "f1")] if with_ci else []),
            )
        t.caption = (
            "cor/inc/par/mis/spu: correct, incorrect, partial, missed, spurious (SemEval-2013); "
            "macro/N: mean over N labels"
            + (" with gold support" if s.get("macro", {}).get("over") == "gold" else "")
            + "; gold/pred: spans in the gold and in the system (the support of R and P)"
            + (f"; {s['note']}" if s.get("note") else "")
        )
        tables.append(t)
    return tables


def _md_cell(value: object) -> str:
    """A Markdown table cell: pipes escaped, line breaks flattened."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(result: EntityResult) -> str:
    """Markdown: one row per mode and average, then per mode the per-label rows the
    terminal table has."""
    with_ci = _has_intervals(result)
    out = io.StringIO()
    out.write(f"Preset `{result.preset}`; {_ci_caption(result)}.\n\n")
    ci_head, ci_rule = (" F1 CI |", "---|") if with_ci else ("", "")
    out.write(f"| mode | average | P | R | F1 |{ci_head}\n|---|---|---:|---:|---:|{ci_rule}\n")
    for mode, s in result.summaries.items():
        for avg in ("micro", "macro"):
            if avg in s:
                a = s[avg]
                ci = f" {interval_text(result, mode, avg, 'f1')} |" if with_ci else ""
                out.write(
                    f"| {mode} | {avg} | {percent(a['precision'])} | {percent(a['recall'])} "
                    f"| {percent(a['f1'])} |{ci}\n"
                )
    heads = ["label", *(_SHORT[c] for c in _COLUMNS), "P", "R", "F1"]
    for mode, s in result.summaries.items():
        out.write(f"\n**{mode}** per label\n\n| " + " | ".join(heads) + " |\n")
        out.write("|---|" + "---:|" * (len(heads) - 1) + "\n")
        for label, row in s["per_label"].items():
            cells = [
                _md_cell(label),
                *(str(row[c]) for c in _COLUMNS),
                percent(row["precision"]),
                percent(row["recall"]),
                percent(row["f1"]),
            ]
            out.write("| " + " | ".join(cells) + " |\n")
    return out.getvalue()


#: columns of :meth:`EntityResult.to_frame` that count spans (or labels): integers
_COUNT_COLUMNS = (*_COLUMNS, "correct_pred", "partial_pred", "n_pred", "n_gold", "labels")


def entity_frame(result: EntityResult):
    """:meth:`EntityResult.to_frame` with its counts as (nullable) integers."""
    frame = result.to_frame()
    for c in _COUNT_COLUMNS:
        if c in frame.columns:
            frame[c] = frame[c].astype("Int64")
    return frame


def csv_text(result: EntityResult) -> str:
    """CSV, one row per mode and label; counts are integers (empty where a row has none,
    as the macro row has no counts)."""
    return entity_frame(result).to_csv(index=False)

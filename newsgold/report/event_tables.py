"""Event score tables for the terminal (rich) and Markdown: metrics by level, per type,
and the argument-error table. No metric logic: everything comes from an
:class:`~newsgold.event_scoring.EventResult`."""

from __future__ import annotations

import io

from rich import box
from rich.table import Table

from newsgold.event_scoring import EventResult
from newsgold.metrics.event_errors import MISSED_CAUSES, SPURIOUS_CAUSES
from newsgold.metrics.events import LEVELS


def _pct(x: float, digits: int = 2) -> str:
    return f"{100 * x:.{digits}f}"


def _ci(c: dict) -> str:
    ci = c.get("interval", {}).get("f1")
    return f"{100 * ci[0]:.1f}-{100 * ci[1]:.1f}" if ci else ""


def _tp(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def metric_rows(result: EventResult) -> list[list[str]]:
    """One row per metric and level: metric, level, tp, gold, pred, P, R, F1, F1 CI."""
    rows = []
    for metric, levels in result.summaries.items():
        for level in LEVELS:
            c = levels.get(level)
            if c is None:
                continue
            rows.append(
                [
                    metric,
                    level,
                    _tp(c["tp"]),
                    str(c["n_gold"]),
                    str(c["n_pred"]),
                    _pct(c["precision"]),
                    _pct(c["recall"]),
                    _pct(c["f1"]),
                    _ci(c),
                ]
            )
    return rows


#: the per-document error table is printed up to this many documents (always in --json)
MAX_TERMINAL_DOCUMENTS = 20

HEADER = ("metric", "level", "tp", "gold", "pred", "P", "R", "F1", "F1 95% CI")


def cause_rows(result: EventResult) -> list[list[str]]:
    """The argument-error table: cause, missed (gold) count, spurious (predicted) count."""
    rows = []
    for cause in dict.fromkeys(MISSED_CAUSES + SPURIOUS_CAUSES):
        m = result.causes["missed"].get(cause, 0)
        s = result.causes["spurious"].get(cause, 0)
        if m or s:
            rows.append([cause, str(m), str(s)])
    return rows


def cause_rows_by_document(result: EventResult) -> list[list[str]]:
    """The argument-error table per document: document, cause, missed, spurious."""
    docs = sorted(
        set(result.causes_by_document["missed"]) | set(result.causes_by_document["spurious"])
    )
    rows = []
    for d in docs:
        missed = result.causes_by_document["missed"].get(d, {})
        spurious = result.causes_by_document["spurious"].get(d, {})
        for cause in dict.fromkeys(MISSED_CAUSES + SPURIOUS_CAUSES):
            m, s = missed.get(cause, 0), spurious.get(cause, 0)
            if m or s:
                rows.append([d, cause, str(m), str(s)])
    return rows


def rich_event_tables(result: EventResult) -> list[Table]:
    """The metric table (F1 at each level, P/R and the interval of the exact level), the
    per-type table of the headline metric, and the argument-error table."""
    # no interval was computed (--bootstrap 0): no CI column, no "CI by" in the title
    has_ci = any(c.get("interval") for levels in result.summaries.values() for c in levels.values())
    where = f"; CI by {result.unit}, {result.manifest.get('n_units', 0)} units" if has_ci else ""
    t = Table(
        title=f"{result.layer} ({result.preset} preset{where})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 0),  # ten columns fit an 80-column terminal (the box keeps one space)
    )
    # numbers are never cut (min_width); a long metric name folds instead
    t.add_column("metric", min_width=11, overflow="fold")
    heads = ("gold", "pred", "P", "R", "F1", "F1 CI", "head", "overlap", "coref")
    for h in heads if has_ci else tuple(h for h in heads if h != "F1 CI"):
        width = {"F1 CI": 11, "gold": 4, "pred": 4}.get(h, 5)
        t.add_column(h, justify="right", no_wrap=True, min_width=max(width, len(h)))
    for metric, levels in result.summaries.items():
        first = next(iter(levels))
        c = levels.get("exact", levels[first])
        t.add_row(
            metric,
            str(c["n_gold"]),
            str(c["n_pred"]),
            _pct(c["precision"], 1),
            _pct(c["recall"], 1),
            _pct(c["f1"], 1),
            *((_ci(c),) if has_ci else ()),
            *(_pct(levels[lv]["f1"], 1) if lv in levels else "" for lv in LEVELS[1:]),
        )
    t.caption = (
        f"P, R, F1{', CI' if has_ci else ''}: exact level (Nugget-*: Dice credit); "
        "head, overlap, coref: F1"
    )
    tables = [t]
    head = "Event-Arg-C" if "Event-Arg-C" in result.summaries else "Arg-C"
    per_type = result.summaries.get(head, {}).get("exact", {}).get("per_type", {})
    if per_type:
        pt = Table(
            title=f"{result.layer}: {head} (exact) per event type",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        for i, h in enumerate(("type", "tp", "gold", "pred", "P", "R", "F1")):
            pt.add_column(h, justify="left" if i == 0 else "right", no_wrap=True)
        for typ, c in per_type.items():
            pt.add_row(
                typ,
                _tp(c["tp"]),
                str(c["n_gold"]),
                str(c["n_pred"]),
                _pct(c["precision"]),
                _pct(c["recall"]),
                _pct(c["f1"]),
            )
        tables.append(pt)
    causes = cause_rows(result)
    if causes:
        et = Table(
            title=f"{result.layer}: why arguments were lost (Event-Arg-C, exact)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        et.add_column("cause")
        et.add_column("missed", justify="right")
        et.add_column("spurious", justify="right")
        for row in causes:
            et.add_row(*row)
        tables.append(et)
    by_doc = cause_rows_by_document(result)
    n_docs = len({r[0] for r in by_doc})
    if 1 < n_docs <= MAX_TERMINAL_DOCUMENTS:
        dt = Table(
            title=f"{result.layer}: lost arguments per document",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        for h in ("document", "cause", "missed", "spurious"):
            dt.add_column(h, justify="left" if h in ("document", "cause") else "right")
        for row in by_doc:
            dt.add_row(*row)
        tables.append(dt)
    return tables


def event_markdown(result: EventResult) -> str:
    """The metric table and the error table as Markdown."""
    buf = io.StringIO()
    buf.write(f"**{result.layer}** ({result.preset} preset)\n\n")
    buf.write("| " + " | ".join(HEADER) + " |\n")
    buf.write("|" + "|".join(["---"] * 2 + ["---:"] * (len(HEADER) - 2)) + "|\n")
    for row in metric_rows(result):
        buf.write("| " + " | ".join(row) + " |\n")
    causes = cause_rows(result)
    if causes:
        buf.write("\n| cause | missed | spurious |\n|---|---:|---:|\n")
        for row in causes:
            buf.write("| " + " | ".join(row) + " |\n")
    return buf.getvalue()

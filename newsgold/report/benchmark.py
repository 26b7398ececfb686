"""The leaderboard: a rich table, ``leaderboard.md`` and ``results.json``.

Every number comes from :class:`newsgold.systems.benchmark.BenchmarkResult`; nothing is
computed here but formatting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from rich.table import Table

from newsgold.formats.jsonl import write_text_atomic
from newsgold.report.tables import percent
from newsgold.systems.layers import LAYERS


def _cell(score: dict[str, Any] | None) -> str:
    if score is None:
        return "—"
    ci = score.get("ci", {}).get("f1")
    text = percent(score["f1"], 1)
    if ci:
        text += f" [{percent(ci[0], 1)}, {percent(ci[1], 1)}]"
    return text


def _pr(score: dict[str, Any] | None) -> str:
    if score is None:
        return "—"
    return f"{percent(score['precision'], 1)} / {percent(score['recall'], 1)}"


def layers_present(results: dict[str, Any]) -> list[str]:
    have = {k for s in results["systems"] for k in s.get("scores", {})}
    return [k for k in results.get("layers", LAYERS) if k in have]


def rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per scored system: name, status, and per layer F1 with interval."""
    out = []
    for s in results["systems"]:
        if not s.get("scores"):
            continue
        out.append(
            {
                "name": s["name"],
                "status": s["status"],
                "hand_written": bool(s.get("system", {}).get("hand_written")),
                "scores": s["scores"],
            }
        )
    return out


def rich_leaderboard(results: dict[str, Any]) -> Table:
    """One row per system and layer it claims (fits a narrow terminal)."""
    layers = layers_present(results)
    m = results["manifest"]
    table = Table(
        title="newsgold leaderboard",
        caption=(
            f"{m['documents']} document(s); {int(m['bootstrap']['confidence'] * 100)}% "
            "bootstrap intervals; in %. Layers: "
            + "; ".join(f"{x}: {results['layers'][x]['title']}" for x in layers)
        ),
    )
    table.add_column("system")
    table.add_column("layer")
    for name in ("F1", "interval", "P", "R"):
        table.add_column(name, justify="right", no_wrap=True)
    for r in rows(results):
        name = r["name"] + (" (hand-written)" if r["hand_written"] else "")
        first = True
        for x in layers:
            sc = r["scores"].get(x)
            if sc is None:
                continue
            ci = sc.get("ci", {}).get("f1")
            table.add_row(
                name if first else "",
                x,
                percent(sc["f1"], 1),
                f"[{percent(ci[0], 1)}, {percent(ci[1], 1)}]" if ci else "",
                percent(sc["precision"], 1),
                percent(sc["recall"], 1),
                end_section=x == [y for y in layers if y in r["scores"]][-1],
            )
            first = False
    return table


def markdown(results: dict[str, Any]) -> str:
    layers = layers_present(results)
    m = results["manifest"]
    lines = [
        "# Leaderboard",
        "",
        f"Written by `{m['command']}` (newsgold {m['newsgold_version']}, {m['date']}) on "
        f"`{m['gold']['path']}` ({m['documents']} document(s), gold sha256 "
        f"`{(m['gold']['sha256'] or '')[:12]}`, corpus sha256 `{m['corpus']['sha256'][:12]}`). "
        f"F1 in %, with {int(m['bootstrap']['confidence'] * 100)}% bootstrap intervals "
        f"({m['bootstrap']['n_resamples']} resamples, seed {m['bootstrap']['seed']}); "
        "'—': the system does not claim the layer. Each cell is reproduced by the "
        "`newsgold score` command listed under it in `results.json`.",
        "",
        "| system | " + " | ".join(results["layers"][x]["title"] for x in layers) + " |",
        "|---|" + "---:|" * len(layers),
    ]
    for r in rows(results):
        name = f"`{r['name']}`" + (" (hand-written)" if r["hand_written"] else "")
        cells = [_cell(r["scores"].get(x)) for x in layers]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Precision / recall (%):", ""]
    lines += ["| system | " + " | ".join(layers) + " |", "|---|" + "---:|" * len(layers)]
    for r in rows(results):
        lines.append(
            f"| `{r['name']}` | " + " | ".join(_pr(r["scores"].get(x)) for x in layers) + " |"
        )
    best = results.get("best", {})
    if best:
        lines += [
            "",
            "Best system per layer (hand-written outputs excluded): "
            + "; ".join(
                f"{layer}: `{b['system']}` ({percent(b['f1'], 1)})" for layer, b in best.items()
            )
            + ".",
        ]
    skipped = [s for s in results["systems"] if s["status"] == "skipped"]
    if skipped:
        lines += ["", "Skipped (dependency missing):", ""]
        lines += [
            f"- `{s['name']}`: {s.get('note', '')}; install: `{s.get('install', '')}`"
            for s in skipped
        ]
    notes = [s for s in results["systems"] if s.get("note") and s["status"] != "skipped"]
    if notes:
        lines += ["", "Notes:", ""] + [f"- `{s['name']}`: {s['note']}" for s in notes]
    return "\n".join(lines) + "\n"


def write_results(results: dict[str, Any], out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``results.json`` and ``leaderboard.md`` into ``out_dir`` atomically."""
    out_dir = Path(out_dir)
    rj = out_dir / "results.json"
    md = out_dir / "leaderboard.md"
    write_text_atomic(rj, orjson.dumps(results, option=orjson.OPT_INDENT_2).decode() + "\n")
    write_text_atomic(md, markdown(results))
    return rj, md

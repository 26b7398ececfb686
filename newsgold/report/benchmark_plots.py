"""The report's plots as PNG files (matplotlib, the ``report`` extra), for the README.

* ``leaderboard.png``: headline F1 per system and layer with its bootstrap interval;
* ``per_label_<layer>.png``: per-label F1 with intervals of the best system of each layer;
* ``confusion_<layer>.png``: that system's confusion matrix of aligned labels.

Numbers come from ``results.json`` and :func:`newsgold.report.benchmark_data.gather`, as
on the HTML page. File names are fixed (no system name in them), so the README's links stay.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgold.report.benchmark import layers_present, rows
from newsgold.report.benchmark_data import gather, load_results


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def leaderboard_png(results: dict[str, Any], path: Path) -> Path:
    plt = _plt()
    layers = layers_present(results)
    board = rows(results)
    n_bars = sum(1 for r in board for x in layers if x in r["scores"])
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.8 + 0.32 * n_bars + 0.2 * len(board))))
    y, ticks, names = 0.0, [], []
    colours = ["#4a7bb7", "#d98b2b", "#5a9e5a", "#a05195", "#7f7f7f", "#c44e52"]
    for r in board:
        for j, layer in enumerate(layers):
            sc = r["scores"].get(layer)
            if sc is None:
                continue
            lo, hi = sc["ci"].get("f1", (sc["f1"], sc["f1"]))
            ax.barh(y, 100 * sc["f1"], color=colours[j % len(colours)], height=0.8)
            ax.errorbar(
                100 * sc["f1"],
                y,
                xerr=[[100 * (sc["f1"] - lo)], [100 * (hi - sc["f1"])]],
                fmt="none",
                ecolor="#222",
                capsize=3,
            )
            ax.text(101, y, f"{100 * sc['f1']:.1f}", va="center", fontsize=8)
            ticks.append(y)
            names.append(f"{r['name']} · {layer}")
            y += 1
        y += 0.6
    ax.set_yticks(ticks, names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    ax.set_xlabel("F1 (%) with 95% bootstrap interval")
    ax.set_title("newsgold leaderboard")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def per_label_png(score: dict[str, Any], title: str, path: Path) -> Path:
    plt = _plt()
    labels = sorted(score["per_label"])
    fig, ax = plt.subplots(figsize=(7, max(2.2, 0.6 + 0.35 * len(labels))))
    for i, label in enumerate(labels):
        row = score["per_label"][label]
        lo, hi = row.get("ci", {}).get("f1", (row["f1"], row["f1"]))
        ax.barh(i, 100 * row["f1"], color="#4a7bb7")
        ax.errorbar(
            100 * row["f1"],
            i,
            xerr=[[100 * (row["f1"] - lo)], [100 * (hi - row["f1"])]],
            fmt="none",
            ecolor="#222",
            capsize=3,
        )
    ax.set_yticks(range(len(labels)), [f"{x} ({score['per_label'][x]['n_gold']})" for x in labels])
    ax.invert_yaxis()
    ax.set_xlim(0, 105)
    with_ci = any("ci" in score["per_label"][x] for x in labels)
    ax.set_xlabel("F1 (%) per label (gold count)" + (", 95% bootstrap interval" if with_ci else ""))
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def confusion_png(confusion: dict[str, Any], title: str, path: Path) -> Path:
    plt = _plt()
    labels, m = confusion["labels"], confusion["matrix"]
    fig, ax = plt.subplots(
        figsize=(max(3.5, 1.2 + 0.5 * len(labels)), max(3.5, 1 + 0.5 * len(labels)))
    )
    ax.imshow(m, cmap="Blues")
    top = max((max(r) for r in m), default=1)
    for i, row in enumerate(m):
        for j, v in enumerate(row):
            if v:
                colour = "white" if v > top / 2 else "black"
                ax.text(j, i, str(v), ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted (∅: nothing aligned)")
    ax.set_ylabel("gold")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_pngs(root: Path, out_dir: Path) -> list[Path]:
    """Write every plot into ``out_dir``; returns the files written."""
    results = load_results(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [leaderboard_png(results, out_dir / "leaderboard.png")]
    gathered, _ = gather(root, results)
    by_key = {(e["system"], e["layer"]): e for e in gathered}
    systems = {s["name"]: s for s in results["systems"]}
    for layer, best in results.get("best", {}).items():
        score = systems[best["system"]]["scores"][layer]
        title = f"{best['system']} · {results['layers'][layer]['title']}"
        written.append(per_label_png(score, title, out_dir / f"per_label_{layer}.png"))
        entry = by_key.get((best["system"], layer))
        if entry and entry["confusion"] and entry["confusion"]["labels"]:
            written.append(
                confusion_png(entry["confusion"], title, out_dir / f"confusion_{layer}.png")
            )
    return written

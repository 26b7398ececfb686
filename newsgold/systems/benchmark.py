"""The benchmark: run every available system, score each on its layers, collect results.

:func:`run_benchmark` does, for a project root:

1. finds the systems (:func:`newsgold.systems.discover`: builtins, ``newsgold.systems``
   entry points, ``module:function`` specs) and the stored outputs under
   ``evaluate/systems/``;
2. for each runnable system: reuses its stored output when ``system.json`` records the
   hash of ``corpus/documents.jsonl`` and the system's version (``rerun`` forces a run),
   else runs it on the corpus and writes ``evaluate/systems/<name>/predictions.jsonl`` and
   ``system.json``; a system whose dependency is missing is skipped with the command that
   installs it (its stored output, if made on this corpus, is still scored);
3. scores every output on each layer it claims (:mod:`newsgold.systems.layers`), reading
   it exactly as ``newsgold score`` reads it;
4. returns a :class:`BenchmarkResult` (written as ``results.json`` and ``leaderboard.md``
   by :func:`newsgold.report.benchmark.write_results`).
"""

from __future__ import annotations

import datetime as dt
import functools
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgold import __version__
from newsgold.errors import NewsgoldError, Problem
from newsgold.scoring import file_sha256
from newsgold.systems import LAYERS as KNOWN_LAYERS
from newsgold.systems import MissingDependency, discover, load_factory
from newsgold.systems.layers import LAYERS
from newsgold.systems.store import StoredSystem, stored_systems, write_output

N_RESAMPLES = 1000


@dataclass
class SystemRun:
    name: str
    status: str  # ran, reused, stored, skipped
    stored: StoredSystem | None = None
    note: str = ""
    install: str = ""
    scores: dict[str, Any] = field(default_factory=dict)  # layer -> LayerScore
    placement: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, root: Path) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "status": self.status}
        if self.note:
            d["note"] = self.note
        if self.install:
            d["install"] = self.install
        if self.stored is not None:
            out = self.stored.output
            d["system"] = dict(self.stored.info)
            d["output"] = {
                "path": _rel(out, root),
                "sha256": file_sha256(out),
                "format": self.stored.info.get("format"),
            }
            d["layers"] = list(self.stored.layers)
        d["scores"] = {k: v.to_dict() for k, v in self.scores.items()}
        if self.placement:
            d["placement"] = self.placement
        if self.warnings:
            d["warnings"] = self.warnings
        return d


@dataclass
class BenchmarkResult:
    runs: list[SystemRun]
    manifest: dict[str, Any]
    root: Path

    @property
    def scored(self) -> list[SystemRun]:
        return [r for r in self.runs if r.scores]

    def best(self) -> dict[str, tuple[str, float]]:
        """Per layer, the system with the highest headline F1 (ties: the first by name).

        Hand-written outputs (``hand_written`` in ``system.json``) are not systems and are
        never named best."""
        out: dict[str, tuple[str, float]] = {}
        real = [r for r in self.scored if not r.stored.info.get("hand_written")]
        for layer in LAYERS:
            rows = [(r.scores[layer].f1, r.name) for r in real if layer in r.scores]
            if rows:
                f1, name = max(rows, key=lambda x: (x[0], [-ord(c) for c in x[1]]))
                out[layer] = (name, f1)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "manifest": self.manifest,
            "layers": {k: {"title": v.title, "metric": v.headline} for k, v in LAYERS.items()},
            "best": {k: {"system": n, "f1": f} for k, (n, f) in self.best().items()},
            "systems": [r.to_dict(self.root) for r in self.runs],
        }


def _rel(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _load_predictions(path: Path, corpus: dict, gold: dict, fmt: str | None):
    """Read an output as ``newsgold score`` does (every gold document needs a prediction)."""
    from newsgold.formats.predictions import load_predictions

    docs = dict(corpus)
    for d, a in gold.items():
        docs.setdefault(d, a.document)
    preds = load_predictions(path, docs, format=fmt, allow_missing=True)
    missing = [d for d in sorted(gold) if d in preds.missing or d not in preds.annotations]
    if missing:
        raise NewsgoldError(
            [Problem("gold document with no prediction", file=str(path), doc_id=d) for d in missing]
        )
    return preds


def run_benchmark(
    root: str | Path = ".",
    *,
    systems: Iterable[str] = (),
    only: Iterable[str] | None = None,
    rerun: bool = False,
    builtin: bool = True,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    progress: Any = None,
    say: Callable[[str], None] = lambda s: None,
) -> BenchmarkResult:
    """Run, reuse and score every system under ``root`` (see the module docstring).

    ``progress`` is a :class:`rich.progress.Progress` (or None); ``say`` prints a line
    (skips and reuse notes go through it).
    """
    from newsgold.corpus.annotations import load_annotations
    from newsgold.corpus.build import load_corpus
    from newsgold.schema import load_schema

    root = Path(root)
    corpus_path = root / "corpus" / "documents.jsonl"
    gold_path = root / "annotations" / "gold.jsonl"
    systems_dir = root / "evaluate" / "systems"
    schema_path = root / "annotations" / "schema.json"
    corpus = load_corpus(corpus_path)
    gold = load_annotations(gold_path)
    schema = load_schema(schema_path if schema_path.exists() else None)
    corpus_sha = file_sha256(corpus_path) or ""
    keep = set(only) if only else None
    stored = {s.name: s for s in stored_systems(systems_dir)}
    runs: list[SystemRun] = []
    docs = [corpus[d] for d in sorted(corpus)]
    command = "newsgold benchmark" + (" --rerun" if rerun else "")  # as invoked

    seen = set(stored)
    for key, spec in discover(systems, builtin=builtin).items():
        try:
            system = load_factory(spec)()
        except MissingDependency as exc:
            seen.add(key)
            old = stored.get(key)
            if old is not None and old.fresh(corpus_sha) and (keep is None or key in keep):
                runs.append(SystemRun(key, "reused", old, note=f"cannot run here ({exc.what})"))
            elif keep is None or key in keep:
                runs.append(
                    SystemRun(
                        key, "skipped", note=f"{exc.what} is not installed", install=exc.install
                    )
                )
            stored.pop(key, None)
            continue
        seen.add(system.name)
        if keep is not None and system.name not in keep:
            stored.pop(system.name, None)
            continue
        old = stored.pop(system.name, None)
        if old is not None and not rerun and old.fresh(corpus_sha, system.version):
            runs.append(SystemRun(system.name, "reused", old))
            continue
        task = None
        if progress is not None:
            task = progress.add_task(f"running {system.name}", total=len(docs))
        step = None if task is None else functools.partial(progress.advance, task)
        anns = system.run(docs, step)
        written = write_output(
            systems_dir / system.name,
            anns,
            name=system.name,
            version=system.version,
            layers=system.layers,
            corpus_sha256=corpus_sha,
            command=f"newsgold benchmark --rerun --only {shlex.quote(system.name)}",
            description=system.description,
            details={k: dict(v) for k, v in system.details.items() if v},
        )
        runs.append(SystemRun(system.name, "ran", written))

    for name, s in sorted(stored.items()):
        if keep is not None and name not in keep:
            continue
        note = "" if s.fresh(corpus_sha) else "made on another corpus (corpus_sha256 differs)"
        runs.append(SystemRun(name, "stored", s, note=note))

    if keep is not None and keep - seen:
        raise NewsgoldError(
            Problem(
                f"no system named {', '.join(sorted(keep - seen))}; "
                f"the systems are {', '.join(sorted(seen))}",
                field="--only",
            )
        )
    for run in runs:
        if run.stored is None:
            say(f"skipped {run.name}: {run.note}; install with: {run.install}")
            continue
        _score_run(run, corpus, gold, schema, root, n_resamples, seed, progress)

    manifest = {
        "newsgold_version": __version__,
        "date": dt.date.today().isoformat(),
        "command": command,
        "corpus": {"path": _rel(corpus_path, root), "sha256": corpus_sha},
        "gold": {"path": _rel(gold_path, root), "sha256": file_sha256(gold_path)},
        "schema": {"path": _rel(schema_path, root), "sha256": file_sha256(schema_path)},
        "documents": len(gold),
        "bootstrap": {"n_resamples": n_resamples, "seed": seed, "confidence": 0.95},
    }
    return BenchmarkResult(runs, manifest, root)


def _score_run(run, corpus, gold, schema, root, n_resamples, seed, progress) -> None:
    s = run.stored
    unknown = [x for x in s.layers if x not in KNOWN_LAYERS]
    if unknown:
        run.warnings.append(f"unknown layer(s) {', '.join(unknown)} in system.json")
    preds = _load_predictions(s.output, corpus, gold, s.info.get("format"))
    run.placement = dict(preds.placement)
    run.warnings += [str(p) for p in preds.problems if p.severity == "warning"][:20]
    layers = [k for k, v in LAYERS.items() if v.needs in s.layers]
    scorable = {v.needs for v in LAYERS.values()}
    unscored = [x for x in s.layers if x in KNOWN_LAYERS and x not in scorable]
    if unscored:
        run.note = f"not scored: no scorer for the {', '.join(unscored)} layer in this version"
    task = None
    if progress is not None:
        task = progress.add_task(f"scoring {run.name}", total=len(layers))
    out = _rel(s.output, root)
    fmt = s.info.get("format")
    cli_args = ["--gold", _rel(root / "annotations" / "gold.jsonl", root)]
    cli_args += ["--corpus", _rel(root / "corpus" / "documents.jsonl", root)]
    if fmt:
        cli_args += ["--format", fmt]
    cache: dict = {}  # one event scoring serves every event column
    for layer in layers:
        score = LAYERS[layer].score(
            gold,
            preds.annotations,
            schema=schema,
            output=out,
            n_resamples=n_resamples,
            seed=seed,
            cli_args=cli_args,
            cache=cache,
        )
        if score is not None:  # None: the output does not claim the layer after all
            run.scores[layer] = score
        if task is not None:
            progress.advance(task)


def command_text(command: list[str]) -> str:
    return shlex.join(command)

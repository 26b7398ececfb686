"""``newsgold export``: the gold (all or some documents) in another tool's format.

Formats: ``prodigy`` (``gold.jsonl``, the tasks as they are), ``brat`` (a folder with
``annotation.conf``), ``label-studio`` (``tasks.json`` in Label Studio's JSON export shape,
UTF-16 offsets, and ``label_config.xml``), ``doccano`` (``doccano.jsonl``), ``conll``
(``newsgold.conll``), ``spacy`` (``newsgold.spacy``), ``hf`` (``newsgold.parquet``,
``newsgold.jsonl``, ``features.json``). Every export also writes ``LOSS.md`` and
``loss.json``: what the format cannot carry (``features.CARRIES``), with counts.

The output folder must not be, or be inside, the project's ``annotations/``, ``corpus/``
or ``seeds/`` (so an export never writes over an input or repository data); every file is
written atomically. (A shared output-safety check is planned in the CLI layer; this one is
local until then.)
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from newsgold.errors import NewsgoldError, Problem
from newsgold.exporters.features import CARRIES, NOTES, losses
from newsgold.formats.jsonl import dumps_line, write_bytes_atomic, write_text_atomic
from newsgold.model import Annotation
from newsgold.schema import Schema

EXPORT_FORMATS = tuple(CARRIES)
PROTECTED = ("annotations", "corpus", "seeds")


def check_output_dir(
    out_dir: str | Path, root: str | Path = ".", inputs: tuple[str | Path, ...] = ()
) -> Path:
    """``out_dir`` resolved, or an error when it is (inside) a protected project folder or
    holds one of the ``inputs`` (which an export could then write over)."""
    out = Path(out_dir).resolve()
    for given in inputs:
        path = Path(given).resolve()
        if out in path.parents or out == path:
            raise NewsgoldError(
                Problem(
                    f"the output folder {out_dir} holds the input {given}; export somewhere else",
                    field="out",
                )
            )
    for name in PROTECTED:
        guarded = (Path(root) / name).resolve()
        if out == guarded or guarded in out.parents:
            raise NewsgoldError(
                Problem(
                    f"the output folder {out_dir} is inside {name}/, which holds the project's "
                    "data; export somewhere else",
                    field="out",
                )
            )
    if out.exists() and not out.is_dir():
        raise NewsgoldError(Problem(f"{out_dir} exists and is not a folder", field="out"))
    return out


@dataclass
class ExportResult:
    format: str
    out_dir: Path
    files: list[Path] = field(default_factory=list)
    losses: list[dict] = field(default_factory=list)


def loss_report(fmt: str, anns: list[Annotation], rows: list[dict]) -> str:
    lines = [
        f"# What the {fmt} export cannot carry",
        "",
        f"{len(anns)} document(s): {', '.join(a.doc_id for a in anns)}.",
        "",
    ]
    if rows:
        lines += ["| feature | items not carried | why |", "|---|---:|---|"]
        lines += [f"| {r['feature']} | {r['lost']} | {r['why']} |" for r in rows]
    else:
        lines.append("Nothing is lost: the format carries every feature of these documents.")
    if fmt in NOTES:
        lines += ["", f"Note: {NOTES[fmt]}."]
    return "\n".join(lines) + "\n"


def export_annotations(
    anns: list[Annotation],
    fmt: str,
    out_dir: str | Path,
    schema: Schema,
    *,
    root: str | Path = ".",
    gold_tasks: dict[str, dict] | None = None,
    inputs: tuple[str | Path, ...] = (),
) -> ExportResult:
    """Write ``anns`` in ``fmt`` into ``out_dir`` with the loss report."""
    if fmt not in CARRIES:
        raise NewsgoldError(
            Problem(f"--to must be one of {', '.join(EXPORT_FORMATS)}, got {fmt!r}", field="to")
        )
    out = check_output_dir(out_dir, root, inputs)
    out.mkdir(parents=True, exist_ok=True)
    result = ExportResult(fmt, out)

    def text(path: Path, content: str) -> None:
        write_text_atomic(path, content)
        result.files.append(path)

    if fmt == "prodigy":
        from newsgold.formats.prodigy import annotation_to_task

        tasks = [(gold_tasks or {}).get(a.doc_id) or annotation_to_task(a) for a in anns]
        text(out / "gold.jsonl", "".join(dumps_line(t) for t in tasks))
    elif fmt == "brat":
        from newsgold.exporters.brat import write_brat

        write_brat(anns, out, schema, text)
    elif fmt == "label-studio":
        from newsgold.exporters.labels import schema_labels
        from newsgold.formats.labelstudio import annotation_to_ls, label_config

        tasks = [annotation_to_ls(a, k + 1) for k, a in enumerate(anns)]
        text(out / "tasks.json", orjson.dumps(tasks, option=orjson.OPT_INDENT_2).decode() + "\n")
        attributes = {
            "mention_type": schema.mention_types,
            "realis": schema.attribute_values("trigger", "realis") or [],
            "polarity": schema.attribute_values("trigger", "polarity") or [],
            "plover": schema.attribute_values("trigger", "plover") or [],
            "timex_type": schema.attribute_values("timex", "type") or [],
        }
        config = label_config(schema_labels("span"), schema_labels("role"), attributes)
        text(out / "label_config.xml", config)
    elif fmt == "doccano":
        from newsgold.formats.doccano import annotation_to_doccano

        text(
            out / "doccano.jsonl",
            "".join(dumps_line(annotation_to_doccano(a, k + 1)) for k, a in enumerate(anns)),
        )
    elif fmt == "conll":
        from newsgold.exporters.tokens import to_conll

        text(out / "newsgold.conll", to_conll(anns))
    elif fmt == "spacy":
        from newsgold.exporters.tokens import to_docbin

        path = out / "newsgold.spacy"
        write_bytes_atomic(path, to_docbin(anns))
        result.files.append(path)
    else:
        from newsgold.exporters.tokens import hf_features, hf_rows, hf_tag_names, write_parquet

        labels = list(
            dict.fromkeys(list(schema.entity_labels) + schema.timex_labels + schema.value_labels)
        )
        names = hf_tag_names(labels)
        rows = hf_rows(anns, names)
        text(out / "newsgold.jsonl", "".join(dumps_line(r) for r in rows))
        text(
            out / "features.json",
            orjson.dumps(hf_features(names), option=orjson.OPT_INDENT_2).decode() + "\n",
        )
        fd, tmp = tempfile.mkstemp(prefix=".newsgold.parquet.", suffix=".tmp", dir=out)
        os.close(fd)
        try:
            write_parquet(rows, names, Path(tmp))
            os.chmod(tmp, 0o644)
            os.replace(tmp, out / "newsgold.parquet")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        result.files.append(out / "newsgold.parquet")
    result.losses = losses(anns, fmt)
    text(out / "LOSS.md", loss_report(fmt, anns, result.losses))
    text(
        out / "loss.json",
        orjson.dumps({"format": fmt, "lost": result.losses}, option=orjson.OPT_INDENT_2).decode()
        + "\n",
    )
    return result

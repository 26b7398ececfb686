"""Reading annotation tools' exports into :class:`~newsgold.formats.tooltext.Imported`
records, and choosing one accepted annotation per document (the rules are in
:mod:`newsgold.corpus.merge`, which merges the choice into the gold).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from newsgold.errors import FormatError, NewsgoldError, Problem
from newsgold.formats.jsonl import iter_jsonl
from newsgold.formats.prodigy import task_to_annotation
from newsgold.formats.tooltext import Imported, find_document
from newsgold.model import TRIGGER, Document

IMPORT_FORMATS = ("prodigy", "brat", "label-studio", "doccano")
# top-level task keys the model owns; the rest is provenance kept on the gold task
OWNED = ("text", "tokens", "spans", "relations", "meta", "clusters", "sentences", "paragraphs")
HASHES = ("_input_hash", "_task_hash")


def detect_import_format(path: str | Path) -> str:
    """A folder is brat; a ``.json`` file (or one starting with ``[``) Label Studio; JSONL
    whose first line has ``entities`` or ``label`` (and no ``spans``) doccano; else Prodigy."""
    path = Path(path)
    if path.is_dir():
        return "brat"
    if not path.exists():
        raise FormatError(Problem("no such file or folder", file=str(path)))
    with path.open("rb") as fh:
        first = next((ln for ln in fh if ln.strip()), b"").lstrip(b"\xef\xbb\xbf").strip()
    if path.suffix.lower() == ".json" or first.startswith(b"["):
        return "label-studio"
    try:
        obj = orjson.loads(first)
    except orjson.JSONDecodeError:
        obj = None
    if isinstance(obj, dict) and ("entities" in obj or "label" in obj) and "spans" not in obj:
        return "doccano"
    return "prodigy"


def read_prodigy_export(path: str | Path, corpus: Mapping[str, Document]) -> list[Imported]:
    """Prodigy ``db-out`` JSONL: every task, with its answer, annotator and timestamp."""
    path = Path(path)
    out, problems = [], []
    for n, task, problem in iter_jsonl(path):
        if problem is not None:
            problems.append(problem)
            continue
        w = {"file": str(path), "line": n}
        meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
        try:
            ann = task_to_annotation(task)
        except NewsgoldError as exc:
            problems += [
                Problem(p.message, field=p.field, doc_id=meta.get("doc_id"), **w)
                for p in exc.problems
            ]
            continue
        doc, why = find_document(corpus, meta.get("doc_id"), ann.document.text)
        if doc is None:
            problems.append(Problem(why, doc_id=meta.get("doc_id"), field="meta.doc_id", **w))
            continue
        if ann.document.tokens and [(t.text, t.start, t.end) for t in ann.document.tokens] != [
            (t.text, t.start, t.end) for t in doc.tokens
        ]:
            problems.append(
                Problem(
                    "the task is tokenised differently from the corpus (its token indices "
                    "would point at other tokens); annotate the queued task, which has the "
                    "corpus tokens",
                    doc_id=doc.doc_id,
                    field="tokens",
                    **w,
                )
            )
            continue
        who = task.get("_annotator_id") or task.get("_session_id")
        ann.document = doc
        provenance = {k: v for k, v in task.items() if k not in OWNED and k not in HASHES}
        ann.task = provenance
        out.append(
            Imported(
                ann,
                annotator=None if who is None else str(who),
                where=f"{path}:{n}",
                answer=str(task.get("answer", "accept")),
                order=float(task.get("_timestamp") or 0),
            )
        )
    if problems:
        raise FormatError(problems)
    return out


def read_brat_folder(path: str | Path, corpus: Mapping[str, Document]) -> list[Imported]:
    """A brat folder through the brat reader; ``Kind`` and ``Mention_type`` attributes
    (written by our export) become the span's kind and mention type."""
    from newsgold.formats.predictions import load_predictions

    preds = load_predictions(path, dict(corpus), format="brat", allow_missing=True)
    out = []
    for doc_id, ann in preds.annotations.items():
        if doc_id in preds.missing:  # a corpus document the folder does not annotate
            continue
        for m in ann.mentions:
            m.extra.pop("brat_trigger", None)
            if "kind" in m.attrs:
                kind = str(m.attrs.pop("kind"))
                m.kind = TRIGGER if m.kind == TRIGGER else kind
            elif m.kind != TRIGGER:
                m.extra["_no_kind"] = True
            if "mention_type" in m.attrs:
                m.mention_type = str(m.attrs.pop("mention_type"))
        out.append(Imported(ann, annotator=None, where=f"{path}/{doc_id}.ann"))
    return out


def read_import(
    path: str | Path,
    corpus: Mapping[str, Document],
    format: str | None = None,
    units: str = "codepoints",
) -> tuple[str, list[Imported]]:
    """Every annotation of a tool's export; ``units`` (codepoints, utf16) is how doccano
    offsets count (Label Studio's are always UTF-16, checked against each region's text)."""
    if units not in ("codepoints", "utf16"):
        raise FormatError(
            Problem(f"units must be codepoints or utf16, not {units!r}", field="units")
        )
    fmt = format or detect_import_format(path)
    if fmt == "prodigy":
        return fmt, read_prodigy_export(path, corpus)
    if fmt == "brat":
        return fmt, read_brat_folder(path, corpus)
    if fmt == "label-studio":
        from newsgold.formats.labelstudio import read_labelstudio

        return fmt, read_labelstudio(path, dict(corpus))
    if fmt == "doccano":
        from newsgold.formats.doccano import read_doccano

        return fmt, read_doccano(path, dict(corpus), units=units)
    raise FormatError(
        Problem(
            f"unknown import format {fmt!r}; one of {', '.join(IMPORT_FORMATS)}", field="format"
        )
    )


# -- choosing one annotation per document --------------------------------------------------


@dataclass
class Selection:
    chosen: dict[str, Imported] = field(default_factory=dict)
    skipped: list[Problem] = field(default_factory=list)  # rejected, ignored, superseded


def _matches(who: str | None, wanted: str) -> bool:
    return who is not None and (who == wanted or who.endswith("-" + wanted))


def choose(items: Iterable[Imported], annotator: str | None = None) -> Selection:
    """One accepted annotation per document (see the module docstring)."""
    sel = Selection()
    by_doc: dict[str, list[Imported]] = {}
    for it in items:
        if annotator is not None and not _matches(it.annotator, annotator):
            continue
        if it.answer != "accept":
            sel.skipped.append(
                Problem(
                    f"answer {it.answer!r}: not imported",
                    file=it.where,
                    doc_id=it.annotation.doc_id,
                    severity="warning",
                )
            )
            continue
        by_doc.setdefault(it.annotation.doc_id, []).append(it)
    problems = []
    for doc_id, group in by_doc.items():
        who = sorted({str(g.annotator) for g in group})
        if len(who) > 1:
            problems.append(
                Problem(
                    f"annotated by {len(who)} annotators ({', '.join(who)}); pick one with "
                    "--annotator (the gold holds one view of each document)",
                    doc_id=doc_id,
                )
            )
            continue
        best = max(enumerate(group), key=lambda kv: (kv[1].order, kv[0]))[1]
        for g in group:
            if g is not best:
                sel.skipped.append(
                    Problem(
                        f"superseded by the later version at {best.where}",
                        file=g.where,
                        doc_id=doc_id,
                        severity="warning",
                    )
                )
        sel.chosen[doc_id] = best
    if problems:
        raise NewsgoldError(problems)
    return sel

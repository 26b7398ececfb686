"""``newsgold import``: annotations from a tool, validated, merged into the gold by doc_id.

Formats (``detect_import_format`` tells them apart): ``prodigy`` (``db-out`` JSONL, ours or
Prodigy's plain spans), ``brat`` (a folder of ``.txt``/``.ann``), ``label-studio`` (a JSON
export, a list of tasks), ``doccano`` (JSONL with ``entities``/``label``). Each reader
undoes its tool's offset conventions (UTF-16 units, CRLF); see its module.

Choosing one annotation per document:

* Prodigy ``answer``: ``accept`` is an annotation; ``reject`` and ``ignore`` are not (and a
  cancelled Label Studio annotation is ``ignore``); they are counted and reported.
* Several annotators of one document (Prodigy ``_annotator_id``/``_session_id``, Label
  Studio ``completed_by``, doccano ``user``): an error listing them, unless ``annotator=``
  picks one (an exact id, or the name after Prodigy's ``dataset-`` prefix), or ``iaa=True``
  sends each annotator's to ``annotations/iaa/<annotator>.jsonl``. Several versions by one
  annotator: the latest (by timestamp, else the last in the file).

Making a gold task: the corpus document's text, tokens, sentences and meta; the tool's
spans, relations and clusters; token bounds recomputed on the corpus tokens; a span
without a ``kind`` gets one from its label (:func:`kind_of`). What a tool cannot hold
(mention types, heads, attributes, clusters: doccano holds none of them, and Prodigy's
manual interfaces give a new span only a label) is **carried over** from the document's
current gold span with the same offsets and label, for the fields the tool left empty
(``carry_over=False`` turns this off); nothing the tool gave is overwritten. A Prodigy task tokenised differently from the
corpus is an error: its token indices would mean other tokens.

Every task is then checked by the validator (``newsgold.corpus.validate.validate_task``).
Any error stops the import and nothing is written. Then: a document already in the gold is
replaced only with ``replace=True``; the gold as it was is first copied to
``annotations/backup/<UTC timestamp>/gold.jsonl``; the new gold is written atomically
(:func:`write_lines_atomic`): a process killed in the middle leaves the old file whole.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from newsgold.corpus.align import token_bounds
from newsgold.corpus.imports import HASHES, OWNED, choose, read_import
from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import dumps_line, iter_jsonl
from newsgold.formats.prodigy import annotation_to_task, stable_hash
from newsgold.formats.tooltext import Imported
from newsgold.model import ENTITY, TIMEX, TRIGGER, VALUE, Annotation, Cluster, Mention
from newsgold.schema import Schema

GOLD = Path("annotations") / "gold.jsonl"
BACKUP_DIR = Path("annotations") / "backup"


def kind_of(label: str, schema: Schema) -> str:
    """The kind of a span that came without one: an event type is a trigger, a timex label
    (DATE, TIME) a timex, another value label a value, anything else an entity. A value
    labelled DATE or TIME therefore reads as a timex: say ``"kind": "value"`` to keep it."""
    if schema.is_event_type(label):
        return TRIGGER
    if label in schema.timex_labels:
        return TIMEX
    if label in schema.value_labels:
        return VALUE
    return ENTITY


# -- building gold tasks -------------------------------------------------------------------


_TOOL_ID = re.compile(r"^(ls-|dc\d|[TE]\d+(#\d+)?$)")


def _carry(m: Mention, old: Mention, kind_inferred: bool) -> None:
    """Fill the fields the tool left empty from the gold span ``old`` (same offsets and
    label). An id the tool made up (Label Studio region, doccano entity, brat T/E) gives
    way to the gold's; a kind only inferred from the label gives way to the gold's."""
    if m.mention_type is None:
        m.mention_type = old.mention_type
    if m.head_start is None and old.head_start is not None:
        m.head_start, m.head_end = old.head_start, old.head_end
    for k, v in old.attrs.items():
        m.attrs.setdefault(k, v)
    if m.cluster is None:
        m.cluster = old.cluster
    if old.id is not None and (m.id is None or _TOOL_ID.match(m.id)):
        m.id = old.id
    if kind_inferred:
        m.kind = old.kind


def gold_task(
    item: Imported, schema: Schema, previous: Annotation | None, carry_over: bool
) -> dict:
    """The gold task of one imported annotation (before validation)."""
    ann = item.annotation
    doc = ann.document
    clusters = list(ann.clusters)
    known = {c.id for c in clusters}
    old_by_key = {}
    if previous is not None and carry_over:
        old_by_key = {(o.start, o.end, o.label): o for o in previous.mentions}
        old_clusters = {c.id: c for c in previous.clusters}
    for m in ann.mentions:
        inferred = bool(m.extra.pop("_no_kind", False))
        if inferred:
            m.kind = kind_of(m.label, schema)
        old = old_by_key.get((m.start, m.end, m.label))
        if old is not None:
            _carry(m, old, inferred)
            if m.cluster is not None and m.cluster not in known and m.cluster in old_clusters:
                clusters.append(old_clusters[m.cluster])
                known.add(m.cluster)
        bounds = token_bounds(doc.tokens, m.start, m.end)
        if bounds is not None:
            m.token_start, m.token_end = bounds
        m.text = doc.text[m.start : m.end] if 0 <= m.start < m.end <= len(doc.text) else m.text
    used_ids = {m.id for m in ann.mentions if m.id is not None and not _TOOL_ID.match(m.id)}
    n = 0
    for m in ann.mentions:
        if m.id is None or m.id.startswith(("ls-", "dc")):
            n += 1
            while f"i{n}" in used_ids:
                n += 1
            m.id = f"i{n}"
            used_ids.add(m.id)
    used = {m.cluster for m in ann.mentions if m.cluster is not None}
    clusters = [c for c in clusters if c.id in used]
    for cid in sorted(used - {c.id for c in clusters}):
        kind = (
            "hopper"
            if any(m.kind == TRIGGER and m.cluster == cid for m in ann.mentions)
            else "entity"
        )
        clusters.append(Cluster(id=cid, kind=kind))
    task = annotation_to_task(Annotation(doc, ann.mentions, ann.relations, clusters))
    for k in HASHES:
        task.pop(k, None)
    task.update({k: v for k, v in ann.task.items() if k not in OWNED and k not in HASHES})
    task.setdefault("answer", "accept")
    if item.annotator is not None:
        task.setdefault("_annotator_id", item.annotator)
    task["_input_hash"] = doc.input_hash if doc.input_hash is not None else stable_hash(doc.text)
    task["_task_hash"] = stable_hash(
        task["_input_hash"],
        orjson.dumps(task.get("spans", [])),
        orjson.dumps(task.get("relations", [])),
    )
    return task


# -- writing -------------------------------------------------------------------------------


def write_lines_atomic(path: str | Path, lines: Iterable[str]) -> None:
    """Stream ``lines`` into a temporary file beside ``path``, fsync, then rename over it:
    a reader (or a crash, or SIGKILL) sees the old file or the new, never a part."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines:
                fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_gold_lines(path: Path) -> dict[str, dict]:
    """The gold's tasks by doc_id, as JSON objects (kept byte-for-byte in meaning)."""
    out: dict[str, dict] = {}
    if not path.exists():
        return out
    problems = []
    for n, obj, problem in iter_jsonl(path):
        if problem is not None:
            problems.append(problem)
            continue
        doc_id = (obj.get("meta") or {}).get("doc_id")
        if doc_id is None:
            problems.append(Problem("a gold task without meta.doc_id", file=str(path), line=n))
            continue
        out[str(doc_id)] = obj
    if problems:
        raise NewsgoldError(problems)
    return out


IAA_DIR = Path("annotations") / "iaa"


@dataclass
class ImportResult:
    format: str
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    backup: Path | None = None
    warnings: list[Problem] = field(default_factory=list)
    version: str | None = None
    files: list[Path] = field(default_factory=list)  # the files written


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "annotator"


def import_annotations(
    path: str | Path,
    root: str | Path = ".",
    *,
    format: str | None = None,
    annotator: str | None = None,
    replace: bool = False,
    carry_over: bool = True,
    units: str = "codepoints",
    now: dt.datetime | None = None,
    progress: bool = False,
    iaa: bool = False,
) -> ImportResult:
    """Read, validate and merge ``path`` into ``root/annotations/gold.jsonl``.

    With ``iaa``, each annotator's annotations go instead to
    ``annotations/iaa/<annotator>.jsonl`` (for ``newsgold agreement``), by the same rules,
    without carry-over (a blind pass must not be filled in from the gold) and without a
    version bump (the corpus is unchanged).
    """
    from newsgold.corpus.build import load_corpus
    from newsgold.corpus.release import bump
    from newsgold.schema import load_schema

    root = Path(root)
    corpus = load_corpus(root / "corpus" / "documents.jsonl")
    schema_path = root / "annotations" / "schema.json"
    schema = load_schema(schema_path if schema_path.exists() else None)
    fmt, items = read_import(path, corpus, format, units)
    result = ImportResult(fmt)
    gold = read_gold_lines(root / GOLD)
    plans: list[tuple[Path, dict[str, Imported]]] = []
    if iaa:
        groups: dict[str, list[Imported]] = {}
        for it in items:
            if annotator is None or it.annotator == annotator:
                groups.setdefault(it.annotator or "", []).append(it)
        if "" in groups:
            raise NewsgoldError(
                Problem("--iaa needs an annotator id on every annotation", file=str(path))
            )
        for who in sorted(groups):
            sel = choose(groups[who])
            result.warnings += sel.skipped
            plans.append((root / IAA_DIR / f"{_slug(who)}.jsonl", sel.chosen))
    else:
        sel = choose(items, annotator)
        result.warnings += sel.skipped
        plans.append((root / GOLD, sel.chosen))
    if not any(chosen for _, chosen in plans):
        raise NewsgoldError(Problem("nothing to import: no accepted annotation", file=str(path)))
    problems: list[Problem] = []
    writes = []
    for target, chosen in plans:
        existing = gold if target == root / GOLD else read_gold_lines(target)
        source = None if iaa else gold
        new_tasks = _prepare(
            chosen,
            existing,
            source,
            corpus,
            schema,
            carry_over and not iaa,
            replace,
            progress,
            target.name,
            result,
            problems,
        )
        writes.append((target, existing, new_tasks))
    if problems:
        raise NewsgoldError(problems)
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%S%fZ")
    for target, existing, new_tasks in writes:
        replaced = sorted(d for d in new_tasks if d in existing)
        result.replaced += replaced
        result.added += sorted(d for d in new_tasks if d not in existing)
        if replaced:
            result.backup = root / BACKUP_DIR / stamp / target.relative_to(root / "annotations")
            result.backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, result.backup)
        merged = {**existing, **new_tasks}
        write_lines_atomic(target, (dumps_line(merged[d]) for d in sorted(merged)))
        result.files.append(target)
    if not iaa:
        changes = [f"imported document {d} into the gold ({fmt})" for d in result.added]
        changes += [f"replaced document {d} in the gold ({fmt})" for d in result.replaced]
        result.version = bump(root, "minor" if result.added else "patch", changes)
    return result


def _prepare(
    chosen,
    existing,
    carry_from,
    corpus,
    schema,
    carry_over,
    replace,
    progress,
    name,
    result,
    problems,
) -> dict[str, dict]:
    """Validated tasks of the chosen annotations for one target file."""
    from newsgold.corpus.validate import validate_task
    from newsgold.formats.prodigy import task_to_annotation

    for item in chosen.values():
        result.warnings += item.warnings
    new_tasks: dict[str, dict] = {}
    order = sorted(chosen.items())
    if progress and len(order) > 1:
        from rich.progress import track

        order = track(order, description="validating", transient=True)
    for doc_id, item in order:
        previous = None
        if carry_from is not None and doc_id in carry_from:
            previous = task_to_annotation(carry_from[doc_id])
        task = gold_task(item, schema, previous, carry_over)
        found = validate_task(task, corpus, schema, file=item.where)
        problems += [p for p in found if p.severity == "error"]
        result.warnings += [p for p in found if p.severity != "error"]
        if doc_id in existing and not replace:
            problems.append(
                Problem(
                    f"already in {name}; pass --replace to replace it (the old version is "
                    "kept in annotations/backup/)",
                    file=item.where,
                    doc_id=doc_id,
                )
            )
        new_tasks[doc_id] = task
    return new_tasks

"""``newsgold add``: a raw article becomes a seed, a corpus document and a task to annotate.

* **Seed file name**: ``NNN_<hash16>.txt``, ``NNN`` one more than the highest number in
  ``seeds/`` (three digits at least) and ``hash16`` the first 16 hex digits of the SHA-256
  of the document text (UTF-8, after the header is cut and line ends normalised, exactly
  the text the corpus will hold). The stem is the doc_id, as for every seed
  (:func:`newsgold.corpus.seeds.read_seed`). The first seed's name was given with it and
  is not recomputed.
* **Duplicates**: an article whose document text equals that of a seed already there (same
  SHA-256) is refused, naming the doc_id it duplicates; so is the same article given twice
  in one call. Byte differences that vanish in the text (CRLF vs LF, a byte-order mark, a
  header with another date) do not make a new article.
* **Date**: from the article's ``date YYYY-MM-DD`` header, or ``date=`` which writes that
  header in front of the bytes (given both, they must agree). The seed keeps the article's
  bytes otherwise unchanged.
* **Queue**: one Prodigy task per new document in ``annotations/queue/<doc_id>.jsonl``:
  the corpus task (text, tokens, sentences, meta) with ``spans``/``relations`` from a
  system when one is named, else empty. A system is looked up by name in
  ``newsgold.systems`` (the benchmark's baselines; see :func:`system_predictor`).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsgold.corpus.align import token_bounds
from newsgold.corpus.build import build, load_corpus
from newsgold.corpus.seeds import HEADER, read_seed
from newsgold.errors import NewsgoldError, Problem
from newsgold.formats.jsonl import dumps_line, write_bytes_atomic, write_text_atomic
from newsgold.formats.prodigy import annotation_to_task, document_to_json
from newsgold.model import Annotation, Document

QUEUE_DIR = Path("annotations") / "queue"
_NUMBER = re.compile(r"^(\d+)_")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Article:
    """One article given to ``add``: its bytes and where they came from (a path or ``-``)."""

    data: bytes
    source: str


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)  # new doc_ids
    seeds: list[Path] = field(default_factory=list)
    queue: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _with_date(article: Article, date: str | None) -> bytes:
    """The seed bytes: the article as given, with a header written when ``date`` is given
    and the article has none."""
    body = article.data
    probe = body[3:] if body.startswith(b"\xef\xbb\xbf") else body
    m = HEADER.match(probe.decode("utf-8", "replace"))
    if date is None:
        return body
    if not _DATE.match(date):
        raise NewsgoldError(Problem(f"--date must be YYYY-MM-DD, got {date!r}", field="date"))
    if m is not None:
        given = "-".join(m.groups())
        if given != date:
            raise NewsgoldError(
                Problem(
                    f"the article's header says {given} but --date says {date}",
                    file=article.source,
                    line=1,
                )
            )
        return body
    return f" date {date} ".encode() + probe


def _existing(seeds_dir: Path) -> tuple[dict[str, str], int]:
    """SHA-256 of each seed's document text -> its doc_id; the highest seed number."""
    by_hash: dict[str, str] = {}
    highest = -1
    for p in sorted(seeds_dir.glob("*.txt")) if seeds_dir.is_dir() else []:
        m = _NUMBER.match(p.name)
        if m:
            highest = max(highest, int(m.group(1)))
        try:
            by_hash.setdefault(text_sha256(read_seed(p).text), p.stem)
        except NewsgoldError:
            continue  # a bad seed is reported by the build, not here
    return by_hash, highest


def add_articles(
    articles: list[Article],
    root: str | Path = ".",
    *,
    date: str | None = None,
    system: str | None = None,
) -> AddResult:
    """Put articles into ``root/seeds``, rebuild the corpus, write their queue tasks.

    Every article is checked before anything is written: an unreadable article or a
    duplicate stops the whole call with errors naming each one.
    """
    root = Path(root)
    seeds_dir = root / "seeds"
    by_hash, highest = _existing(seeds_dir)
    problems: list[Problem] = []
    planned: list[tuple[str, bytes]] = []
    predictor = system_predictor(system) if system else None
    for art in articles:
        try:
            data = _with_date(art, date)
            with tempfile.TemporaryDirectory() as tmp:
                probe = Path(tmp) / "article.txt"
                probe.write_bytes(data)
                seed = read_seed(probe)
        except NewsgoldError as exc:
            problems += [
                Problem(p.message, file=art.source, line=p.line, field=p.field)
                for p in exc.problems
            ]
            continue
        sha = text_sha256(seed.text)
        if sha in by_hash:
            problems.append(
                Problem(
                    f"this article is already in the corpus as {by_hash[sha]} "
                    "(same text after the header); not added",
                    file=art.source,
                    doc_id=by_hash[sha],
                )
            )
            continue
        highest += 1
        doc_id = f"{highest:03d}_{sha[:16]}"
        by_hash[sha] = doc_id
        planned.append((doc_id, data))
    if problems:
        raise NewsgoldError(problems)
    result = AddResult()
    seeds_dir.mkdir(parents=True, exist_ok=True)
    for doc_id, data in planned:
        path = seeds_dir / f"{doc_id}.txt"
        write_bytes_atomic(path, data)
        result.seeds.append(path)
        result.added.append(doc_id)
    try:
        build(root)
    except BaseException:
        # the corpus could not be rebuilt (another seed is bad): take the new seeds back
        # out, so that seeds/ and corpus/ stay in step
        for path in result.seeds:
            path.unlink(missing_ok=True)
        raise
    corpus = load_corpus(root / "corpus" / "documents.jsonl")
    docs = [corpus[d] for d in result.added]
    predicted = predictor(docs) if predictor else {}
    for doc in docs:
        ann = predicted.get(doc.doc_id) or Annotation(document=doc)
        task, warnings = queue_task(doc, ann, system)
        result.warnings += warnings
        path = root / QUEUE_DIR / f"{doc.doc_id}.jsonl"
        write_text_atomic(path, dumps_line(task))
        result.queue.append(path)
    return result


def queue_task(doc: Document, ann: Annotation, system: str | None) -> tuple[dict, list[Problem]]:
    """A Prodigy task for annotating ``doc``: the corpus task plus the system's spans and
    relations on the corpus tokens. A predicted span off the token boundaries cannot be
    shown by Prodigy's manual interfaces: it is left out with a warning."""
    warnings: list[Problem] = []
    kept = []
    for m in ann.mentions:
        bounds = token_bounds(doc.tokens, m.start, m.end)
        if bounds is None:
            warnings.append(
                Problem(
                    f"predicted span {m.start}-{m.end} ({m.label}) is not on token "
                    "boundaries; left out of the task",
                    doc_id=doc.doc_id,
                    severity="warning",
                )
            )
            continue
        m.token_start, m.token_end = bounds
        m.text = doc.text[m.start : m.end]
        kept.append(m)
    keep = {id(m) for m in kept}
    ann = Annotation(
        document=doc,
        mentions=kept,
        relations=[r for r in ann.relations if id(r.head) in keep and id(r.child) in keep],
        clusters=ann.clusters,
    )
    base = document_to_json(doc)
    task = annotation_to_task(ann)
    task.setdefault("spans", [])
    task.setdefault("relations", [])
    task["meta"] = {**base["meta"], "pre_annotated_by": system} if system else base["meta"]
    return task, warnings


def system_predictor(name: str) -> Callable[[list[Document]], dict[str, Annotation]]:
    """The pre-annotating function of a named system of ``newsgold.systems`` (the
    benchmark's baselines): found by ``systems.discover()`` (builtins, entry points, or a
    ``module:function`` spec), made by ``systems.load_factory(spec)()``, run on the new
    documents; a system that cannot run here (``MissingDependency``) is a clear error.
    Without ``newsgold.systems`` naming a system is an error; ``add`` without ``--system``
    writes empty tasks and needs no model.
    """
    import importlib

    try:
        systems = importlib.import_module("newsgold.systems")
    except ImportError:
        raise NewsgoldError(
            Problem(
                f"no system {name!r}: newsgold.systems (the benchmark's baselines) is not "
                "available; add the article without --system to queue an empty task",
                field="system",
            )
        ) from None
    specs = systems.discover([name] if ":" in name else [])
    if name not in specs:
        raise NewsgoldError(
            Problem(
                f"unknown system {name!r}; known: {', '.join(sorted(specs)) or 'none'} "
                "(or give module:function)",
                field="system",
            )
        )
    try:
        system = systems.load_factory(specs[name])()
    except systems.MissingDependency as exc:
        raise NewsgoldError(
            Problem(f"system {name!r} cannot run here: {exc}", field="system")
        ) from None

    def predict(docs: list[Document]) -> dict[str, Annotation]:
        return {doc.doc_id: ann for doc, ann in zip(docs, system.predict(docs))}

    return predict

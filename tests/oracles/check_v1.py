"""Structural checks at the border: what every annotation read (gold or prediction, any
format) must satisfy before a layer sees it, the way scikit-learn's metrics check their
inputs up front.

These are the fast checks that scoring, statistics and agreement need to be right, not the
validator's schema rules (labels, roles, token boundaries: :mod:`newsgold.corpus.validate`):

* every span: ``0 <= start < end <= len(text)``;
* a head: ``head_start`` and ``head_end`` given together, ``start <= head_start <
  head_end <= end``;
* the values of the schema's attributes (``attrs.type``, ``attrs.value``, ``attrs.realis``,
  ``attrs.polarity``, ``attrs.plover``: the ``attributes`` of ``annotations/schema.json``)
  are strings: they are counted, compared and sorted (statistics, agreement, scoring), so a
  list, an object, a number or ``null`` there would break all three in different ways.
  Other keys (a brat normalisation list, a system's score) are not looked at;
* a Prodigy task's ``answer`` is ``accept``, ``reject`` or ``ignore`` (anything else would
  silently drop the document);
* an annotation's text is the corpus document's text (its offsets mean nothing otherwise).

Each function returns :class:`~newsgold.errors.Problem` records naming file, line,
document and field; :func:`raise_problems` turns them into one error.

>>> from newsgold.model import Annotation, Document, Mention
>>> ann = Annotation(Document("d", "Putin met Blinken."), [Mention(0, 5, "PER", head_start=1)])
>>> [p.message for p in check_annotation(ann)]
['head_start and head_end must be given together']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsgold.errors import NewsgoldError, Problem
from newsgold.model import Annotation, Document, Mention

ANSWERS = ("accept", "reject", "ignore")


def check_answer(
    task: Mapping[str, Any], *, file: str | None = None, line: int | None = None
) -> Problem | None:
    """A task's ``answer`` must be one of :data:`ANSWERS` (absent means accept)."""
    if "answer" not in task or task["answer"] in ANSWERS:
        return None
    return Problem(
        f"answer must be one of {', '.join(ANSWERS)}, not {task['answer']!r}",
        file=file,
        line=line,
        field="answer",
    )


@lru_cache(maxsize=1)
def scored_attributes() -> dict[str, tuple[type, ...]]:
    """The attribute names that layers count and sort (every attribute of the schema), each
    with the JSON scalar type(s) its schema values have: strings, except flags such as
    ``attribution`` whose only value is ``true``. One type per attribute keeps the values
    hashable and sortable together."""
    from newsgold.schema import load_schema

    raw = load_schema().raw.get("attributes", {})
    types: dict[str, set[type]] = {}
    for spec in raw.values():
        if not isinstance(spec, dict):
            continue
        for name, values in spec.items():
            seen = types.setdefault(name, set())
            if isinstance(values, list):
                seen.update(bool if isinstance(v, bool) else str for v in values)
    return {
        name: tuple(sorted(seen, key=lambda t: t.__name__)) or (str,)
        for name, seen in types.items()
    }


def check_mention(m: Mention, text_length: int) -> list[tuple[str, str]]:
    """``(field, message)`` for each structural fault of one span (field relative to it)."""
    out = []
    scored = scored_attributes() if m.attrs else {}
    if not 0 <= m.start < m.end <= text_length:
        field = "start" if m.start < 0 or m.start >= m.end else "end"
        out.append(
            (field, f"offsets {m.start}-{m.end} are not a span of the text (length {text_length})")
        )
    if (m.head_start is None) != (m.head_end is None):
        out.append(("head_start", "head_start and head_end must be given together"))
    elif m.head_start is not None and not (m.start <= m.head_start < m.head_end <= m.end):  # type: ignore[operator]
        out.append(
            (
                "head_start",
                f"head {m.head_start}-{m.head_end} is not inside the span {m.start}-{m.end}",
            )
        )
    for key, value in m.attrs.items():
        allowed = scored.get(key) if scored else None
        # bool is a subclass of int, not of str: an exact type check keeps true apart from "1"
        if allowed and type(value) not in allowed:
            kinds = " or ".join("booleans" if t is bool else "strings" for t in allowed)
            out.append(
                (
                    f"attrs.{key}",
                    f"values of {key} are {kinds}, not {type(value).__name__} {value!r:.40}",
                )
            )
    return out


def check_annotation(
    ann: Annotation,
    *,
    file: str | None = None,
    line: int | None = None,
    spans_field: str = "spans",
) -> list[Problem]:
    """The structural faults of every span of ``ann`` (see the module docstring)."""
    n = len(ann.document.text)
    return [
        Problem(message, file=file, line=line, doc_id=ann.doc_id, field=f"{spans_field}[{i}].{f}")
        for i, m in enumerate(ann.mentions)
        for f, message in check_mention(m, n)
    ]


def check_text(
    ann: Annotation, corpus: Mapping[str, Document], *, file: str | None = None
) -> Problem | None:
    """An annotation of a corpus document must have that document's text."""
    doc = corpus.get(ann.doc_id)
    if doc is None or doc.text == ann.document.text:
        return None
    from newsgold.formats.predictions import first_difference

    return Problem(
        "the text differs from the corpus document's text ("
        + first_difference(ann.document.text, doc.text)
        + ")",
        file=file,
        doc_id=ann.doc_id,
        field="text",
    )


def check_annotations(
    anns: Mapping[str, Annotation],
    corpus: Mapping[str, Document] | None = None,
    *,
    file: str | None = None,
) -> list[Problem]:
    """:func:`check_annotation` for every annotation, and :func:`check_text` against
    ``corpus`` when given."""
    out: list[Problem] = []
    for ann in anns.values():
        out += check_annotation(ann, file=file)
        if corpus is not None:
            p = check_text(ann, corpus, file=file)
            if p is not None:
                out.append(p)
    return out


def raise_problems(problems: Iterable[Problem]) -> None:
    """Raise the errors among ``problems`` as one :class:`NewsgoldError`."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise NewsgoldError(errors)


def documents_without_gold(
    corpus_ids: Iterable[str], gold: str | Path, *, strict: bool = False
) -> list[Problem]:
    """One problem per corpus document that has no accepted task in the gold file ``gold``:
    a warning (an error with ``strict``), so a corpus that grows shows what is still to be
    annotated. Used by ``newsgold validate`` for ``gold.jsonl``.

    """
    from newsgold.formats.jsonl import iter_jsonl

    annotated = set()
    for _, task, problem in iter_jsonl(gold):
        if problem is None and task.get("answer", "accept") == "accept":
            meta = task.get("meta")
            if isinstance(meta, dict) and meta.get("doc_id") is not None:
                annotated.add(str(meta["doc_id"]))
    return [
        Problem(
            "corpus document with no gold annotation"
            + ("" if strict else " (--strict makes this an error)"),
            file=str(gold),
            doc_id=d,
            severity="error" if strict else "warning",
        )
        for d in sorted(set(corpus_ids) - annotated)
    ]

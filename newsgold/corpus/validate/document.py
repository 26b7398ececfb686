"""Checks of a task against its corpus document: answer, text, tokens, segments."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from newsgold.corpus.validate.report import _Where
from newsgold.errors import FormatError
from newsgold.formats.prodigy import (
    segments_from_json,
    stable_hash,
    token_to_json,
    tokens_from_json,
)
from newsgold.model import Document, Token

ANSWERS = ("accept", "reject", "ignore")
# values never corefer (guidelines 9.1, v1.2): a value in a cluster is an error


#: at most this many token mismatches are listed one by one; the rest are counted
MAX_TOKEN_PROBLEMS = 3


def text_hash(text: str) -> int:
    """The content hash used to find a task's document when ``meta.doc_id`` is absent
    (the same :func:`~newsgold.formats.prodigy.stable_hash` the build gives documents)."""
    return stable_hash(text)


def find_document(task: dict[str, Any], corpus: Mapping[str, Document]) -> Document | None:
    """The corpus document of a task: by ``meta.doc_id``, else by a hash of its text.

    A :class:`~newsgold.corpus.index.CorpusIndex` finds the text by its hash table (one
    lookup, the documents are not read); any other mapping is scanned in order. Both give
    the first document, in corpus order, whose text is the task's and whose recorded
    ``input_hash`` (when it has one) is that text's hash.
    """
    meta = task.get("meta")
    if isinstance(meta, dict) and meta.get("doc_id") is not None:
        return corpus.get(str(meta["doc_id"]))
    text = task.get("text")
    if not isinstance(text, str):
        return None
    h = text_hash(text)
    find_text = getattr(corpus, "find_text", None)
    if find_text is not None:
        for doc_id in find_text(text):  # same text, so the same text hash
            doc = corpus[doc_id]
            if doc.input_hash is None or doc.input_hash == h:
                return doc
        return None
    for doc in corpus.values():
        doc_hash = doc.input_hash if doc.input_hash is not None else text_hash(doc.text)
        # the hash finds the document; comparing texts rules out a 32-bit collision
        if doc_hash == h and doc.text == text:
            return doc
    return None


def _check_answer(task: dict[str, Any], w: _Where) -> None:
    if "answer" not in task:
        return
    answer = task["answer"]
    if answer not in ANSWERS:
        w.error(f"answer must be one of {', '.join(ANSWERS)}, got {answer!r}", "answer")
    elif answer != "accept":
        w.warning(f"answer is {answer!r}: this task is not accepted gold", "answer")


def _text_difference(expected: str, got: str) -> str:
    i = next(
        (k for k, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b),
        min(len(expected), len(got)),
    )
    return (
        f"text differs from the corpus document at character {i}: "
        f"corpus {expected[i : i + 20]!r}, task {got[i : i + 20]!r} "
        f"(lengths {len(expected)} and {len(got)})"
    )


#: documents whose tokens are kept as JSON: a few, so that memory stays that of the
#: largest documents, not of the corpus (a file is checked one task at a time; several
#: files of one corpus, or a merge, may come back to a recent one)
TOKENS_CACHE = 4
_TOKENS_JSON: OrderedDict[int, tuple[Document, list[dict[str, Any]]]] = OrderedDict()


def _tokens_json(doc: Document) -> list[dict[str, Any]]:
    """The corpus tokens as Prodigy JSON, cached for the last few documents: most tasks
    carry exactly these, and comparing dicts is far cheaper than reading every token."""
    cached = _TOKENS_JSON.get(id(doc))
    if cached is None or cached[0] is not doc:
        cached = _TOKENS_JSON[id(doc)] = (doc, [token_to_json(t) for t in doc.tokens])
        while len(_TOKENS_JSON) > TOKENS_CACHE:
            _TOKENS_JSON.popitem(last=False)
    _TOKENS_JSON.move_to_end(id(doc))
    return cached[1]


def _check_tokens(
    task: dict[str, Any], doc: Document | None, text: str, w: _Where
) -> list[Token] | None:
    """Compare the task's tokens with the corpus; return the tokens spans are checked on."""
    if "tokens" not in task:
        w.error("no tokens: gold tasks carry the corpus tokens", "tokens")
        return doc.tokens if doc is not None else None
    if doc is not None and task["tokens"] == _tokens_json(doc):  # the usual case, fast
        return doc.tokens
    try:
        given = tokens_from_json(task["tokens"])
    except FormatError as exc:
        w.extend(exc)
        return doc.tokens if doc is not None else None
    raw = task["tokens"]
    bad = []
    if doc is not None:
        if len(given) != len(doc.tokens):
            w.error(f"{len(given)} tokens, the corpus document has {len(doc.tokens)}", "tokens")
        for i, (t, c) in enumerate(zip(given, doc.tokens, strict=False)):
            diff = [
                f"{k} {getattr(t, k)!r} != corpus {getattr(c, k)!r}"
                for k in ("text", "start", "end", "id")
                if getattr(t, k) != getattr(c, k)
            ]
            if "ws" in raw[i] and t.ws != c.ws:
                diff.append(f"ws {t.ws!r} != corpus {c.ws!r}")
            if diff:
                bad.append((i, "; ".join(diff)))
    else:
        for i, t in enumerate(given):
            if text[t.start : t.end] != t.text:
                bad.append((i, f"text {t.text!r} != text[{t.start}:{t.end}]"))
    for i, message in bad[:MAX_TOKEN_PROBLEMS]:
        w.error(message, f"tokens[{i}]")
    if len(bad) > MAX_TOKEN_PROBLEMS:
        w.error(f"{len(bad) - MAX_TOKEN_PROBLEMS} more tokens differ", "tokens")
    if doc is not None and (bad or len(given) != len(doc.tokens)):
        return doc.tokens  # check spans on the corpus tokens, not on broken ones
    return given


def _check_segments(task: dict[str, Any], doc: Document, w: _Where) -> None:
    """Sentences and paragraphs are optional in a task; when given, they are the corpus's."""
    for key in ("sentences", "paragraphs"):
        if key not in task:
            continue
        try:
            given = segments_from_json(task[key], key)
        except FormatError as exc:
            w.extend(exc)
            continue
        expected = getattr(doc, key)
        if given != expected:
            i = next(
                (k for k, (a, b) in enumerate(zip(given, expected, strict=False)) if a != b),
                min(len(given), len(expected)),
            )
            w.error(
                f"{key} differ from the corpus document's ({len(given)} given, "
                f"{len(expected)} in the corpus; first difference at {key}[{i}])",
                f"{key}[{i}]",
            )

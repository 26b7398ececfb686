"""Reading the gold and a prediction for ``score`` and ``compare`` (the whole-file path).

A gold in another format than our Prodigy JSONL is read like a system's output; the gold
is checked like any input before it is trusted. The streamed path for Prodigy files with a
corpus is :mod:`newsgold.cli_stream`.
"""

from __future__ import annotations

from pathlib import Path

from newsgold.errors import FormatError, NewsgoldError, Problem


def _is_blank(path: Path) -> bool:
    """An empty (or all-whitespace) file: a system that predicted nothing at all."""
    if not path.is_file():
        return False
    with path.open("rb") as fh:
        return not fh.read(1 << 16).strip() and not fh.read(1)


def _not_conll(path: Path) -> None:
    """``--format conll`` on a JSON file: say so rather than fail to place its 'tokens'."""
    if not path.is_file():
        return
    with path.open("rb") as fh:
        first = next((ln for ln in fh if ln.strip()), b"").lstrip(b"\xef\xbb\xbf").lstrip()
    if first[:1] in (b"{", b"["):
        raise FormatError(
            Problem(
                "--format conll, but this is JSON, not CoNLL (one token and tag per line); "
                "leave --format out to detect the format",
                file=str(path),
                line=1,
            )
        )


def load_gold(gold: Path, corpus: Path | None, gold_fmt: str | None):
    """The gold annotations and the documents predictions are read onto."""
    from newsgold.corpus.annotations import load_annotations
    from newsgold.corpus.build import load_corpus
    from newsgold.formats.predictions import detect_format, load_predictions

    gold_fmt = gold_fmt or detect_format(gold)
    docs = load_corpus(corpus) if corpus is not None else {}
    if gold_fmt == "prodigy":
        gold_anns = load_annotations(gold)
    else:
        if gold_fmt == "conll":
            from newsgold.formats.conll import documents_from_conll

            _not_conll(gold)
            docs = documents_from_conll(gold)
            if not docs:
                raise FormatError(Problem("the CoNLL gold holds no token", file=str(gold)))
        read = load_predictions(gold, docs, format=gold_fmt, allow_missing=True)
        gold_anns = {d: a for d, a in read.annotations.items() if d not in read.missing}
    if not gold_anns:
        raise FormatError(Problem("the gold holds no annotated document", file=str(gold)))
    from newsgold.corpus.check import check_annotations, raise_problems

    # the gold is checked like any input before it is trusted (its text against the corpus)
    raise_problems(check_annotations(gold_anns, docs, file=str(gold)))
    for d, a in gold_anns.items():
        docs.setdefault(d, a.document)
    return gold_anns, docs


def load_pair(
    pred: Path,
    gold: Path,
    corpus: Path | None,
    fmt: str | None,
    allow_missing: bool,
    allow_unknown: bool,
    allow_mismatch: bool = False,
    gold_fmt: str | None = None,
    loaded=None,
    occurrences: str | None = None,
):
    """Gold annotations and the system's predictions for the gold documents.

    Predictions are read against the whole corpus (a system may cover documents the gold
    does not annotate yet: they are read and checked, not scored); a gold document with no
    prediction is an error unless ``allow_missing``. A gold in another format than our
    Prodigy JSONL is read like a system's output: a CoNLL gold spells its own documents
    (the way seqeval and conlleval compare two tag files), other formats are placed on the
    corpus documents. An empty prediction file predicts nothing for every document."""
    from newsgold.formats.predictions import Predictions, load_predictions
    from newsgold.model import Annotation

    gold_anns, docs = loaded or load_gold(gold, corpus, gold_fmt)
    if _is_blank(pred):
        empty = Problem(
            "the prediction file is empty: every gold document is scored as predicting nothing",
            file=str(pred),
            severity="warning",
        )
        anns = {d: Annotation(document=a.document) for d, a in gold_anns.items()}
        return gold_anns, Predictions(anns, [empty], format=fmt or "empty")
    if fmt == "conll":
        _not_conll(pred)
    reader_options = {}
    if occurrences is not None:  # the text-only placement rule (newsgold/formats/textonly.py)
        from newsgold.formats.predictions import detect_format

        fmt = fmt or detect_format(pred)
        if fmt != "text":
            raise FormatError(
                Problem(
                    f"--occurrences applies to text-only output (--format text), not to {fmt}",
                    file=str(pred),
                    field="--occurrences",
                )
            )
        reader_options["occurrences"] = occurrences
    preds = load_predictions(
        pred,
        docs,
        format=fmt,
        allow_missing=True,
        allow_unknown=allow_unknown,
        allow_mismatch=allow_mismatch,
        **reader_options,
    )
    missing = [d for d in sorted(gold_anns) if d in preds.missing or d not in preds.annotations]
    if missing and not allow_missing:
        raise NewsgoldError(
            [
                Problem(
                    "gold document with no prediction (use --allow-missing to score it as empty)",
                    file=str(pred),
                    doc_id=d,
                )
                for d in missing
            ]
        )
    # the reader's note on corpus documents without predictions is replaced by the check above
    preds.problems = [p for p in preds.problems if "have no prediction" not in p.message]
    return gold_anns, preds

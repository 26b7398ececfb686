"""newsgold: a gold-standard news corpus of entities and events, and its scorer.

The functions a notebook reaches for are here, imported lazily so that ``import newsgold``
stays cheap (numpy, scipy and the readers load on first use):

* :func:`load_gold` — the gold annotations, by doc_id;
* :func:`load_corpus` — the corpus documents, by doc_id;
* ``frames()`` — documents, mentions, entities, events and arguments as DataFrames;
* :func:`score` — score a system's output (a path, or annotations by doc_id) against the
  gold, returning an :class:`~newsgold.scoring.EntityResult`.

See ``docs/api.md`` for a worked example (run as a doctest by the test suite).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsgold.model import Annotation, Document
    from newsgold.scoring import EntityResult

__all__ = ["__version__", "frames", "load_corpus", "load_gold", "score"]


def __getattr__(name: str) -> Any:
    # the version is looked up on first use: importlib.metadata alone costs ~0.1 s
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("newsgold")
        except PackageNotFoundError:  # running from a source tree that is not installed
            value = "0.0.0+unknown"
        globals()["__version__"] = value
        return value
    if name == "frames":
        # ``newsgold.frames()``: the corpus as pandas DataFrames; the module is callable
        import importlib

        return importlib.import_module("newsgold.frames")
    raise AttributeError(f"module 'newsgold' has no attribute {name!r}")


def _default(relative: str) -> Path:
    """A file of the project (:func:`newsgold.paths.default_file`: ``NEWSGOLD_HOME``, the
    root found upwards from the working directory, the packaged copy); an error says where
    it looked."""
    from newsgold.paths import default_file

    return default_file(Path(relative), "path")


def load_gold(path: str | Path | None = None) -> dict[str, Annotation]:
    """The gold annotations (``annotations/gold.jsonl`` by default) by doc_id, checked at
    the border (:mod:`newsgold.corpus.check`)."""
    from newsgold.corpus.annotations import load_annotations

    return load_annotations(path or _default("annotations/gold.jsonl"))


def load_corpus(path: str | Path | None = None) -> dict[str, Document]:
    """The corpus documents (``corpus/documents.jsonl`` by default) by doc_id."""
    from newsgold.corpus.build import load_corpus as _load

    return _load(path or _default("corpus/documents.jsonl"))


def score(
    pred: str | Path | dict[str, Annotation],
    gold: str | Path | dict[str, Annotation] | None = None,
    *,
    corpus: str | Path | dict[str, Document] | None = None,
    format: str | None = None,
    allow_missing: bool = False,
    allow_unknown: bool = False,
    allow_mismatch: bool = False,
    reader_options: dict[str, Any] | None = None,
    **options: Any,
) -> EntityResult:
    """Score a system's entity mentions against the gold.

    ``pred`` is a file or brat folder in any readable format (``format=`` as for
    ``newsgold score --format``; detected by default) or annotations by doc_id; ``gold``
    a Prodigy JSONL file or annotations by doc_id (default: the bundled gold); ``corpus``
    the documents predictions are placed on (default: the bundled corpus). ``options``
    are :class:`~newsgold.scoring.EntityOptions` fields: ``view``, ``span``,
    ``label_map``, ``rename``, ``labels``, ``preset``, ``units``, ``n_resamples``,
    ``confidence``, ``seed``, ``min_overlap``. ``reader_options`` go to the format's
    reader (``occurrences="all"`` for text-only output, ``scheme`` for CoNLL...).
    """
    from newsgold.corpus.check import check_annotations, raise_problems
    from newsgold.errors import FormatError, Problem
    from newsgold.scoring import EntityOptions, score_entities

    known = set(EntityOptions.__dataclass_fields__)
    unknown = sorted(set(options) - known)
    if unknown:
        raise FormatError(
            Problem(
                f"unknown option(s) {', '.join(unknown)}; options are {', '.join(sorted(known))}"
            )
        )
    if "labels" in options and isinstance(options["labels"], str):
        options["labels"] = (options["labels"],)
    if options.get("labels") is not None:
        options["labels"] = tuple(options["labels"])
    gold_anns = gold if isinstance(gold, dict) else load_gold(gold)
    docs = corpus if isinstance(corpus, dict) else None
    if docs is None:
        if corpus is not None:
            path: Path | None = Path(corpus)
        else:
            from newsgold.paths import CORPUS, locate

            path = locate(CORPUS)[0]
        docs = load_corpus(path) if path is not None and path.is_file() else {}
    raise_problems(check_annotations(gold_anns, docs))
    docs = {**{d: a.document for d, a in gold_anns.items()}, **docs}
    if isinstance(pred, dict):
        pred_anns = pred
        raise_problems(check_annotations(pred_anns, docs))
        missing = sorted(d for d in gold_anns if d not in pred_anns)
    else:
        from newsgold.formats.predictions import load_predictions

        read = load_predictions(
            pred,
            docs,
            format=format,
            allow_missing=True,
            allow_unknown=allow_unknown,
            allow_mismatch=allow_mismatch,
            **(reader_options or {}),
        )
        pred_anns = read.annotations
        missing = sorted(d for d in gold_anns if d in read.missing or d not in pred_anns)
    if missing and not allow_missing:
        from newsgold.errors import NewsgoldError

        raise NewsgoldError(
            [
                Problem(
                    "gold document with no prediction (allow_missing=True scores it as empty)",
                    file=None if isinstance(pred, dict) else str(pred),
                    doc_id=d,
                )
                for d in missing
            ]
        )
    return score_entities(gold_anns, pred_anns, EntityOptions(**options))

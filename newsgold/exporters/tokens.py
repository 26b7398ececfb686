"""Gold annotations -> token formats: CoNLL (IOB2), spaCy DocBin, Hugging Face Parquet/JSONL.

All three use the corpus tokens. A token format holds one tag per token, so of
overlapping spans only the longest is tagged (``features.longest_first``); the spaCy and
Hugging Face exports keep every span as well (``doc.spans["sc"]``, the ``spans`` column).

* **conll**: ``-DOCSTART- <doc_id>``, a blank line, then one ``token<TAB>tag`` line per
  token (whitespace tokens left out), a blank line after each sentence. Entity, timex and
  value spans; no triggers (CoNLL has no events).
* **spacy**: a DocBin (``store_user_data=True``) of Docs with the corpus tokens; every span
  in ``doc.spans["sc"]``, ``doc.ents`` the longest non-overlapping entity/timex/value
  spans, ``doc.user_data["doc_id"]``.
* **hf**: ``newsgold.parquet`` and ``newsgold.jsonl``, one row per document: ``doc_id``,
  ``text``, ``tokens``, ``token_starts``/``token_ends`` (code points), ``ner_tags``
  (IOB2 class ids), ``spans`` (every mention: start, end, label, kind, mention_type).
  The features (with the tag names as a ``ClassLabel``) are in the Parquet file's
  metadata, so ``datasets.load_dataset("parquet", data_files=...)`` gives them back
  offline, and in ``features.json``.
"""

from __future__ import annotations

from pathlib import Path

from newsgold.errors import NewsgoldError, Problem
from newsgold.exporters.features import longest_first
from newsgold.model import TRIGGER, Annotation

NON_EVENT = ("entity", "timex", "value")


def iob2(ann: Annotation) -> list[str]:
    """IOB2 tags of the corpus tokens for the longest non-overlapping non-trigger spans."""
    doc = ann.document
    tags = ["O"] * len(doc.tokens)
    spans = longest_first([m for m in ann.mentions if m.kind != TRIGGER])
    starts = {t.start: i for i, t in enumerate(doc.tokens)}
    ends = {t.end: i for i, t in enumerate(doc.tokens)}
    for m in spans:
        i, j = starts.get(m.start), ends.get(m.end)
        if i is None or j is None:
            continue  # not on token boundaries: the validator reports such spans
        tags[i] = f"B-{m.label}"
        for k in range(i + 1, j + 1):
            tags[k] = f"I-{m.label}"
    return tags


def to_conll(anns: list[Annotation]) -> str:
    out: list[str] = []
    for ann in anns:
        doc = ann.document
        tags = iob2(ann)
        out += [f"-DOCSTART- {ann.doc_id}", ""]
        sentences = doc.sentences or []
        bounds = [(s.token_start, s.token_end) for s in sentences] or [(0, len(doc.tokens) - 1)]
        for a, b in bounds:
            rows = [
                f"{doc.tokens[i].text}\t{tags[i]}"
                for i in range(a, b + 1)
                if not doc.tokens[i].text.isspace()
            ]
            if rows:
                out += [*rows, ""]
    return "\n".join(out) + "\n"


def to_docbin(anns: list[Annotation]) -> bytes:
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("en").vocab
    db = DocBin(store_user_data=True)
    for ann in anns:
        d = ann.document
        words = [t.text for t in d.tokens]
        spaces = [
            d.text[t.end : t.end + 1] == " "
            and (i + 1 == len(d.tokens) or d.tokens[i + 1].start > t.end)
            for i, t in enumerate(d.tokens)
        ]
        doc = Doc(vocab, words=words, spaces=spaces)
        if doc.text != d.text:
            raise NewsgoldError(
                Problem(
                    "the corpus tokens do not spell the text; rebuild the corpus", doc_id=ann.doc_id
                )
            )
        spans = [doc.char_span(m.start, m.end, label=m.label) for m in ann.mentions]
        doc.spans["sc"] = [s for s in spans if s is not None]
        ents = longest_first([m for m in ann.mentions if m.kind != TRIGGER])
        doc.ents = [
            s for s in (doc.char_span(m.start, m.end, label=m.label) for m in ents) if s is not None
        ]
        doc.user_data["doc_id"] = ann.doc_id
        db.add(doc)
    return db.to_bytes()


def hf_rows(anns: list[Annotation], tag_names: list[str]) -> list[dict]:
    index = {t: i for i, t in enumerate(tag_names)}
    rows = []
    for ann in anns:
        d = ann.document
        rows.append(
            {
                "doc_id": ann.doc_id,
                "text": d.text,
                "tokens": [t.text for t in d.tokens],
                "token_starts": [t.start for t in d.tokens],
                "token_ends": [t.end for t in d.tokens],
                "ner_tags": [index[t] for t in iob2(ann)],
                "spans": [
                    {
                        "start": m.start,
                        "end": m.end,
                        "label": m.label,
                        "kind": m.kind,
                        "mention_type": m.mention_type,
                    }
                    for m in ann.mentions
                ],
            }
        )
    return rows


def hf_tag_names(labels: list[str]) -> list[str]:
    return ["O"] + [f"{p}-{label}" for label in labels for p in ("B", "I")]


def hf_features(tag_names: list[str]) -> dict:
    """The features, in the ``datasets.Features.to_dict()`` form of the installed
    ``datasets`` when it is there (else a plain description)."""
    try:
        import datasets
    except ImportError:
        return {
            "doc_id": "string",
            "text": "string",
            "tokens": ["string"],
            "token_starts": ["int64"],
            "token_ends": ["int64"],
            "ner_tags": {"class_label": tag_names},
            "spans": [
                {k: "string" for k in ("label", "kind", "mention_type")}
                | {"start": "int64", "end": "int64"}
            ],
        }
    return _datasets_features(datasets, tag_names).to_dict()


def _datasets_features(datasets, tag_names):
    v = datasets.Value
    return datasets.Features(
        {
            "doc_id": v("string"),
            "text": v("string"),
            "tokens": datasets.Sequence(v("string")),
            "token_starts": datasets.Sequence(v("int64")),
            "token_ends": datasets.Sequence(v("int64")),
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=tag_names)),
            "spans": [
                {
                    "start": v("int64"),
                    "end": v("int64"),
                    "label": v("string"),
                    "kind": v("string"),
                    "mention_type": v("string"),
                }
            ],
        }
    )


def write_parquet(rows: list[dict], tag_names: list[str], path: Path) -> None:
    """Write the rows as Parquet with the Hugging Face features in the schema metadata."""
    try:
        import datasets
    except ImportError:
        raise NewsgoldError(
            Problem(
                "the hf export needs the 'datasets' and 'pyarrow' packages (pip install 'newsgold[hf]')"
            )
        ) from None
    datasets.disable_progress_bars()
    ds = datasets.Dataset.from_list(rows, features=_datasets_features(datasets, tag_names))
    ds.to_parquet(str(path))

"""spaCy ``Doc`` objects (in memory, or a DocBin ``.spacy`` file) -> entity mentions.

Mentions are ``doc.ents`` (label ``ent.label_``, offsets ``ent.start_char``/``end_char``,
which are code points of ``doc.text``) and, with ``spans_key``, the spans of
``doc.spans[spans_key]`` as well (a span equal to an entity in offsets and label is kept
once). Coreference clusters, as spacy-experimental's coref component writes them
(``doc.spans["coref_clusters_1"]``, ``..._2``, ...), give cluster ids: an entity with a
cluster span's offsets joins that cluster; any other cluster span is added as an entity
mention labelled ``MENTION`` (with a warning: it counts in the entity layer too). The document is ``doc.user_data["doc_id"]`` when present (a DocBin keeps it only
when saved with ``store_user_data=True``), else the corpus document whose text is
``doc.text``. A doc whose text differs from its corpus document is an error: run the
pipeline on the corpus text (``nlp(document.text)``), not on re-joined tokens.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> doc = nlp("Putin spoke.")
>>> doc.ents = [doc.char_span(0, 5, "PERSON")]
>>> from newsgold.model import Document
>>> preds = from_docs([doc], {"d1": Document("d1", "Putin spoke.")})
>>> [(m.start, m.end, m.label) for m in preds.annotations["d1"].mentions]
[(0, 5, 'PERSON')]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsgold.formats.collect import Collector, Predictions
from newsgold.model import Cluster, Document, Mention

#: spacy-experimental's coreference component writes each cluster as doc.spans[prefix + n]
COREF_PREFIX = "coref_clusters"
COREF_LABEL = "MENTION"


def _coref_clusters(doc, corpus_doc, mentions, collector, f) -> tuple[list[Cluster], int]:
    """Cluster ids from ``doc.spans["coref_clusters_*"]``: an entity with a cluster's span
    joins it (its first cluster, if several); another span is added as a mention."""
    by_span = {(m.start, m.end): m for m in mentions}
    clusters, added = [], 0
    for key in sorted(k for k in doc.spans if k.startswith(COREF_PREFIX)):
        clusters.append(Cluster(key, "entity"))
        for sp in doc.spans[key]:
            m = by_span.get((sp.start_char, sp.end_char))
            if m is None:
                label = sp.label_ or COREF_LABEL
                if not collector.check_span(
                    corpus_doc, sp.start_char, sp.end_char, label, field=f"{f}.spans[{key!r}]"
                ):
                    continue
                m = Mention(start=sp.start_char, end=sp.end_char, label=label)
                by_span[m.span] = m
                mentions.append(m)
                added += 1
            if m.cluster is None:
                m.cluster = key
    return clusters, added


def _read_docs(docs: Iterable, collector: Collector, spans_key: str | None, where: str) -> None:
    no_key = 0
    extra_mentions = 0
    for i, doc in enumerate(docs):
        f = f"docs[{i}]"
        doc_id = doc.user_data.get("doc_id") if doc.user_data else None
        corpus_doc = collector.resolve(
            doc_id=None if doc_id is None else str(doc_id), text=doc.text, file=f"{where} {f}"
        )
        if corpus_doc is None:
            continue
        spans = [(e.start_char, e.end_char, e.label_, "ents") for e in doc.ents]
        if spans_key is not None:
            if spans_key in doc.spans:
                spans += [
                    (s.start_char, s.end_char, s.label_, f"spans[{spans_key!r}]")
                    for s in doc.spans[spans_key]
                ]
            else:
                no_key += 1
        seen = set()
        mentions = []
        for start, end, label, source in spans:
            if (start, end, label) in seen:
                continue
            seen.add((start, end, label))
            if collector.check_span(corpus_doc, start, end, label, field=f"{f}.{source}"):
                mentions.append(Mention(start=start, end=end, label=label))
        clusters, added = _coref_clusters(doc, corpus_doc, mentions, collector, f)
        extra_mentions += added
        collector.add(corpus_doc, mentions, clusters=clusters, where=f"{where} {f}")
    if extra_mentions:
        collector.warn(
            f"{extra_mentions} coreference mention(s) that are not entities were read as entity "
            f"mentions labelled {COREF_LABEL} (score them with --layers coref)",
            field="doc.spans",
        )
    if no_key:
        keys = "the key is absent"
        collector.warn(
            f"{no_key} doc(s) have no doc.spans[{spans_key!r}] ({keys}); their doc.ents only",
            field="spans_key",
        )


def from_docs(
    docs: Iterable,
    corpus: dict[str, Document],
    *,
    spans_key: str | None = None,
    allow_missing: bool = False,
    allow_unknown: bool = False,
) -> Predictions:
    """Predictions from in-memory ``spacy.tokens.Doc`` objects (see the module docstring)."""
    collector = Collector(
        corpus, "<docs>", "spacy", allow_missing=allow_missing, allow_unknown=allow_unknown
    )
    _read_docs(docs, collector, spans_key, "<docs>")
    return collector.finish()


def read_docbin(path: Path, collector: Collector, spans_key: str | None = None) -> None:
    """Read a DocBin ``.spacy`` file into ``collector``."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    try:
        docbin = DocBin().from_disk(path)
        docs = list(docbin.get_docs(Vocab()))
    except FileNotFoundError:
        collector.error("no such file")
        return
    except Exception as exc:  # noqa: BLE001 - spaCy raises many types for a bad file
        collector.error(
            f"not a spaCy DocBin file ({type(exc).__name__}: {str(exc)[:120]}); "
            "write one with DocBin(store_user_data=True).to_disk(path)"
        )
        return
    _read_docs(docs, collector, spans_key, str(path))

"""Write the sample system outputs in this folder from one made-up system's entities.

Every file encodes the same mentions (``SYSTEM``) in another format, so the tests can check
that each reader gives back exactly these. Run from the repository root:

    python tests/data/formats/make_samples.py

The files are committed; this script documents how they were made. Each format's quirks
are written as real tools write them (IOB1 and 4 columns like CoNLL-2003, BILOU, HF
sub-word pieces, a brat copy of the raw seed with its header, Prodigy rejects, ...).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import orjson

from newsgold.corpus.build import document_from_seed

HERE = Path(__file__).parent
SEEDS = HERE / "seeds"

NAMES = {
    "000_e2a7510a474f58d9": [
        ("Jens Stoltenberg", "PER"),
        ("Putin", "PER"),
        ("Blinken", "PER"),
        ("Kuleba", "PER"),
        ("Zelensky", "PER"),
        ("Lavrov", "PER"),
        ("NATO", "ORG"),
        ("Kremlin", "ORG"),
        ("Russia", "LOC"),
        ("Ukraine", "LOC"),
        ("Latvia", "LOC"),
        ("Moscow", "LOC"),
        ("Stockholm", "LOC"),
        ("Crimea", "LOC"),
        ("Donetsk", "LOC"),
        ("Lugansk", "LOC"),
        ("US", "LOC"),
        ("Russian", "MISC"),
        ("Ukrainian", "MISC"),
    ],
    "001_kyiv_talks": [
        ("Wendy Sherman", "PER"),
        ("Sergei Ryabkov", "PER"),
        ("Sherman", "PER"),
        ("Ryabkov", "PER"),
        ("United States", "LOC"),
        ("Geneva", "LOC"),
        ("Ukraine", "LOC"),
        ("Kyiv", "LOC"),
        ("Moscow", "LOC"),
        ("Russia", "LOC"),
        ("Brussels", "LOC"),
        ("US", "LOC"),
        ("NATO", "ORG"),
        ("Russian", "MISC"),
    ],
}


def corpus():
    docs = [document_from_seed(p) for p in sorted(SEEDS.glob("*.txt"))]
    return {d.doc_id: d for d in docs}


def system(doc) -> list[tuple[int, int, str]]:
    """The made-up system: every listed name at word bounds, longest first, no overlap."""
    taken: list[tuple[int, int, str]] = []
    for name, label in NAMES[doc.doc_id]:
        for m in re.finditer(rf"\b{re.escape(name)}\b", doc.text):
            if not any(m.start() < e and s < m.end() for s, e, _ in taken):
                taken.append((m.start(), m.end(), label))
    return sorted(taken)


def token_tags(doc, spans, scheme):
    tokens = [t for t in doc.tokens if t.text.strip()]
    tags = ["O"] * len(tokens)
    index = {}
    sent_of = {
        t.start: k
        for k, sent in enumerate(doc.sentences)
        for t in tokens
        if sent.start <= t.start < sent.end
    }
    for s, e, label in spans:
        inside = [i for i, t in enumerate(tokens) if t.start >= s and t.end <= e]
        for k, i in enumerate(inside):
            first, last = k == 0, k == len(inside) - 1
            if scheme == "bilou":
                p = "U" if first and last else "B" if first else "L" if last else "I"
            elif scheme == "iob1":
                prev = inside[0] - 1
                touching = (
                    first
                    and prev >= 0
                    and index.get(prev) == label
                    and sent_of[tokens[prev].start] == sent_of[tokens[inside[0]].start]
                )
                p = "B" if touching else "I"
            else:
                p = "B" if first else "I"
            tags[i] = f"{p}-{label}"
            index[i] = label
    return tokens, tags


def sentences(doc, tokens, tags):
    """Rows grouped by the corpus sentences."""
    out = []
    for sent in doc.sentences:
        rows = [(t, g) for t, g in zip(tokens, tags) if sent.start <= t.start < sent.end]
        if rows:
            out.append(rows)
    return out


def write_conll(docs):
    iob2, iob1, bilou = [], [], []
    for doc in docs.values():
        spans = system(doc)
        iob2.append("-DOCSTART- -X- O O\n")
        iob1.append("-DOCSTART- -X- -X- O\n")
        bilou.append(f"# newdoc id = {doc.doc_id}\n")
        for scheme, out in (("iob2", iob2), ("iob1", iob1), ("bilou", bilou)):
            tokens, tags = token_tags(doc, spans, scheme)
            for sent in sentences(doc, tokens, tags):
                out.append("\n")
                for t, g in sent:
                    if scheme == "iob2":
                        out.append(f"{t.text} {g}\n")
                    elif scheme == "iob1":
                        pos = "NNP" if t.text[:1].isupper() else "NN"
                        out.append(f"{t.text} {pos} I-NP {g}\n")
                    else:
                        out.append(f"{t.text}\t{g}\n")
            out.append("\n")
    (HERE / "system.iob2.conll").write_text("".join(iob2), encoding="utf-8")
    (HERE / "system.iob1.conll").write_text("".join(iob1), encoding="utf-8")
    (HERE / "system.bilou.tsv").write_text("".join(bilou), encoding="utf-8")


def write_prodigy(docs):
    lines = []
    for doc in docs.values():
        spans = [
            {"start": s, "end": e, "label": lab, "text": doc.text[s:e]} for s, e, lab in system(doc)
        ]
        task = {"text": doc.text, "meta": {"doc_id": doc.doc_id}, "spans": spans}
        task["_view_id"] = "ner_manual"
        task["answer"] = "accept"
        lines.append(task)
    # an older, rejected pass over the first document: must be skipped
    lines.insert(0, {**lines[0], "spans": [], "answer": "reject"})
    (HERE / "system.prodigy.jsonl").write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))


def write_text(docs):
    lines = []
    for doc in docs.values():
        mentions = [{"text": doc.text[s:e], "label": lab} for s, e, lab in system(doc)]
        lines.append({"doc_id": doc.doc_id, "mentions": mentions})
    (HERE / "system.text.jsonl").write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))


def write_hf(docs):
    """Doc 000 as ``aggregation_strategy="simple"`` output, doc 001 without aggregation:
    one item per word piece, as a WordPiece model would cut the names."""
    a, b = list(docs.values())
    agg = [
        {"entity_group": lab, "score": 0.99, "word": a.text[s:e], "start": s, "end": e}
        for s, e, lab in system(a)
    ]
    pieces, index = [], 0
    for s, e, lab in system(b):
        words = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", b.text[s:e])]
        first = True
        for ws, we in words:
            cut = [(ws, min(we, ws + 4)), (min(we, ws + 4), we)]
            for ps, pe in cut:
                if ps == pe:
                    continue
                word = b.text[ps:pe] if ps == ws else "##" + b.text[ps:pe]
                pieces.append(
                    {
                        "entity": ("B-" if first else "I-") + lab,
                        "score": 0.95,
                        "index": index,
                        "word": word,
                        "start": ps,
                        "end": pe,
                    }
                )
                first = False
                index += 1
        index += 3  # the O tokens between entities are dropped by the pipeline
    lines = [
        {"doc_id": a.doc_id, "entities": agg},
        {"doc_id": b.doc_id, "text": b.text, "entities": pieces},
    ]
    (HERE / "system.hf.jsonl").write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))


def write_brat(docs):
    """One brat document per corpus document; doc 000's .txt is the raw seed (with its
    ``date`` header), so its offsets are shifted by the header length."""
    folder = HERE / "brat"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for doc in docs.values():
        raw = (SEEDS / f"{doc.doc_id}.txt").read_text(encoding="utf-8")
        header = doc.doc_id.startswith("000")
        txt = raw if header else doc.text
        shift = doc.meta["text_offset"] if header else 0
        ann = []
        for k, (s, e, lab) in enumerate(system(doc), start=1):
            ann.append(f"T{k}\t{lab} {s + shift} {e + shift}\t{doc.text[s:e]}\n")
        (folder / f"{doc.doc_id}.txt").write_text(txt, encoding="utf-8")
        (folder / f"{doc.doc_id}.ann").write_text("".join(ann), encoding="utf-8")


def write_expected(docs):
    """The mentions every sample must give back, one JSON line per document."""
    lines = [{"doc_id": d.doc_id, "mentions": system(d)} for d in docs.values()]
    (HERE / "expected.jsonl").write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))


if __name__ == "__main__":
    docs = corpus()
    write_expected(docs)
    write_conll(docs)
    write_prodigy(docs)
    write_text(docs)
    write_hf(docs)
    write_brat(docs)


EVENTS_ANN = """\
T1	PER 71 84	Wendy Sherman
T2	Contact.Meet 85 88	met
T3	PER 121 135	Sergei Ryabkov
T4	LOC 139 145	Geneva
T5	DATE 149 155	Monday
E1	Contact.Meet:T2 Entity:T1 Entity2:T3 Place:T4 Time:T5
A1	Realis E1 Actual
A2	Polarity E1 Positive
T6	Conflict.Attack 307 316	attacking
T7	LOC 317 324	Ukraine
E2	Conflict.Attack:T6 Target:T7
A3	Realis E2 Other
A4	Negation E2
T8	PER 157 164	Sherman
*	Equiv T1 T8
T9	LOC 42 44	US
R1	Origin Arg1:T1 Arg2:T9
N1	Reference T4 Wikidata:Q71	Geneva
T10	TITLE 97 103;112 120	Deputy Minister
#1	AnnotatorNotes T6	negated by "no intention"
"""


def write_brat_events(docs):
    """A hand-written brat file with events, attributes, Equiv, N, a note and a
    discontinuous span, its .txt saved with Windows line ends (brat then counts the CR)."""
    doc = docs["001_kyiv_talks"]
    folder = HERE / "brat_events"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()

    def crlf(o: int) -> int:
        return o + doc.text[:o].count("\n")

    out = []
    for line in EVENTS_ANN.splitlines():
        parts = line.split("\t")
        if parts[0].startswith("T"):
            label, offsets = parts[1].split(" ", 1)
            frags = [tuple(int(x) for x in f.split()) for f in offsets.split(";")]
            for s, e in frags:
                assert doc.text[s:e] in parts[2], (doc.text[s:e], parts[2])
            offsets = ";".join(f"{crlf(s)} {crlf(e)}" for s, e in frags)
            parts[1] = f"{label} {offsets}"
        out.append("\t".join(parts) + "\n")
    (folder / "001_kyiv_talks.txt").write_bytes(doc.text.replace("\n", "\r\n").encode("utf-8"))
    (folder / "001_kyiv_talks.ann").write_text("".join(out), encoding="utf-8")


if __name__ == "__main__":
    write_brat_events(corpus())

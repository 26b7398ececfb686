"""Write the event samples in tests/data/formats/<format>/ from the seed document's gold.

The same events (``EVENTS``: gold events of ``corpus/documents.jsonl``'s document with
their ERE arguments, so every offset is real) are written in each tool's own shape, so the
tests can check that every reader gives back exactly these. Run from the repository root:

    python tests/data/formats/make_event_samples.py

The files are committed; this script documents how they were made. Quirks are written as
the tools write them: OneIE's LDC type spelling (``Conflict:Attack``), its own regex
tokenization with PTB quotes (`````/``''``) and ``token_ids`` counted on the raw seed
(with its header); TextEE windows with token offsets (end exclusive); DyGIE++
document-level token indices (end inclusive) and single-token triggers; brat standoff
with E, A and Equiv lines; strings only for the LLM output.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson

from newsgold.corpus.annotations import load_annotations
from newsgold.corpus.build import load_corpus

HERE = Path(__file__).parent
ROOT = HERE.parent.parent.parent
#: gold events written in every format; only their ERE roles (PLOVER roles are another layer)
EVENTS = ("ev4", "ev9", "ev28", "ev33", "ev37")
ERE_ROLES = {"Entity", "Place", "Time", "Agent", "Person", "Destination", "Attacker", "Target"}
ERE_ROLES |= {"Victim", "Artifact"}
_PTB_QUOTES = {"“": "``", "”": "''"}


def _lines(path: Path, objs: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(orjson.dumps(o) + b"\n" for o in objs))


def selection():
    doc = next(iter(load_corpus(ROOT / "corpus" / "documents.jsonl").values()))
    ann = load_annotations(ROOT / "annotations" / "gold.jsonl")[doc.doc_id]
    events = []
    for e in ann.events:
        if e.id in EVENTS:
            args = [a for a in e.arguments if a.role in ERE_ROLES]
            events.append((e, args))
    entities = []
    for _, args in events:
        for a in args:
            if a.mention not in entities:
                entities.append(a.mention)
    entities.sort(key=lambda m: (m.start, m.end))
    return doc, events, entities


def sentence_of(doc, start: int) -> int:
    return next(i for i, s in enumerate(doc.sentences) if s.start <= start < s.end)


def oneie_tokens(doc, sent) -> list[tuple[str, int, int]]:
    """OneIE's tokens of a sentence: words (with inner hyphens/apostrophes) and single
    punctuation marks, curly double quotes written as PTB quotes."""
    text = doc.text[sent.start : sent.end]
    out = []
    for m in re.finditer(r"\w+(?:[-']\w+)*|[^\w\s]", text):
        tok = _PTB_QUOTES.get(m.group(), m.group())
        out.append((tok, sent.start + m.start(), sent.start + m.end()))
    return out


def words(doc, sent) -> list[tuple[str, int, int]]:
    """The corpus tokens of a sentence without whitespace tokens (which the tools drop)."""
    return [
        (t.text, t.start, t.end)
        for t in doc.tokens[sent.token_start : sent.token_end + 1]
        if t.text.strip()
    ]


def tok_index(toks, start: int, end: int) -> tuple[int, int]:
    """Token span [i, j) (end exclusive) covering characters [start, end)."""
    i = next(k for k, t in enumerate(toks) if t[1] == start)
    j = next(k for k, t in enumerate(toks) if t[2] == end) + 1
    return i, j


def write_oneie(doc, events, entities) -> None:
    header = doc.meta.get("text_offset", 0)
    lines = []
    for si, sent in enumerate(doc.sentences):
        toks = oneie_tokens(doc, sent)
        ents = [m for m in entities if sentence_of(doc, m.start) == si]
        evs = [(e, a) for e, a in events if sentence_of(doc, e.trigger.start) == si]
        graph = {
            "entities": [[*tok_index(toks, m.start, m.end), m.label, "NAM", 1.0] for m in ents],
            "triggers": [
                [*tok_index(toks, e.trigger.start, e.trigger.end), e.type.replace(".", ":", 1), 1.0]
                for e, _ in evs
            ],
            "relations": [],
            "roles": [
                [ti, ents.index(a.mention), a.role, 0.9]
                for ti, (_, args) in enumerate(evs)
                for a in args
            ],
        }
        lines.append(
            {
                "doc_id": doc.doc_id,
                "sent_id": f"{doc.doc_id}-{si}",
                # inclusive character ends on OneIE's own input: the raw seed, header and all
                "token_ids": [f"{doc.doc_id}:{s + header}-{e + header - 1}" for _, s, e in toks],
                "tokens": [t for t, _, _ in toks],
                "graph": graph,
            }
        )
    _lines(HERE / "oneie" / "system.jsonl", lines)


def write_textee(doc, events, entities) -> None:
    data, preds = [], []
    for si, sent in enumerate(doc.sentences):
        toks = words(doc, sent)
        words_ = [t for t, _, _ in toks]
        ents = [m for m in entities if sentence_of(doc, m.start) == si]
        evs = [(e, a) for e, a in events if sentence_of(doc, e.trigger.start) == si]
        ent_ids = {id(m): f"{doc.doc_id}-E{k}" for k, m in enumerate(entities)}
        wnd = {
            "doc_id": doc.doc_id,
            "wnd_id": f"{doc.doc_id}_{si}",
            "text": doc.text[sent.start : sent.end],
        }
        data.append(
            {
                **wnd,
                "tokens": words_,
                "entity_mentions": [
                    {
                        "id": ent_ids[id(m)],
                        "text": m.text,
                        "entity_type": m.label,
                        "start": tok_index(toks, m.start, m.end)[0],
                        "end": tok_index(toks, m.start, m.end)[1],
                    }
                    for m in ents
                ],
                "relation_mentions": [],
                "event_mentions": [
                    {
                        "id": f"{doc.doc_id}-{e.id}",
                        "event_type": e.type,
                        "trigger": {
                            "text": e.trigger.text,
                            "start": tok_index(toks, e.trigger.start, e.trigger.end)[0],
                            "end": tok_index(toks, e.trigger.start, e.trigger.end)[1],
                        },
                        "arguments": [
                            {
                                "entity_id": ent_ids[id(a.mention)],
                                "role": a.role,
                                "text": a.mention.text,
                            }
                            for a in args
                        ],
                    }
                    for e, args in evs
                ],
                "lang": "en",
            }
        )
        preds.append(
            {
                "doc_id": doc.doc_id,
                "wnd_id": wnd["wnd_id"],
                "tokens": words_,
                "events": [
                    {
                        "trigger": [
                            *tok_index(toks, e.trigger.start, e.trigger.end),
                            e.type,
                            e.trigger.text,
                        ],
                        "arguments": [
                            [
                                *tok_index(toks, a.mention.start, a.mention.end),
                                a.role,
                                a.mention.text,
                            ]
                            for a in args
                        ],
                    }
                    for e, args in evs
                ],
            }
        )
    _lines(HERE / "textee" / "gold.jsonl", data)
    _lines(HERE / "textee" / "pred.jsonl", preds)


def write_dygiepp(doc, events, entities) -> None:
    sents = doc.sentences
    flat = [t for s in sents for t in words(doc, s)]

    def tok(start: int, end: int) -> tuple[int, int]:  # document tokens, end inclusive
        i = next(k for k, t in enumerate(flat) if t[1] == start)
        j = next(k for k, t in enumerate(flat) if t[2] == end)
        return i, j

    ner = [
        [[*tok(m.start, m.end), m.label] for m in entities if sentence_of(doc, m.start) == i]
        for i in range(len(sents))
    ]
    evs = [
        [
            [[tok(e.trigger.start, e.trigger.end)[0], e.type]]
            + [[*tok(a.mention.start, a.mention.end), a.role] for a in args]
            for e, args in events
            if sentence_of(doc, e.trigger.start) == i
        ]
        for i in range(len(sents))
    ]
    line = {
        "doc_key": doc.doc_id,
        "dataset": "ace-event",
        "sentences": [[t for t, _, _ in words(doc, s)] for s in sents],
        "ner": ner,
        "relations": [[] for _ in sents],
        "events": evs,
        "clusters": [],
    }
    _lines(HERE / "dygiepp" / "gold.jsonl", [line])
    pred = {
        "doc_key": doc.doc_id,
        "dataset": "ace-event",
        "sentences": line["sentences"],
        "predicted_ner": [[[*x, 2.1, 0.93] for x in s] for s in ner],
        "predicted_relations": [[] for _ in sents],
        "predicted_events": [
            [[[*ev[0], 3.2, 0.97]] + [[*a, 1.5, 0.81] for a in ev[1:]] for ev in s] for s in evs
        ],
    }
    _lines(HERE / "dygiepp" / "pred.jsonl", [pred])


def write_llm(doc, events) -> None:
    line = {
        "doc_id": doc.doc_id,
        "events": [
            {
                "trigger": e.trigger.text,
                "type": e.type,
                "realis": e.realis,
                "polarity": e.polarity,
                "arguments": [{"text": a.mention.text, "role": a.role} for a in args],
            }
            for e, args in events
        ],
    }
    _lines(HERE / "llm_events" / "system.jsonl", [line])


def write_brat(doc, events, entities) -> None:
    out = HERE / "brat_ere"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
    lines, tid = [], {}
    for m in entities:
        tid[id(m)] = f"T{len(tid) + 1}"
        lines.append(f"{tid[id(m)]}\t{m.label} {m.start} {m.end}\t{m.text}")
    for k, (e, args) in enumerate(events, 1):
        t = f"T{len(tid) + k}"
        lines.append(f"{t}\t{e.type} {e.trigger.start} {e.trigger.end}\t{e.trigger.text}")
        seen: dict[str, int] = {}
        roles = []
        for a in args:
            seen[a.role] = seen.get(a.role, 0) + 1
            suffix = "" if seen[a.role] == 1 else str(seen[a.role])
            roles.append(f"{a.role}{suffix}:{tid[id(a.mention)]}")
        lines.append(f"E{k}\t{e.type}:{t} " + " ".join(roles))
        lines.append(f"A{2 * k - 1}\tRealis E{k} {e.realis.capitalize()}")
        lines.append(f"A{2 * k}\tPolarity E{k} {e.polarity.capitalize()}")
    (out / f"{doc.doc_id}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_expected(events) -> None:
    """The events as the tests compare them, frozen here so that later gold edits do not
    silently change what the samples are checked against."""
    rows = [
        {
            "trigger": [e.trigger.start, e.trigger.end],
            "type": e.type,
            "realis": e.realis,
            "polarity": e.polarity,
            "arguments": sorted([a.role, a.mention.start, a.mention.end] for a in args),
        }
        for e, args in events
    ]
    (HERE / "events_expected.json").write_bytes(
        orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n"
    )


def main() -> None:
    doc, events, entities = selection()
    write_expected(events)
    for e, args in events:  # sentence-level formats need each event inside one sentence
        assert all(
            sentence_of(doc, a.mention.start) == sentence_of(doc, e.trigger.start) for a in args
        ), e.id
    write_oneie(doc, events, entities)
    write_textee(doc, events, entities)
    write_dygiepp(doc, events, entities)
    write_llm(doc, events)
    write_brat(doc, events, entities)


if __name__ == "__main__":
    main()

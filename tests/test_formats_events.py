"""Event readers: OneIE, TextEE, DyGIE++, LLM strings, brat and Prodigy give the same
events; the samples (tests/data/formats/make_event_samples.py) hold real gold events."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgold.corpus.build import load_corpus
from newsgold.formats.jsonl import write_jsonl
from newsgold.formats.predictions import detect_format, load_predictions
from newsgold.formats.prodigy import annotation_to_task
from newsgold.model import Annotation

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "formats"
PLOVER_ROLES = {"Actor", "Recipient", "PLOVER.Actor", "PLOVER.Recipient"}

SAMPLES = {
    "oneie": DATA / "oneie" / "system.jsonl",
    "textee-data": DATA / "textee" / "gold.jsonl",
    "textee-pred": DATA / "textee" / "pred.jsonl",
    "dygiepp-gold": DATA / "dygiepp" / "gold.jsonl",
    "dygiepp-pred": DATA / "dygiepp" / "pred.jsonl",
    "llm-events": DATA / "llm_events" / "system.jsonl",
    "brat": DATA / "brat_ere",
}
FORMAT = {
    "oneie": "oneie",
    "textee-data": "textee",
    "textee-pred": "textee",
    "dygiepp-gold": "dygiepp",
    "dygiepp-pred": "dygiepp",
    "llm-events": "llm-events",
    "brat": "brat",
}
WITH_ATTRS = {"llm-events", "brat"}  # the formats that carry realis and polarity


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "corpus" / "documents.jsonl")


def events_of(ann: Annotation, attrs: bool = False) -> list[tuple]:
    """Each event as (trigger span, type[, realis, polarity], sorted (role, span) args)."""
    out = []
    for e in ann.events:
        args = tuple(
            sorted(
                (a.role, a.mention.start, a.mention.end)
                for a in e.arguments
                if a.role not in PLOVER_ROLES
            )
        )
        extra = (e.realis, e.polarity) if attrs else ()
        out.append((e.trigger.start, e.trigger.end, e.type, *extra, args))
    return sorted(out)


@pytest.fixture(scope="module")
def gold_events():
    """The five gold events the samples encode (frozen by make_event_samples.py)."""
    import orjson

    rows = orjson.loads((DATA / "events_expected.json").read_bytes())
    plain = sorted((*r["trigger"], r["type"], tuple(map(tuple, r["arguments"]))) for r in rows)
    attrs = sorted(
        (*r["trigger"], r["type"], r["realis"], r["polarity"], tuple(map(tuple, r["arguments"])))
        for r in rows
    )
    return plain, attrs


def test_the_frozen_events_lie_on_the_corpus_tokens(corpus, gold_events):
    """The samples' events were the seed document's gold (make_event_samples.py): every
    span starts and ends on a corpus token boundary."""
    from newsgold.corpus.align import token_bounds

    (doc,) = corpus.values()
    spans = [(row[0], row[1]) for row in gold_events[0]]
    spans += [(s, e) for row in gold_events[0] for _, s, e in row[-1]]
    assert len(spans) == 5 + 14
    assert all(token_bounds(doc.tokens, s, e) is not None for s, e in spans)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_format_is_detected_and_gives_the_gold_events(corpus, gold_events, name):
    path = SAMPLES[name]
    assert detect_format(path) == FORMAT[name]
    preds = load_predictions(path, corpus)
    (ann,) = preds.annotations.values()
    attrs = name in WITH_ATTRS
    assert events_of(ann, attrs) == gold_events[attrs]
    assert all(m.text == ann.document.text[m.start : m.end] for m in ann.mentions)


def test_all_formats_give_identical_events_and_entities(corpus):
    seen = {}
    for name, path in SAMPLES.items():
        (ann,) = load_predictions(path, corpus).annotations.values()
        entities = sorted(
            (m.start, m.end, m.label, bool(m.extra.get("untyped")))
            for m in ann.mentions
            if m.kind == "entity"
        )
        seen[name] = (events_of(ann), entities)
    first = seen.pop("brat")
    assert first[0]  # five events
    for name, got in seen.items():
        assert got[0] == first[0], name
        if name in ("llm-events", "textee-pred"):  # no entity types: untyped mentions
            assert [e[:2] for e in got[1]] == [e[:2] for e in first[1]], name
            assert all(e[2:] == ("ARG", True) for e in got[1]), name
        else:
            assert got[1] == first[1], name


def test_prodigy_round_trip_keeps_every_event(tmp_path, corpus):
    (ann,) = load_predictions(SAMPLES["brat"], corpus).annotations.values()
    task = annotation_to_task(ann)
    write_jsonl(tmp_path / "events.jsonl", [task])
    assert detect_format(tmp_path / "events.jsonl") == "prodigy"
    (back,) = load_predictions(tmp_path / "events.jsonl", corpus).annotations.values()
    assert events_of(back, attrs=True) == events_of(ann, attrs=True)


def test_oneie_ldc_spelling_is_normalised_and_counted(corpus):
    preds = load_predictions(SAMPLES["oneie"], corpus)
    assert preds.labels["normalised"]["Contact:Meet -> Contact.Meet"] == 2
    assert {e.type for a in preds.annotations.values() for e in a.events} >= {"Conflict.Attack"}


def test_dygiepp_which_chooses_gold_or_predicted_keys(corpus, tmp_path):
    both = tmp_path / "both.jsonl"
    import orjson

    gold = orjson.loads(SAMPLES["dygiepp-gold"].read_bytes())
    pred = orjson.loads(SAMPLES["dygiepp-pred"].read_bytes())
    pred["predicted_events"] = [[] for _ in pred["sentences"]]  # the system found nothing
    both.write_bytes(orjson.dumps({**gold, **pred}) + b"\n")
    (auto,) = load_predictions(both, corpus).annotations.values()
    (g,) = load_predictions(both, corpus, which="gold").annotations.values()
    assert auto.events == [] and len(g.events) == 5


def test_llm_events_use_the_entity_placement_and_count_it(corpus, tmp_path):
    path = tmp_path / "llm.jsonl"
    write_jsonl(
        path,
        [
            {
                "doc_id": next(iter(corpus)),
                "events": [
                    # "statements" occurs twice: listed twice, it takes both occurrences
                    {"trigger": "statements", "type": "Contact.Broadcast", "arguments": []},
                    {"trigger": "statements", "type": "Contact.Broadcast", "arguments": []},
                    {
                        "trigger": "annexed",
                        "type": "Conflict.Attack",
                        "arguments": [{"text": "Ukraine", "role": "Target"}],
                    },
                    {
                        "trigger": "invade",
                        "type": "Conflict.Attack",
                        "arguments": [
                            {"text": "Kiev", "role": "Target"},
                            {"text": "Ukraine", "role": "Target", "occurrence": 0},
                        ],
                    },
                ],
            }
        ],
    )
    preds = load_predictions(path, corpus)
    (ann,) = preds.annotations.values()
    starts = sorted(e.trigger.start for e in ann.events if e.type == "Contact.Broadcast")
    assert starts == [494, 1048]  # the gold's two "statements"
    p = preds.placement
    assert (p["trigger.placed"], p["trigger.unplaceable"], p["argument.dropped"]) == (3, 1, 1)
    assert (p["argument.placed"], p["argument.unplaceable"]) == (1, 1)
    (invade,) = [e for e in ann.events if e.trigger.text == "invade"]
    text = ann.document.text
    assert [a.mention.start for a in invade.arguments] == [text.index("Ukraine")]
    assert any("unplaceable trigger 'annexed'" in str(w) for w in preds.problems)


@pytest.mark.parametrize(
    ("gold", "gold_format"),
    [
        (SAMPLES["textee-data"], "textee"),
        (SAMPLES["dygiepp-gold"], "dygiepp"),
        (SAMPLES["brat"], None),
    ],
)
def test_any_event_format_can_be_the_gold(gold, gold_format):
    import json

    from typer.testing import CliRunner

    from newsgold.cli import app

    args = ["score", str(SAMPLES["oneie"]), "--gold", str(gold), "--json", "--bootstrap", "0"]
    args += ["--corpus", str(ROOT / "corpus" / "documents.jsonl"), "--view", "mentions"]
    args += ["--gold-format", gold_format] if gold_format else []
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    micro = json.loads(res.stdout)["modes"]["strict"]["micro"]
    assert micro["correct"] == 14 and micro["spurious"] == micro["missed"] == 0


def test_a_bad_event_file_exits_1_without_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from newsgold.cli import app

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "000_e2a7510a474f58d9", "wnd_id": "w", "tokens": ["Nope"]}\n')
    res = CliRunner().invoke(
        app, ["score", str(bad), "--corpus", str(ROOT / "corpus" / "documents.jsonl")]
    )
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "tokens[0]" in res.output


def _brat(tmp_path, corpus, ann: str) -> Path:
    (doc,) = corpus.values()
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
    (folder / f"{doc.doc_id}.ann").write_text(ann, encoding="utf-8")
    return folder


def test_brat_equiv_over_events_is_a_hopper_and_ldc_types_are_ours(tmp_path, corpus):
    ann = (
        "T1\tConflict:Attack 833 837\tcoup\nE1\tConflict:Attack:T1\n"
        "T2\tConflict:Attack 920 924\tcoup\nE2\tConflict:Attack:T2\n"
        "A1\tRealis E1 Other\nA2\tRealis E2 Other\n*\tEquiv E1 E2\n"
    )
    preds = load_predictions(_brat(tmp_path, corpus, ann), corpus)
    (got,) = preds.annotations.values()
    assert [(e.type, e.hopper, e.realis) for e in got.events] == [
        ("Conflict.Attack", "equiv1", "OTHER"),
        ("Conflict.Attack", "equiv1", "OTHER"),
    ]
    assert [(c.id, c.kind) for c in got.clusters] == [("equiv1", "hopper")]


def test_brat_equiv_mixing_events_and_entities_is_an_error(tmp_path, corpus):
    from newsgold.errors import NewsgoldError

    ann = "T1\tConflict.Attack 833 837\tcoup\nE1\tConflict.Attack:T1\n"
    ann += "T2\tGPE 884 890\tRussia\n*\tEquiv E1 T2\n"
    with pytest.raises(NewsgoldError) as exc:
        load_predictions(_brat(tmp_path, corpus, ann), corpus)
    (p,) = exc.value.problems
    assert (p.line, p.field) == (4, "equiv") and "mixes events and entities" in p.message


@pytest.mark.parametrize("name", ["oneie", "textee-data", "textee-pred"])
def test_window_order_does_not_matter(tmp_path, corpus, name):
    lines = SAMPLES[name].read_bytes().splitlines(keepends=True)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_bytes(b"".join(lines[1::2] + lines[::-2]))
    (a,) = load_predictions(SAMPLES[name], corpus).annotations.values()
    (b,) = load_predictions(shuffled, corpus).annotations.values()
    assert events_of(a) == events_of(b)


def test_textee_ed_and_eae_prediction_shapes(tmp_path, corpus):
    import orjson

    lines = [orjson.loads(x) for x in SAMPLES["textee-pred"].read_bytes().splitlines()]
    eae, ed = [], []
    for line in lines:
        window = {k: line[k] for k in ("doc_id", "wnd_id", "tokens")}
        ed.append({**window, "triggers": [e["trigger"] for e in line["events"]]})
        eae.extend({**window, **e} for e in line["events"])  # one line per event
    write_jsonl(tmp_path / "eae.jsonl", eae)
    write_jsonl(tmp_path / "ed.jsonl", ed)
    (full,) = load_predictions(SAMPLES["textee-pred"], corpus).annotations.values()
    (got,) = load_predictions(tmp_path / "eae.jsonl", corpus).annotations.values()
    assert detect_format(tmp_path / "eae.jsonl") == "textee"
    assert events_of(got) == events_of(full)
    (trig,) = load_predictions(tmp_path / "ed.jsonl", corpus).annotations.values()
    assert [e[:3] for e in events_of(trig)] == [e[:3] for e in events_of(full)]


def test_llm_arguments_as_a_role_object(tmp_path, corpus):
    import orjson

    (line,) = [orjson.loads(x) for x in SAMPLES["llm-events"].read_bytes().splitlines()]
    for ev in line["events"]:
        by_role: dict = {}
        for a in ev["arguments"]:
            by_role.setdefault(a["role"], []).append(a["text"])
        ev["arguments"] = {r: t[0] if len(t) == 1 else t for r, t in by_role.items()}
    write_jsonl(tmp_path / "roles.jsonl", [line])
    (a,) = load_predictions(SAMPLES["llm-events"], corpus).annotations.values()
    (b,) = load_predictions(tmp_path / "roles.jsonl", corpus).annotations.values()
    assert events_of(b, attrs=True) == events_of(a, attrs=True)


def test_oneie_token_ids_are_cross_checked(tmp_path, corpus):
    import orjson

    lines = [orjson.loads(x) for x in SAMPLES["oneie"].read_bytes().splitlines()]
    preds = load_predictions(SAMPLES["oneie"], corpus)
    assert not any("token_ids" in p.message for p in preds.problems)  # header: one shift
    doc_id, span = lines[3]["token_ids"][2].rsplit(":", 1)
    start, end = map(int, span.split("-"))
    lines[3]["token_ids"][2] = f"{doc_id}:{start + 40}-{end + 40}"
    write_jsonl(tmp_path / "ids.jsonl", lines)
    preds = load_predictions(tmp_path / "ids.jsonl", corpus)
    (warning,) = [p for p in preds.problems if "token_ids" in p.message]
    assert "1 token(s) are not at the usual shift of -17" in warning.message

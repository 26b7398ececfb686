"""Bad event input: unknown types and roles are counted, never dropped; broken structure
is an error naming file, line and field; ontology maps report what they leave unmapped;
auto-detection names a broken first line for what it is."""

from __future__ import annotations

import copy
from pathlib import Path

import orjson
import pytest

from newsgold.corpus.build import load_corpus
from newsgold.errors import FormatError, NewsgoldError
from newsgold.formats.checks import BorderCheck
from newsgold.formats.collect import Collector
from newsgold.formats.detect import detect_format
from newsgold.formats.predictions import load_predictions
from newsgold.model import TRIGGER, Mention, Relation
from newsgold.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "formats"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "corpus" / "documents.jsonl")


def lines(path: Path) -> list[dict]:
    return [orjson.loads(x) for x in path.read_bytes().splitlines() if x.strip()]


def write(path: Path, objs: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(o) + b"\n" for o in objs))
    return path


def problems(exc: pytest.ExceptionInfo) -> list:
    return exc.value.problems


def oneie_with(tmp_path, edit) -> Path:
    objs = lines(DATA / "oneie" / "system.jsonl")
    n = next(i for i, o in enumerate(objs) if o["graph"]["triggers"])
    edit(objs[n]["graph"])
    return write(tmp_path / "oneie.jsonl", objs), n + 1


def test_unknown_event_type_and_role_are_counted_errors(tmp_path, corpus):
    def edit(g):
        g["triggers"][0][2] = "Conflict:Invade"
        g["roles"][0][2] = "Invader"

    path, line = oneie_with(tmp_path, edit)
    with pytest.raises(NewsgoldError) as exc:
        load_predictions(path, corpus)
    got = {(p.line, p.field, p.message.split(" (")[0]) for p in problems(exc)}
    assert (
        line,
        "graph.triggers[0][2]",
        "event type 'Conflict.Invade' is not in the schema",
    ) in got
    assert (line, "graph.roles[0][2]", "argument role 'Invader' is not in the schema") in got
    assert any(
        p.message.startswith("argument role 'Invader'") and "1 time(s)" in p.message
        for p in problems(exc)
    )


def test_allow_unknown_keeps_them_as_wrong_predictions(tmp_path, corpus):
    def edit(g):
        g["triggers"][0][2] = "Conflict:Invade"

    path, _ = oneie_with(tmp_path, edit)
    preds = load_predictions(path, corpus, allow_unknown=True)
    assert preds.labels["unknown_event_types"] == {"Conflict.Invade": 1}
    types = [e.type for a in preds.annotations.values() for e in a.events]
    assert "Conflict.Invade" in types and len(types) == 5  # kept, nothing dropped
    assert any("kept and scored as wrong" in p.message for p in preds.problems)


def test_oneie_index_out_of_range_names_line_and_field(tmp_path, corpus):
    path, line = oneie_with(tmp_path, lambda g: g["roles"][0].__setitem__(1, 99))
    with pytest.raises(NewsgoldError) as exc:
        load_predictions(path, corpus)
    (p,) = problems(exc)
    assert (p.line, p.field) == (line, "graph.roles[0][1]")
    assert "not an index into graph.entities" in p.message


def test_a_token_that_is_not_the_corpus_text_is_an_error(tmp_path, corpus):
    objs = lines(DATA / "textee" / "gold.jsonl")
    objs[2]["tokens"][4] = "Moskva"
    path = write(tmp_path / "textee.jsonl", objs)
    with pytest.raises(NewsgoldError) as exc:
        load_predictions(path, corpus)
    (p,) = problems(exc)
    assert (p.line, p.field) == (3, "tokens[4]")
    assert "'Moskva' is not the corpus text" in p.message


def test_textee_trigger_text_must_be_its_tokens(tmp_path, corpus):
    objs = lines(DATA / "textee" / "gold.jsonl")
    n = next(i for i, o in enumerate(objs) if o["event_mentions"])
    objs[n]["event_mentions"][0]["trigger"]["end"] += 1
    path = write(tmp_path / "textee.jsonl", objs)
    with pytest.raises(NewsgoldError) as exc:
        load_predictions(path, corpus)
    (p,) = problems(exc)
    assert (p.line, p.field) == (n + 1, "event_mentions[0].trigger.text")


def test_textee_argument_of_a_missing_entity(tmp_path, corpus):
    objs = lines(DATA / "textee" / "gold.jsonl")
    n = next(i for i, o in enumerate(objs) if o["event_mentions"])
    objs[n]["event_mentions"][0]["arguments"][0]["entity_id"] = "nobody"
    path = write(tmp_path / "textee.jsonl", objs)
    with pytest.raises(NewsgoldError) as exc:
        load_predictions(path, corpus)
    (p,) = problems(exc)
    assert (p.line, p.field) == (n + 1, "event_mentions[0].arguments[0].entity_id")


def test_dygiepp_cluster_naming_a_missing_span(tmp_path, corpus):
    (obj,) = lines(DATA / "dygiepp" / "gold.jsonl")
    obj["clusters"] = [[[0, 0], [5000, 5001]]]
    path = write(tmp_path / "dygie.jsonl", [obj])
    with pytest.raises(NewsgoldError) as exc:
        load_predictions(path, corpus)
    (p,) = problems(exc)
    assert (p.line, p.field) == (1, "clusters[0][1]")
    obj["clusters"] = [[[0, 0], [2, 2]]]  # "Russian" and "Putin": a real cluster reads
    (ann,) = load_predictions(write(tmp_path / "ok.jsonl", [obj]), corpus).annotations.values()
    members = [m.text for m in ann.mentions if m.cluster == "c1"]
    assert members == ["Russian", "Putin"] and [c.id for c in ann.clusters] == ["c1"]


def _prodigy(corpus, spans, relations, clusters=()) -> dict:
    (doc,) = corpus.values()
    return {
        "text": doc.text,
        "meta": {"doc_id": doc.doc_id},
        "spans": spans,
        "relations": relations,
        "clusters": list(clusters),
    }


def test_argument_of_a_span_that_is_not_a_trigger(tmp_path, corpus):
    trig = {"start": 1865, "end": 1871, "label": "Conflict.Attack"}  # no kind: an entity
    arg = {"start": 1847, "end": 1853, "label": "GPE", "kind": "entity"}
    rel = {"head_span": trig, "child_span": arg, "label": "Attacker"}
    path = write(tmp_path / "p.jsonl", [_prodigy(corpus, [trig, arg], [rel])])
    with pytest.raises(NewsgoldError) as exc:
        load_predictions(path, corpus)
    (p,) = problems(exc)
    assert (p.line, p.field) == (1, "relations[0].head")
    assert "not on a trigger" in p.message
    fixed = _prodigy(corpus, [{**trig, "kind": "trigger"}, arg], [{**rel, "head_span": {**trig}}])
    (ann,) = load_predictions(write(tmp_path / "q.jsonl", [fixed]), corpus).annotations.values()
    assert [(e.type, [a.role for a in e.arguments]) for e in ann.events] == [
        ("Conflict.Attack", ["Attacker"])
    ]


def test_span_naming_a_missing_cluster(tmp_path, corpus):
    span = {"start": 1847, "end": 1853, "label": "GPE", "kind": "entity", "cluster": "E99"}
    other = {"start": 1865, "end": 1871, "label": "GPE", "kind": "entity", "cluster": "E1"}
    declared = [{"id": "E1", "kind": "entity"}]
    path = write(tmp_path / "p.jsonl", [_prodigy(corpus, [span, other], [], declared)])
    with pytest.raises(NewsgoldError) as exc:
        load_predictions(path, corpus)
    (p,) = problems(exc)
    assert (p.line, p.field) == (1, "mentions[0].cluster")


def test_clusters_used_but_never_listed_are_declared_by_use(tmp_path, corpus):
    span = {"start": 1847, "end": 1853, "label": "GPE", "kind": "entity", "cluster": "E99"}
    path = write(tmp_path / "p.jsonl", [_prodigy(corpus, [span], [])])
    (ann,) = load_predictions(path, corpus).annotations.values()
    assert [(c.id, c.kind) for c in ann.clusters] == [("E99", "entity")]


def test_relation_endpoint_not_a_span_of_the_annotation(corpus):
    (doc,) = corpus.values()
    t = Mention(1865, 1871, "Conflict.Attack", kind=TRIGGER)
    stray = Mention(1847, 1853, "GPE")
    c = Collector(corpus, "x.jsonl", "prodigy")
    c.add(doc, [t], [Relation(t, stray, "Attacker")], where="x.jsonl:7")
    BorderCheck(c, load_schema(), None).run()
    (p,) = c.errors
    assert (p.file, p.line, p.field) == ("x.jsonl", 7, "relations[0].child")


def test_ace2005_map_maps_types_and_roles_and_counts_the_unmapped(tmp_path, corpus):
    def edit(g):
        g["triggers"][0][2] = "Contact:Phone-Write"

    path, _ = oneie_with(tmp_path, edit)
    objs = lines(path)
    k = next(i for i, o in enumerate(objs) if len(o["graph"]["triggers"]) == 1 and i > 5)
    objs[k]["graph"]["triggers"][0][2] = "Movement:Transport"
    objs[k]["graph"]["roles"] = [r[:2] + ["Vehicle", 1.0] for r in objs[k]["graph"]["roles"]][:1]
    write(path, objs)
    preds = load_predictions(path, corpus, event_map="ace2005", allow_unknown=True)
    labels = preds.labels
    assert labels["mapped"]["Contact.Phone-Write -> Contact.Correspondence"] == 1
    assert labels["unmapped_types"] == {"Movement.Transport": 1}
    assert labels["unknown_event_types"] == {"Movement.Transport": 1}
    assert labels["mapped"]["Vehicle -> Instrument"] == 1
    assert any("the map leaves unmapped" in p.message for p in preds.problems)


def test_cameo_root_codes_map_to_plover(tmp_path, corpus):
    (doc,) = corpus.values()
    obj = {
        "doc_id": doc.doc_id,
        "events": [
            {"trigger": "invade", "type": "18", "arguments": []},
            {"trigger": "welcoming", "type": "04", "arguments": []},
            {"trigger": "statements", "type": "01", "arguments": []},
        ],
    }
    path = write(tmp_path / "cameo.jsonl", [obj])
    preds = load_predictions(path, corpus, event_map="cameo_root", allow_unknown=True)
    (ann,) = preds.annotations.values()
    assert sorted(e.type for e in ann.events) == ["01", "ASSAULT", "CONSULT"]
    assert preds.labels["unmapped_types"] == {"01": 1}
    with pytest.raises(FormatError, match="unknown event type map 'cameo'"):
        load_predictions(path, corpus, event_map="cameo")


def test_every_map_target_is_a_schema_type_or_role():
    schema = load_schema()
    roles = {r for t in [*schema.event_types, *schema.plover_types] for r in schema.roles(t)}
    for name, m in schema.raw["event_type_maps"].items():
        for src, dst in m["types"].items():
            assert dst is None or schema.is_event_type(dst), (name, src)
        for per_type in m.get("roles", {}).values():
            assert all(dst is None or dst in roles for dst in per_type.values()), name


# -- detection messages (issue 8, section 5) -----------------------------------------------


def detect_problem(path: Path):
    with pytest.raises(FormatError) as exc:
        detect_format(path)
    (p,) = exc.value.problems
    assert "cannot tell the format" not in p.message and "DocBin" not in p.message
    return p


def test_truncated_first_line_is_called_truncated(tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_bytes(b'\n{"doc_id": "d", "events": [{"trigger": "me')
    p = detect_problem(path)
    assert (p.line, "truncated" in p.message) == (2, True)


def test_lone_surrogate_is_named_with_line_and_field(tmp_path):
    path = tmp_path / "sur.jsonl"
    path.write_bytes(b'{"doc_id": "d", "events": [{"trigger": "\\ud800x", "type": "T"}]}\n')
    p = detect_problem(path)
    assert (p.line, p.field) == (1, "events[0].trigger")
    assert "surrogate" in p.message
    raw = tmp_path / "raw.jsonl"  # the same, written as bytes by Python's surrogatepass
    raw.write_bytes('{"doc_id": "\ud800"}\n'.encode("utf-8", "surrogatepass"))
    assert "surrogate" in detect_problem(raw).message


def test_too_deep_nesting_is_named(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"doc_id": "d", "events": ' + "[" * 2000 + "]" * 2000 + "}\n")
    p = detect_problem(path)
    assert (p.line, p.field) == (1, "events")
    assert "nested deeper" in p.message


def test_a_file_starting_with_x_is_not_a_docbin(tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_text("xyz is not JSON\n")
    p = detect_problem_any(path)
    assert "neither JSON" in p.message


def detect_problem_any(path: Path):
    with pytest.raises(FormatError) as exc:
        detect_format(path)
    (p,) = exc.value.problems
    assert "DocBin" not in p.message
    return p


def test_utf16_jsonl_is_called_utf16(tmp_path):
    path = tmp_path / "u16.jsonl"
    path.write_bytes('{"doc_id": "d", "events": []}\n'.encode("utf-16"))
    assert "UTF-16" in detect_problem(path).message
    bare = tmp_path / "u16le.jsonl"  # without a byte-order mark
    bare.write_bytes('{"doc_id": "d", "events": []}\n'.encode("utf-16-le"))
    assert "UTF-16" in detect_problem(bare).message


def test_real_docbin_magic_still_detected(tmp_path):
    import zlib

    path = tmp_path / "docs.bin"
    path.write_bytes(zlib.compress(b"\x83\xa5attrs\x90"))
    assert detect_format(path) == "spacy"


def test_readers_do_not_import_the_dispatcher():
    import ast

    mine = ["brat", "conll", "spacy_docs", "oneie", "textee", "dygiepp", "llm_events"]
    mine += ["collect", "checks", "tokens", "eventbuild", "prodigy_tasks", "registry", "detect"]
    for name in mine:
        tree = ast.parse((ROOT / "newsgold" / "formats" / f"{name}.py").read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert "newsgold.formats.predictions" not in imported, name


def test_registry_targets_exist():
    from newsgold.formats.registry import READERS

    for r in READERS.values():
        if r.name != "spacy":  # importing spacy_docs is cheap, but spaCy is an extra
            assert callable(r.load()), r.name
    assert copy.copy(READERS["brat"]).layers >= {"events", "coref"}


def test_allow_mismatch_drops_a_document_whose_tokens_do_not_align(tmp_path, corpus):
    objs = lines(DATA / "textee" / "gold.jsonl")
    objs[2]["tokens"][4] = "Moskva"
    path = write(tmp_path / "textee.jsonl", objs)
    preds = load_predictions(path, corpus, allow_mismatch=True)
    (ann,) = preds.annotations.values()
    assert ann.mentions == [] and ann.relations == []
    (p,) = [p for p in preds.problems if "Moskva" in p.message]
    assert (p.line, p.field, p.severity) == (3, "tokens[4]", "warning")


def test_pretty_printed_json_is_called_what_it_is(tmp_path):
    path = tmp_path / "pretty.json"
    path.write_text('[\n  {"doc_id": "d", "events": []}\n]\n')
    p = detect_problem(path)
    assert "not JSON lines" in p.message and p.line == 1

"""The leaderboard's timex value column: TempEval-3 value F1, only for outputs with values."""

from __future__ import annotations

from newsgold.corpus.segment import segment
from newsgold.model import TIMEX, Annotation, Document, Mention
from newsgold.schema import load_schema
from newsgold.systems.layers import LAYERS
from newsgold.systems.timex_layers import timex_value_layer, writes_values

TEXT = "Today we met. Last week they spoke. Tomorrow is Friday."


def _doc() -> Document:
    tokens, sentences, paragraphs = segment(TEXT)
    return Document("d", TEXT, tokens, sentences, paragraphs)


def _timex(s: str, value: str | None, kind: str = TIMEX) -> Mention:
    i = TEXT.index(s)
    attrs = {"type": "DATE"} | ({"value": value} if value is not None else {})
    return Mention(i, i + len(s), "DATE", kind, attrs=attrs)


def _score(pred, n_resamples=0):
    return timex_value_layer(
        {"d": GOLD},
        {"d": pred},
        schema=load_schema(None),
        output="out.jsonl",
        n_resamples=n_resamples,
        seed=0,
        cli_args=["--format", "prodigy"],
    )


GOLD = Annotation(
    _doc(),
    [
        _timex("Today", "2021-12-01"),
        _timex("Last week", "2021-W47"),
        _timex("Friday", "2021-12-03"),
    ],
)


def test_value_f1_is_tempeval3_attribute_f1():
    pred = Annotation(
        GOLD.document,
        [
            _timex("Today", "2021-12-01"),  # aligned, same value: credited
            _timex("week", "2021-W48"),  # aligned on overlap, another value: not credited
            _timex("Tomorrow", "2021-12-02"),  # spurious
        ],
    )
    sc = _score(pred)
    # TE3: value accuracy over aligned pairs (1/2) x relaxed F1 (P 2/3, R 2/3) = 1/3;
    # equally, P = 1 correct / 3 predicted, R = 1 / 3 gold
    assert (sc.precision, sc.recall) == (1 / 3, 1 / 3)
    assert abs(sc.f1 - 0.5 * (2 * (2 / 3) * (2 / 3) / (4 / 3))) < 1e-12
    assert (sc.n_gold, sc.n_pred) == (3, 3)
    assert sc.command == [
        "newsgold", "score", "out.jsonl", "--format", "prodigy", "--layers", "timex",
        "--bootstrap", "0",
    ]  # fmt: skip
    assert sc.result["json_path"] == ["layers", "timex", "metrics", "value"]
    assert sc.result["value_relations"] == {"disjoint": 1, "equal": 1}


def test_intervals_on_the_column_and_its_types():
    sc = _score(Annotation(GOLD.document, [_timex("Today", "2021-12-01")]), n_resamples=200)
    lo, hi = sc.ci["f1"]
    assert 0 <= lo <= sc.f1 <= hi <= 1
    assert set(sc.per_label) == {"DATE"} and "ci" in sc.per_label["DATE"]


def test_an_output_without_values_does_not_get_the_column():
    bare = Annotation(GOLD.document, [_timex("Today", None), _timex("Friday", None, "entity")])
    assert not writes_values({"d": bare})
    assert _score(bare) is None
    # a value on an NER system's DATE entity counts, as the timex scorer reads it
    ner = Annotation(GOLD.document, [_timex("Today", "2021-12-01", "entity")])
    assert writes_values({"d": ner}) and _score(ner).precision == 1.0


def test_the_column_sits_after_the_extent_column_and_needs_the_timex_layer():
    names = list(LAYERS)
    assert names.index("timex_value") == names.index("timex") + 1
    assert LAYERS["timex_value"].needs == "timex"


def test_the_report_rows_add_up_to_the_column():
    from newsgold.systems.timex_layers import value_errors

    pred = Annotation(
        GOLD.document,
        [_timex("Today", "2021-12-01"), _timex("week", "2021-W48"), _timex("Tomorrow", None)],
    )
    sc = _score(pred)
    rows = value_errors({"d": GOLD}, {"d": pred})
    kinds = [r["kind"] for r in rows]
    assert sorted(kinds) == ["correct", "missed", "spurious", "value"]
    correct = kinds.count("correct")
    assert correct == round(sc.precision * sc.n_pred) == round(sc.recall * sc.n_gold)
    assert sum(r["gold"] is not None for r in rows) == sc.n_gold
    assert sum(r["pred"] is not None for r in rows) == sc.n_pred
    (wrong,) = [r for r in rows if r["kind"] == "value"]
    assert wrong["cause"] == "value disjoint: gold 2021-W47, predicted 2021-W48"
    assert wrong["span"] == "Last week" and wrong["pred"]["tag"] == "2021-W48"
    (spurious,) = [r for r in rows if r["kind"] == "spurious"]
    assert spurious["pred"]["tag"] == "∅"  # a timex without a value

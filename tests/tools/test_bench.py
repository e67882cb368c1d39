"""The pure parts of the benchmark: statistics, unique texts, the stock bot's stamp, the table."""

import argparse
from pathlib import Path

import pytest

from tools.bench import (
    CONVERSATION,
    EVAL_SETS,
    Measure,
    best_of_rounds,
    format_ratio,
    measures,
    parse,
    percentile,
    plural,
    question_texts,
    ratio,
    read_stamp,
    render_table,
    split,
    stock_needs_build,
    visitor_counts,
    write_stamp,
)


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.95) == 95
    assert percentile([3.0, 1.0, 2.0], 1.0) == 3
    assert percentile([7.0], 0.95) == 7


def test_percentile_refuses_no_values_and_bad_shares():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile([1.0], 95)


def test_ratio_is_above_one_when_the_project_is_better():
    assert ratio(80.0, 40.0, higher_is_better=True) == 2.0  # throughput: project/stock
    assert ratio(20.0, 50.0, higher_is_better=False) == 2.5  # latency: stock/project
    assert ratio(100.0, 50.0, higher_is_better=False) == 0.5
    assert ratio(None, 50.0, higher_is_better=False) is None
    assert ratio(10.0, 0.0, higher_is_better=True) is None


def test_ratio_formatting():
    assert format_ratio(2.0) == "2.00x"
    assert format_ratio(0.456) == "0.46x"
    assert format_ratio(None) == "—"


def test_table_has_both_bots_the_ratio_and_its_convention():
    rows = [
        Measure("rate", "throughput", "msg/s", higher_is_better=True),
        Measure("p95", "p95 latency", "ms"),
        Measure("kb", "project only", "ms", digits=1),
    ]
    table = render_table(
        rows,
        {"rate": 80.0, "p95": 200.0, "kb": 3.14},
        {"rate": 40.0, "p95": 500.0},
        {"p95": ("", "(cached)")},
    )
    lines = table.splitlines()
    assert "ratio, >1: project better (relative)" in lines[0]
    assert "(absolute)" in lines[0]
    assert lines[1] == "|---|---|---|---|"
    assert lines[2] == "| throughput | 80 msg/s | 40 msg/s | 2.00x |"
    assert lines[3] == "| p95 latency | 200 ms | 500 ms (cached) | 2.50x |"
    assert lines[4] == "| project only | 3.1 ms | — | — |"


def test_measures_cover_every_load():
    keys = [row.key for row in measures([1, 10, 50], [1, 50])]
    for key in ("start", "conv.1.rate", "conv.50.p95", "unique.1.rate", "unique.50.p95", "pss", "train"):
        assert key in keys
    assert "unique.10.rate" not in keys
    assert len(keys) == len(set(keys))


def test_best_of_rounds_takes_the_better_round_per_figure():
    rows = [
        Measure("rate", "t", "msg/s", higher_is_better=True),
        Measure("p95", "l", "ms"),
        Measure("x", "x", "s"),
    ]
    best = best_of_rounds([{"rate": 50.0, "p95": 300.0}, {"rate": 60.0, "p95": 350.0}], rows)
    assert best == {"rate": 60.0, "p95": 300.0, "x": None}


def test_question_texts_reads_every_q_once_without_excluded(tmp_path: Path):
    first = tmp_path / "a.yml"
    first.write_text(
        "single:\n"
        '  - {q: "Where is Jinchang?", expect: [["gansu"]]}\n'
        '  - {q: "How big is it?", expect: [["9593"]]}\n'
        "unknown:\n"
        '  - {q: "What is the GDP?"}\n'
        "dialogues:\n"
        '  - - {q: "Tell me about Liqian", expect: [["roman"]]}\n'
        '    - {q: "where is it?", expect: [["yongchang"]]}\n',
        encoding="utf-8",
    )
    second = tmp_path / "b.yml"
    second.write_text('single:\n  - {q: "how  BIG is it?"}\n  - {q: "Is it sunny?"}\n', encoding="utf-8")
    texts = question_texts([first, second, tmp_path / "missing.yml"], exclude=["where is jinchang?"])
    assert texts == [
        "How big is it?",
        "What is the GDP?",
        "Tell me about Liqian",
        "where is it?",
        "Is it sunny?",
    ]


def test_question_texts_names_the_broken_file(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text("single: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.yml"):
        question_texts([broken])


def test_the_evaluation_sets_give_hundreds_of_unique_texts():
    texts = question_texts([path for path in EVAL_SETS if "tests" in path.parts], exclude=CONVERSATION)
    assert len(texts) > 200
    assert len({" ".join(text.lower().split()) for text in texts}) == len(texts)
    assert not {text.lower() for text in CONVERSATION} & {text.lower() for text in texts}


def test_split_deals_round_robin_without_sharing():
    assert split(["a", "b", "c", "d", "e"], 2) == [["a", "c", "e"], ["b", "d"]]
    assert split(["a"], 3) == [["a"], [], []]
    with pytest.raises(ValueError, match="at least 1"):
        split(["a"], 0)


def test_stock_bot_is_built_when_missing_or_of_another_rasa(tmp_path: Path):
    assert stock_needs_build(tmp_path, "3.6.21")  # nothing there
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "20261203-101010.tar.gz").write_bytes(b"model")
    assert stock_needs_build(tmp_path, "3.6.21")  # a model but no stamp
    write_stamp(tmp_path, "3.6.21", 61.27, "2026-12-03")
    assert read_stamp(tmp_path) == {"rasa_version": "3.6.21", "built": "2026-12-03", "training_seconds": 61.3}
    assert not stock_needs_build(tmp_path, "3.6.21")
    assert stock_needs_build(tmp_path, "3.6.22")


def test_stock_bot_is_rebuilt_without_a_model_or_with_a_broken_stamp(tmp_path: Path):
    write_stamp(tmp_path, "3.6.21", 60.0, "2026-12-03")
    assert stock_needs_build(tmp_path, "3.6.21")  # stamp but no model
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.tar.gz").write_bytes(b"model")
    (tmp_path / "bench-stamp.json").write_text("{not json", encoding="utf-8")
    assert read_stamp(tmp_path) is None
    assert stock_needs_build(tmp_path, "3.6.21")


def test_options_default_to_the_required_loads():
    options = parse([])
    assert (options.production, options.rounds, options.visitors, options.unique_visitors) == (
        False,
        2,
        [1, 10, 50],
        [1, 50],
    )
    assert parse(["--production", "--visitors", "1,5", "--rounds", "1"]).visitors == [1, 5]


def test_plural():
    assert plural(1, "visitor") == "1 visitor"
    assert plural(50, "visitor") == "50 visitors"


def test_visitor_counts_refuse_nonsense():
    assert visitor_counts("1, 10,50") == [1, 10, 50]
    for text in ("", "0,5", "a,b"):
        with pytest.raises(argparse.ArgumentTypeError):
            visitor_counts(text)

"""The benchmark's statistics, without a database."""

from __future__ import annotations

import pytest

from bench.stats import (
    EndpointResult,
    check_targets,
    markdown_table,
    percentile,
    summarise,
    with_floor_ratios,
)


def test_percentile_interpolates_like_numpy():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert percentile(values, 50) == pytest.approx(5.5)
    assert percentile(values, 95) == pytest.approx(9.55)
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 10
    assert percentile([7.0], 99) == 7.0


def test_percentile_does_not_need_sorted_input():
    assert percentile([10, 1, 5], 50) == 5


def test_percentile_rejects_empty_input_and_bad_pct():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_summarise_gives_throughput_and_percentiles_in_ms():
    result = summarise("home", [0.010] * 90 + [0.050] * 10, errors=1, seconds=2.0)
    assert result.requests == 100
    assert result.rps == 50.0
    assert result.p50_ms == 10.0
    assert result.p99_ms == pytest.approx(50.0)
    assert result.errors == 1


def test_summarise_of_no_request_is_zero_not_an_error():
    result = summarise("map", [], errors=3, seconds=1.0)
    assert result.rps == 0
    assert result.p95_ms == 0


def test_ratios_are_relative_to_the_floor():
    results = with_floor_ratios(
        [
            summarise("floor", [0.001] * 1000, 0, 1.0),
            summarise("search", [0.02] * 300, 0, 1.0),
        ]
    )
    assert results[0].ratio_of_floor == 1.0
    assert results[1].ratio_of_floor == 0.3


def test_ratios_are_none_without_a_floor():
    assert with_floor_ratios([summarise("home", [0.01], 0, 1.0)])[0].ratio_of_floor is None


def _result(name, rps, p95, ratio, errors=0):
    return EndpointResult(name, 100, errors, 1.0, rps, 1.0, p95, p95, ratio)


def test_targets_met_and_missed():
    verdicts = check_targets(
        [_result("search", 300, 40.0, 0.30), _result("initiative", 400, 20.0, 0.40)]
    )
    assert "search p95 40.0 ms < 100 ms: met" in verdicts
    assert "search throughput 30% of floor >= 25%: met" in verdicts
    assert "initiative throughput 40% of floor >= 50%: MISSED" in verdicts


def test_errors_make_a_target_missed_and_absent_endpoints_are_reported():
    verdicts = check_targets([_result("search", 300, 40.0, 0.30, errors=5)])
    assert "search p95 40.0 ms < 100 ms: MISSED" in verdicts
    assert "initiative: not measured" in verdicts


def test_markdown_table_has_one_row_per_endpoint():
    table = markdown_table([_result("floor", 1000, 2.0, 1.0), _result("home", 250, 30.0, 0.25)])
    lines = table.splitlines()
    assert lines[0].startswith("| endpoint |")
    assert "| home | 100 | 0 | 250.0 |" in table
    assert "25%" in lines[-1]

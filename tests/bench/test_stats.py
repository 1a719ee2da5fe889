"""The benchmark's statistics and verdicts, without a database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.stats import (
    TARGETS,
    EndpointResult,
    ScalePoint,
    check_scale,
    check_targets,
    markdown_table,
    percentile,
    scale_table,
    summarise,
    verdict_counts,
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
    assert result.phase == "warm"
    assert result.cpu_ms is None


def test_summarise_keeps_phase_and_rounds_cpu():
    result = summarise("search", [0.02], 0, 1.0, phase="cold", cpu_ms=12.345, db_cpu_ms=3.21)
    assert (result.phase, result.cpu_ms, result.db_cpu_ms) == ("cold", 12.3, 3.2)


def test_summarise_of_no_request_is_zero_not_an_error():
    result = summarise("map", [], errors=3, seconds=1.0)
    assert result.rps == 0
    assert result.p95_ms == 0
    with pytest.raises(ValueError):
        summarise("map", [], errors=0, seconds=0)


def test_ratios_are_relative_to_the_warm_floor_only():
    results = with_floor_ratios(
        [
            summarise("floor", [0.001] * 1000, 0, 1.0),
            summarise("search", [0.02] * 300, 0, 1.0),
            summarise("search", [0.02] * 40, 0, 1.0, phase="cold"),
        ]
    )
    assert results[0].ratio_of_floor == 1.0
    assert results[1].ratio_of_floor == 0.3
    # A single-client phase is not a throughput measurement: no ratio.
    assert results[2].ratio_of_floor is None


def test_ratios_are_none_without_a_floor():
    assert with_floor_ratios([summarise("home", [0.01], 0, 1.0)])[0].ratio_of_floor is None


def _result(name, rps, p95, ratio, errors=0, phase="warm", p50=1.0, p99=None, cpu=None):
    return EndpointResult(
        name, 100, errors, 1.0, rps, p50, p95, p95 if p99 is None else p99, ratio, phase, cpu
    )


def test_warm_targets_met_and_missed():
    verdicts = check_targets(
        [_result("search", 300, 40.0, 0.30), _result("initiative", 400, 20.0, 0.40)]
    )
    assert "warm search p95 40.0 ms <= 50 ms: met" in verdicts
    assert "warm search throughput 30% of floor >= 25%: met" in verdicts
    assert "warm initiative throughput 40% of floor >= 50%: MISSED" in verdicts
    assert "warm home: not measured" in verdicts


def test_cold_search_has_three_percentile_limits():
    verdicts = check_targets(
        [_result("search", 10, 120.0, None, phase="cold", p50=25.0, p99=240.0)]
    )
    assert "cold search p50 25.0 ms <= 30 ms: met" in verdicts
    assert "cold search p95 120.0 ms <= 100 ms: MISSED" in verdicts
    assert "cold search p99 240.0 ms <= 250 ms: met" in verdicts


def test_a_limit_is_inclusive():
    verdicts = check_targets([_result("map", 10, 100.0, None, phase="cold")])
    assert "cold map p95 100.0 ms <= 100 ms: met" in verdicts


def test_uncached_pages_need_latency_and_cpu():
    verdicts = check_targets(
        [
            _result("initiative", 10, 55.0, None, phase="uncached", cpu=14.0),
            _result("port_center", 10, 50.0, None, phase="uncached", cpu=22.5),
        ]
    )
    assert "uncached initiative p95 55.0 ms <= 60 ms: met" in verdicts
    assert "uncached initiative server CPU 14.0 ms <= 15 ms: met" in verdicts
    assert "uncached port_center server CPU 22.5 ms <= 15 ms: MISSED" in verdicts


def test_unmeasured_cpu_is_missed_not_met():
    verdicts = check_targets([_result("initiative", 10, 20.0, None, phase="uncached")])
    assert "uncached initiative server CPU n/a <= 15 ms: MISSED" in verdicts


def test_errors_make_a_target_missed_and_are_counted():
    verdicts = check_targets([_result("search", 300, 40.0, 0.30, errors=5)])
    assert "warm search p95 40.0 ms <= 50 ms: MISSED" in verdicts
    assert "warm search throughput 30% of floor >= 25%: MISSED" in verdicts
    assert "warm search: 5 failed requests" in verdicts
    assert "warm initiative: not measured" in verdicts


def test_the_same_endpoint_in_two_phases_is_judged_per_phase():
    verdicts = check_targets(
        [
            _result("search", 300, 45.0, 0.30),
            _result("search", 5, 400.0, None, phase="cold", p50=200.0, p99=900.0),
        ]
    )
    assert "warm search p95 45.0 ms <= 50 ms: met" in verdicts
    assert "cold search p95 400.0 ms <= 100 ms: MISSED" in verdicts


def test_every_issue_target_has_a_verdict():
    verdicts = check_targets([])
    assert len(verdicts) == len(TARGETS)
    assert {v.split(":")[0] for v in verdicts} >= {
        "cold search",
        "cold map",
        "warm search",
        "warm initiative",
        "warm port_center",
        "warm home",
        "uncached initiative",
        "uncached port_center",
        "signed dashboard",
        "signed editor",
    }


def test_verdict_counts():
    assert verdict_counts(["a: met", "b: MISSED", "c: met", "d: not measured"]) == (2, 1)


def test_markdown_table_has_one_row_per_endpoint():
    table = markdown_table(
        [
            _result("floor", 1000, 2.0, 1.0),
            replace(_result("home", 250, 30.0, 0.25), cpu_ms=12.5),
        ]
    )
    lines = table.splitlines()
    assert lines[0].startswith("| phase | endpoint |")
    assert "| warm | home | 100 | 0 | 250.0 |" in table
    assert "25%" in lines[-1] and "| 12.5 |" in lines[-1]


def _point(db, size, p95, rss=120.0, errors=0):
    return ScalePoint(db, size, p95, 10_000_000, rss, errors)


def test_scale_growth_under_three_times_is_met():
    verdicts = check_scale(
        [_point("postgres", 100_000, 50.0), _point("postgres", 1_000_000, 140.0, rss=250.0)]
    )
    assert (
        "postgres cold search p95 growth 100,000->1,000,000 2.80x (50.0 -> 140.0 ms) < 3x: met"
        in verdicts
    )
    assert "postgres web worker peak memory 250 MB < 300 MB: met" in verdicts


def test_scale_growth_and_memory_missed():
    verdicts = check_scale(
        [_point("postgres", 100_000, 50.0), _point("postgres", 1_000_000, 150.0, rss=310.0)]
    )
    assert any(
        v.startswith("postgres cold search p95 growth") and v.endswith("MISSED") for v in verdicts
    )
    assert "postgres web worker peak memory 310 MB < 300 MB: MISSED" in verdicts


def test_scale_without_the_large_size_says_not_measured():
    verdicts = check_scale([_point("sqlite", 10_000, 20.0), _point("sqlite", 100_000, 40.0)])
    assert "sqlite cold search p95 growth 100,000->1,000,000: not measured" in verdicts
    assert "sqlite web worker peak memory 120 MB < 300 MB: met" in verdicts


def test_scale_errors_miss_the_growth_target():
    verdicts = check_scale(
        [_point("postgres", 100_000, 50.0), _point("postgres", 1_000_000, 60.0, errors=2)]
    )
    assert verdicts[0].endswith("MISSED")


def test_scale_table_lists_each_size():
    table = scale_table([_point("postgres", 10_000, 20.0), _point("postgres", 1_000_000, 80.0)])
    assert "| postgres | 10,000 | 20.0 | 10.0 | 120 | 0 |" in table
    assert "| postgres | 1,000,000 | 80.0 |" in table


def test_database_cpu_delta_is_never_negative():
    from bench.run import db_cpu_delta

    # 1 grew by 5, 2 ended (lost), 3 appeared (all its time counts).
    assert db_cpu_delta({1: 10, 2: 50}, {1: 15, 3: 7}) == 12
    assert db_cpu_delta({1: 10}, {1: 10}) == 0
    assert db_cpu_delta({}, {}) == 0

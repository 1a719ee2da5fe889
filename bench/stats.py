"""Benchmark statistics: plain functions, no Django, tested in tests/bench/test_stats.py."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (like numpy's default). `pct` in [0, 100]."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= pct <= 100:
        raise ValueError("pct must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class EndpointResult:
    name: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    ratio_of_floor: float | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def summarise(
    name: str, latencies_s: Sequence[float], errors: int, seconds: float
) -> EndpointResult:
    """Throughput and latency percentiles of one endpoint's run (latencies in seconds)."""
    if seconds <= 0:
        raise ValueError("duration must be positive")
    ms = [v * 1000 for v in latencies_s] or [0.0]
    return EndpointResult(
        name=name,
        requests=len(latencies_s),
        errors=errors,
        seconds=round(seconds, 2),
        rps=round(len(latencies_s) / seconds, 1),
        p50_ms=round(percentile(ms, 50), 1),
        p95_ms=round(percentile(ms, 95), 1),
        p99_ms=round(percentile(ms, 99), 1),
    )


def with_floor_ratios(
    results: Sequence[EndpointResult], floor: str = "floor"
) -> list[EndpointResult]:
    """Each endpoint's throughput as a fraction of the floor endpoint's."""
    base = next((r.rps for r in results if r.name == floor), 0.0)
    return [
        EndpointResult(
            **{**r.as_dict(), "ratio_of_floor": round(r.rps / base, 3) if base else None}
        )
        for r in results
    ]


@dataclass(frozen=True)
class Target:
    endpoint: str
    max_p95_ms: float | None = None
    min_ratio: float | None = None


TARGETS = (
    Target("search", max_p95_ms=100, min_ratio=0.25),
    Target("initiative", min_ratio=0.50),
)


def check_targets(
    results: Sequence[EndpointResult], targets: Sequence[Target] = TARGETS
) -> list[str]:
    """Human-readable verdicts, one per target (e.g. "search p95 43.0 ms < 100 ms: met")."""
    by_name = {r.name: r for r in results}
    verdicts: list[str] = []
    for target in targets:
        result = by_name.get(target.endpoint)
        if result is None:
            verdicts.append(f"{target.endpoint}: not measured")
            continue
        if target.max_p95_ms is not None:
            ok = result.p95_ms < target.max_p95_ms and result.errors == 0
            verdicts.append(
                f"{target.endpoint} p95 {result.p95_ms:.1f} ms < {target.max_p95_ms:.0f} ms: "
                + ("met" if ok else "MISSED")
            )
        if target.min_ratio is not None:
            ratio = result.ratio_of_floor
            ok = ratio is not None and ratio >= target.min_ratio and result.errors == 0
            shown = f"{ratio:.0%}" if ratio is not None else "n/a"
            verdicts.append(
                f"{target.endpoint} throughput {shown} of floor >= {target.min_ratio:.0%}: "
                + ("met" if ok else "MISSED")
            )
    return verdicts


def markdown_table(results: Sequence[EndpointResult], title: str = "") -> str:
    lines = [f"#### {title}", ""] if title else []
    lines += [
        "| endpoint | requests | errors | req/s | p50 ms | p95 ms | p99 ms | % of floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ratio = f"{r.ratio_of_floor:.0%}" if r.ratio_of_floor is not None else "–"
        lines.append(
            f"| {r.name} | {r.requests} | {r.errors} | {r.rps:.1f} | {r.p50_ms:.1f} | "
            f"{r.p95_ms:.1f} | {r.p99_ms:.1f} | {ratio} |"
        )
    return "\n".join(lines)

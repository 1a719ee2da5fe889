"""Benchmark statistics: plain functions, no Django, tested in tests/bench/test_stats.py.

A measurement is an `EndpointResult` of one phase: "cold" (queries the run has not made before,
cache flushed, one client), "warm" (repeated URLs, concurrency 8, throughput compared with the
floor view's), "uncached" (first visits of distinct pages, cache flushed, one client) or
"signed" (a signed-in member's pages, one client). `check_targets` turns them into one verdict
per target of issue 6; `check_scale` does the same for the growth targets of `make bench-scale`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace


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
    phase: str = "warm"
    # Mean CPU time of the web server's processes per request (ms); None when not measured.
    cpu_ms: float | None = None
    # Same, of the database server's backends serving the web server (PostgreSQL only).
    db_cpu_ms: float | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def summarise(
    name: str,
    latencies_s: Sequence[float],
    errors: int,
    seconds: float,
    *,
    phase: str = "warm",
    cpu_ms: float | None = None,
    db_cpu_ms: float | None = None,
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
        phase=phase,
        cpu_ms=None if cpu_ms is None else round(cpu_ms, 1),
        db_cpu_ms=None if db_cpu_ms is None else round(db_cpu_ms, 1),
    )


def with_floor_ratios(
    results: Sequence[EndpointResult], floor: str = "floor"
) -> list[EndpointResult]:
    """Each warm endpoint's throughput as a fraction of the (warm) floor endpoint's. Cold,
    uncached and signed-in phases run one client: a ratio would mean nothing, they get None."""
    base = next((r.rps for r in results if r.name == floor and r.phase == "warm"), 0.0)
    return [
        replace(r, ratio_of_floor=round(r.rps / base, 3) if base and r.phase == "warm" else None)
        for r in results
    ]


@dataclass(frozen=True)
class Target:
    endpoint: str
    phase: str = "warm"
    max_p50_ms: float | None = None
    max_p95_ms: float | None = None
    max_p99_ms: float | None = None
    min_ratio: float | None = None
    max_cpu_ms: float | None = None


# Issue 6 "Search and pages that stay fast" (both databases, 100,000 initiatives, 2 cores).
TARGETS = (
    Target("search", "cold", max_p50_ms=30, max_p95_ms=100, max_p99_ms=250),
    Target("map", "cold", max_p95_ms=100),
    Target("search", "warm", max_p95_ms=50, min_ratio=0.25),
    Target("initiative", "warm", min_ratio=0.50),
    Target("port_center", "warm", min_ratio=0.50),
    Target("home", "warm", min_ratio=0.50),
    Target("initiative", "uncached", max_p95_ms=60, max_cpu_ms=15),
    Target("port_center", "uncached", max_p95_ms=60, max_cpu_ms=15),
    Target("dashboard", "signed", max_p95_ms=150),
    Target("editor", "signed", max_p95_ms=150),
)


def _verdict(label: str, shown: str, limit: str, ok: bool) -> str:
    return f"{label} {shown} {limit}: " + ("met" if ok else "MISSED")


def check_targets(
    results: Sequence[EndpointResult], targets: Sequence[Target] = TARGETS
) -> list[str]:
    """Human-readable verdicts, one per limit of each target, e.g.
    "cold search p95 43.0 ms <= 100 ms: met". Any failed request makes the endpoint's limits
    missed; a target whose endpoint was not measured says so."""
    by_key = {(r.phase, r.name): r for r in results}
    verdicts: list[str] = []
    for target in targets:
        label = f"{target.phase} {target.endpoint}"
        result = by_key.get((target.phase, target.endpoint))
        if result is None:
            verdicts.append(f"{label}: not measured")
            continue
        clean = result.errors == 0 and result.requests > 0
        for pct, limit in (
            ("p50", target.max_p50_ms),
            ("p95", target.max_p95_ms),
            ("p99", target.max_p99_ms),
        ):
            if limit is None:
                continue
            value = float(getattr(result, f"{pct}_ms"))
            verdicts.append(
                _verdict(
                    f"{label} {pct}",
                    f"{value:.1f} ms",
                    f"<= {limit:.0f} ms",
                    clean and value <= limit,
                )
            )
        if target.min_ratio is not None:
            ratio = result.ratio_of_floor
            ok = clean and ratio is not None and ratio >= target.min_ratio
            shown = f"{ratio:.0%} of floor" if ratio is not None else "n/a"
            verdicts.append(
                _verdict(f"{label} throughput", shown, f">= {target.min_ratio:.0%}", ok)
            )
        if target.max_cpu_ms is not None:
            cpu = result.cpu_ms
            ok = clean and cpu is not None and cpu <= target.max_cpu_ms
            shown = f"{cpu:.1f} ms" if cpu is not None else "n/a"
            verdicts.append(
                _verdict(f"{label} server CPU", shown, f"<= {target.max_cpu_ms:.0f} ms", ok)
            )
        if result.errors:
            verdicts.append(f"{label}: {result.errors} failed requests")
    return verdicts


def verdict_counts(verdicts: Sequence[str]) -> tuple[int, int]:
    """(met, missed) among verdicts; "not measured" counts as neither."""
    met = sum(1 for v in verdicts if v.endswith(": met"))
    missed = sum(1 for v in verdicts if v.endswith(": MISSED"))
    return met, missed


@dataclass(frozen=True)
class ScalePoint:
    """One size of `make bench-scale`: cold-search p95, search index bytes, worker peak RSS."""

    db: str
    size: int
    cold_p95_ms: float
    index_bytes: int | None
    worker_peak_rss_mb: float | None
    errors: int = 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def check_scale(
    points: Sequence[ScalePoint],
    *,
    small: int = 100_000,
    large: int = 1_000_000,
    max_growth: float = 3.0,
    max_rss_mb: float = 300.0,
) -> list[str]:
    """Growth verdicts per database: cold p95 at `large` < `max_growth` x the p95 at `small`,
    and every worker's peak memory < `max_rss_mb`."""
    verdicts: list[str] = []
    by_db: dict[str, dict[int, ScalePoint]] = {}
    for point in points:
        by_db.setdefault(point.db, {})[point.size] = point
    for db, sizes in by_db.items():
        if small in sizes and large in sizes:
            before, after = sizes[small], sizes[large]
            growth = after.cold_p95_ms / before.cold_p95_ms if before.cold_p95_ms else math.inf
            ok = growth < max_growth and not before.errors and not after.errors
            verdicts.append(
                _verdict(
                    f"{db} cold search p95 growth {small:,}->{large:,}",
                    f"{growth:.2f}x ({before.cold_p95_ms:.1f} -> {after.cold_p95_ms:.1f} ms)",
                    f"< {max_growth:g}x",
                    ok,
                )
            )
        else:
            verdicts.append(f"{db} cold search p95 growth {small:,}->{large:,}: not measured")
        rss = [p.worker_peak_rss_mb for p in sizes.values() if p.worker_peak_rss_mb is not None]
        if rss:
            verdicts.append(
                _verdict(
                    f"{db} web worker peak memory",
                    f"{max(rss):.0f} MB",
                    f"< {max_rss_mb:.0f} MB",
                    max(rss) < max_rss_mb,
                )
            )
        else:
            verdicts.append(f"{db} web worker peak memory: not measured")
    return verdicts


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def markdown_table(results: Sequence[EndpointResult], title: str = "") -> str:
    lines = [f"#### {title}", ""] if title else []
    lines += [
        "| phase | endpoint | requests | errors | req/s | p50 ms | p95 ms | p99 ms | % of floor "
        "| server CPU ms/req | DB CPU ms/req |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ratio = f"{r.ratio_of_floor:.0%}" if r.ratio_of_floor is not None else "–"
        lines.append(
            f"| {r.phase} | {r.name} | {r.requests} | {r.errors} | {r.rps:.1f} | {r.p50_ms:.1f} | "
            f"{r.p95_ms:.1f} | {r.p99_ms:.1f} | {ratio} | {_ms(r.cpu_ms)} | {_ms(r.db_cpu_ms)} |"
        )
    return "\n".join(lines)


def scale_table(points: Sequence[ScalePoint]) -> str:
    lines = [
        "| database | initiatives | cold search p95 ms | search index MB | worker peak RSS MB "
        "| errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for p in points:
        index = "–" if p.index_bytes is None else f"{p.index_bytes / 1e6:.1f}"
        rss = "–" if p.worker_peak_rss_mb is None else f"{p.worker_peak_rss_mb:.0f}"
        lines.append(
            f"| {p.db} | {p.size:,} | {p.cold_p95_ms:.1f} | {index} | {rss} | {p.errors} |"
        )
    return "\n".join(lines)


def group_by_phase(results: Sequence[EndpointResult]) -> Mapping[str, list[EndpointResult]]:
    grouped: dict[str, list[EndpointResult]] = {}
    for r in results:
        grouped.setdefault(r.phase, []).append(r)
    return grouped

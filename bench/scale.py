"""Growth benchmark: `make bench-scale` (or `.venv/bin/python bench/scale.py --help`).

Builds the demo data set at each size (default: 10,000 and 100,000 initiatives on SQLite;
10,000, 100,000 and 1,000,000 on PostgreSQL), and at each prints the cold-search p95 (the cold
phase of bench/run.py: distinct queries from the index's vocabulary, cache flushed, one client),
the bytes of the search tables and their indexes, and the peak memory (VmHWM) of the gunicorn
workers after the cold phase. Verdicts (bench/stats.py check_scale): from 100,000 to 1,000,000
the p95 grows less than 3x, and no worker goes above 300 MB. Each database is dropped after its
size was measured (1,000,000 initiatives take several GB), unless --keep."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402
from bench.stats import ScalePoint, check_scale, scale_table, verdict_counts  # noqa: E402

DEFAULT_PLAN = "sqlite:10000,sqlite:100000,postgres:10000,postgres:100000,postgres:1000000"


def parse_plan(text: str) -> list[tuple[str, int]]:
    """ "sqlite:10000,postgres:1000000" -> [("sqlite", 10000), ("postgres", 1000000)]."""
    plan: list[tuple[str, int]] = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        db, _, size = item.partition(":")
        if db not in ("sqlite", "postgres") or not size.replace("_", "").isdigit():
            raise ValueError(f"not a db:size pair: {item!r}")
        plan.append((db, int(size.replace("_", ""))))
    return plan


def measure(db: str, size: int, args: argparse.Namespace) -> tuple[ScalePoint, dict]:
    target = run.environment(db, name=f"scale-{db}-{size}")
    timings = {} if args.reuse else run.build(target, size)
    info = run.probe(target, "vocabulary,facets,slugs,index")
    plan = run.make_plan(info, args)
    server = run.Server(target, args)
    try:
        results = run.phase_cold(server, plan)
        assert server.process is not None
        rss = run.workers_peak_rss_mb(server.process)
    finally:
        server.stop()
    search = next(r for r in results if r.name == "search")
    point = ScalePoint(
        db=db,
        size=size,
        cold_p95_ms=search.p95_ms,
        index_bytes=info.get("index_bytes"),
        worker_peak_rss_mb=rss,
        errors=sum(r.errors for r in results),
    )
    detail = {
        "point": point.as_dict(),
        "build_seconds": timings,
        "search_documents": info.get("search_documents"),
        "results": [r.as_dict() for r in results],
        "load_average_after": os.getloadavg(),
    }
    if not args.keep:
        run.drop_database(target)
    return point, detail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plan", default=DEFAULT_PLAN, help=f"db:size pairs ({DEFAULT_PLAN})")
    parser.add_argument("--cold-queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--reuse", action="store_true", help="keep already built databases")
    parser.add_argument("--keep", action="store_true", help="do not drop the databases after")
    args = parser.parse_args(argv)
    # make_plan reads these; the scale run has no uncached phase.
    args.uncached_pages = 0
    started_at = datetime.now(UTC)
    points: list[ScalePoint] = []
    details: list[dict] = []
    for db, size in parse_plan(args.plan):
        run.log(f"scale: {db} with {size:,} initiatives")
        point, detail = measure(db, size, args)
        points.append(point)
        details.append(detail)
        run.log(
            f"scale: {db} {size:,}: cold p95 {point.cold_p95_ms} ms, index "
            f"{point.index_bytes} bytes, worker peak {point.worker_peak_rss_mb} MB, "
            f"build {detail['build_seconds']}"
        )
    verdicts = check_scale(points)
    met, missed = verdict_counts(verdicts)
    text = "\n".join(
        [
            f"Scale benchmark {started_at:%Y-%m-%d %H:%M} UTC, commit "
            f"{run.machine().get('commit')}, {args.cold_queries} cold queries per size",
            "",
            scale_table(points),
            "",
            f"Targets: {met} met, {missed} missed",
            *[f"- {v}" for v in verdicts],
        ]
    )
    print()
    print(text)
    run.RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = f"scale-{started_at:%Y%m%dT%H%M%S}"
    (run.RESULTS / f"{stamp}.json").write_text(
        json.dumps({"started_at": started_at.isoformat(), "sizes": details, "targets": verdicts}),
        encoding="utf-8",
    )
    (run.RESULTS / f"{stamp}.md").write_text(text, encoding="utf-8")
    run.log(f"results written to bench/results/{stamp}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Load a running server with the benchmark's load generator (bench/run.py `drive`): floor, home,
200 initiative pages and 6 searches, concurrency 8, and the server's CPU per request.

Serve the demo database with gunicorn (`DJANGO_SETTINGS_MODULE=bench.settings`,
`PORTOLAN_VAR_DIR=/tmp/pc`, `REDIS_URL=redis://127.0.0.1:6379/9`, `--workers 2`; add
`PORTOLAN_PAGE_CACHE=false` for the uncached figures), write 300 published initiative slugs as a
JSON list to a file, then:

    .venv/bin/python tools/page_load.py <port> <gunicorn master pid> <slugs.json>
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import drive, server_cpu_seconds  # noqa: E402


class _Server:
    def __init__(self, pid: int) -> None:
        self.pid = pid


def main() -> int:
    port, master, slugs_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    slugs = json.loads(Path(slugs_file).read_text())
    words = ["port", "school", "harbour", "festival", "museum", "water"]
    endpoints = {
        "floor": ["/floor/"],
        "home": ["/en/"],
        "initiative (200 pages)": [f"/en/catalogue/initiatives/{s}/" for s in slugs[:200]],
        "search (6 queries)": [f"/en/search/?q={w}" for w in words],
    }
    server = _Server(master)
    print("| endpoint | req/s | p50 ms | p95 ms | server CPU ms/req | statuses |")
    print("|---|---:|---:|---:|---:|---|")
    for name, urls in endpoints.items():
        drive(port, name, urls, 4, 2, 1.0, 2.0)  # warm-up, not counted
        before = server_cpu_seconds(server)  # type: ignore[arg-type]
        result, statuses = drive(port, name, urls, 8, 2, 0.0, 8.0)
        cpu = (server_cpu_seconds(server) - before) * 1000 / max(sum(statuses.values()), 1)  # type: ignore[arg-type]
        print(
            f"| {name} | {result.rps:.1f} | {result.p50_ms:.1f} | {result.p95_ms:.1f} "
            f"| {cpu:.2f} | {statuses} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

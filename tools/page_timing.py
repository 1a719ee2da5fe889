"""In-process timing of public pages, with the whole-page cache on (warm) and off (uncached).

    PORTOLAN_VAR_DIR=/tmp/pc DJANGO_SETTINGS_MODULE=bench.settings \\
        .venv/bin/python tools/page_timing.py [--requests 200] [--redis redis://127.0.0.1:6379/9]

Every request goes through Django's test client, so the whole middleware stack runs; the figures
are wall and CPU (process) milliseconds per request in this one process, without an HTTP server
or network. "cold" empties the cache before each request; "uncached" turns the page cache off
but keeps the fragment caches (related lists, home counts) warm; "warm" serves repeated URLs
from the page cache."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint and mode")
    parser.add_argument("--redis", default="", help="use this Redis as the cache")
    args = parser.parse_args()
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from portolan.catalogue.models import Initiative

    cache.clear()
    rng = random.Random(7)
    slugs = list(Initiative.objects.published().values_list("slug", flat=True)[:2000])
    words = ["port", "school", "harbour", "festival", "museum", "water"]
    endpoints = {
        "initiative": lambda: f"/en/catalogue/initiatives/{rng.choice(slugs)}/",
        "initiative (one page)": lambda: f"/en/catalogue/initiatives/{slugs[0]}/",
        "home": lambda: "/en/",
        "search": lambda: f"/en/search/?q={rng.choice(words)}",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"cache: {settings.CACHES['default']['BACKEND']}, {args.requests} requests per row")
    print("| endpoint | mode | p50 ms | p95 ms | CPU ms/req |")
    print("|---|---|---:|---:|---:|")
    for name, url in endpoints.items():
        urls = [url() for _ in range(args.requests)]
        for mode in ("cold", "uncached", "warm"):
            settings.PORTOLAN_PAGE_CACHE = mode == "warm"
            for u in set(urls):  # warm the fragment caches, and the page cache when on
                client.get(u)
            walls, cpus = [], []
            for u in urls:
                if mode == "cold":
                    cache.clear()
                start, cpu_start = time.perf_counter(), time.process_time()
                response = client.get(u)
                walls.append((time.perf_counter() - start) * 1000)
                cpus.append((time.process_time() - cpu_start) * 1000)
                assert response.status_code == 200, (u, response.status_code)
            walls.sort()
            p95 = walls[int(len(walls) * 0.95) - 1]
            cpu = statistics.mean(cpus)
            print(f"| {name} | {mode} | {statistics.median(walls):.1f} | {p95:.1f} | {cpu:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

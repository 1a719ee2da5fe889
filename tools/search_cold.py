"""First-time searches in-process, per engine: `DJANGO_SETTINGS_MODULE=... PORTOLAN_VAR_DIR=...
.venv/bin/python tools/search_cold.py [--queries 120] tantivy database`.

Draws distinct queries of 1-3 words from the index's own vocabulary, weighted by document
frequency ("port" always in), with 0-2 facets, every sort and some deep pages; clears the cache
before each request and prints wall-clock and CPU percentiles per engine. Needs a built library
index (`manage.py rebuild_search_index`). `make bench` measures the same through gunicorn."""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from portolan.search import library  # noqa: E402

FACETS = (
    "",
    "",
    "&theme=education",
    "&region=EU",
    "&theme=heritage&region=EU",
    "&year_from=2015&year_to=2020",
    "&goal=4",
    "&type=initiative&audience=schools",
)
SORTS = ("", "", "&sort=newest", "&sort=name")


def queries(count: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT term FROM search_searchterm")
        terms = [row[0] for row in cursor.fetchall()]
    searcher = library.handle().searcher()
    weighted = [(t, searcher.doc_freq("title", t) + searcher.doc_freq("summary", t)) for t in terms]
    weighted = [(t, n) for t, n in weighted if n]
    rng = random.Random(17)
    words, weights = [t for t, _ in weighted], [n for _, n in weighted]
    found = {"q=port"}
    while len(found) < count:
        q = "+".join(rng.choices(words, weights, k=rng.choice((1, 1, 2, 3))))
        page = rng.choice(("", "", "", f"&page={rng.randint(2, 50)}"))
        found.add(f"q={q}{rng.choice(FACETS)}{rng.choice(SORTS)}{page}")
    ordered = sorted(found)
    rng.shuffle(ordered)
    return ordered


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))], 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("engines", nargs="+", choices=("tantivy", "database"))
    parser.add_argument("--queries", type=int, default=120)
    args = parser.parse_args()
    settings.SEARCH_ENGINE = "tantivy"
    drawn = queries(args.queries)
    client = Client(HTTP_HOST="127.0.0.1")
    for warm in ("q=harbour", "q=harbour&theme=education"):  # imports, URL resolver
        client.get("/en/search/?" + warm)
    for engine in args.engines:
        settings.SEARCH_ENGINE = engine
        wall: list[float] = []
        cpu: list[float] = []
        for query in drawn:
            cache.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get("/en/search/?" + query)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            if response.status_code != 200:
                print(f"{query}: HTTP {response.status_code}", file=sys.stderr)
                return 1
        print(
            f"{connection.vendor} {engine}: {len(drawn)} first-time queries, wall p50 "
            f"{percentile(wall, 0.5)} p95 {percentile(wall, 0.95)} p99 {percentile(wall, 0.99)} "
            f"ms; CPU p50 {percentile(cpu, 0.5)} p95 {percentile(cpu, 0.95)} ms; load average "
            f"{os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

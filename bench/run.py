"""Load benchmark: `make bench` (or `.venv/bin/python bench/run.py --help`).

For each database (SQLite file under var/bench/, PostgreSQL database `portolan_bench`) it builds a
throwaway database, migrates, loads the reference data and N demo initiatives, serves the app with
gunicorn (bench/settings.py: production settings, DEBUG off) and drives a small load generator at a
fixed concurrency against the floor view, home, search (text + two facets), an initiative page and
the map data. It prints req/s and p50/p95/p99 per endpoint with each endpoint's throughput as a
ratio of the floor's, and writes JSON + Markdown under bench/results/."""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import (  # noqa: E402
    EndpointResult,
    check_targets,
    markdown_table,
    summarise,
    with_floor_ratios,
)

PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/portolan_bench"
WORDS = (
    "port",
    "school",
    "heritage",
    "energy",
    "cruise",
    "jobs",
    "museum",
    "dock",
    "tour",
    "ville",
    "puerto",
    "visite",
    "festival",
    "crane",
    "quay",
)
FACETS = (
    ("education", "EU"),
    ("heritage", "EU"),
    ("environment", "NA"),
    ("tourism-cruise", "EU"),
    ("jobs-skills", "AF"),
    ("energy", "AS"),
    ("culture-identity", "SA"),
)


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


def _redis_reachable(url: str) -> bool:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means "no Redis": fall back to memory
        return False


def flush_cache(env: dict[str, str]) -> None:
    """Each database starts cold: no cached page or search of the previous run is reused."""
    if env.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def environment(db: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["PORTOLAN_VAR_DIR"] = str(ROOT / "var" / "bench" / db)
    env["PYTHONPATH"] = str(ROOT)
    # Like production: a Redis cache shared by all gunicorn workers when one is reachable
    # (BENCH_REDIS_URL to choose another, empty to run on per-process memory caches).
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    if redis_url and _redis_reachable(redis_url):
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env.pop("DATABASE_URL", None)
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PY, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def reset_database(db: str, env: dict[str, str]) -> None:
    var = Path(env["PORTOLAN_VAR_DIR"])
    if db == "sqlite":
        shutil.rmtree(var, ignore_errors=True)
    else:
        import psycopg

        with psycopg.connect(
            PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
        ) as conn:
            conn.execute("DROP DATABASE IF EXISTS portolan_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE portolan_bench")
    (var / "media").mkdir(parents=True, exist_ok=True)


def build(db: str, env: dict[str, str], size: int) -> dict[str, float]:
    timings: dict[str, float] = {}
    reset_database(db, env)
    for label, args in (
        ("migrate", ("migrate", "--noinput", "-v0")),
        ("load_reference", ("load_reference",)),
        ("generate_demo", ("generate_demo", "--size", str(size))),
        ("collectstatic", ("collectstatic", "--noinput", "-v0")),
    ):
        started = time.perf_counter()
        log(f"{db}: {' '.join(args)}")
        manage(env, *args)
        timings[label] = round(time.perf_counter() - started, 1)
        log(f"{db}: {label} took {timings[label]} s")
    return timings


def sample_slugs(env: dict[str, str]) -> list[str]:
    code = (
        "import json, random\n"
        "from portolan.catalogue.models import Initiative\n"
        "ids = list(Initiative.objects.published().values_list('slug', flat=True)[:100000])\n"
        "random.seed(7)\n"
        "print(json.dumps(random.sample(ids, min(2000, len(ids)))))\n"
    )
    out = manage(env, "shell", "-c", code, capture=True)
    return json.loads(out.strip().splitlines()[-1])


def start_server(
    env: dict[str, str], port: int, workers: int, threads: int
) -> subprocess.Popen[bytes]:
    args = [
        GUNICORN,
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--access-logfile",
        "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
    ]
    if threads > 1:
        args += ["--worker-class", "gthread", "--threads", str(threads)]
    server = subprocess.Popen(args, env=env, cwd=ROOT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz/ within 60 s")


def server_cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) of the gunicorn master and its workers so far. Dividing it by the
    request count gives a cost per request that other load on the machine does not inflate."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [server.pid]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def endpoint_urls(slugs: list[str]) -> dict[str, list[str]]:
    rng = random.Random(11)
    searches, maps = [], []
    for _ in range(500):
        word = rng.choice(WORDS)
        theme, region = rng.choice(FACETS)
        query = f"q={word}&theme={theme}&region={region}"
        searches.append(f"/en/search/?{query}")
        maps.append(f"/en/search/map.json?{query}")
    return {
        "floor": ["/floor/"],
        "home": ["/en/"],
        "search": searches,
        "initiative": [f"/en/catalogue/initiatives/{s}/" for s in slugs] or ["/en/"],
        "map": maps,
    }


def _worker(
    port: int, urls: list[str], threads: int, warmup: float, duration: float, seed: int
) -> tuple[list[float], int, dict[int, int]]:
    """One load process: `threads` keep-alive clients hitting random URLs of one endpoint."""
    latencies: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    start = time.perf_counter()
    record_from = start + warmup
    stop = record_from + duration

    def client(n: int) -> None:
        nonlocal errors
        rng = random.Random(seed * 100 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        my_errors = 0
        my_status: dict[int, int] = {}
        while True:
            now = time.perf_counter()
            if now >= stop:
                break
            url = urls[rng.randrange(len(urls))]
            try:
                conn.request("GET", url, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            took = time.perf_counter() - now
            if now >= record_from:
                my_status[status] = my_status.get(status, 0) + 1
                if status == 200:
                    mine.append(took)
                else:
                    my_errors += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += my_errors
            for k, v in my_status.items():
                statuses[k] = statuses.get(k, 0) + v

    pool = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, errors, statuses


def drive(
    port: int,
    name: str,
    urls: list[str],
    concurrency: int,
    processes: int,
    warmup: float,
    duration: float,
) -> tuple[EndpointResult, dict[int, int]]:
    per_process = [
        concurrency // processes + (1 if i < concurrency % processes else 0)
        for i in range(processes)
    ]
    with ProcessPoolExecutor(max_workers=processes) as pool:
        futures = [
            pool.submit(_worker, port, urls, n, warmup, duration, i)
            for i, n in enumerate(per_process)
            if n
        ]
        parts = [f.result() for f in futures]
    latencies = [v for part in parts for v in part[0]]
    errors = sum(part[1] for part in parts)
    statuses: dict[int, int] = {}
    for part in parts:
        for k, v in part[2].items():
            statuses[k] = statuses.get(k, 0) + v
    return summarise(name, latencies, errors, duration), statuses


def machine() -> dict[str, object]:
    info: dict[str, object] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    with contextlib.suppress(OSError):
        info["load_average_at_start"] = os.getloadavg()
    return info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--size", type=int, default=100_000, help="demo initiatives")
    parser.add_argument("--duration", type=float, default=20, help="seconds measured per endpoint")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    # 2 cores: sync workers, as README's production command. gthread (3 x 2) served the floor
    # faster but the search stemmers are shared between threads (docs/performance.md).
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help=">1 uses gthread workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--endpoints", default="floor,home,search,initiative,map")
    parser.add_argument("--reuse", action="store_true", help="keep an already built database")
    args = parser.parse_args()

    started_at = datetime.now(UTC)
    report: dict[str, object] = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": dict(vars(args).items()),
        "databases": {},
    }
    markdown: list[str] = [
        f"Benchmark {started_at:%Y-%m-%d %H:%M} UTC: {args.size} demo initiatives, "
        f"concurrency {args.concurrency}, {args.duration:.0f} s per endpoint, gunicorn "
        f"{args.workers} workers x {args.threads} threads, {os.cpu_count()} CPUs.",
        "",
    ]
    for db in [d.strip() for d in args.db.split(",") if d.strip()]:
        env = environment(db)
        timings = {} if args.reuse else build(db, env, args.size)
        slugs = sample_slugs(env)
        urls = endpoint_urls(slugs)
        flush_cache(env)
        log(
            f"{db}: starting gunicorn ({args.workers} workers x {args.threads} threads, "
            f"cache: {'Redis' if env.get('REDIS_URL') else 'per-process memory'})"
        )
        server = start_server(env, args.port, args.workers, args.threads)
        results: list[EndpointResult] = []
        statuses: dict[str, dict[int, int]] = {}
        cpu_ms: dict[str, float] = {}
        try:
            for name in [e.strip() for e in args.endpoints.split(",") if e.strip()]:
                log(f"{db}: {name} for {args.warmup:.0f}+{args.duration:.0f} s")
                cpu_before = server_cpu_seconds(server)
                result, seen = drive(
                    args.port,
                    name,
                    urls[name],
                    args.concurrency,
                    args.processes,
                    args.warmup,
                    args.duration,
                )
                results.append(result)
                statuses[name] = seen
                total_requests = sum(seen.values()) or 1
                # Includes the warm-up requests, which are not in `seen`: an upper bound.
                cpu_ms[name] = round(
                    (server_cpu_seconds(server) - cpu_before) * 1000 / total_requests, 1
                )
                log(
                    f"{db}: {name}: {result.rps} req/s, p95 {result.p95_ms} ms, "
                    f"server CPU <= {cpu_ms[name]} ms/request, statuses {seen}, "
                    f"load average {os.getloadavg()[0]:.1f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
        results = with_floor_ratios(results)
        verdicts = check_targets(results)
        table = markdown_table(results, title=f"{db}")
        table += "\n\nServer CPU per request (upper bound, ms): " + ", ".join(
            f"{k} {v}" for k, v in cpu_ms.items()
        )
        table += f"\n\nLoad average after the run: {os.getloadavg()[0]:.1f}"
        print()
        print(table)
        print("\n".join(f"- {v}" for v in verdicts))
        print()
        markdown += [table, "", *[f"- {v}" for v in verdicts], ""]
        dbs = report["databases"]
        assert isinstance(dbs, dict)
        dbs[db] = {
            "build_seconds": timings,
            "results": [r.as_dict() for r in results],
            "statuses": {k: {str(s): n for s, n in v.items()} for k, v in statuses.items()},
            "targets": verdicts,
            "server_cpu_ms_per_request": cpu_ms,
            "load_average_after": os.getloadavg(),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = f"{started_at:%Y%m%dT%H%M%S}"
    (RESULTS / f"{stamp}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (RESULTS / f"{stamp}.md").write_text("\n".join(markdown), encoding="utf-8")
    log(f"results written to bench/results/{stamp}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

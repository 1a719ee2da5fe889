"""Load benchmark: `make bench` (or `.venv/bin/python bench/run.py --help`).

For each database (SQLite file under var/bench/, PostgreSQL database `portolan_bench`) it builds a
throwaway database (migrate, reference data, N demo initiatives, static files), serves the app
with gunicorn (bench/settings.py: production settings, DEBUG off, the Redis cache when one
answers) and measures the phases of issue 6 "Search and pages that stay fast":

- `cold`: cache flushed, one client, >= 200 distinct search queries drawn from the index's own
  vocabulary by document frequency (bench/queries.py), each made once, with its map data;
- `uncached`: cache flushed, one client, first visits of distinct initiative and Port Center
  pages (latency and server CPU per page);
- `warm`: concurrency 8 on repeated URLs (each visited once before): the floor view, search,
  map data, home, initiative and Port Center pages; throughput as a ratio of the floor's;
- `signed`: the demo member signs in through the login form (CSRF token, session cookie) and
  loads the dashboard and the editor of one of its records, one client.

It prints each phase's table per database, the ratios and one verdict per target
(bench/stats.py), and writes JSON + Markdown under bench/results/ (not committed)."""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.queries import cold_queries, warm_queries  # noqa: E402
from bench.stats import (  # noqa: E402
    EndpointResult,
    check_targets,
    markdown_table,
    summarise,
    verdict_counts,
    with_floor_ratios,
)

PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BASE_URL = "postgres://postgres@127.0.0.1:5432/"
PHASES = ("cold", "uncached", "warm", "signed")
WARM_ENDPOINTS = ("floor", "search", "map", "home", "initiative", "port_center")


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


# --- environment and build ---------------------------------------------------------------


def _redis_reachable(url: str) -> bool:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means "no Redis": fall back to memory
        return False


@dataclass
class Target:
    """One database the benchmark builds: `db` is sqlite or postgres, `name` its label (also the
    var/bench/ directory), `pg_database` the PostgreSQL database."""

    db: str
    name: str
    pg_database: str
    env: dict[str, str] = field(default_factory=dict)


def environment(db: str, name: str | None = None) -> Target:
    """The environment of the manage.py commands and gunicorn for one database. `name` keeps
    databases of several sizes apart (bench/scale.py); the default is the database's kind."""
    label = name or db
    target = Target(
        db=db,
        name=label,
        pg_database="portolan_bench" if name is None else f"portolan_{label}".replace("-", "_"),
    )
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["PORTOLAN_VAR_DIR"] = str(ROOT / "var" / "bench" / label)
    env["PYTHONPATH"] = str(ROOT)
    # Like production: a Redis cache shared by all gunicorn workers when one is reachable
    # (BENCH_REDIS_URL to choose another, empty to run on per-process memory caches).
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    if redis_url and _redis_reachable(redis_url):
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = PG_BASE_URL + target.pg_database
    else:
        env.pop("DATABASE_URL", None)
    target.env = env
    return target


def flush_cache(env: dict[str, str]) -> None:
    """No cached page or search of an earlier phase is reused. Without Redis the caches live in
    the gunicorn processes, which every measured phase restarts."""
    if env.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()


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


def reset_database(target: Target) -> None:
    var = Path(target.env["PORTOLAN_VAR_DIR"])
    shutil.rmtree(var, ignore_errors=True)
    if target.db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target.pg_database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{target.pg_database}"')
    (var / "media").mkdir(parents=True, exist_ok=True)


def drop_database(target: Target) -> None:
    shutil.rmtree(Path(target.env["PORTOLAN_VAR_DIR"]), ignore_errors=True)
    if target.db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target.pg_database}" WITH (FORCE)')


def _peak_rss_mb(pid_status: str) -> float | None:
    match = re.search(r"VmHWM:\s+(\d+) kB", pid_status)
    return int(match.group(1)) / 1024 if match else None


def build(target: Target, size: int) -> dict[str, float]:
    """Seconds per step; `generate_demo_peak_rss_mb` is the generator's peak memory."""
    timings: dict[str, float] = {}
    reset_database(target)
    steps: list[tuple[str, tuple[str, ...]]] = [
        ("migrate", ("migrate", "--noinput", "-v0")),
        ("load_reference", ("load_reference",)),
        ("generate_demo", ("generate_demo", "--size", str(size))),
        # The search library's index, when generate_demo's rebuild did not make it (no-op then).
        ("library_index", ("rebuild_search_index", "--if-missing")),
        ("collectstatic", ("collectstatic", "--noinput", "-v0")),
    ]
    for label, args in steps:
        started = time.perf_counter()
        cpu_before = _children_cpu()
        log(f"{target.name}: {' '.join(args)}")
        if label == "generate_demo":
            peak = _run_with_peak(target.env, args)
            if peak is not None:
                timings["generate_demo_peak_rss_mb"] = round(peak, 1)
        else:
            manage(target.env, *args)
        timings[label] = round(time.perf_counter() - started, 1)
        # CPU of the command itself (not the database server's): a figure that other work
        # sharing the machine inflates less than the wall clock.
        timings[f"{label}_cpu"] = round(_children_cpu() - cpu_before, 1)
        log(
            f"{target.name}: {label} took {timings[label]} s "
            f"({timings[f'{label}_cpu']} s of CPU, load average {os.getloadavg()[0]:.1f})"
        )
    return timings


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_with_peak(env: dict[str, str], args: Sequence[str]) -> float | None:
    """Run a manage.py command and read its peak memory (VmHWM) just before it exits."""
    code = (
        "import atexit, runpy, sys\n"
        "def _peak():\n"
        "    with open('/proc/self/status') as f:\n"
        "        line = [l for l in f if l.startswith('VmHWM')]\n"
        "    sys.stderr.write('BENCH_PEAK ' + (line[0] if line else '\\n'))\n"
        "atexit.register(_peak)\n"
        f"sys.argv = ['manage.py', *{list(args)!r}]\n"
        "runpy.run_path('manage.py', run_name='__main__')\n"
    )
    proc = subprocess.run(
        [PY, "-c", code], env=env, cwd=ROOT, check=True, text=True, stderr=subprocess.PIPE
    )
    peak = None
    for line in proc.stderr.splitlines():
        if line.startswith("BENCH_PEAK"):
            peak = _peak_rss_mb(line)
        else:
            print(line, file=sys.stderr)
    return peak


def probe(target: Target, parts: str) -> dict[str, Any]:
    out = subprocess.run(
        [PY, str(ROOT / "bench" / "probe.py"), parts],
        env=target.env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- the server and its CPU time ----------------------------------------------------------


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
                if r.status == 200 and len(worker_pids(server)) >= workers:
                    return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer /healthz/ within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def worker_pids(server: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    with contextlib.suppress(OSError):
        return [int(p) for p in children.read_text().split()]
    return []


def cpu_ns(pids: Sequence[int]) -> int:
    """CPU time (ns, every thread) of processes: /proc/<pid>/task/*/schedstat, precise where
    /proc/<pid>/stat counts 10 ms ticks."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    total += int((task / "schedstat").read_text().split()[0])
    return total


def workers_peak_rss_mb(server: subprocess.Popen[bytes]) -> float | None:
    """The largest peak resident memory (VmHWM) of the gunicorn workers."""
    peaks = []
    for pid in worker_pids(server):
        with contextlib.suppress(OSError):
            value = _peak_rss_mb(Path(f"/proc/{pid}/status").read_text())
            if value is not None:
                peaks.append(value)
    return round(max(peaks), 1) if peaks else None


def db_backend_cpu(database: str) -> dict[int, int]:
    """CPU time (ns) of each PostgreSQL backend serving `database`, found by its process title
    ("postgres: 15/main: postgres portolan_bench 127.0.0.1(41872) idle")."""
    found: dict[int, int] = {}
    marker = f" {database} ".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            title = (entry / "cmdline").read_bytes()
            if title.startswith(b"postgres: ") and marker in title:
                found[int(entry.name)] = cpu_ns([int(entry.name)])
    return found


def db_cpu_delta(before: dict[int, int], after: dict[int, int]) -> int:
    """CPU the backends used between two readings: a backend seen twice counts its growth, one
    that appeared counts all its time, one that ended is lost (never a negative figure)."""
    return sum(max(ns - before.get(pid, 0), 0) for pid, ns in after.items())


class CpuMeter:
    """CPU of the web server's processes and, on PostgreSQL, of the database backends serving
    the bench database (read from /proc at each reading: workers reconnect, CONN_MAX_AGE)."""

    def __init__(self, server: subprocess.Popen[bytes], target: Target) -> None:
        self.server = server
        self.database = target.pg_database if target.db == "postgres" else None

    @property
    def measures_db(self) -> bool:
        return self.database is not None

    def read(self) -> tuple[int, dict[int, int] | None]:
        web = cpu_ns([self.server.pid, *worker_pids(self.server)])
        return web, (db_backend_cpu(self.database) if self.database else None)

    @staticmethod
    def delta(
        before: tuple[int, dict[int, int] | None], after: tuple[int, dict[int, int] | None]
    ) -> tuple[int, int | None]:
        web = after[0] - before[0]
        if before[1] is None or after[1] is None:
            return web, None
        return web, db_cpu_delta(before[1], after[1])


# --- HTTP clients -------------------------------------------------------------------------


class Client:
    """A keep-alive HTTP client with cookies (enough for Django's session and CSRF)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, float]:
        sent = {"Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.conn.request(method, url, body=body, headers=sent)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, b"", time.perf_counter() - started
        took = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, took

    def get(self, url: str) -> tuple[int, bytes, float]:
        return self.request("GET", url)

    def close(self) -> None:
        self.conn.close()


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(client: Client, email: str, password: str, language: str = "en") -> None:
    """Through the login form, as a person would: its CSRF token, then the session cookie."""
    login = f"/{language}/accounts/login/"
    status, body, _ = client.get(login)
    match = _CSRF.search(body)
    if status != 200 or not match:
        raise RuntimeError(f"login page answered {status} without a CSRF token")
    form = urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": email, "password": password}
    ).encode()
    status, _, _ = client.request(
        "POST",
        login,
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": login},
    )
    if status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"sign-in failed (HTTP {status}): check the demo sign-in")


def one_client(
    port: int,
    name: str,
    phase: str,
    urls: Sequence[str],
    meter: CpuMeter,
    client: Client | None = None,
) -> EndpointResult:
    """Each URL once, in order, by one client; server CPU measured around each request."""
    own = client is None
    client = client or Client(port)
    latencies: list[float] = []
    errors = 0
    web_total = 0
    db_total: int | None = 0 if meter.measures_db else None
    started = time.perf_counter()
    for url in urls:
        before = meter.read()
        status, _, took = client.get(url)
        web, db = meter.delta(before, meter.read())
        web_total += web
        if db_total is not None and db is not None:
            db_total += db
        if status == 200:
            latencies.append(took)
        else:
            errors += 1
            if errors <= 3:
                log(f"{name}: HTTP {status} for {url}")
    elapsed = time.perf_counter() - started
    if own:
        client.close()
    n = max(len(urls), 1)
    return summarise(
        name,
        latencies,
        errors,
        max(elapsed, 1e-6),
        phase=phase,
        cpu_ms=web_total / n / 1e6,
        db_cpu_ms=None if db_total is None else db_total / n / 1e6,
    )


def _worker(
    port: int, urls: list[str], threads: int, warmup: float, duration: float, seed: int
) -> tuple[list[float], int, dict[int, int]]:
    """One load process: `threads` keep-alive clients hitting random URLs of one endpoint."""
    import random

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
        http_client = Client(port)
        mine: list[float] = []
        my_errors = 0
        my_status: dict[int, int] = {}
        while True:
            now = time.perf_counter()
            if now >= stop:
                break
            status, _, took = http_client.get(urls[rng.randrange(len(urls))])
            if now >= record_from:
                my_status[status] = my_status.get(status, 0) + 1
                if status == 200:
                    mine.append(took)
                else:
                    my_errors += 1
        http_client.close()
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
    meter: CpuMeter,
) -> tuple[EndpointResult, dict[int, int]]:
    per_process = [
        concurrency // processes + (1 if i < concurrency % processes else 0)
        for i in range(processes)
    ]
    before = meter.read()
    with ProcessPoolExecutor(max_workers=processes) as pool:
        futures = [
            pool.submit(_worker, port, urls, n, warmup, duration, i)
            for i, n in enumerate(per_process)
            if n
        ]
        parts = [f.result() for f in futures]
    web_ns, db_ns = meter.delta(before, meter.read())
    latencies = [v for part in parts for v in part[0]]
    errors = sum(part[1] for part in parts)
    statuses: dict[int, int] = {}
    for part in parts:
        for k, v in part[2].items():
            statuses[k] = statuses.get(k, 0) + v
    # Warm-up requests are not counted but their CPU is: scale by the measured share of time.
    served = sum(statuses.values()) * (warmup + duration) / duration or 1
    result = summarise(
        name,
        latencies,
        errors,
        duration,
        phase="warm",
        cpu_ms=web_ns / served / 1e6,
        db_cpu_ms=None if db_ns is None else db_ns / served / 1e6,
    )
    return result, statuses


# --- phases -------------------------------------------------------------------------------


@dataclass
class Plan:
    """The URLs of every phase, drawn once per database from what probe.py read."""

    cold: list[str]
    warm_search: list[str]
    uncached_initiatives: list[str]
    uncached_port_centers: list[str]
    warm_initiatives: list[str]
    warm_port_centers: list[str]
    editor: dict[str, Any]
    vocabulary_size: int
    commonest: list[str]


def make_plan(info: dict[str, Any], args: argparse.Namespace) -> Plan:
    vocab = [(w, int(df)) for w, df in info["vocabulary"]]
    cold = cold_queries(vocab, info["facets"], count=args.cold_queries, seed=args.seed)
    warm = warm_queries(vocab, info["facets"], count=50, seed=args.seed + 1, exclude=cold)
    initiatives = [f"/en/catalogue/initiatives/{s}/" for s in info["initiatives"]]
    centers = [f"/en/catalogue/port-centers/{s}/" for s in info["port_centers"]]
    n = args.uncached_pages
    # Distinct first visits for the uncached phase; the warm phase reuses a set of its own.
    return Plan(
        cold=cold,
        warm_search=warm,
        uncached_initiatives=initiatives[:n],
        uncached_port_centers=centers[:n],
        warm_initiatives=initiatives[n : n + 300] or initiatives[:300],
        warm_port_centers=centers[:300],
        editor=info.get("editor") or {},
        vocabulary_size=len(vocab),
        commonest=[w for w, _ in vocab[:10]],
    )


class Server:
    """gunicorn for one database, restarted (cache flushed) before each single-client phase."""

    def __init__(self, target: Target, args: argparse.Namespace) -> None:
        self.target, self.args = target, args
        self.process: subprocess.Popen[bytes] | None = None
        # [query, search ms, map ms] of the cold phase, in the order they were made.
        self.cold_latencies: list[list[Any]] = []

    def fresh(self, warm_urls: Sequence[str] = ()) -> subprocess.Popen[bytes]:
        """A new server process tree with an empty cache. Each worker first serves `warm_urls`
        (not measured: Python imports, template compilation), then the cache is flushed again."""
        self.stop()
        flush_cache(self.target.env)
        self.process = start_server(
            self.target.env, self.args.port, self.args.workers, self.args.threads
        )
        if warm_urls:
            client = Client(self.args.port)
            for _ in range(self.args.workers * 2):
                for url in warm_urls:
                    client.get(url)
                client.close()
                client = Client(self.args.port)
            client.close()
            flush_cache(self.target.env)
        return self.process

    def stop(self) -> None:
        if self.process is not None:
            stop_server(self.process)
            self.process = None


def _startup_urls(plan: Plan) -> list[str]:
    """One of each kind of page, outside every measured set (its cache entry is flushed)."""
    return [
        "/en/search/?q=zzzbenchwarmup",
        "/en/search/map.json?q=zzzbenchwarmup",
        "/en/",
        *plan.warm_initiatives[-1:],
        *plan.warm_port_centers[-1:],
    ]


def phase_cold(server: Server, plan: Plan) -> list[EndpointResult]:
    process = server.fresh(_startup_urls(plan))
    meter = CpuMeter(process, server.target)
    port = server.args.port
    client = Client(port)
    search_urls = [f"/en/search/?{q}" for q in plan.cold]
    map_urls = [f"/en/search/map.json?{q}" for q in plan.cold]
    # Search page then its map data, as a browser does; each measured on its own.
    results: dict[str, list[EndpointResult]] = {"search": [], "map": []}
    for search_url, map_url in zip(search_urls, map_urls, strict=True):
        results["search"].append(one_client(port, "search", "cold", [search_url], meter, client))
        results["map"].append(one_client(port, "map", "cold", [map_url], meter, client))
    client.close()
    server.cold_latencies = [
        [query, s.p50_ms if s.requests else None, m.p50_ms if m.requests else None]
        for query, s, m in zip(plan.cold, results["search"], results["map"], strict=True)
    ]
    return [_merge(name, "cold", parts) for name, parts in results.items()]


def _merge(name: str, phase: str, parts: Sequence[EndpointResult]) -> EndpointResult:
    """One result out of single-request results (latencies are their p50s)."""
    ok = [p.p50_ms / 1000 for p in parts if p.requests]
    errors = sum(p.errors for p in parts)
    seconds = sum(p.seconds for p in parts) or 1e-6
    n = len(parts) or 1
    cpu = sum(p.cpu_ms or 0 for p in parts) / n
    db = [p.db_cpu_ms for p in parts if p.db_cpu_ms is not None]
    return summarise(
        name,
        ok,
        errors,
        seconds,
        phase=phase,
        cpu_ms=cpu,
        db_cpu_ms=sum(db) / n if db else None,
    )


def phase_uncached(server: Server, plan: Plan) -> list[EndpointResult]:
    process = server.fresh(_startup_urls(plan))
    meter = CpuMeter(process, server.target)
    port = server.args.port
    return [
        one_client(port, "initiative", "uncached", plan.uncached_initiatives, meter),
        one_client(port, "port_center", "uncached", plan.uncached_port_centers, meter),
    ]


def phase_warm(
    server: Server, plan: Plan, endpoints: Sequence[str], log_line: Callable[[str], None]
) -> tuple[list[EndpointResult], dict[str, dict[int, int]]]:
    process = server.fresh()
    meter = CpuMeter(process, server.target)
    args = server.args
    urls = {
        "floor": ["/floor/"],
        "home": ["/en/"],
        "search": [f"/en/search/?{q}" for q in plan.warm_search],
        "map": [f"/en/search/map.json?{q}" for q in plan.warm_search],
        "initiative": plan.warm_initiatives,
        "port_center": plan.warm_port_centers,
    }
    results: list[EndpointResult] = []
    statuses: dict[str, dict[int, int]] = {}
    for name in endpoints:
        chosen = urls[name]
        if not chosen:
            log_line(f"warm {name}: no URL to request, skipped")
            continue
        primer = Client(args.port)
        for url in chosen:  # "warm": every URL served once before it is measured
            primer.get(url)
        primer.close()
        log_line(f"warm {name}: {len(chosen)} URLs, {args.warmup:.0f}+{args.duration:.0f} s")
        result, seen = drive(
            args.port,
            name,
            chosen,
            args.concurrency,
            args.processes,
            args.warmup,
            args.duration,
            meter,
        )
        results.append(result)
        statuses[name] = seen
        log_line(
            f"warm {name}: {result.rps} req/s, p95 {result.p95_ms} ms, server CPU "
            f"{result.cpu_ms} ms/request, statuses {seen}"
        )
    return results, statuses


def phase_signed(server: Server, plan: Plan, requests: int) -> list[EndpointResult]:
    editor = plan.editor
    if not editor.get("email"):
        log("signed: no demo sign-in, skipped")
        return []
    process = server.fresh()
    meter = CpuMeter(process, server.target)
    client = Client(server.args.port)
    sign_in(client, editor["email"], editor["password"])
    pages = {"dashboard": "/en/catalogue/dashboard/"}
    if editor.get("initiative"):
        pages["editor"] = f"/en/catalogue/editor/initiatives/{editor['initiative']}/edit/"
    for url in pages.values():  # compile templates, open connections: not measured
        client.get(url)
    out = [
        one_client(server.args.port, name, "signed", [url] * requests, meter, client)
        for name, url in pages.items()
    ]
    client.close()
    return out


# --- reporting ----------------------------------------------------------------------------


def machine() -> dict[str, object]:
    info: dict[str, object] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    with contextlib.suppress(OSError):
        info["load_average_at_start"] = os.getloadavg()
    with contextlib.suppress(Exception):
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            text=True,
            stdout=subprocess.PIPE,
            check=True,
        ).stdout.strip()
    return info


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--size", type=int, default=100_000, help="demo initiatives")
    parser.add_argument(
        "--phases",
        default=",".join(PHASES),
        help=f"comma-separated subset of {', '.join(PHASES)}",
    )
    parser.add_argument(
        "--endpoints", default=",".join(WARM_ENDPOINTS), help="warm phase endpoints"
    )
    parser.add_argument("--cold-queries", type=int, default=200, help="distinct cold searches")
    parser.add_argument(
        "--uncached-pages", type=int, default=200, help="first visits per page kind"
    )
    parser.add_argument("--signed-requests", type=int, default=100, help="per signed-in page")
    parser.add_argument("--seed", type=int, default=2026, help="query draw seed")
    parser.add_argument("--duration", type=float, default=20, help="seconds measured per endpoint")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help=">1 uses gthread workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reuse", action="store_true", help="keep an already built database")
    args = parser.parse_args(argv)
    args.phase_list = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = set(args.phase_list) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    return args


def bench_database(target: Target, args: argparse.Namespace) -> dict[str, Any]:
    """Every chosen phase on one database; the results of each, verdicts and build figures."""
    timings = {} if args.reuse else build(target, args.size)
    info = probe(target, "vocabulary,facets,slugs,editor,index")
    plan = make_plan(info, args)
    log(
        f"{target.name}: {info.get('search_documents')} search documents, vocabulary of "
        f"{plan.vocabulary_size} words (commonest: {', '.join(plan.commonest[:6])}), "
        f"engine {info.get('engine')}, "
        f"{len(plan.cold)} cold queries, cache: "
        f"{'Redis' if target.env.get('REDIS_URL') else 'per-process memory'}"
    )
    server = Server(target, args)
    results: list[EndpointResult] = []
    statuses: dict[str, dict[int, int]] = {}
    peak_rss = None
    try:
        for phase in args.phase_list:
            log(f"{target.name}: phase {phase} (load average {os.getloadavg()[0]:.1f})")
            if phase == "cold":
                results += phase_cold(server, plan)
            elif phase == "uncached":
                results += phase_uncached(server, plan)
            elif phase == "warm":
                endpoints = [e.strip() for e in args.endpoints.split(",") if e.strip()]
                if "floor" not in endpoints:
                    endpoints.insert(0, "floor")
                warm, statuses = phase_warm(
                    server, plan, endpoints, lambda m: log(f"{target.name}: {m}")
                )
                results += warm
            elif phase == "signed":
                results += phase_signed(server, plan, args.signed_requests)
            if server.process is not None:
                rss = workers_peak_rss_mb(server.process)
                if rss is not None:
                    peak_rss = max(peak_rss or 0.0, rss)
    finally:
        server.stop()
    results = with_floor_ratios(results)
    verdicts = check_targets(results)
    return {
        "build_seconds": timings,
        "search_documents": info.get("search_documents"),
        "index_bytes": info.get("index_bytes"),
        "database_index_bytes": info.get("database_index_bytes"),
        "library_index_bytes": info.get("library_index_bytes"),
        "search_engine": info.get("engine"),
        "vocabulary_words": plan.vocabulary_size,
        "commonest_words": plan.commonest,
        "cold_latencies_ms": server.cold_latencies,
        "results": [r.as_dict() for r in results],
        "statuses": {k: {str(s): n for s, n in v.items()} for k, v in statuses.items()},
        "worker_peak_rss_mb": peak_rss,
        "targets": verdicts,
        "load_average_after": os.getloadavg(),
        "_results": results,
    }


def _mb(value: int | None) -> str:
    return "–" if not value else f"{value / 1e6:.1f} MB"


def report_database(name: str, data: dict[str, Any]) -> str:
    results: list[EndpointResult] = data["_results"]
    lines = [markdown_table(results, title=name), ""]
    if data["build_seconds"]:
        lines.append(
            "Build (s): " + ", ".join(f"{k} {v}" for k, v in data["build_seconds"].items())
        )
    index = data.get("index_bytes")
    lines.append(
        f"Search engine {data.get('search_engine')}: {data.get('search_documents')} documents, "
        + (f"{index / 1e6:.1f} MB" if index else "size unknown")
        + f" (database tables {_mb(data.get('database_index_bytes'))}, library index "
        f"{_mb(data.get('library_index_bytes'))})"
        + f"; web worker peak RSS {data.get('worker_peak_rss_mb')} MB; "
        f"load average after {data['load_average_after'][0]:.1f}"
    )
    met, missed = verdict_counts(data["targets"])
    lines += ["", f"Targets: {met} met, {missed} missed", *[f"- {v}" for v in data["targets"]]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started_at = datetime.now(UTC)
    report: dict[str, Any] = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {k: v for k, v in vars(args).items() if k != "phase_list"},
        "databases": {},
    }
    markdown: list[str] = [
        f"Benchmark {started_at:%Y-%m-%d %H:%M} UTC, commit {report['machine'].get('commit')}: "
        f"{args.size} demo initiatives, phases {', '.join(args.phase_list)}, warm concurrency "
        f"{args.concurrency} for {args.duration:.0f} s per endpoint, gunicorn {args.workers} "
        f"workers x {args.threads} threads, {os.cpu_count()} CPUs, load average at start "
        f"{os.getloadavg()[0]:.1f}.",
        "",
    ]
    for db in [d.strip() for d in args.db.split(",") if d.strip()]:
        target = environment(db)
        data = bench_database(target, args)
        text = report_database(db, data)
        print()
        print(text)
        print()
        markdown += [text, ""]
        data.pop("_results")
        report["databases"][db] = data
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = f"{started_at:%Y%m%dT%H%M%S}"
    (RESULTS / f"{stamp}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (RESULTS / f"{stamp}.md").write_text("\n".join(markdown), encoding="utf-8")
    log(f"results written to bench/results/{stamp}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

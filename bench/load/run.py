"""Serve the app under gunicorn on 127.0.0.1 and drive a fixed mix of pages at rising concurrency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_bench_search \
        .venv/bin/python -m bench.load.run [--concurrency 1,4,8,16] [--rounds 8] [--write]

The server is the production one: gunicorn (sync workers, `--workers`, default 4) with
production settings (DJANGO_ENV=production, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and
collected static files), except SECURE_SSL_REDIRECT=0, since the client speaks plain HTTP on the
loopback and would otherwise get only redirects. ROLE_STATS_ENABLED=0 keeps the database
read-only (the client's User-Agent is a robot's, which is never counted anyway).

The mix, one round: the 25 searches of bench/search/mix.py, 12 role pages and 3 feeds (RSS,
Atom, RSS of a search), 40 requests in an order shuffled by a fixed seed. Each concurrency level
sends `--rounds` rounds from that many client threads that take the next request from one
shared list and stop when it is empty, or when `--level-seconds` have passed (what was not
sent is reported). Two rounds at the workers' count warm the server up first; any answer but
200 there stops the run.

Reported per level: throughput, wall p50/p95/p99, errors (anything but a 200, timeouts
included), and CPU per request: the app's (gunicorn's master and workers, from /proc) and the
database's (every PostgreSQL backend of the database, see bench/measure.py), summed over the
level and divided by the requests answered. At concurrency 1 the CPU of each request is read on
its own, so the table splits it by page kind (p50 of each). `--app DIR` serves another
checkout's code (a worktree of the commit before a change) with this client, for a
before/after. The client's own CPU is shown as
context: it shares the machine with the server. `--write` replaces the table between the
`bench:load` markers of bench/RESULTS.md. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.measure import (  # noqa: E402
    CPU_STAT,
    BackendSampler,
    Record,
    backend_pid,
    cpu_figure,
    database_name,
    load_average,
    percentile,
    pid_cpu,
    results_check,
    results_write,
)
from bench.search.mix import MIX  # noqa: E402

ROLE_PAGES = 12
FEEDS = ["/jobs/feed/", "/jobs/feed/atom/", "/jobs/feed/?q=python"]
SEED = 17


@dataclass(frozen=True)
class Target:
    kind: str  # search | role | feed
    path: str


@dataclass
class Outcome:
    target: Target
    status: int  # 0 when the request failed before an answer
    seconds: float
    error: str = ""
    app_cpu: float | None = None  # seconds; read per request at concurrency 1 only
    db_cpu: float | None = None


@dataclass
class Level:
    concurrency: int
    outcomes: list[Outcome] = field(default_factory=list)
    unsent: int = 0
    seconds: float = 0.0
    app_cpu: float = 0.0
    db_cpu: float = 0.0
    client_cpu: float = 0.0
    load_after: str = ""


# --- The server -----------------------------------------------------------------------------


def server_environment(database_url: str) -> dict[str, str]:
    """Production settings, plain HTTP on the loopback, and no writes to the database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "CACHE_URL", "SITE_URL"}
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="genai_jobs.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        ROLE_STATS_ENABLED="0",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    return env


class Server:
    """gunicorn's master and workers, and the CPU they have used (from /proc)."""

    def __init__(self, env: dict[str, str], *, app: Path, port: int, workers: int):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=app,
            env=env,
            check=True,
        )
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "genai_jobs.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--log-level",
                "warning",
                "--chdir",
                str(app),
            ],
            cwd=app,
            env=env,
        )
        self.workers = workers
        self._last: dict[int, float] = {}

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited with {self.process.returncode} before serving.")
            try:
                answered = httpx.get(self.base + "/", timeout=5).status_code == 200
                if answered and len(self._pids()) > self.workers:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        sys.exit(f"gunicorn did not answer on {self.base} within {timeout:.0f} s.")

    def _pids(self) -> list[int]:
        master = self.process.pid
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            children = []
        return [master, *(int(pid) for pid in children)]

    def cpu(self) -> float:
        """CPU seconds of the master and every worker so far (a worker gone keeps its last)."""
        for pid in self._pids():
            try:
                self._last[pid] = pid_cpu(pid)
            except OSError:
                continue
        return sum(self._last.values())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- The mix --------------------------------------------------------------------------------


def role_paths(database_url: str) -> list[str]:
    """Role pages spread over the table, the same ones every run (read-only query)."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT id, slug FROM opportunities_role WHERE status = 'published' "
            "AND (expires_at IS NULL OR expires_at > now()) AND id %% 7919 = 11 "
            "ORDER BY id LIMIT %s",
            [ROLE_PAGES],
        ).fetchall()
    if len(rows) < ROLE_PAGES:
        sys.exit("The benchmark database has too few published roles (bench.search.generate).")
    return [f"/jobs/{pk}-{slug}/" for pk, slug in rows]


def one_round(roles: list[str]) -> list[Target]:
    targets = [Target("search", f"/jobs/?{query}" if query else "/jobs/") for _, query in MIX]
    targets += [Target("role", path) for path in roles]
    targets += [Target("feed", path) for path in FEEDS]
    return targets


def schedule(roles: list[str], rounds: int) -> list[Target]:
    """`rounds` rounds of the mix, each in its own fixed order."""
    order = random.Random(SEED)
    targets: list[Target] = []
    for _ in range(rounds):
        batch = one_round(roles)
        order.shuffle(batch)
        targets += batch
    return targets


# --- The client -----------------------------------------------------------------------------


def fetch(client: httpx.Client, target: Target) -> Outcome:
    started = time.perf_counter()
    try:
        response = client.get(target.path)
        response.read()
    except httpx.HTTPError as error:
        return Outcome(target, 0, time.perf_counter() - started, type(error).__name__)
    seconds = time.perf_counter() - started
    error = "" if response.status_code == 200 else f"HTTP {response.status_code}"
    return Outcome(target, response.status_code, seconds, error)


def drive(
    server: Server,
    sampler: BackendSampler,
    targets: list[Target],
    *,
    concurrency: int,
    timeout: float,
    level_seconds: float,
) -> Level:
    """Send every target from `concurrency` threads; stop when none is left or time is up."""
    level = Level(concurrency)
    lock = threading.Lock()
    queue = iter(targets)
    deadline = time.monotonic() + level_seconds
    per_request = concurrency == 1

    def worker() -> None:
        with httpx.Client(base_url=server.base, timeout=timeout) as client:
            while time.monotonic() < deadline:
                with lock:
                    target = next(queue, None)
                if target is None:
                    return
                if per_request:
                    app0, db0 = server.cpu(), sampler.total()
                outcome = fetch(client, target)
                if per_request:
                    outcome.app_cpu = server.cpu() - app0
                    outcome.db_cpu = sampler.total() - db0
                with lock:
                    level.outcomes.append(outcome)

    app0, db0, client0 = server.cpu(), sampler.total(), time.process_time()
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level.seconds = time.perf_counter() - started
    level.app_cpu = server.cpu() - app0
    level.db_cpu = sampler.total() - db0
    level.client_cpu = time.process_time() - client0 - sampler.own_cpu
    level.unsent = len(targets) - len(level.outcomes)
    level.load_after = load_average()
    return level


# --- The report -----------------------------------------------------------------------------


def level_row(level: Level) -> dict:
    answered = len(level.outcomes)
    times = [o.seconds * 1000 for o in level.outcomes]
    errors = [o for o in level.outcomes if o.error]
    per = 1000 / answered if answered else 0.0
    return {
        "c": level.concurrency,
        "requests": answered,
        "unsent": level.unsent,
        "errors": len(errors),
        "error_kinds": sorted({f"{o.error} on {o.target.path}" for o in errors})[:3],
        "rps": answered / level.seconds if level.seconds else 0.0,
        "p50": percentile(times, 0.50) if times else 0.0,
        "p95": percentile(times, 0.95) if times else 0.0,
        "p99": percentile(times, 0.99) if times else 0.0,
        "app": level.app_cpu * per,
        "db": level.db_cpu * per,
        "client": level.client_cpu * per,
        "load": level.load_after,
    }


def kind_rows(level: Level) -> list[dict]:
    rows = []
    for kind in ("search", "role", "feed", "all"):
        chosen = [o for o in level.outcomes if kind in ("all", o.target.kind)]
        chosen = [o for o in chosen if o.app_cpu is not None and o.db_cpu is not None]
        if not chosen:
            continue
        rows.append(
            {
                "kind": kind,
                "n": len(chosen),
                "app": cpu_figure([o.app_cpu * 1000 for o in chosen]),
                "db": cpu_figure([o.db_cpu * 1000 for o in chosen]),
                "all": cpu_figure([(o.app_cpu + o.db_cpu) * 1000 for o in chosen]),
                "p50": statistics.median(o.seconds * 1000 for o in chosen),
            }
        )
    return rows


def tables(levels: list[Level]) -> str:
    cores = os.cpu_count() or 1
    lines = [
        "| concurrency | requests | errors | not sent | req/s | p50 ms | p95 ms | p99 ms "
        "| app CPU ms/req | DB CPU ms/req | app + DB | CPU-bound ceiling req/s "
        "| client CPU ms/req | load after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for level in levels:
        row = level_row(level)
        both = row["app"] + row["db"]
        ceiling = cores * 1000 / both if both else 0.0
        lines.append(
            f"| {row['c']} | {row['requests']} | {row['errors']} | {row['unsent']} "
            f"| {row['rps']:.1f} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} "
            f"| {row['app']:.1f} | {row['db']:.1f} | {both:.1f} | {ceiling:.0f} "
            f"| {row['client']:.1f} | {row['load']} |"
        )
    first = next((level for level in levels if level.concurrency == 1), None)
    if first is not None:
        lines += [
            "",
            f"At concurrency 1, CPU of each request read on its own ({CPU_STAT} per page kind, "
            "ms):",
            "",
            "| pages | requests | app CPU | DB CPU | app + DB | wall p50 |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for row in kind_rows(first):
            lines.append(
                f"| {row['kind']} | {row['n']} | {row['app']:.1f} | {row['db']:.1f} "
                f"| {row['all']:.1f} | {row['p50']:.1f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Load benchmark under gunicorn")
    parser.add_argument("--concurrency", default="1,4,8,16", help="levels, comma-separated")
    parser.add_argument("--rounds", type=int, default=8, help="rounds of the 40-page mix a level")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a request may take")
    parser.add_argument(
        "--level-seconds", type=float, default=300.0, help="most seconds a level may run"
    )
    parser.add_argument(
        "--app",
        type=Path,
        default=ROOT,
        help="the checkout whose code gunicorn serves (another worktree, for a before/after)",
    )
    parser.add_argument(
        "--write", action="store_true", help="replace the bench:load table of RESULTS.md"
    )
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if "genai_bench" not in database_url:
        sys.exit("Set DATABASE_URL to the benchmark database (see bench/search/generate.py).")
    levels_wanted = [int(part) for part in options.concurrency.split(",") if part.strip()]
    if options.write:
        if options.app.resolve() != ROOT:
            sys.exit("--write records this checkout's code; drop --app.")
        results_check("load")
    record = Record("load", "bench.load.run")
    roles = role_paths(database_url)
    server = Server(
        server_environment(database_url),
        app=options.app.resolve(),
        port=options.port,
        workers=options.workers,
    )
    # An idle connection of our own anchors the sampler to the server's postmaster.
    anchor = psycopg.connect(database_url, autocommit=True)
    try:
        server.wait_ready()
        sampler = BackendSampler(database_name(database_url), backend_pid(anchor.cursor()))
        sampler.start()
        print(f"load average before: {record.load_before}", flush=True)
        warm = drive(
            server,
            sampler,
            schedule(roles, 2),
            concurrency=options.workers,
            timeout=options.timeout,
            level_seconds=options.level_seconds,
        )
        failed = [o for o in warm.outcomes if o.error]
        if failed or warm.unsent:
            sys.exit(
                "The warm-up did not get 200 everywhere: "
                + "; ".join(f"{o.error} on {o.target.path}" for o in failed[:5])
            )
        levels = []
        for concurrency in levels_wanted:
            level = drive(
                server,
                sampler,
                schedule(roles, options.rounds),
                concurrency=concurrency,
                timeout=options.timeout,
                level_seconds=options.level_seconds,
            )
            row = level_row(level)
            print(
                f"c={row['c']:2} {row['requests']} requests, {row['errors']} errors, "
                f"{row['rps']:.1f} req/s, p50 {row['p50']:.1f} p95 {row['p95']:.1f} "
                f"p99 {row['p99']:.1f} ms, CPU app {row['app']:.1f} db {row['db']:.1f} "
                f"client {row['client']:.1f} ms/req; load {row['load']}",
                flush=True,
            )
            for kind in row["error_kinds"]:
                print(f"    {kind}")
            levels.append(level)
        sampler.stop()
    finally:
        anchor.close()
        server.stop()
    report = tables(levels)
    print(report)
    after = load_average()
    if options.write:
        results_write(
            "load",
            f"{record.header(after)}\n\n"
            f"gunicorn {options.workers} sync workers, production settings "
            f"(SECURE_SSL_REDIRECT=0, ROLE_STATS_ENABLED=0) on a {os.cpu_count()}-core machine "
            f"shared with the client; {options.rounds} rounds of the 40-page mix (25 searches, "
            f"{ROLE_PAGES} role pages, {len(FEEDS)} feeds) a level. CPU ms per request answered; "
            "the ceiling is cores ÷ (app + DB CPU per request).\n\n" + report,
        )


if __name__ == "__main__":
    main()

"""What counting role statistics costs the role page and the search page: on against off.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_bench_stats DEBUG=0 \
        .venv/bin/python -m bench.stats.run [--samples 100] [--write]

The database needs published roles (run `migrate` and `seed_demo` on it first; any database
whose name holds "bench", or SQLite by GENAI_VAR_DIR, will do). Each sample requests a page
twice through Django's test Client, once with ROLE_STATS_ENABLED on and once off, in turns
(on then off, then off then on), so both see the same load; every request comes from a new
browser (a new Client with a browser's User-Agent and no cookies), so every role page view is
counted, never skipped as a repeat. A page's samples cycle through different roles and
searches. The search page runs twice: with every page's appearances written by its own
request (ROLE_STATS_BUFFER_SECONDS=0), and gathered and written every `--buffer` seconds, as
the site runs by default. Reported per page and mode: CPU time per request (this process's
`time.process_time()`, plus the PostgreSQL backend's from /proc on PostgreSQL, see
bench/measure.py), wall time p50/p95, queries per request, and the ratio on/off of the CPU
figure (the target: at most 1.2). `--write` replaces the table between the
`bench:stats-<vendor>` markers of bench/RESULTS.md (one block per database vendor). Not part
of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench.measure import (  # noqa: E402
    CPU_STAT,
    Backend,
    Record,
    backend_pid,
    cpu_figure,
    load_average,
    percentile,
    results_check,
    results_write,
)
from opportunities.models import Role, RoleStat  # noqa: E402
from opportunities.posting.stats import stats_flush  # noqa: E402

TARGET = 1.2
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SEARCHES = ["", "q=python", "workplace=remote", "q=engineer&sort=newest", "page=2"]
MIN_ROLES = 20


class NoBackend:
    """SQLite runs in this process: its CPU is already in time.process_time()."""

    def cpu(self) -> float:
        return 0.0


def _backend():
    if connection.vendor != "postgresql":
        return NoBackend()
    with connection.cursor() as cursor:
        return Backend(backend_pid(cursor))


def _role_urls() -> list[str]:
    roles = list(Role.objects.open().order_by("id")[:200])
    if len(roles) < MIN_ROLES:
        sys.exit(
            f"The database holds {len(roles)} open roles; run `migrate` and `seed_demo` on it "
            f"first (at least {MIN_ROLES} are needed)."
        )
    return [role.get_absolute_url() for role in roles]


def _search_urls() -> list[str]:
    return [f"/jobs/?{query}" if query else "/jobs/" for query in SEARCHES]


def _request(url: str, backend, enabled: bool, buffer: float) -> tuple[float, float, float]:
    """Wall ms, Python CPU ms and database CPU ms of one request from a new browser."""
    client = Client(HTTP_USER_AGENT=BROWSER)
    with override_settings(ROLE_STATS_ENABLED=enabled, ROLE_STATS_BUFFER_SECONDS=buffer):
        pg0, py0, t0 = backend.cpu(), time.process_time(), time.perf_counter()
        response = client.get(url)
        t1, py1, pg1 = time.perf_counter(), time.process_time(), backend.cpu()
    assert response.status_code == 200, (url, response.status_code)
    return (t1 - t0) * 1000, (py1 - py0) * 1000, (pg1 - pg0) * 1000


def _queries(url: str, enabled: bool) -> int:
    """Queries of one request that writes its counts (the buffer written at once)."""
    client = Client(HTTP_USER_AGENT=BROWSER)
    with (
        override_settings(ROLE_STATS_ENABLED=enabled, ROLE_STATS_BUFFER_SECONDS=0),
        CaptureQueriesContext(connection) as got,
    ):
        client.get(url)
    return len(got.captured_queries)


def run(samples: int, buffer: float) -> list[dict]:
    backend = _backend()
    rows = []
    pages = (
        ("role page", _role_urls(), 0.0),
        ("search page, every page written", _search_urls(), 0.0),
        (f"search page, appearances buffered {buffer:g} s", _search_urls(), buffer),
    )
    for page, urls, seconds in pages:
        for url in urls[:3]:
            for enabled in (True, False):
                _request(url, backend, enabled, seconds)  # warm caches (taxonomy, templates)
        figures = {True: [], False: []}
        for index in range(samples):
            url = urls[index % len(urls)]
            order = (True, False) if index % 2 == 0 else (False, True)
            for enabled in order:
                figures[enabled].append(_request(url, backend, enabled, seconds))
        stats_flush()
        queries = {enabled: _queries(urls[0], enabled) for enabled in (True, False)}
        row = {"page": page, "urls": len(urls)}
        for enabled, name in ((True, "on"), (False, "off")):
            wall = [sample[0] for sample in figures[enabled]]
            cpu = [sample[1] + sample[2] for sample in figures[enabled]]
            row[name] = {
                "cpu": cpu_figure(cpu),
                "cpu_py": cpu_figure([sample[1] for sample in figures[enabled]]),
                "cpu_db": cpu_figure([sample[2] for sample in figures[enabled]]),
                "wall_p50": statistics.median(wall),
                "wall_p95": percentile(wall, 0.95),
                "queries": queries[enabled],
            }
        row["ratio"] = row["on"]["cpu"] / row["off"]["cpu"] if row["off"]["cpu"] else 0.0
        row["wall_ratio"] = (
            row["on"]["wall_p50"] / row["off"]["wall_p50"] if row["off"]["wall_p50"] else 0.0
        )
        rows.append(row)
        print(
            f"{page:45} CPU on {row['on']['cpu']:6.2f} off {row['off']['cpu']:6.2f} ms "
            f"(x{row['ratio']:.2f}) | wall p50 on {row['on']['wall_p50']:6.2f} "
            f"off {row['off']['wall_p50']:6.2f} (x{row['wall_ratio']:.2f}) | p95 on "
            f"{row['on']['wall_p95']:6.2f} off {row['off']['wall_p95']:6.2f} | queries "
            f"{row['on']['queries']} / {row['off']['queries']}",
            flush=True,
        )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        f"| page | CPU on ({CPU_STAT}) | CPU off | on / off (target ≤ {TARGET}) "
        "| of which database CPU on / off | wall p50 on / off | wall p95 on / off "
        "| queries on / off (a request that writes) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        on, off = row["on"], row["off"]
        verdict = "" if row["ratio"] <= TARGET else " **over**"
        lines.append(
            f"| {row['page']} | {on['cpu']:.2f} | {off['cpu']:.2f} | {row['ratio']:.2f}{verdict} "
            f"| {on['cpu_db']:.2f} / {off['cpu_db']:.2f} "
            f"| {on['wall_p50']:.2f} / {off['wall_p50']:.2f} "
            f"| {on['wall_p95']:.2f} / {off['wall_p95']:.2f} | {on['queries']} / {off['queries']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Role statistics: counting on against off")
    parser.add_argument("--samples", type=int, default=100, help="request pairs per page")
    parser.add_argument(
        "--write", action="store_true", help="replace the bench:stats-<vendor> table of RESULTS.md"
    )
    parser.add_argument(
        "--buffer",
        type=float,
        default=5.0,
        help="ROLE_STATS_BUFFER_SECONDS of the buffered search run (default 5)",
    )
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url and "bench" not in url:
        sys.exit("Set DATABASE_URL to a benchmark database (its name holding 'bench').")
    # One block per database vendor: bench:stats-postgresql and bench:stats-sqlite.
    block = f"stats-{connection.vendor}"
    if options.write:
        results_check(block)
    record = Record(block, "bench.stats.run")
    counters_before = RoleStat.objects.count()
    Client(HTTP_USER_AGENT=BROWSER).get("/jobs/")
    gc.collect()
    gc.freeze()
    about = (
        f"{os.cpu_count()} cores, {connection.vendor} on this machine, "
        f"{Role.objects.open().count()} open roles, {counters_before} counter rows before, "
        "gc.freeze() after startup"
    )
    print(about)
    print(f"load average before: {record.load_before}")
    rows = run(options.samples, options.buffer)
    after = load_average()
    print(f"load average after: {after}")
    if options.write:
        results_write(
            block,
            f"{record.header(after)}\n\n"
            f"Machine: {about}. Times in ms per request; {options.samples} pairs (on, off) per "
            "page, interleaved, each request from a new browser. CPU is this process plus, on "
            "PostgreSQL, its backend.\n\n" + table(rows),
        )


if __name__ == "__main__":
    main()

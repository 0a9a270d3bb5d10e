"""Run a fixed mix of searches through Django against the benchmark database and report timings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_bench_search DEBUG=0 \
        .venv/bin/python -m bench.search.run [--repeat 20] [--write]

For each search, every sample is the whole request (Django test Client, template included)
followed at once by its SQL alone (the statements the request ran, captured once and
re-executed back to back on the same connection), so both halves of a sample see the same
load. Reported: p50/p95 wall time of each, their ratio and difference, and CPU time per sample:
this process's (`time.process_time()`) and the PostgreSQL backend's (from /proc, see
bench/measure.py), for the whole request and for its SQL. A search whose plan uses parallel
workers is flagged: their CPU is not the backend's and is not counted.

`--only WORD` runs the searches whose name contains it. The garbage collector is frozen after
the first request, as a server does with gc.freeze() after loading the app (otherwise a full
collection over Django's ~100,000 startup objects lands in a random search about once every 100
requests); `--no-gc-freeze` leaves it alone. `--write` replaces the table between the
`bench:search` markers of bench/RESULTS.md. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

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
from bench.search.mix import MIX  # noqa: E402
from opportunities.search import search_roles  # noqa: E402


def machine() -> str:
    memory = ""
    try:
        memory = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout
        memory = memory.splitlines()[1].split()[1] + " GB RAM"
    except (OSError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM opportunities_role")
        roles = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), {memory}, "
        f"PostgreSQL {version} (shared_buffers {buffers}), Python {platform.python_version()}, "
        f"{roles:,} roles"
    )


def _parallel(statements: list[str]) -> bool:
    """Whether any statement's plan starts parallel workers (a Gather node)."""
    with connection.cursor() as cursor:
        for statement in statements:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN " + statement)
            if any("Gather" in line for (line,) in cursor.fetchall()):
                return True
    return False


def run(repeat: int, only: list[str] | None = None) -> list[dict]:
    client = Client()
    rows = []
    for name, query in MIX:
        if only and not any(word in name for word in only):
            continue
        url = f"/jobs/?{query}" if query else "/jobs/"
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        statements = [q["sql"] for q in captured.captured_queries]
        # The client's requests and the replay share one connection, so one backend.
        with connection.cursor() as cursor:
            backend = Backend(backend_pid(cursor))
        whole, sql = [], []
        whole_py, whole_pg, sql_py, sql_pg = [], [], [], []
        for _ in range(repeat):
            pg0, py0, t0 = backend.cpu(), time.process_time(), time.perf_counter()
            client.get(url)
            t1, py1, pg1 = time.perf_counter(), time.process_time(), backend.cpu()
            with connection.cursor() as cursor:
                pg2, py2, t2 = backend.cpu(), time.process_time(), time.perf_counter()
                for statement in statements:
                    cursor.execute(statement)
                    if cursor.description:
                        cursor.fetchall()
                t3, py3, pg3 = time.perf_counter(), time.process_time(), backend.cpu()
            whole.append((t1 - t0) * 1000)
            sql.append((t3 - t2) * 1000)
            whole_py.append((py1 - py0) * 1000)
            whole_pg.append((pg1 - pg0) * 1000)
            sql_py.append((py3 - py2) * 1000)
            sql_pg.append((pg3 - pg2) * 1000)
        row = {
            "name": name,
            "query": query or "(none)",
            "queries": len(statements),
            "whole_p50": statistics.median(whole),
            "whole_p95": percentile(whole, 0.95),
            "sql_p50": statistics.median(sql),
            "sql_p95": percentile(sql, 0.95),
            "cpu_py": cpu_figure(whole_py),
            "cpu_pg": cpu_figure(whole_pg),
            "cpu_all": cpu_figure([a + b for a, b in zip(whole_py, whole_pg, strict=True)]),
            "sql_cpu_all": cpu_figure([a + b for a, b in zip(sql_py, sql_pg, strict=True)]),
            "parallel": _parallel(statements),
            "count": search_roles(QueryDict(query)).count_display,
        }
        row["ratio"] = row["whole_p50"] / row["sql_p50"] if row["sql_p50"] else 0
        row["python_p50"] = row["whole_p50"] - row["sql_p50"]
        # The page's own cost: all CPU of the request less all CPU of its SQL replayed.
        row["python_cpu"] = row["cpu_all"] - row["sql_cpu_all"]
        rows.append(row)
        print(
            f"{name:45} whole p50 {row['whole_p50']:6.1f} p95 {row['whole_p95']:6.1f} | "
            f"sql p50 {row['sql_p50']:6.1f} p95 {row['sql_p95']:6.1f} | x{row['ratio']:.2f} "
            f"| cpu py {row['cpu_py']:5.1f} pg {row['cpu_pg']:5.1f} sql {row['sql_cpu_all']:5.1f} "
            f"| {row['queries']} queries{' | parallel' if row['parallel'] else ''} "
            f"| {row['count']}",
            flush=True,
        )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| # | search | query string | results | whole p50 | whole p95 | SQL p50 | SQL p95 "
        "| whole/SQL (p50) | Python (p50 whole - SQL) "
        f"| CPU Python ({CPU_STAT}) | CPU PostgreSQL | CPU all | SQL CPU all "
        "| Python side CPU (all - SQL) | queries |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, row in enumerate(rows, 1):
        flag = " (parallel workers, not counted)" if row["parallel"] else ""
        lines.append(
            f"| {n} | {row['name']}{flag} | `{row['query']}` | {row['count']} "
            f"| {row['whole_p50']:.1f} | {row['whole_p95']:.1f} | {row['sql_p50']:.1f} "
            f"| {row['sql_p95']:.1f} | {row['ratio']:.2f} | {row['python_p50']:.1f} "
            f"| {row['cpu_py']:.1f} | {row['cpu_pg']:.1f} | {row['cpu_all']:.1f} "
            f"| {row['sql_cpu_all']:.1f} | {row['python_cpu']:.1f} | {row['queries']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Search benchmark")
    parser.add_argument("--repeat", type=int, default=20, help="samples per search")
    parser.add_argument(
        "--write", action="store_true", help="replace the bench:search table of RESULTS.md"
    )
    parser.add_argument("--only", action="append", help="run the searches whose name has this")
    parser.add_argument(
        "--no-gc-freeze",
        dest="gc_freeze",
        action="store_false",
        help="leave the garbage collector alone (default: gc.freeze() after the first request)",
    )
    # Accepted so the commands of earlier runs in RESULTS.md still work; freezing is the default.
    parser.add_argument(
        "--gc-freeze", dest="gc_freeze", action="store_true", help=argparse.SUPPRESS
    )
    options = parser.parse_args()
    if "genai_bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to the benchmark database (see bench/search/generate.py).")
    if options.write:
        if options.only:
            sys.exit("--write records the whole mix; drop --only.")
        results_check("search")
    record = Record("search", "bench.search.run")
    about = machine()
    if options.gc_freeze:
        Client().get("/jobs/")
        gc.collect()
        gc.freeze()
        about += ", gc.freeze() after startup"
    print(about)
    print(f"load average before: {record.load_before}")
    rows = run(options.repeat, options.only)
    after = load_average()
    worst = max(row["whole_p95"] for row in rows)
    print(f"worst whole p95: {worst:.1f} ms; load average after: {after}")
    if options.write:
        results_write(
            "search",
            f"{record.header(after)}\n\n"
            f"Machine: {about}. Times in ms; per search, {options.repeat} samples after 3 "
            "warm-ups, each the whole request then its SQL replayed. CPU per sample "
            f"({CPU_STAT}): Python is this process, PostgreSQL its backend.\n\n" + table(rows),
        )


if __name__ == "__main__":
    main()

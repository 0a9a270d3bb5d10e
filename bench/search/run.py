"""Run a fixed mix of searches through Django against the benchmark database and report timings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_bench_search DEBUG=0 \
        .venv/bin/python -m bench.search.run [--repeat 30] [--write]

For each search: p50/p95 of the whole request (Django test Client, template included) and of
its SQL alone (the same statements, captured once and re-executed back to back), the ratio, and
the Python side (whole p50 - SQL p50). `--only WORD` runs the searches whose name contains it;
`--gc-freeze` moves everything loaded at startup out of the garbage collector's reach, as a
server does with gc.freeze() after loading the app: otherwise a full collection (~100 ms over
Django's ~100,000 startup objects) lands in a random search about once every 100 requests.
Not part of the test suite.
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

from opportunities.search import search_roles  # noqa: E402

# (name, query string): text only, filters only, text + filters, rare and common terms, deep pages.
MIX = [
    ("newest, no filters", ""),
    ("text: common skill 'python'", "q=python"),
    ("text: 'pytorch'", "q=pytorch"),
    ("text: phrase", 'q="retrieval pipeline"'),
    ("text: rare 'bioinformatics'", "q=bioinformatics"),
    ("text: rare 'lidar'", "q=lidar"),
    ("text: exclusion", "q=kubernetes+-aws"),
    ("text: web syntax", 'q="computer vision" -finance pytorch'),
    ("text: OR", "q=rag+OR+langchain"),
    ("filter: industry", "industry=healthcare-medicine"),
    ("filter: remote worldwide", "workplace=remote&worldwide=1"),
    ("filter: all of 2 skills", "skill=python&skill=pytorch"),
    ("filter: any of 3 skills", "skill=jax&skill=mojo&skill=julia&skills=any"),
    ("filter: country DE", "country=DE"),
    ("filter: salary, sorted by salary", "salary_min=150000&sort=salary"),
    ("filter: seniority + employment", "seniority=senior&employment=contract"),
    ("filter: visa + last 7 days", "visa=1&posted_within=7"),
    (
        "text + filters: engineer, finance, remote",
        "q=engineer&industry=finance-business&workplace=remote",
    ),
    (
        "text + filters: llm, python, US, salary",
        "q=llm&skill=python&country=US&salary_min=120000",
    ),
    ("text + filters: rare + industry", "q=quantization&industry=research-ai-labs"),
    ("deep page by number (page 400)", "page=400"),
    ("deep keyset page (newest)", "after=2026-08-15T00:00:00%2B00:00~400000&page=900"),
    ("deep keyset page (salary)", "sort=salary&after=90000~500000&page=700"),
    ("relevance, page 50 of a common term", "q=python&page=50"),
    ("page out of range", "page=999999"),
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


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
        whole = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            whole.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        statements = [q["sql"] for q in captured.captured_queries]
        sql = []
        with connection.cursor() as cursor:
            for _ in range(repeat):
                started = time.perf_counter()
                for statement in statements:
                    cursor.execute(statement)
                    if cursor.description:
                        cursor.fetchall()
                sql.append((time.perf_counter() - started) * 1000)
        row = {
            "name": name,
            "query": query or "(none)",
            "queries": len(statements),
            "whole_p50": statistics.median(whole),
            "whole_p95": percentile(whole, 0.95),
            "sql_p50": statistics.median(sql),
            "sql_p95": percentile(sql, 0.95),
            "count": search_roles(QueryDict(query)).count_display,
        }
        row["ratio"] = row["whole_p50"] / row["sql_p50"] if row["sql_p50"] else 0
        row["python_p50"] = row["whole_p50"] - row["sql_p50"]
        rows.append(row)
        print(
            f"{name:45} whole p50 {row['whole_p50']:6.1f} p95 {row['whole_p95']:6.1f} | "
            f"sql p50 {row['sql_p50']:6.1f} p95 {row['sql_p95']:6.1f} | x{row['ratio']:.2f} "
            f"| python {row['python_p50']:5.1f} | {row['queries']} queries | {row['count']}",
            flush=True,
        )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| # | search | query string | results | whole p50 | whole p95 | SQL p50 | SQL p95 "
        "| whole/SQL (p50) | Python (p50 whole - SQL) | queries |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, row in enumerate(rows, 1):
        lines.append(
            f"| {n} | {row['name']} | `{row['query']}` | {row['count']} "
            f"| {row['whole_p50']:.1f} | {row['whole_p95']:.1f} | {row['sql_p50']:.1f} "
            f"| {row['sql_p95']:.1f} | {row['ratio']:.2f} | {row['python_p50']:.1f} "
            f"| {row['queries']} |"
        )
    return "\n".join(lines)


def write_results(section: str) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    start = text.find("\n## Search")
    if start == -1:
        text = text.rstrip() + "\n\n" + section.strip() + "\n"
    else:
        end = text.find("\n## ", start + 1)
        tail = text[end:] if end != -1 else "\n"
        text = text[:start] + "\n\n" + section.strip() + "\n" + tail
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description="Search benchmark")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--only", action="append", help="run the searches whose name has this")
    parser.add_argument(
        "--gc-freeze", action="store_true", help="gc.freeze() after the first request"
    )
    options = parser.parse_args()
    if "genai_bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to the benchmark database (see bench/search/generate.py).")
    about = machine()
    if options.gc_freeze:
        Client().get("/jobs/")
        gc.collect()
        gc.freeze()
        about += ", gc.freeze() after startup"
    print(about)
    rows = run(options.repeat, options.only)
    worst = max(row["whole_p95"] for row in rows)
    print(f"worst whole p95: {worst:.1f} ms")
    if options.write:
        write_results(
            "## Search\n\n"
            f"Machine: {about}. Times in ms, {options.repeat} runs per search after 3 warm-ups.\n\n"
            + table(rows)
        )


if __name__ == "__main__":
    main()

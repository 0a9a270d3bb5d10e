"""The API's role search against the search page, for the same searches: p50 and p95.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_bench_search DEBUG=0 \
        .venv/bin/python -m bench.api.run [--repeat 60] [--write]

Runs the 25 searches of bench/search/mix.py as /api/v1/roles/?… and as /jobs/?… through
Django's test Client, in turns (API then page, then page then API), so both see the same load
and the same warm caches. Both answer from one search service (the page renders its cards, the
API serialises them), so the figure is what the API adds or saves around it. Reported per
search and over all: wall time p50/p95 of each and their ratio API / page (the target: at most
1.1 at p50 and at p95). Any database with open roles will do (a small one checks the script
runs; figures of record come from the 1,000,000-role search database on a quiet machine).
`--write` replaces the table between the `bench:api` markers of bench/RESULTS.md. Not part of
the test suite.
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.measure import Record, load_average, percentile, results_check, results_write  # noqa: E402
from bench.search.mix import MIX  # noqa: E402
from opportunities.models import Role  # noqa: E402

TARGET = 1.1
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# The bench asks far more often than a person may: no throttle here.
UNTHROTTLED = {"token": "100000000/hour", "address": "100000000/hour"}


def _wall(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def run(repeat: int) -> list[dict]:
    client = Client(HTTP_USER_AGENT=BROWSER)
    rows = []
    for name, query in MIX:
        api, page = f"/api/v1/roles/?{query}", f"/jobs/?{query}"
        _wall(client, api), _wall(client, page)  # warm: taxonomy, templates, plans
        times: dict[str, list[float]] = {"api": [], "page": []}
        for index in range(repeat):
            order = (("api", api), ("page", page))
            for kind, url in order if index % 2 == 0 else reversed(order):
                times[kind].append(_wall(client, url))
        rows.append({"search": name, **times})
        row = _figures(rows[-1])
        print(
            f"{name:45} p50 api {row['api_p50']:7.2f} page {row['page_p50']:7.2f} "
            f"(x{row['p50_ratio']:.2f}) | p95 api {row['api_p95']:7.2f} "
            f"page {row['page_p95']:7.2f} (x{row['p95_ratio']:.2f})",
            flush=True,
        )
    return rows


def _figures(row: dict) -> dict:
    api, page = row["api"], row["page"]
    figures = {
        "api_p50": statistics.median(api),
        "page_p50": statistics.median(page),
        "api_p95": percentile(api, 0.95),
        "page_p95": percentile(page, 0.95),
    }
    figures["p50_ratio"] = figures["api_p50"] / figures["page_p50"]
    figures["p95_ratio"] = figures["api_p95"] / figures["page_p95"]
    return figures


def table(rows: list[dict]) -> str:
    lines = [
        f"| search | API p50 | page p50 | API / page p50 (target ≤ {TARGET}) "
        "| API p95 | page p95 | API / page p95 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    everything = {
        "search": "**all searches**",
        "api": [t for row in rows for t in row["api"]],
        "page": [t for row in rows for t in row["page"]],
    }
    for row in [*rows, everything]:
        f = _figures(row)
        # Each ratio is marked on its own: a p95 over the target is not the p50's.
        over = {key: " **over**" if f[key] > TARGET else "" for key in ("p50_ratio", "p95_ratio")}
        lines.append(
            f"| {row['search']} | {f['api_p50']:.2f} | {f['page_p50']:.2f} "
            f"| {f['p50_ratio']:.2f}{over['p50_ratio']} | {f['api_p95']:.2f} "
            f"| {f['page_p95']:.2f} | {f['p95_ratio']:.2f}{over['p95_ratio']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="API role search against the search page")
    parser.add_argument("--repeat", type=int, default=60, help="requests of each, per search")
    parser.add_argument("--write", action="store_true", help="replace the bench:api table")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url and "bench" not in url:
        sys.exit("Set DATABASE_URL to a benchmark database (its name holding 'bench').")
    if not Role.objects.open().exists():
        sys.exit("The database holds no open roles; generate or seed some first.")
    if options.write:
        results_check("api")
    record = Record("api", "bench.api.run")
    gc.collect()
    gc.freeze()
    about = (
        f"{os.cpu_count()} cores, {connection.vendor} on this machine, "
        f"{Role.objects.open().count():,} open roles, gc.freeze() after startup"
    )
    print(about)
    print(f"load average before: {record.load_before}")
    with override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": UNTHROTTLED,
        }
    ):
        rows = run(options.repeat)
    after = load_average()
    print(f"load average after: {after}")
    print(table(rows))
    if options.write:
        results_write(
            "api",
            f"{record.header(after)}\n\nMachine: {about}. Wall ms per request; "
            f"{options.repeat} of each per search, interleaved.\n\n" + table(rows),
        )


if __name__ == "__main__":
    main()

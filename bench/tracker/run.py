"""The tracker's board and table for one developer with 5,000 entries among 1,000,000.

Generates the rows once (plain SQL from generate_series, on PostgreSQL only; `--if-stale`
keeps a database that holds them), then requests each page through Django's test client as
the developer, and reports per page the queries, whole-request p50/p95 and the SQL alone
(the same statements run again on their own).

    DATABASE_URL=postgres://…/genai_bench_tracker DEBUG=0 .venv/bin/python -m bench.tracker.run
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.measure import Record, load_average, percentile, results_write  # noqa: E402
from opportunities.models import Company, Role, Stage, TrackedOpportunity  # noqa: E402

DEVELOPER = "bench-tracker-main"
OTHERS = 10_000
ROLES = 200
PAGES = [
    ("board", "/me/tracker/"),
    ("table", "/me/tracker/table/"),
    ("table, stage filter", "/me/tracker/table/?stage=applied"),
    ("table, search + sort", "/me/tracker/table/?q=Role+42&sort=company"),
    ("table, page 50", "/me/tracker/table/?page=50"),
]


def generate(total: int, mine: int) -> None:
    """Users, board roles and `total` entries, `mine` of them the developer's (idempotent)."""
    User = get_user_model()
    if TrackedOpportunity.objects.count() >= total:
        print("Rows are there already.")
        return
    started = time.perf_counter()
    with transaction.atomic():
        developer, _ = User.objects.get_or_create(username=DEVELOPER, email="bench@example.com")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {User._meta.db_table} (password, is_superuser, username, "
                "first_name, last_name, email, is_staff, is_active, date_joined) "
                "SELECT '!', false, 'bench-tracker-' || n, '', '', '', false, true, now() "
                "FROM generate_series(1, %s) n ON CONFLICT (username) DO NOTHING",
                [OTHERS],
            )
        company, _ = Company.objects.get_or_create(
            slug="bench-tracker-co", defaults={"name": "Bench Co"}
        )
        if Role.objects.filter(company=company).count() < ROLES:
            Role.objects.bulk_create(
                Role(
                    company=company,
                    title=f"Bench role {n}",
                    slug=f"bench-role-{n}",
                    description="<p>Bench.</p>",
                    status=Role.Status.PUBLISHED,
                    posted_at=timezone.now(),
                )
                for n in range(ROLES)
            )
        role_ids = list(
            Role.objects.filter(company=company).order_by("id").values_list("id", flat=True)
        )[:ROLES]
        user_ids = list(
            User.objects.filter(username__startswith="bench-tracker-")
            .exclude(pk=developer.pk)
            .order_by("id")
            .values_list("id", flat=True)
        )
        stages = list(Stage.values)
        table = TrackedOpportunity._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
            # Row n: the developer's for n <= mine, else one of the others'; a board role for
            # every third, chosen so that (user, role) stays unique.
            cursor.execute(
                f"INSERT INTO {table} (user_id, role_id, title, company_name, url, url_key, "
                "location, description_html, source, source_name, tags, salary_offered, "
                "next_step, next_step_due, cv_sent, cover_letter_sent, notes, notes_html, stage, "
                "stage_changed_at, applied_at, created_at, updated_at) "
                "SELECT CASE WHEN n <= %(mine)s THEN %(dev)s "
                "  ELSE (%(users)s::bigint[])[1 + n %% %(nusers)s] END, "
                "CASE WHEN n <= %(mine)s AND n %% 25 = 0 THEN (%(roles)s::bigint[])[n / 25] "
                "  WHEN n > %(mine)s AND (n / %(nusers)s) %% 3 = 0 "
                "  THEN (%(roles)s::bigint[])[1 + (n / %(nusers)s) %% %(nroles)s] END, "
                "'Role ' || n, 'Company ' || (n %% 997), '', '', 'Berlin', '', 'other_site', '', "
                "' t' || (n %% 5) || ' ', '', 'Call', "
                "CASE WHEN n %% 7 = 0 THEN current_date + (n %% 30 - 10) END, '', '', '', '', "
                "(%(stages)s::text[])[1 + n %% %(nstages)s], "
                "now() - make_interval(hours => n %% 9000), "
                "CASE WHEN n %% %(nstages)s > 0 "
                "  THEN now() - make_interval(hours => n %% 9000) END, "
                "now(), now() FROM generate_series(1, %(total)s) n",
                {
                    "mine": mine,
                    "dev": developer.pk,
                    "users": user_ids,
                    "nusers": len(user_ids),
                    "roles": role_ids,
                    "nroles": len(role_ids),
                    "stages": stages,
                    "nstages": len(stages),
                    "total": total,
                },
            )
            cursor.execute(f"ANALYZE {table}")
    print(f"Generated {total:,} entries in {time.perf_counter() - started:.1f} s.")


def measure(samples: int) -> list[dict]:
    developer = get_user_model().objects.get(username=DEVELOPER)
    client = Client()
    client.force_login(developer)
    rows = []
    for name, path in PAGES:
        for _ in range(3):  # warm caches and the templates
            assert client.get(path).status_code == 200, path
        whole, sql_alone, counts = [], [], set()
        for _ in range(samples):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(path)
                whole.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
            counts.add(len(captured.captured_queries))
            start = time.perf_counter()
            with connection.cursor() as cursor:
                for query in captured.captured_queries:
                    cursor.execute(query["sql"])
                    if cursor.description:
                        cursor.fetchall()
            sql_alone.append((time.perf_counter() - start) * 1000)
        rows.append(
            {
                "page": name,
                "queries": "/".join(str(c) for c in sorted(counts)),
                "p50": percentile(whole, 0.5),
                "p95": percentile(whole, 0.95),
                "sql_p50": percentile(sql_alone, 0.5),
                "sql_p95": percentile(sql_alone, 0.95),
            }
        )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| page | queries | whole p50 (ms) | whole p95 | SQL alone p50 | SQL alone p95 |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | {r['queries']} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['sql_p50']:.1f} | {r['sql_p95']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--mine", type=int, default=5_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md's block")
    parser.add_argument("--generate-only", action="store_true", help="make the rows and stop")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The tracker benchmark runs on PostgreSQL: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    generate(args.total, args.mine)
    if args.generate_only:
        return
    record = Record(name="tracker", module="bench.tracker.run")
    rows = measure(args.samples)
    block = f"{record.header(load_average())}\n\n{table(rows)}"
    print(block)
    if args.write:
        results_write("tracker", block)


if __name__ == "__main__":
    main()

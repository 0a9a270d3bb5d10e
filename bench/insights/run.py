"""The insights against a board: a full rebuild, one day's incremental run, and each page.

Runs against the board DATABASE_URL names (the 1,000,000-role search board for the targets:
rebuild <= 10 minutes, daily run <= 60 s, each page p95 <= 50 ms through Django). The
rebuild's tables are committed (they touch no other benchmark's data); the simulated day's
changes to roles, and the bench developer, are made in a transaction rolled back at the
end, so the board is left as it was.

    DATABASE_URL=postgres://…/genai_bench_search DEBUG=0 .venv/bin/python -m bench.insights.run
"""

from __future__ import annotations

import argparse
import datetime
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.measure import load_average, percentile  # noqa: E402
from opportunities.insights.services import insights_rebuild, insights_update  # noqa: E402
from opportunities.models import (  # noqa: E402
    DeveloperProfile,
    InsightRun,
    InsightWeek,
    ProfileSkill,
    Role,
    Skill,
)

TARGET_PAGE_MS = 50
TARGET_DAILY_S = 60
TARGET_REBUILD_S = 600


class Rollback(Exception):
    pass


def progress(message: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {message}", flush=True)


def day_simulate(changed: int) -> int:
    """Touch `changed` published roles as a day would: a third closed, the rest re-saved."""
    table = connection.ops.quote_name(Role._meta.db_table)
    total = Role.objects.count() or 1
    step = max(1, total // max(1, changed))
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET updated_at = %s, "
            f"status = CASE WHEN id %% 3 = 0 THEN 'closed' ELSE status END, "
            f"closed_at = CASE WHEN id %% 3 = 0 THEN %s ELSE closed_at END "
            f"WHERE status = 'published' AND id %% %s = 0",
            [now, now, step],
        )
        return cursor.rowcount


def pages(samples: int) -> list[tuple[str, int, float, float]]:
    """(page, queries, p50 ms, p95 ms) for each insights page, warm, as a signed-in developer."""
    leaders = list(
        InsightWeek.objects.filter(skill_id__gt=0, industry_id=0, workplace="")
        .order_by("-week", "-open_roles")
        .values_list("skill_id", flat=True)[:5]
    )
    skills = list(Skill.objects.filter(pk__in=leaders)) or list(Skill.objects.all()[:5])
    User = get_user_model()
    developer = User.objects.create(username="bench-insights", email="bench-insights@example.com")
    profile = DeveloperProfile.objects.create(
        user=developer, seniority="senior", salary_floor=150000, salary_currency="USD"
    )
    for skill in skills[:3]:
        ProfileSkill.objects.create(profile=profile, skill=skill)
    client = Client()
    client.force_login(developer)
    urls = [
        ("/insights/", "/insights/"),
        ("/insights/?workplace=remote", "/insights/?workplace=remote"),
    ]
    if skills:
        urls.append(("/skills/<top skill>/", f"/skills/{skills[0].slug}/"))
    urls.append(("/me/insights/", "/me/insights/"))
    rows = []
    for label, url in urls:
        assert client.get(url).status_code == 200, url  # warm, and a check
        times = []
        queries = 0
        for _ in range(samples):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            queries = len(captured.captured_queries)
        rows.append((label, queries, percentile(times, 0.5), percentile(times, 0.95)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=50, help="requests per page")
    parser.add_argument("--changed", type=int, default=10_000, help="roles a day changes")
    parser.add_argument(
        "--skip-rebuild", action="store_true", help="keep the insights as they are (if built)"
    )
    args = parser.parse_args()
    roles = Role.objects.count()
    print(f"Board: {roles:,} roles; load {load_average()}")
    if not args.skip_rebuild or not InsightRun.objects.filter(succeeded=True).exists():
        start = time.perf_counter()
        run = insights_rebuild(progress=progress)
        rebuild_s = time.perf_counter() - start
        print(
            f"Full rebuild: {rebuild_s:.1f} s for {run.roles_read:,} postings "
            f"(target {TARGET_REBUILD_S} s)"
        )
    rows: list[tuple[str, int, float, float]] = []
    try:
        with transaction.atomic():
            # The rebuild's watermark lies 15 minutes back: push the roles it read behind it,
            # so the day's run reads the simulated changes only.
            Role.objects.filter(updated_at__gt=timezone.now() - datetime.timedelta(hours=1)).update(
                updated_at=timezone.now() - datetime.timedelta(hours=2)
            )
            touched = day_simulate(args.changed)
            start = time.perf_counter()
            run = insights_update(progress=progress)
            daily_s = time.perf_counter() - start
            print(
                f"Daily run: {daily_s:.1f} s for {run.roles_read:,} changed roles "
                f"({touched:,} touched; target {TARGET_DAILY_S} s)"
            )
            rows = pages(args.samples)
            raise Rollback
    except Rollback:
        pass
    print(f"\n| page | queries | p50 ms | p95 ms (target {TARGET_PAGE_MS}) |\n|---|---:|---:|---:|")
    for label, queries, p50, p95 in rows:
        print(f"| {label} | {queries} | {p50:.1f} | {p95:.1f} |")
    print(f"\nload {load_average()}")


if __name__ == "__main__":
    main()

"""Matching benchmark: one new role against every profile, one changed profile against every
open role, and a full rematch, each beside an exhaustive scan of the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_bench_match \
        .venv/bin/python -m bench.matching.run [--full]

Run bench.matching.generate first. Prints a Markdown block for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import resource
import statistics
import time
import tracemalloc

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")
django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from opportunities.matching import scoring as m  # noqa: E402
from opportunities.matching.live import live_profiles, live_roles  # noqa: E402
from opportunities.matching.load import (  # noqa: E402
    load_profile_index,
    load_role_index,
    profile_vectors,
    role_vectors,
)
from opportunities.matching.rematch import match_all, match_profile, match_roles  # noqa: E402
from opportunities.models import DeveloperProfile, Match, ProfileSkill, Role  # noqa: E402

LEVEL_SQL = "CASE ps.level WHEN 'expert' THEN 5 WHEN 'working' THEN 4 ELSE 2 END"


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def ms(values: list[float]) -> str:
    return f"p50 {pct(values, 50) * 1000:.1f} ms, p95 {pct(values, 95) * 1000:.1f} ms"


def nbytes(index) -> int:
    total = 0
    for value in vars(index).values():
        if isinstance(value, np.ndarray):
            total += value.nbytes
        elif isinstance(value, list):
            total += sum(v.nbytes for v in value if isinstance(v, np.ndarray))
    return total


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores (shared with other work), {mem:.0f} GB RAM; "
        f"Python {platform.python_version()}, numpy {np.__version__}, PostgreSQL {pg}"
    )


def exhaustive(pairs, k):
    ranked = [(i, r.score) for i, r in pairs if r is not None and r.score >= m.MATCH_FLOOR]
    ranked.sort(key=lambda item: m.rank_key(item[1], item[0]))
    return ranked[:k]


def all_profile_vectors() -> list[m.ProfileVector]:
    ids = list(DeveloperProfile.objects.order_by("id").values_list("id", flat=True))
    out = []
    for start in range(0, len(ids), 5000):
        out.extend(profile_vectors(ids[start : start + 5000]).values())
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--checks", type=int, default=20)
    parser.add_argument("--full", action="store_true", help="also time a full rematch")
    parser.add_argument(
        "--full-sample", type=int, default=None, help="time the full rematch on this many profiles"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes sharing the full rematch (default: one per core)",
    )
    args = parser.parse_args()
    rng = random.Random(7)

    class Lines(list):
        """Lines of the report, also printed as they come so a long run shows progress."""

        def append(self, line: str) -> None:
            print(line, flush=True)
            super().append(line)

    out = Lines()
    out.append(f"- Machine: {machine()}")
    n_profiles = DeveloperProfile.objects.count()
    n_roles = Role.objects.open().count()
    n_ps = ProfileSkill.objects.count()
    out.append(f"- Data: {n_profiles:,} profiles ({n_ps:,} profile skills), {n_roles:,} open roles")

    # Index load and memory.
    loaded_wall = timezone.now()
    tracemalloc.start()
    t = time.perf_counter()
    profile_index = load_profile_index()
    t_p = time.perf_counter() - t
    _, peak_p = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    t = time.perf_counter()
    role_index = load_role_index()
    t_r = time.perf_counter() - t
    _, peak_r = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for live, index in ((live_profiles, profile_index), (live_roles, role_index)):
        live.index, live.loaded_at, live.version = index, time.monotonic(), 0
        live.loaded_wall = loaded_wall
        live.overlay = {}
    out.append(
        f"- Index load: profiles {t_p:.2f} s ({nbytes(profile_index) / 2**20:.0f} MB of arrays, "
        f"load peak {peak_p / 2**20:.0f} MB), open roles {t_r:.2f} s "
        f"({nbytes(role_index) / 2**20:.0f} MB of arrays, load peak {peak_r / 2**20:.0f} MB)"
    )

    print("loading reference vectors…", flush=True)
    profiles = all_profile_vectors()
    roles = role_vectors()
    # The 300,000 reference vectors are the benchmark's, not the service's: keep them out of
    # the collector's full passes, which would otherwise walk them inside timed calls.
    gc.collect()
    gc.freeze()
    role_ids = rng.sample(sorted(roles), args.samples)
    profile_ids = rng.sample([p.id for p in profiles], args.samples)

    # One new role against every profile, its matches stored.
    Match.objects.filter(role_id__in=role_ids).delete()
    stored, index_only, sql_ref, counts = [], [], [], []
    for rid in role_ids:
        t = time.perf_counter()
        profile_index.score_role(roles[rid])
        index_only.append(time.perf_counter() - t)
        t = time.perf_counter()
        summary = match_roles(role_ids=[rid])
        stored.append(time.perf_counter() - t)
        counts.append(summary.written)
        units = [(s, 1) for s in roles[rid].required]
        values = ", ".join(["(%s)"] * len(units))
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT ps.profile_id, SUM({LEVEL_SQL}) AS u FROM opportunities_profileskill ps "
                f"JOIN (VALUES {values}) AS r(skill_id) ON r.skill_id = ps.skill_id "
                "GROUP BY ps.profile_id ORDER BY u DESC, ps.profile_id LIMIT 500",
                [s for s, _ in units],
            )
            cursor.fetchall()
        sql_ref.append(time.perf_counter() - t)
    checked, identical, python_ref = 0, 0, []
    for rid in role_ids[: args.checks]:
        role = roles[rid]
        t = time.perf_counter()
        expected = exhaustive(((p.id, m.score(p, role)) for p in profiles), 50)
        python_ref.append(time.perf_counter() - t)
        checked += 1
        identical += profile_index.top_for_role(role, k=50) == expected
    out.append(
        f"- **One new role vs {n_profiles:,} profiles, matches stored** (match_roles, "
        f"{len(role_ids)} roles, {statistics.mean(counts):.0f} rows written each): {ms(stored)}"
    )
    out.append(f"  - index scoring alone: {ms(index_only)}")
    out.append(f"  - reference, SQL join + GROUP BY (skill units only, top 500): {ms(sql_ref)}")
    out.append(f"  - reference, pure-Python score() over every profile: {ms(python_ref)}")
    out.append(f"  - top-50 identical to the exhaustive scan: {identical}/{checked} roles")

    # One changed profile against every open role.
    stored, index_only, sql_ref = [], [], []
    by_id = {p.id: p for p in profiles}
    for pid in profile_ids:
        t = time.perf_counter()
        role_index.score_profile(by_id[pid])
        index_only.append(time.perf_counter() - t)
        t = time.perf_counter()
        match_profile(profile_id=pid)
        stored.append(time.perf_counter() - t)
        skills = list(by_id[pid].skills.items())
        values = ", ".join(["(%s, %s)"] * len(skills))
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rs.role_id, SUM(p.u) AS u FROM opportunities_roleskill rs "
                f"JOIN (VALUES {values}) AS p(skill_id, u) ON p.skill_id = rs.skill_id "
                "WHERE rs.kind = 'required' "
                "GROUP BY rs.role_id ORDER BY u DESC, rs.role_id LIMIT 200",
                [x for s, level in skills for x in (s, m.LEVEL_UNITS[level])],
            )
            cursor.fetchall()
        sql_ref.append(time.perf_counter() - t)
    checked, identical, python_ref = 0, 0, []
    role_list = list(roles.values())
    for pid in profile_ids[: max(args.checks // 2, 1)]:
        profile = by_id[pid]
        t = time.perf_counter()
        expected = exhaustive(((r.id, m.score(profile, r)) for r in role_list), 50)
        python_ref.append(time.perf_counter() - t)
        checked += 1
        identical += role_index.top_for_profile(profile, k=50) == expected
    out.append(
        f"- **One changed profile vs {n_roles:,} open roles, matches stored** (match_profile, "
        f"{len(profile_ids)} profiles): {ms(stored)}"
    )
    out.append(f"  - index scoring alone: {ms(index_only)}")
    out.append(f"  - reference, SQL join + GROUP BY (skill units only, top 200): {ms(sql_ref)}")
    out.append(f"  - reference, pure-Python score() over every role: {ms(python_ref)}")
    out.append(f"  - top-50 identical to the exhaustive scan: {identical}/{checked} profiles")

    t = time.perf_counter()
    suggestions = role_index.skills_to_learn(by_id[profile_ids[0]])
    out.append(
        f"- skills_to_learn for one profile: {(time.perf_counter() - t) * 1000:.0f} ms "
        f"({len(suggestions)} suggestions)"
    )

    if args.full:
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done % 5_000 == 0 or done == total:
                print(f"  full rematch {done}/{total} at {time.perf_counter() - started:.0f}s")

        summary = match_all(progress=progress, limit=args.full_sample, workers=args.workers)
        elapsed = time.perf_counter() - started
        if args.full_sample:
            scaled = elapsed * n_profiles / summary.objects
            out.append(
                f"- **Full rematch, measured on a sample of {summary.objects:,} profiles** "
                f"(match_all(limit=...), {args.workers} worker processes, including its index "
                f"rebuild): {elapsed:.0f} s, "
                f"{summary.written:,} rows written; extrapolated linearly to {n_profiles:,} "
                f"profiles: {scaled:.0f} s ({scaled / 60:.1f} min) - an extrapolation, not a run"
            )
        else:
            out.append(
                f"- **Full rematch of {summary.objects:,} profiles** (match_all, real run, "
                f"{args.workers} worker processes): "
                f"{elapsed:.0f} s ({elapsed / 60:.1f} min), {summary.written:,} rows written, "
                f"{Match.objects.count():,} matches stored"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.append(
        f"- Peak memory of the benchmark process (maxrss, incl. reference vectors): {rss:.0f} MB"
    )
    print("\n--- for bench/RESULTS.md ---\n" + "\n".join(out))


if __name__ == "__main__":
    main()

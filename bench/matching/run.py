"""Matching benchmark: one new role against every profile, one changed profile against every
open role, and a full rematch, each beside an exhaustive scan of the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_bench_match DEBUG=0 \
        .venv/bin/python -m bench.matching.run --samples 50 --checks 10 --workers 2 --full [--write]
    … bench.matching.run --quick        # a before/after comparison in a few minutes

Run bench.matching.generate first. Every timed call reports wall time and CPU time: this
process's (`time.process_time()`) and its PostgreSQL backend's (from /proc, see
bench/measure.py); the full rematch adds its forked workers (their rusage once reaped) and
every backend of the database while it runs. The load average is recorded before and after.
`--full` empties the match table first, so the rematch writes every row. `--quick` times only
one role vs all profiles and one profile vs all roles, loading just the sampled vectors and
skipping the exhaustive references and the full rematch. Prints a Markdown block;
`--write` puts it between the `bench:matching` markers of bench/RESULTS.md (full runs only).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")
django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.measure import (  # noqa: E402
    CPU_STAT,
    Backend,
    BackendSampler,
    Record,
    cpu_figure,
    database_name,
    load_average,
    results_check,
    results_write,
)
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


class Timings:
    """Wall time and CPU time (this process, its PostgreSQL backend) of repeated calls."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.python: list[float] = []
        self.postgres: list[float] = []

    def call(self, fn, *args, **kwargs):
        connection.ensure_connection()
        # Read from the connection, not asked of the server: the pid may change if Django
        # reconnects, and a query here would be measured.
        backend = Backend(connection.connection.info.backend_pid)
        pg, py, t = backend.cpu(), time.process_time(), time.perf_counter()
        result = fn(*args, **kwargs)
        self.wall.append(time.perf_counter() - t)
        self.python.append(time.process_time() - py)
        self.postgres.append(backend.cpu() - pg)
        return result

    def __str__(self) -> str:
        python = cpu_figure([x * 1000 for x in self.python])
        postgres = cpu_figure([x * 1000 for x in self.postgres])
        total = cpu_figure(
            [(a + b) * 1000 for a, b in zip(self.python, self.postgres, strict=True)]
        )
        return (
            f"{ms(self.wall)}; CPU {CPU_STAT} {total:.1f} ms "
            f"({python:.1f} Python + {postgres:.1f} PostgreSQL)"
        )


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
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM; "
        f"Python {platform.python_version()}, numpy {np.__version__}, PostgreSQL {pg}"
    )


def fetch_all(cursor, sql: str, params: list) -> list:
    cursor.execute(sql, params)
    return cursor.fetchall()


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--samples", type=int, default=None, help="roles and profiles timed (50; 20 with --quick)"
    )
    parser.add_argument("--checks", type=int, default=10)
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
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only one role vs all profiles and one profile vs all roles (--samples 20 unless "
        "given), no exhaustive references, no full rematch",
    )
    parser.add_argument(
        "--write", action="store_true", help="replace the bench:matching block of RESULTS.md"
    )
    args = parser.parse_args()
    if "genai_bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to the benchmark database (see bench/matching/generate.py).")
    if args.quick and args.full:
        sys.exit("--quick leaves out the full rematch; drop one of them.")
    if args.write:
        if args.quick or not args.full or args.full_sample:
            sys.exit("--write records the full benchmark: --full, without --quick or a sample.")
        results_check("matching")
    if args.samples is None:
        args.samples = 20 if args.quick else 50
    record = Record("matching", "bench.matching.run")
    rng = random.Random(7)

    class Lines(list):
        """Lines of the report, also printed as they come so a long run shows progress."""

        def append(self, line: str) -> None:
            print(line, flush=True)
            super().append(line)

    out = Lines()
    out.append(f"- Machine: {machine()}")
    out.append(f"- Load average (1/5/15 min) at the start: {record.load_before}")
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

    # The samples are drawn from the same sorted ids in both modes, so quick and full runs of
    # the same database time the same roles and profiles.
    all_role_ids = sorted(Role.objects.open().values_list("id", flat=True))
    all_profile_ids = sorted(DeveloperProfile.objects.values_list("id", flat=True))
    role_ids = rng.sample(all_role_ids, min(args.samples, len(all_role_ids)))
    profile_ids = rng.sample(all_profile_ids, min(args.samples, len(all_profile_ids)))
    if args.quick:
        profiles = list(profile_vectors(profile_ids).values())
        roles = role_vectors(role_ids)
    else:
        print("loading reference vectors…", flush=True)
        profiles = all_profile_vectors()
        roles = role_vectors()
    # The reference vectors are the benchmark's, not the service's: keep them out of the
    # collector's full passes, which would otherwise walk them inside timed calls.
    gc.collect()
    gc.freeze()
    role_ids = [rid for rid in role_ids if rid in roles]

    # One new role against every profile, its matches stored.
    Match.objects.filter(role_id__in=role_ids).delete()
    stored, index_only, sql_ref, counts = Timings(), Timings(), Timings(), []
    for rid in role_ids:
        index_only.call(profile_index.score_role, roles[rid])
        summary = stored.call(match_roles, role_ids=[rid])
        counts.append(summary.written)
        if args.quick:
            continue
        units = [(s, 1) for s in roles[rid].required]
        values = ", ".join(["(%s)"] * len(units))
        with connection.cursor() as cursor:
            sql_ref.call(
                fetch_all,
                cursor,
                f"SELECT ps.profile_id, SUM({LEVEL_SQL}) AS u FROM opportunities_profileskill ps "
                f"JOIN (VALUES {values}) AS r(skill_id) ON r.skill_id = ps.skill_id "
                "GROUP BY ps.profile_id ORDER BY u DESC, ps.profile_id LIMIT 500",
                [s for s, _ in units],
            )
    out.append(
        f"- **One new role vs {n_profiles:,} profiles, matches stored** (match_roles, "
        f"{len(role_ids)} roles, {statistics.mean(counts):.0f} rows written each): {stored}"
    )
    out.append(f"  - index scoring alone: {index_only}")
    if not args.quick:
        checked, identical, python_ref = 0, 0, Timings()
        for rid in role_ids[: args.checks]:
            role = roles[rid]
            expected = python_ref.call(exhaustive, ((p.id, m.score(p, role)) for p in profiles), 50)
            checked += 1
            identical += profile_index.top_for_role(role, k=50) == expected
        out.append(f"  - reference, SQL join + GROUP BY (skill units only, top 500): {sql_ref}")
        out.append(f"  - reference, pure-Python score() over every profile: {python_ref}")
        out.append(f"  - top-50 identical to the exhaustive scan: {identical}/{checked} roles")

    # One changed profile against every open role.
    stored, index_only, sql_ref = Timings(), Timings(), Timings()
    by_id = {p.id: p for p in profiles}
    profile_ids = [pid for pid in profile_ids if pid in by_id]
    for pid in profile_ids:
        index_only.call(role_index.score_profile, by_id[pid])
        stored.call(match_profile, profile_id=pid)
        if args.quick:
            continue
        skills = list(by_id[pid].skills.items())
        values = ", ".join(["(%s, %s)"] * len(skills))
        with connection.cursor() as cursor:
            sql_ref.call(
                fetch_all,
                cursor,
                "SELECT rs.role_id, SUM(p.u) AS u FROM opportunities_roleskill rs "
                f"JOIN (VALUES {values}) AS p(skill_id, u) ON p.skill_id = rs.skill_id "
                "WHERE rs.kind = 'required' "
                "GROUP BY rs.role_id ORDER BY u DESC, rs.role_id LIMIT 200",
                [x for s, level in skills for x in (s, m.LEVEL_UNITS[level])],
            )
    out.append(
        f"- **One changed profile vs {n_roles:,} open roles, matches stored** (match_profile, "
        f"{len(profile_ids)} profiles): {stored}"
    )
    out.append(f"  - index scoring alone: {index_only}")
    if not args.quick:
        checked, identical, python_ref = 0, 0, Timings()
        role_list = list(roles.values())
        for pid in profile_ids[: max(args.checks // 2, 1)]:
            profile = by_id[pid]
            expected = python_ref.call(
                exhaustive, ((r.id, m.score(profile, r)) for r in role_list), 50
            )
            checked += 1
            identical += role_index.top_for_profile(profile, k=50) == expected
        out.append(f"  - reference, SQL join + GROUP BY (skill units only, top 200): {sql_ref}")
        out.append(f"  - reference, pure-Python score() over every role: {python_ref}")
        out.append(f"  - top-50 identical to the exhaustive scan: {identical}/{checked} profiles")

    if profile_ids:
        t = time.perf_counter()
        suggestions = role_index.skills_to_learn(by_id[profile_ids[0]])
        out.append(
            f"- skills_to_learn for one profile: {(time.perf_counter() - t) * 1000:.0f} ms "
            f"({len(suggestions)} suggestions)"
        )

    if args.full:
        full_rematch(args, n_profiles, out)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.append(
        f"- Peak memory of the benchmark process (maxrss, incl. reference vectors): {rss:.0f} MB"
    )
    after = load_average()
    out.append(f"- Load average (1/5/15 min) at the end: {after}")
    print("\n--- for bench/RESULTS.md ---\n" + "\n".join(out))
    if args.write:
        results_write("matching", record.header(after) + "\n\n" + "\n".join(out))


def full_rematch(args, n_profiles: int, out: list[str]) -> None:
    """Time match_all from an empty match table, with the CPU of its workers and backends."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE opportunities_match")
        cursor.execute("VACUUM ANALYZE opportunities_match")
        anchor = connection.connection.info.backend_pid
    sampler = BackendSampler(database_name(os.environ["DATABASE_URL"]), anchor)
    sampler.start()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, python = time.perf_counter(), time.process_time()

    def progress(done: int, total: int) -> None:
        if done % 5_000 == 0 or done == total:
            print(f"  full rematch {done}/{total} at {time.perf_counter() - started:.0f}s")

    summary = match_all(progress=progress, limit=args.full_sample, workers=args.workers)
    elapsed = time.perf_counter() - started
    postgres = sampler.stop()
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    python = (
        time.process_time()
        - python
        - sampler.own_cpu
        + (reaped.ru_utime + reaped.ru_stime)
        - (children.ru_utime + children.ru_stime)
    )
    cpu = (
        f"CPU {python + postgres:.1f} s ({python:.1f} s Python in this process and its workers "
        f"+ {postgres:.1f} s PostgreSQL), "
        f"{(python + postgres) * 1000 / max(summary.objects, 1):.1f} ms per profile"
    )
    if args.full_sample:
        scaled = elapsed * n_profiles / summary.objects
        out.append(
            f"- **Full rematch, measured on a sample of {summary.objects:,} profiles** "
            f"(match_all(limit=...), {args.workers} worker processes, including its index "
            f"rebuild): {elapsed:.0f} s, {cpu}, "
            f"{summary.written:,} rows written; extrapolated linearly to {n_profiles:,} "
            f"profiles: {scaled:.0f} s ({scaled / 60:.1f} min) - an extrapolation, not a run"
        )
    else:
        out.append(
            f"- **Full rematch of {summary.objects:,} profiles** (match_all, real run, "
            f"{args.workers} worker processes, from an empty match table): "
            f"{elapsed:.0f} s ({elapsed / 60:.1f} min), {cpu}, {summary.written:,} rows "
            f"written, {Match.objects.count():,} matches stored"
        )


if __name__ == "__main__":
    main()

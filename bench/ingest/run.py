"""Ingest benchmark: 100,000 generated Greenhouse roles into a table of 1,000,000, end to end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_bench_ingest DEBUG=0 \
        .venv/bin/python -m bench.ingest.run --roles 100000 [--write]

Needs a dedicated database already holding the 1M roles of bench.search.generate (`make
bench-ingest` makes it a template copy of genai_bench_search). Each figure is measured in the
same run, on the same table: the pipeline (parse + normalise + upsert through
opportunities.ingest.run.source_ingest, in a child process so its peak memory and CPU are its
own), the unchanged re-ingest, then PostgreSQL alone writing the very same rows: a batched
INSERT ... ON CONFLICT DO UPDATE (500 rows per statement and transaction, with the role's
skills) on one connection, and COPY.

The figure that decides is CPU per role: the pipeline's (its process, all threads, plus every
PostgreSQL backend of the benchmark database while it runs: its own connection and the writer
connections, sampled from /proc) against PostgreSQL alone's (its backend plus this process)
for the same upserts. Wall-clock rates and their ratio are kept as context: on a shared
2-core machine they say how many cores happened to be free. The load average is recorded at
the start, after the pipeline and after PostgreSQL alone.

The feed is written once to $TMPDIR/genai_bench_ingest_feed.json (deterministic, seeded) with
a sidecar .meta.json naming its roles, seed, generator version and taxonomy; a feed whose
sidecar does not match (other --roles, an older generator, an interrupted write) is rebuilt.
`--write` replaces the block between the `bench:ingest` markers of bench/RESULTS.md. Not part
of the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.measure import (  # noqa: E402
    Backend,
    BackendSampler,
    Record,
    backend_pid,
    database_name,
    load_average,
    results_check,
    results_write,
)

BATCH = 500
# Bump when feed_write writes something else, so feeds written before are rebuilt.
FEED_VERSION = 2
FEED_SEED = 42
TAXONOMY = ROOT / "opportunities" / "data" / "taxonomy.json"
SOURCE_NAMES = ("bench: pipeline", "bench: pg upsert", "bench: pg copy")


def dsn() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if "genai_bench" not in url:
        sys.exit("Set DATABASE_URL to a dedicated benchmark database (name with 'genai_bench').")
    return url.replace("postgres://", "postgresql://", 1)


# --- The feed -------------------------------------------------------------------------------


def feed_meta(roles: int) -> dict:
    """What a feed is made from: if any of it differs, the feed on disk is not this one."""
    taxonomy = hashlib.sha256(TAXONOMY.read_bytes()).hexdigest()[:16] if TAXONOMY.exists() else ""
    return {"version": FEED_VERSION, "roles": roles, "seed": FEED_SEED, "taxonomy": taxonomy}


def _meta_path(feed: Path) -> Path:
    return feed.with_name(feed.name + ".meta.json")


def feed_stale(feed: Path, roles: int) -> str | None:
    """Why the feed on disk is not the one these --roles make, or None if it is."""
    if not feed.exists():
        return f"{feed} does not exist"
    try:
        meta = json.loads(_meta_path(feed).read_text())
    except (OSError, ValueError):
        return f"{feed} has no readable {_meta_path(feed).name} (older or interrupted write)"
    wanted = feed_meta(roles)
    if meta != wanted:
        return f"{feed} was written for {meta}, not {wanted}"
    return None


def feed_build(feed: Path, roles: int) -> None:
    """Write the feed beside its final name, then move it and its sidecar into place."""
    _meta_path(feed).unlink(missing_ok=True)
    partial = feed.with_name(feed.name + ".partial")
    feed_write(partial, roles, FEED_SEED)
    partial.replace(feed)
    _meta_path(feed).write_text(json.dumps(feed_meta(roles)))


def feed_write(path: Path, roles: int, seed: int) -> None:
    """Write a Greenhouse board list with content=true, streamed so memory stays small."""
    from bench.search.generate import (
        COUNTRIES,
        TITLES,
        company_names,
        load_taxonomy,
        paragraph_pool,
    )

    rng = random.Random(seed)
    industries, skills = load_taxonomy()
    names = [(i, name) for i, (_, name, _) in enumerate(skills, 1)]
    pool = paragraph_pool(names, [(i, n) for i, (_, n) in enumerate(industries, 1)])
    companies = company_names(3000)
    levels = ["Junior", "", "Senior", "Staff", "Lead", "Principal"]
    with path.open("w", encoding="utf-8") as out:
        out.write('{"jobs": [\n')
        for n in range(roles):
            country, cities, _ = rng.choice(COUNTRIES)
            city = rng.choice(cities)
            place = rng.choice(
                [f"{city}, {country}", f"Remote ({country})", f"Hybrid - {city}", "Remote"]
            )
            title = rng.choice(TITLES).format(s=rng.choice(levels)).strip()
            paragraphs = rng.sample(pool, 5)
            wanted = rng.sample(names, 5)
            content = (
                "<h2>About the role</h2>"
                + "".join(paragraphs)
                + "<h3>Requirements</h3><ul>"
                + "".join(f"<li>Experience with {name}</li>" for _, name in wanted[:3])
                + "</ul><h3>Nice to have</h3><ul>"
                + "".join(f"<li>{name}</li>" for _, name in wanted[3:])
                + "</ul>"
            )
            low = rng.randrange(60, 200) * 1000
            job = {
                "id": 50_000_000 + n,
                "internal_job_id": 10_000_000 + n,
                "title": title,
                "company_name": rng.choice(companies),
                "absolute_url": f"https://boards.greenhouse.io/bench/jobs/{50_000_000 + n}",
                "location": {"name": place},
                "updated_at": "2026-11-01T09:00:00-05:00",
                "first_published": "2026-10-01T09:00:00-05:00",
                "content": html.escape(content),
                "departments": [{"id": 1, "name": "AI", "child_ids": [], "parent_id": None}],
                "offices": [],
                "metadata": [
                    {
                        "id": 2,
                        "name": "Salary Range",
                        "value": {
                            "min_value": f"{low}.0",
                            "max_value": f"{low + 40000}.0",
                            "unit": "USD",
                        },
                        "value_type": "currency_range",
                    }
                ],
            }
            out.write(("," if n else "") + json.dumps(job) + "\n")
        out.write("]}\n")


# --- The pipeline, in a child process ----------------------------------------------------------


def _phase(word: str, label: str) -> None:
    """Tell the parent a timed phase begins or ends, and wait until it has read its meters."""
    print(f"PHASE {word} {label}", flush=True)
    sys.stdin.readline()


def child_ingest(feed: Path, source_name: str, *, labels=("new", "unchanged")) -> None:
    """Run source_ingest twice (new, then unchanged) and print the figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")
    import django

    django.setup()
    from django.db import connection

    from opportunities.ingest.run import source_ingest
    from opportunities.models import Role, Source

    source, _ = Source.objects.update_or_create(
        name=source_name, defaults={"kind": "greenhouse", "location": str(feed), "enabled": False}
    )
    figures = {}
    for label in labels:
        Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
        source.refresh_from_db()
        writes_before = _role_writes(connection)
        _phase("begin", label)
        cpu, started = time.process_time(), time.perf_counter()
        run = source_ingest(source=source, allow_local_files=True)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        _phase("end", label)
        figures[label] = {
            "seconds": seconds,
            "python_cpu": cpu,
            "status": run.status,
            "message": run.message,
            "counts": {
                name: getattr(run, name)
                for name in ("fetched", "created", "updated", "unchanged", "closed", "rejected")
            },
            "role_rows_written": _role_writes(connection) - writes_before,
        }
    figures["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["roles_in_table"] = Role.objects.count()
    print("RESULT " + json.dumps(figures), flush=True)


def _role_writes(connection) -> int:
    """Rows inserted, updated or deleted in opportunities_role, from the statistics views."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        time.sleep(1.1)  # statistics are flushed at most once a second
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables "
            "WHERE relname = 'opportunities_role'"
        )
        return cursor.fetchone()[0]


# --- PostgreSQL alone ---------------------------------------------------------------------------


def pg_alone(conn: psycopg.Connection, pipeline_source: int, upsert_source: int, copy_source: int):
    """Write the pipeline's rows again, once by batched upsert and once by COPY; time both."""
    columns = [
        row[0]
        for row in conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'opportunities_role' AND column_name NOT IN "
            "('id', 'source_id', 'search_vector', 'search_head', 'duplicate_of_id') "
            "ORDER BY ordinal_position"
        )
    ]
    cols = ", ".join(columns)
    conn.execute("DROP TABLE IF EXISTS bench_ingest_stage, bench_ingest_skill")
    conn.execute(
        "CREATE UNLOGGED TABLE bench_ingest_stage AS SELECT "
        f"row_number() OVER (ORDER BY id) AS rn, {cols} "
        "FROM opportunities_role WHERE source_id = %s",
        [pipeline_source],
    )
    conn.execute(
        "CREATE UNLOGGED TABLE bench_ingest_skill AS SELECT r.external_id, rs.skill_id, rs.kind "
        "FROM opportunities_roleskill rs JOIN opportunities_role r ON r.id = rs.role_id "
        "WHERE r.source_id = %s",
        [pipeline_source],
    )
    conn.execute("CREATE INDEX ON bench_ingest_stage (rn)")
    conn.execute("CREATE INDEX ON bench_ingest_skill (external_id)")
    conn.execute("ANALYZE bench_ingest_stage")
    conn.execute("ANALYZE bench_ingest_skill")
    conn.execute("ANALYZE opportunities_role")
    total = conn.execute("SELECT count(*) FROM bench_ingest_stage").fetchone()[0]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in ("created_at",))

    backend = Backend(backend_pid(conn.cursor()))
    pg_cpu, py_cpu, started = backend.cpu(), time.process_time(), time.perf_counter()
    for low in range(0, total, BATCH):
        with conn.transaction():
            conn.execute(
                f"INSERT INTO opportunities_role (source_id, {cols}) "
                f"SELECT %s, {cols} FROM bench_ingest_stage WHERE rn > %s AND rn <= %s "
                f"ON CONFLICT (source_id, external_id) DO UPDATE SET {updates}",
                [upsert_source, low, low + BATCH],
            )
            conn.execute(
                "INSERT INTO opportunities_roleskill (role_id, skill_id, kind) "
                "SELECT r.id, k.skill_id, k.kind FROM bench_ingest_stage s "
                "JOIN bench_ingest_skill k ON k.external_id = s.external_id "
                "JOIN opportunities_role r ON r.source_id = %s AND r.external_id = s.external_id "
                "WHERE s.rn > %s AND s.rn <= %s",
                [upsert_source, low, low + BATCH],
            )
    upsert_seconds = time.perf_counter() - started
    upsert_cpu = {
        "python": time.process_time() - py_cpu,
        "postgres": backend.cpu() - pg_cpu,
    }

    # COPY of the role rows alone (its skills would need the new ids: not a COPY any more).
    copy_sql = (
        f"COPY (SELECT {int(copy_source)}, {cols} FROM bench_ingest_stage ORDER BY rn) TO STDOUT"
    )
    copy_in = f"COPY opportunities_role (source_id, {cols}) FROM STDIN"
    with psycopg.connect(conn.info.dsn) as reader_conn:
        reader = Backend(backend_pid(reader_conn.cursor()))
        reader_conn.commit()
        pg_cpu = backend.cpu() + reader.cpu()
        py_cpu, started = time.process_time(), time.perf_counter()
        with (
            conn.transaction(),
            reader_conn.cursor().copy(copy_sql) as out,
            conn.cursor().copy(copy_in) as into,
        ):
            for chunk in out:
                into.write(chunk)
        copy_seconds = time.perf_counter() - started
        copy_cpu = {
            "python": time.process_time() - py_cpu,
            "postgres": backend.cpu() + reader.cpu() - pg_cpu,
        }
    conn.execute("DROP TABLE bench_ingest_stage, bench_ingest_skill")
    return total, upsert_seconds, copy_seconds, upsert_cpu, copy_cpu


def run_child(feed: Path, reuse: bool, url: str) -> tuple[dict, dict]:
    """Run the pipeline in a child process; CPU of the database's backends for each phase."""
    env = {
        **os.environ,
        "INGEST_MAX_BYTES": str(2 * 1024**3),
        # Matching is another benchmark; keep its tasks in this process's memory.
        "CELERY_BROKER_URL": "memory://",
        # A worker runs with DEBUG off; with it on, Django keeps the text of every query
        # (each upsert of 500 roles is ~1.7 MB of SQL) and peak memory measures that log.
        "DEBUG": "0",
    }
    command = [sys.executable, "-m", "bench.ingest.run", "--child", "--feed", str(feed)]
    if reuse:
        command.append("--reuse-pipeline-run")
    postgres_cpu: dict[str, float] = {}  # per phase, and how many backends were seen
    output: list[str] = []
    with (
        psycopg.connect(url, autocommit=True) as anchor,
        tempfile.TemporaryFile("w+") as errors,
    ):
        # Every backend of this database but the anchor's (idle) is the pipeline's.
        anchor_pid = backend_pid(anchor.cursor())
        sampler = BackendSampler(database_name(url), anchor_pid)
        sampler.start()
        child = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert child.stdin is not None and child.stdout is not None
        began: dict[str, float] = {}
        for line in child.stdout:
            output.append(line)
            if line.startswith("PHASE "):
                _, word, label = line.split()
                if word == "begin":
                    began[label] = sampler.total()
                else:
                    postgres_cpu[label] = sampler.total() - began[label]
                child.stdin.write("go\n")
                child.stdin.flush()
        child.wait()
        sampler.stop()
        # The anchor is idle throughout; the others are the pipeline's connections.
        postgres_cpu["backends"] = sampler.backends - 1
        errors.seek(0)
        stderr = errors.read()
    lines = [line for line in output if line.startswith("RESULT ")]
    if child.returncode or not lines:
        sys.exit(f"the pipeline failed:\n{''.join(output)[-3000:]}\n{stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :]), postgres_cpu


def per_role_ms(seconds: float, roles: int) -> float:
    return round(seconds * 1000 / roles, 3) if roles else 0.0


def markdown(report: dict) -> str:
    """The block --write puts between the bench:ingest markers."""
    cpu = report["cpu_ms_per_role"]
    rows = [
        (
            "**CPU per new role, pipeline** (its process + its PostgreSQL backends)",
            f"{cpu['pipeline']} ms ({cpu['pipeline_python']} Python + "
            f"{cpu['pipeline_postgres']} PostgreSQL over "
            f"{report['pipeline_backends_sampled']} backends)",
        ),
        (
            "**CPU per role, PostgreSQL alone** (batched upsert + RoleSkill, one connection)",
            f"{cpu['pg_upsert']} ms ({cpu['pg_upsert_python']} client + "
            f"{cpu['pg_upsert_postgres']} PostgreSQL)",
        ),
        ("**ratio pipeline / PostgreSQL alone, CPU per role**", f"**{cpu['ratio']}**"),
        ("CPU per role, PostgreSQL COPY (roles only)", f"{cpu['pg_copy']} ms"),
        ("CPU per item, unchanged re-ingest", f"{cpu['reingest']} ms"),
        (
            "pipeline, new roles end to end (wall)",
            f"{report['pipeline_seconds']} s → {report['pipeline_roles_per_s']:,} roles/s",
        ),
        (
            "PostgreSQL alone, batched upsert (wall)",
            f"{report['pg_upsert_seconds']} s → {report['pg_upsert_roles_per_s']:,} roles/s",
        ),
        (
            "PostgreSQL alone, COPY (wall)",
            f"{report['pg_copy_seconds']} s → {report['pg_copy_roles_per_s']:,} roles/s",
        ),
        (
            "ratio pipeline / PG upsert, wall-clock rate (context only)",
            str(report["ratio_vs_upsert"]),
        ),
        (
            "re-ingest of the unchanged feed",
            f"{report['reingest_seconds']} s, {report['reingest_role_rows_written']} role rows "
            "written",
        ),
        ("peak memory of the pipeline process", f"{report['pipeline_maxrss_mb']} MB"),
    ]
    lines = ["| figure | measured |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    load = report["load_average_1_5_15"]
    return (
        f"{report['roles']:,} roles into a table of {report['table_before']:,}; load average "
        f"after the pipeline {load['after_pipeline']}.\n\n" + "\n".join(lines)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=100_000)
    parser.add_argument(
        "--feed", default=str(Path(tempfile.gettempdir()) / "genai_bench_ingest_feed.json")
    )
    parser.add_argument(
        "--write", action="store_true", help="replace the bench:ingest block of RESULTS.md"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--reuse-pipeline-run",
        action="store_true",
        help="Keep the pipeline's rows and runs from an earlier invocation (timings from its "
        "IngestRuns) and measure only the unchanged re-ingest and PostgreSQL alone.",
    )
    options = parser.parse_args()
    feed = Path(options.feed)
    if options.child:
        labels = ("unchanged",) if options.reuse_pipeline_run else ("new", "unchanged")
        child_ingest(feed, SOURCE_NAMES[0], labels=labels)
        return
    if options.write:
        if options.reuse_pipeline_run:
            sys.exit("--write records a whole run; drop --reuse-pipeline-run.")
        results_check("ingest")
    stale = feed_stale(feed, options.roles)
    if stale and options.reuse_pipeline_run:
        sys.exit(f"--reuse-pipeline-run needs the earlier run's feed, but {stale}.")
    record = Record("ingest", "bench.ingest.run")
    url = dsn()
    with psycopg.connect(url, autocommit=True) as conn:
        existing = conn.execute("SELECT count(*) FROM opportunities_role").fetchone()[0]
        # Leftovers of an earlier run go first, so every run starts from the same table.
        old = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM opportunities_source WHERE name = ANY(%s)", [list(SOURCE_NAMES)]
            )
        ]
        if old and options.reuse_pipeline_run:
            first = conn.execute(
                "SELECT extract(epoch FROM finished_at - started_at), created FROM "
                "opportunities_ingestrun r JOIN opportunities_source s ON s.id = r.source_id "
                "WHERE s.name = %s AND r.status = 'succeeded' AND r.created > 0 "
                "ORDER BY r.id LIMIT 1",
                [SOURCE_NAMES[0]],
            ).fetchone()
            conn.execute(
                "DELETE FROM opportunities_roleskill WHERE role_id IN (SELECT id FROM "
                "opportunities_role WHERE source_id = ANY(%s))",
                [old[1:] if len(old) > 1 else [-1]],
            )
            keep = conn.execute(
                "SELECT id FROM opportunities_source WHERE name = %s", [SOURCE_NAMES[0]]
            ).fetchone()[0]
            others = [pk for pk in old if pk != keep]
            conn.execute("DELETE FROM opportunities_role WHERE source_id = ANY(%s)", [others])
            existing -= conn.execute(
                "SELECT count(*) FROM opportunities_role WHERE source_id = %s", [keep]
            ).fetchone()[0]
        elif old:
            print(f"Removing the rows of an earlier run from {len(old)} sources …", flush=True)
            conn.execute(
                "DELETE FROM opportunities_roleskill WHERE role_id IN "
                "(SELECT id FROM opportunities_role WHERE source_id = ANY(%s))",
                [old],
            )
            # Roles of other sources recognised as the same postings point at these.
            conn.execute(
                "UPDATE opportunities_role SET duplicate_of_id = NULL WHERE duplicate_of_id IN "
                "(SELECT id FROM opportunities_role WHERE source_id = ANY(%s))",
                [old],
            )
            conn.execute("DELETE FROM opportunities_role WHERE source_id = ANY(%s)", [old])
            conn.execute("DELETE FROM opportunities_ingestrun WHERE source_id = ANY(%s)", [old])
            conn.execute("DELETE FROM opportunities_source WHERE id = ANY(%s)", [old])
            conn.execute("VACUUM ANALYZE opportunities_role")
            existing = conn.execute("SELECT count(*) FROM opportunities_role").fetchone()[0]
    print(f"Table holds {existing:,} roles.", flush=True)
    # The machine is shared; the load beside each figure says how much of it this run had.
    load = {"start": record.load_before}
    if stale:
        print(f"Writing the feed: {stale}.", flush=True)
        started = time.perf_counter()
        feed_build(feed, options.roles)
        print(
            f"Wrote {feed} ({feed.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
    figures, postgres_cpu = run_child(feed, options.reuse_pipeline_run, url)
    load["after_pipeline"] = load_average()
    with psycopg.connect(url, autocommit=True) as conn:
        ids = []
        for name in SOURCE_NAMES:
            row = conn.execute("SELECT id FROM opportunities_source WHERE name = %s", [name])
            found = row.fetchone()
            if found is None:
                found = conn.execute(
                    "INSERT INTO opportunities_source (created_at, updated_at, name, kind, "
                    "location, interval_minutes, enabled, etag, last_modified) VALUES "
                    "(now(), now(), %s, 'greenhouse', 'bench', 360, false, '', '') RETURNING id",
                    [name],
                ).fetchone()
            ids.append(found[0])
        total, upsert_seconds, copy_seconds, upsert_cpu, copy_cpu = pg_alone(conn, *ids)
    load["after_pg_alone"] = load_average()
    if options.reuse_pipeline_run:
        figures["new"] = {
            "seconds": float(first[0]),
            "counts": {"created": first[1], "from": "the earlier run's IngestRun timestamps"},
        }
    new, unchanged = figures["new"], figures["unchanged"]
    created = new["counts"]["created"]
    rate = created / new["seconds"]
    upsert_rate, copy_rate = total / upsert_seconds, total / copy_seconds
    cpu: dict[str, float | None] = {}
    if "python_cpu" in new:
        cpu["pipeline_python"] = per_role_ms(new["python_cpu"], created)
        cpu["pipeline_postgres"] = per_role_ms(postgres_cpu["new"], created)
        cpu["pipeline"] = per_role_ms(new["python_cpu"] + postgres_cpu["new"], created)
    cpu["pg_upsert_python"] = per_role_ms(upsert_cpu["python"], total)
    cpu["pg_upsert_postgres"] = per_role_ms(upsert_cpu["postgres"], total)
    cpu["pg_upsert"] = per_role_ms(upsert_cpu["python"] + upsert_cpu["postgres"], total)
    cpu["ratio"] = (
        round(cpu["pipeline"] / cpu["pg_upsert"], 2)
        if cpu.get("pipeline") and cpu["pg_upsert"]
        else None
    )
    cpu["pg_copy"] = per_role_ms(copy_cpu["python"] + copy_cpu["postgres"], total)
    fetched = unchanged["counts"]["fetched"]
    cpu["reingest"] = per_role_ms(unchanged["python_cpu"] + postgres_cpu["unchanged"], fetched)
    report = {
        "roles": options.roles,
        "table_before": existing,
        "cpu_ms_per_role": cpu,
        "pipeline_backends_sampled": postgres_cpu["backends"],
        "pipeline_seconds": round(new["seconds"], 1),
        "pipeline_roles_per_s": round(rate),
        "pipeline_counts": new["counts"],
        "pg_upsert_seconds": round(upsert_seconds, 1),
        "pg_upsert_roles_per_s": round(upsert_rate),
        "pg_copy_seconds": round(copy_seconds, 1),
        "pg_copy_roles_per_s": round(copy_rate),
        "ratio_vs_upsert": round(rate / upsert_rate, 2),
        "ratio_vs_copy": round(rate / copy_rate, 2),
        "reingest_seconds": round(unchanged["seconds"], 1),
        "reingest_counts": unchanged["counts"],
        "reingest_role_rows_written": unchanged["role_rows_written"],
        "pipeline_maxrss_mb": round(figures["maxrss_mb"]),
        "load_average_1_5_15": load,
    }
    print(json.dumps(report, indent=2))
    if options.write:
        results_write("ingest", f"{record.header(load['after_pg_alone'])}\n\n{markdown(report)}")


if __name__ == "__main__":
    main()

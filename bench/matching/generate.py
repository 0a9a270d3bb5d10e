"""Load 100,000 developer profiles and 200,000 open roles into a dedicated PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_bench_match \
        .venv/bin/python -m bench.matching.generate --profiles 100000 --roles 200000 [--if-stale]

Migrates, empties the matching tables (matches, profiles and their skills, roles and their
skills, companies, taxonomy, the bench users), then writes them with COPY. Skills come from
opportunities/data/taxonomy.json (a generated list of 300 when it is missing) with a Zipf-like
popularity skew, so popular skills appear on most profiles, as measured. Deterministic: one
generator seeded by --seed draws everything, in a fixed order. Every column the models define
is written, with the model's default where the generator has nothing to say, so new fields do
not break it. The last step records what was generated in bench_generated; `--if-stale` does
nothing when that record matches and the row counts agree. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django
import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, models  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from opportunities.models import (  # noqa: E402
    Company,
    DeveloperProfile,
    Industry,
    Match,
    ProfileSkill,
    Role,
    RoleSkill,
    Skill,
)

ROOT = Path(__file__).resolve().parents[2]
TAXONOMY = ROOT / "opportunities" / "data" / "taxonomy.json"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
# Bump when what the generator writes changes, so databases generated before are regenerated.
GENERATOR = "bench.matching.generate"
GENERATOR_VERSION = 2
COUNTRIES = ["US", "DE", "GB", "IN", "FR", "CA", "NL", "ES", "BR", "PL", "SE", ""]
COUNTRY_P = np.array([25, 10, 10, 12, 6, 6, 4, 4, 5, 4, 3, 11], dtype=float)
CURRENCY = {
    "US": "USD",
    "CA": "CAD",
    "GB": "GBP",
    "IN": "INR",
    "BR": "BRL",
    "PL": "PLN",
    "SE": "SEK",
}
SENIORITY = ["intern", "junior", "mid", "senior", "lead", "executive", ""]
SENIORITY_P = np.array([3, 15, 30, 30, 12, 3, 7], dtype=float)


def currency_of(country: str) -> str:
    return CURRENCY.get(country, "EUR")


def copy_rows(model, columns: dict[str, object], n: int) -> None:
    """COPY n rows: values from ``columns`` (a list per field attname, or a constant), the
    model's default for every other concrete field."""
    fields = [f for f in model._meta.concrete_fields]
    values, per_row = [], []
    for f in fields:
        given = f.attname in columns
        if given:
            v = columns[f.attname]
        elif isinstance(f, models.DateTimeField) and not f.null:
            v = NOW
        elif f.has_default():
            v = f.get_default()
        elif f.null:
            v = None
        elif isinstance(f, models.CharField | models.TextField):
            v = ""
        else:
            raise ValueError(f"{model.__name__}.{f.attname} needs a value")
        row = given and isinstance(v, list | np.ndarray) and len(v) == n
        if isinstance(f, models.JSONField):
            v = [Jsonb(x) for x in v] if row else Jsonb(v)
        values.append(v)
        per_row.append(row)
    names = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
            for i in range(n):
                copy.write_row(
                    [
                        (v[i].item() if isinstance(v[i], np.generic) else v[i]) if row else v
                        for v, row in zip(values, per_row, strict=True)
                    ]
                )
        raw.execute(
            f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {model._meta.db_table}))"
        )


def stale_reason(params: dict) -> str | None:
    """Why the database does not hold what these parameters generate, or None if it does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_generated') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return "no complete run of the generator is recorded (no bench_generated)"
        cursor.execute("SELECT params FROM bench_generated WHERE generator = %s", [GENERATOR])
        row = cursor.fetchone()
    recorded = json.loads(row[0]) if row and isinstance(row[0], str) else (row and row[0])
    if recorded != params:
        return f"generated with {recorded or 'nothing'}, not {params}"
    counts = (DeveloperProfile.objects.count(), Role.objects.count())
    if counts != (params["profiles"], params["roles"]):
        return f"holds {counts[0]:,} profiles and {counts[1]:,} roles (written to since)"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--roles", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--if-stale",
        action="store_true",
        help="generate only if the database does not already hold exactly this data",
    )
    args = parser.parse_args()
    if "genai_bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit(
            "Set DATABASE_URL to a dedicated benchmark database (its name must contain "
            "'genai_bench'); this command empties its tables."
        )
    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    params = {
        "version": GENERATOR_VERSION,
        "profiles": args.profiles,
        "roles": args.roles,
        "seed": args.seed,
    }
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if args.if_stale:
        reason = stale_reason(params)
        if reason is None:
            print(f"The database already holds {GENERATOR} {params}; kept.")
            return
        print(f"Generating: {reason}.", flush=True)
    with connection.cursor() as cursor:
        # Whatever was recorded no longer holds once the tables are emptied.
        cursor.execute("DROP TABLE IF EXISTS bench_generated")
        for model in (Match, RoleSkill, ProfileSkill, Role, DeveloperProfile, Company, Skill):
            cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
        cursor.execute(f"TRUNCATE {Industry._meta.db_table} CASCADE")
        cursor.execute("DELETE FROM auth_user WHERE username LIKE 'bench%%'")

    taxonomy = json.loads(TAXONOMY.read_text()) if TAXONOMY.exists() else None
    if taxonomy:
        skill_rows = [(s["slug"], s["name"], s["category"]) for s in taxonomy["skills"]]
        industry_rows = [(i["slug"], i["name"]) for i in taxonomy["industries"]]
    else:
        skill_rows = [(f"skill-{i}", f"Skill {i}", "technique") for i in range(300)]
        industry_rows = [(f"industry-{i}", f"Industry {i}") for i in range(12)]
    n_skills, n_ind = len(skill_rows), len(industry_rows)
    copy_rows(
        Skill,
        {
            "id": list(range(1, n_skills + 1)),
            "slug": [s[0] for s in skill_rows],
            "name": [s[1] for s in skill_rows],
            "category": [s[2] for s in skill_rows],
        },
        n_skills,
    )
    copy_rows(
        Industry,
        {
            "id": list(range(1, n_ind + 1)),
            "slug": [i[0] for i in industry_rows],
            "name": [i[1] for i in industry_rows],
            "keywords": [[] for _ in range(n_ind)],
        },
        n_ind,
    )
    n_comp = 2000
    copy_rows(
        Company,
        {
            "id": list(range(1, n_comp + 1)),
            "name": [f"Bench Company {i}" for i in range(n_comp)],
            "slug": [f"bench-company-{i}" for i in range(n_comp)],
        },
        n_comp,
    )
    # Popularity: a Zipf-like skew over a shuffled taxonomy, so "Python" need not be first.
    popularity = 1.0 / np.arange(1, n_skills + 1) ** 0.9
    popularity = popularity[rng.permutation(n_skills)]
    popularity /= popularity.sum()
    skill_ids = np.arange(1, n_skills + 1)

    np_ = args.profiles
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM auth_user")
        first_user = cursor.fetchone()[0] + 1
    user_ids = list(range(first_user, first_user + np_))
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY auth_user (id, password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined) FROM STDIN"
        ) as copy:
            for i, uid in enumerate(user_ids):
                copy.write_row(
                    (
                        uid,
                        "!",
                        False,
                        f"bench{i}",
                        "",
                        "",
                        f"bench{i}@example.com",
                        False,
                        True,
                        NOW,
                    )
                )
        cursor.execute("SELECT setval('auth_user_id_seq', (SELECT MAX(id) FROM auth_user))")
    countries = rng.choice(COUNTRIES, size=np_, p=COUNTRY_P / COUNTRY_P.sum())
    has_floor = rng.random(np_) < 0.6
    copy_rows(
        DeveloperProfile,
        {
            "id": list(range(1, np_ + 1)),
            "user_id": user_ids,
            "headline": "Bench developer",
            "workplace_preference": rng.choice(
                ["remote_only", "hybrid_ok", "onsite_ok"], size=np_, p=[0.4, 0.4, 0.2]
            ).tolist(),
            "needs_worldwide": (rng.random(np_) < 0.15).tolist(),
            "country": countries.tolist(),
            "seniority": rng.choice(
                SENIORITY, size=np_, p=SENIORITY_P / SENIORITY_P.sum()
            ).tolist(),
            "salary_floor": [
                int(x) * 1000 if f else None
                for x, f in zip(rng.integers(40, 200, np_), has_floor, strict=True)
            ],
            "salary_currency": [currency_of(c) for c in countries.tolist()],
            "discoverable": (rng.random(np_) < 0.3).tolist(),
        },
        np_,
    )
    ps_profile, ps_skill, ps_level, ps_years = [], [], [], []
    levels = np.array(["learning", "working", "expert"])
    for pid in range(1, np_ + 1):
        k = int(rng.integers(5, 21))
        chosen = rng.choice(skill_ids, size=k, replace=False, p=popularity)
        ps_profile.extend([pid] * k)
        ps_skill.extend(chosen.tolist())
        ps_level.extend(levels[rng.choice(3, size=k, p=[0.25, 0.5, 0.25])].tolist())
        ps_years.extend(rng.integers(0, 10, size=k).tolist())
    copy_rows(
        ProfileSkill,
        {
            "id": list(range(1, len(ps_profile) + 1)),
            "profile_id": ps_profile,
            "skill_id": ps_skill,
            "level": ps_level,
            "years": ps_years,
        },
        len(ps_profile),
    )
    through = DeveloperProfile.industries.through
    ind_p, ind_i = [], []
    for pid in range(1, np_ + 1):
        k = int(rng.choice([0, 0, 1, 2, 3]))
        for ind in rng.choice(np.arange(1, n_ind + 1), size=k, replace=False).tolist():
            ind_p.append(pid)
            ind_i.append(ind)
    copy_rows(
        through,
        {"id": list(range(1, len(ind_p) + 1)), "developerprofile_id": ind_p, "industry_id": ind_i},
        len(ind_p),
    )
    print(f"profiles: {np_} with {len(ps_profile)} skills ({time.perf_counter() - started:.0f}s)")

    nr = args.roles
    workplace = rng.choice(["remote", "hybrid", "onsite"], size=nr, p=[0.5, 0.25, 0.25])
    remote = workplace == "remote"
    worldwide = remote & (rng.random(nr) < 0.4)
    restricted = remote & ~worldwide & (rng.random(nr) < 0.6)
    role_country = rng.choice(COUNTRIES[:-1], size=nr, p=COUNTRY_P[:-1] / COUNTRY_P[:-1].sum())
    has_salary = rng.random(nr) < 0.6
    low = rng.integers(50, 220, nr) * 1000
    applicants = [
        sorted({c, *rng.choice(COUNTRIES[:-1], size=int(rng.integers(0, 4))).tolist()}) if r else []
        for c, r in zip(role_country.tolist(), restricted.tolist(), strict=True)
    ]
    copy_rows(
        Role,
        {
            "id": list(range(1, nr + 1)),
            "title": [f"Bench ML Engineer {i}" for i in range(nr)],
            "slug": "bench-ml-engineer",
            "company_id": rng.integers(1, n_comp + 1, nr).tolist(),
            "industry_id": [
                int(x) if rng.random() < 0.9 else None for x in rng.integers(1, n_ind + 1, nr)
            ],
            "description": "Build generative-AI products.",
            "country": [
                "" if w else c
                for w, c in zip(worldwide.tolist(), role_country.tolist(), strict=True)
            ],
            "workplace": workplace.tolist(),
            "worldwide": worldwide.tolist(),
            "applicant_countries": applicants,
            "seniority": rng.choice(SENIORITY, size=nr, p=SENIORITY_P / SENIORITY_P.sum()).tolist(),
            "salary_min": [int(x) if h else None for x, h in zip(low, has_salary, strict=True)],
            "salary_max": [
                int(x * 1.3) if h else None for x, h in zip(low, has_salary, strict=True)
            ],
            "salary_yearly_min": [
                int(x) if h else None for x, h in zip(low, has_salary, strict=True)
            ],
            "salary_yearly_max": [
                int(x * 1.3) if h else None for x, h in zip(low, has_salary, strict=True)
            ],
            "salary_currency": [
                currency_of(c) if h else ""
                for c, h in zip(role_country.tolist(), has_salary, strict=True)
            ],
            "status": "published",
            "posted_at": [NOW - timedelta(minutes=i) for i in range(nr)],
            "origin": "recruiter",
        },
        nr,
    )
    rs_role, rs_skill, rs_kind = [], [], []
    for rid in range(1, nr + 1):
        n_req, n_nice = int(rng.integers(3, 9)), int(rng.integers(0, 4))
        chosen = rng.choice(skill_ids, size=n_req + n_nice, replace=False, p=popularity).tolist()
        rs_role.extend([rid] * (n_req + n_nice))
        rs_skill.extend(chosen)
        rs_kind.extend(["required"] * n_req + ["nice"] * n_nice)
    copy_rows(
        RoleSkill,
        {
            "id": list(range(1, len(rs_role) + 1)),
            "role_id": rs_role,
            "skill_id": rs_skill,
            "kind": rs_kind,
        },
        len(rs_role),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "CREATE TABLE bench_generated (generator text PRIMARY KEY, params jsonb NOT NULL, "
            "finished_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(
            "INSERT INTO bench_generated (generator, params) VALUES (%s, %s)",
            [GENERATOR, Jsonb(params)],
        )
    print(f"roles: {nr} with {len(rs_role)} skills ({time.perf_counter() - started:.0f}s total)")


if __name__ == "__main__":
    main()

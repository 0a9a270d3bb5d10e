"""Load N realistic roles into a dedicated PostgreSQL database for the search benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_bench_search \
        .venv/bin/python -m bench.search.generate --roles 1000000 [--if-stale | --check]

Migrates, empties the role, company and taxonomy tables, then loads the taxonomy
(opportunities/data/taxonomy.json), companies and roles. Deterministic: every role comes from
a generator seeded by its chunk, so the same --roles gives the same rows whatever the number of
workers. Roles are staged with COPY from two worker processes and inserted with their search
vectors already assembled: the search trigger is disabled during the load, and each vector is
the role's head (title, skills, company) plus its own paragraph computed with to_tsvector,
concatenated with the precomputed vectors of the shared paragraphs its description is made of,
which gives the lexemes the trigger would compute at a fraction of the cost. The trigger is
enabled again afterwards, so later writes (the ingest benchmark's) compute their own. Secondary
indexes are dropped before the load and rebuilt after it, then everything is VACUUM ANALYZEd.

The last step records what was generated in the table bench_generated; an interrupted run
leaves none. `--if-stale` does nothing when that record matches (same generator version,
roles and companies) and the role count agrees; `--check` only says whether it does (exit
status 1 if not), for the ingest benchmark, which copies this database. Not part of the test
suite.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parents[2]
TAXONOMY = ROOT / "opportunities" / "data" / "taxonomy.json"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
CHUNK = 5_000
# Bump when what the generator writes changes (columns, distributions, vectors), so databases
# generated before are regenerated (--if-stale) or refused (--check).
GENERATOR = "bench.search.generate"
GENERATOR_VERSION = 3  # 3: vectors through opportunities_search_text (migration 0016)

FALLBACK_INDUSTRIES = [
    ("healthcare-medicine", "Healthcare & Medicine"),
    ("finance-banking", "Finance & Banking"),
    ("media-entertainment", "Media & Entertainment"),
    ("retail-ecommerce", "Retail & E-commerce"),
    ("legal", "Legal"),
    ("education", "Education"),
    ("developer-tools", "Developer Tools"),
    ("robotics", "Robotics"),
]
FALLBACK_SKILLS = [
    "Python",
    "PyTorch",
    "TensorFlow",
    "JAX",
    "LangChain",
    "LlamaIndex",
    "Kubernetes",
    "AWS",
    "GCP",
    "Azure",
    "Docker",
    "Rust",
    "Go",
    "TypeScript",
    "React",
    "SQL",
    "PostgreSQL",
    "Redis",
    "Spark",
    "Ray",
    "CUDA",
    "Triton",
    "vLLM",
    "Hugging Face Transformers",
    "RAG",
    "Fine-tuning",
    "RLHF",
    "LoRA",
    "Computer Vision",
    "Diffusion Models",
    "Speech Recognition",
    "MLOps",
]

TITLES = [
    "{s} Machine Learning Engineer",
    "{s} AI Engineer",
    "{s} LLM Engineer",
    "{s} Applied Scientist",
    "{s} Research Engineer",
    "{s} Data Scientist",
    "{s} MLOps Engineer",
    "{s} Software Engineer, Generative AI",
    "{s} NLP Engineer",
    "{s} Computer Vision Engineer",
    "{s} Prompt Engineer",
    "{s} AI Platform Engineer",
    "{s} Backend Engineer, AI Products",
    "{s} Inference Engineer",
    "{s} Speech AI Engineer",
    "{s} Full-Stack Engineer, LLM Applications",
    "{s} Research Scientist, Multimodal",
    "{s} Engineering Manager, Machine Learning",
    "{s} AI Solutions Architect",
]
SENIORITY_WORD = {
    "intern": "Intern",
    "junior": "Junior",
    "mid": "",
    "senior": "Senior",
    "lead": "Staff",
    "executive": "Head of",
}
SENTENCES = [
    "You will design and ship {skill} services that put {topic} in front of {users}.",
    "Our team builds {topic} for {users}, and we care about evaluation as much as demos.",
    "You have shipped production systems with {skill} and {skill2}.",
    "Experience with {skill} is required; {skill2} is a plus.",
    "We run inference at scale on {infra} and measure latency, cost and quality together.",
    "You will own the retrieval pipeline, from chunking and embeddings to reranking.",
    "You will work closely with {partners} to turn research prototypes into reliable features.",
    "Familiarity with {domain} workflows helps you understand what our customers need.",
    "We value clear writing, careful code review and honest post-mortems.",
    "You will fine-tune open-weight models and build the evaluation harness behind them.",
    "The role involves {topic}, data curation and red-teaming before every release.",
    "We offer {benefit}, {benefit2} and a learning budget for conferences and courses.",
    "Our stack includes {skill}, {skill2} and {skill3}, deployed on {infra}.",
    "You enjoy debugging GPU memory, tokenizer edge cases and flaky evaluations.",
    "You can explain trade-offs between prompting, retrieval and fine-tuning to non-experts.",
    "We are a {size} team backed by investors who understand long research horizons.",
    "You will mentor engineers who are new to {skill} and generative models.",
    "Privacy and safety reviews are part of how we ship, not an afterthought.",
    "Our customers in {domain} rely on us for {topic} that is accurate and auditable.",
    "You will build tooling for {topic} and help define our model governance practices.",
]
TOPICS = [
    "document understanding",
    "conversational assistants",
    "code generation",
    "search and recommendations",
    "clinical summarisation",
    "fraud detection",
    "content moderation",
    "speech synthesis",
    "image generation",
    "video understanding",
    "agentic workflows",
    "knowledge graphs",
    "forecasting",
    "contract analysis",
    "tutoring assistants",
    "claims automation",
    "drug discovery",
    "robot manipulation",
]
RARE_WORDS = [
    "bioinformatics",
    "lidar",
    "quantization",
    "homomorphic",
    "seismology",
    "actuarial",
    "geospatial",
    "pharmacovigilance",
    "neuromorphic",
    "cryptography",
]
USERS = [
    "clinicians",
    "analysts",
    "lawyers",
    "teachers",
    "developers",
    "shoppers",
    "creators",
    "underwriters",
    "support agents",
    "researchers",
    "students",
    "editors",
]
PARTNERS = ["product managers", "designers", "researchers", "domain experts", "data engineers"]
INFRA = ["Kubernetes", "AWS", "GCP", "Azure", "bare-metal GPU clusters", "Modal", "Ray clusters"]
BENEFITS = [
    "equity",
    "private health insurance",
    "a four-day week in summer",
    "parental leave",
    "home-office budget",
    "paid research time",
    "relocation support",
]
SIZES = ["small", "fast-growing", "remote-first", "well-funded", "research-driven"]
COUNTRIES = [
    ("US", ["San Francisco", "New York", "Seattle", "Austin", "Boston"], 30),
    ("GB", ["London", "Cambridge", "Manchester", "Edinburgh"], 10),
    ("DE", ["Berlin", "Munich", "Hamburg"], 8),
    ("FR", ["Paris", "Lyon"], 6),
    ("CA", ["Toronto", "Montreal", "Vancouver"], 6),
    ("IN", ["Bengaluru", "Hyderabad", "Pune"], 8),
    ("NL", ["Amsterdam", "Rotterdam"], 4),
    ("ES", ["Madrid", "Barcelona"], 3),
    ("PL", ["Warsaw", "Krakow"], 3),
    ("BR", ["Sao Paulo"], 3),
    ("SG", ["Singapore"], 3),
    ("AU", ["Sydney", "Melbourne"], 3),
    ("CH", ["Zurich", "Geneva"], 3),
    ("IL", ["Tel Aviv"], 2),
    ("JP", ["Tokyo"], 2),
    ("SE", ["Stockholm"], 2),
    ("IE", ["Dublin"], 2),
    ("KE", ["Nairobi"], 1),
    ("NG", ["Lagos"], 1),
    ("EE", ["Tallinn"], 1),
]
CURRENCY = {
    "US": "USD",
    "GB": "GBP",
    "IN": "INR",
    "CA": "CAD",
    "AU": "AUD",
    "CH": "CHF",
    "JP": "JPY",
    "SE": "SEK",
    "SG": "SGD",
    "BR": "BRL",
    "PL": "PLN",
    "IL": "ILS",
}
YEARLY_FACTOR = {"year": 1, "month": 12, "hour": 2080}


def load_taxonomy() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    if TAXONOMY.exists():
        data = json.loads(TAXONOMY.read_text())
        industries = [(i["slug"], i["name"]) for i in data["industries"]]
        skills = [(s["slug"], s["name"], s.get("category", "technique")) for s in data["skills"]]
        return industries, skills
    from django.utils.text import slugify

    return FALLBACK_INDUSTRIES, [(slugify(n), n, "technique") for n in FALLBACK_SKILLS]


def company_names(count: int) -> list[str]:
    rng = random.Random(7)
    first = [
        "Neur",
        "Synth",
        "Lumen",
        "Vector",
        "Cortex",
        "Quill",
        "Atlas",
        "Helio",
        "Nimbus",
        "Orbit",
        "Prism",
        "Tensor",
        "Aether",
        "Kite",
        "Mosaic",
        "Signal",
        "Delta",
        "Vale",
    ]
    second = ["ai", "ly", "labs", "works", "forge", "mind", "scale", "stack", "wave", "grid"]
    suffix = ["", " AI", " Labs", " Health", " Capital", " Media", " Robotics", " Learning"]
    names, seen = [], set()
    while len(names) < count:
        name = f"{rng.choice(first)}{rng.choice(second)}{rng.choice(suffix)}"
        if name in seen:
            name = f"{name} {len(names)}"
        seen.add(name)
        names.append(name)
    return names


def role_columns(conn: psycopg.Connection) -> list[tuple[str, str, bool, bool]]:
    rows = conn.execute(
        "SELECT column_name, data_type, is_nullable = 'YES', column_default IS NOT NULL "
        "FROM information_schema.columns WHERE table_name = 'opportunities_role' "
        "ORDER BY ordinal_position"
    ).fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def filler(data_type: str):
    """A value for a NOT NULL column this generator does not know (added by someone later)."""
    if data_type in {"text", "character varying"}:
        return ""
    if data_type == "boolean":
        return False
    if data_type in {"integer", "bigint", "smallint", "numeric", "double precision", "real"}:
        return 0
    if data_type in {"jsonb", "json"}:
        return "[]"
    if data_type.startswith("timestamp"):
        return NOW
    return ""


def fill_sentence(rng: random.Random, template: str, names: list[str], domain: str) -> str:
    return template.format(
        skill=rng.choice(names),
        skill2=rng.choice(names),
        skill3=rng.choice(names),
        topic=rng.choice(TOPICS),
        users=rng.choice(USERS),
        infra=rng.choice(INFRA),
        partners=rng.choice(PARTNERS),
        domain=domain.lower(),
        benefit=rng.choice(BENEFITS),
        benefit2=rng.choice(BENEFITS),
        size=rng.choice(SIZES),
    )


def paragraph_pool(skills: list[tuple[int, str]], industries: list[tuple[int, str]]) -> list[str]:
    rng = random.Random(3)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(skills))]
    pool = []
    for _ in range(40_000):
        names = [s[1] for s in rng.choices(skills, weights=weights, k=3)]
        domain = rng.choice(industries)[1]
        text = " ".join(
            fill_sentence(rng, rng.choice(SENTENCES), names, domain)
            for _ in range(rng.randint(3, 6))
        )
        pool.append(f"<p>{text}</p>")
    return pool


def build_role(rng: random.Random, role_id: int, ctx: dict) -> dict:
    skills = ctx["skills"]
    seniority = rng.choices(list(SENIORITY_WORD), weights=[2, 12, 30, 34, 15, 7])[0]
    skill_count = rng.randint(3, 9)
    picked = set()
    while len(picked) < skill_count:
        picked.add(rng.choices(ctx["skill_idx"], cum_weights=ctx["skill_cum"])[0])
    picked_skills = [skills[i] for i in sorted(picked)]
    main_skill = picked_skills[0][1]
    title = rng.choice(TITLES).format(s=SENIORITY_WORD[seniority]).strip()
    if rng.random() < 0.35:
        title = f"{title} ({main_skill})"
    industry_id, industry_name = rng.choice(ctx["industries"])
    company_id = rng.randrange(1, ctx["companies"] + 1)
    country, cities, _ = rng.choices(COUNTRIES, cum_weights=ctx["country_cum"])[0]
    workplace = rng.choices(["remote", "hybrid", "onsite"], weights=[40, 30, 30])[0]
    worldwide = workplace == "remote" and rng.random() < 0.4
    applicant_countries = []
    if workplace == "remote" and not worldwide:
        applicant_countries = sorted(
            {country} | {c[0] for c in rng.sample(COUNTRIES, rng.randint(0, 3))}
        )
    names = [s[1] for s in picked_skills]

    # Most of a description comes from a shared pool of paragraphs (fast to assemble); one
    # paragraph is written for this role, naming its own skills, industry and title.
    own = fill_sentence(rng, rng.choice(SENTENCES[:5]), names, industry_name)
    own_paragraph = f"<p>{title} at a company working in {industry_name.lower()}. {own}</p>"
    if rng.random() < 0.01:
        own_paragraph += f"\n<p>Experience with {rng.choice(RARE_WORDS)} is a strong plus.</p>"
    target = rng.randint(2000, 3200)
    length = len(own_paragraph)
    pool, pool_ids = ctx["pool"], []
    while length < target:
        index = rng.randrange(len(pool))
        pool_ids.append(index + 1)
        length += len(pool[index]) + 1

    salary_min = salary_max = yearly_min = yearly_max = None
    currency, period = "", "year"
    if rng.random() < 0.7:
        period = rng.choices(["year", "month", "hour"], weights=[85, 8, 7])[0]
        base = (
            {"intern": 45, "junior": 80, "mid": 120, "senior": 160, "lead": 200, "executive": 240}[
                seniority
            ]
            * 1000
            * rng.uniform(0.7, 1.3)
        )
        per = base / YEARLY_FACTOR[period]
        salary_min = int(round(per, -2 if period == "year" else 0))
        salary_max = int(round(per * rng.uniform(1.1, 1.5), -2 if period == "year" else 0))
        yearly_min = salary_min * YEARLY_FACTOR[period]
        yearly_max = salary_max * YEARLY_FACTOR[period]
        currency = CURRENCY.get(country, "EUR")
    status = rng.choices(["published", "closed", "expired", "draft"], weights=[88, 5, 5, 2])[0]
    posted_at = NOW - timedelta(seconds=rng.randrange(0, 120 * 86400))
    expires_at = posted_at + timedelta(days=rng.choice([30, 60, 90, 180]))
    if status == "published" and rng.random() < 0.5:
        expires_at = None
    elif status == "published":
        expires_at = max(expires_at, datetime(2099, 1, 1, tzinfo=UTC))
    return {
        "id": role_id,
        "created_at": posted_at,
        "updated_at": posted_at,
        "title": title,
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:200],
        "company_id": company_id,
        "industry_id": industry_id,
        "_own": own_paragraph,
        "_paras": pool_ids,
        "city": rng.choice(cities) if workplace != "remote" or rng.random() < 0.3 else "",
        "region": "",
        "country": country,
        "workplace": workplace,
        "worldwide": worldwide,
        "applicant_countries": json.dumps(applicant_countries),
        "applicant_regions": "[]",
        "applicant_timezones": "",
        "visa_sponsorship": rng.random() < 0.15,
        "employment_type": rng.choices(
            ["full_time", "part_time", "contract", "temporary", "internship"],
            weights=[80, 4, 12, 1, 3],
        )[0],
        "seniority": seniority,
        "salary_min": salary_min,
        "salary_max": salary_max,
        "salary_currency": currency,
        "salary_period": period,
        "salary_yearly_min": yearly_min,
        "salary_yearly_max": yearly_max,
        "apply_url": f"https://jobs.example.com/{role_id}",
        "status": status,
        "posted_at": posted_at,
        "expires_at": expires_at,
        "origin": "ingest",
        "external_id": "",
        "skill_ids": json.dumps(sorted(s[0] for s in picked_skills)),
        "skill_text": " ".join(sorted(names)),
        "_skills": [(s[0], "required" if k < 4 else "nice") for k, s in enumerate(picked_skills)],
    }


# The description is the role's own paragraph plus paragraphs from the pool, and its vector is
# the same text's vector assembled from the pool's precomputed ones: identical lexemes to what
# the trigger would compute, at a fraction of the cost (parsing 2.8 KB costs ~0.7 ms a role).
INSERT_FROM_STAGE = """
INSERT INTO opportunities_role ({cols}, description, search_head, search_vector)
SELECT {stage_cols}, s._own || coalesce(p.html, ''), h.head,
       h.head || setweight(to_tsvector('english', opportunities_search_text(s._own)), 'D')
       || coalesce(p.vec, '')
FROM bench_stage s
JOIN opportunities_company c ON c.id = s.company_id
CROSS JOIN LATERAL (
    SELECT setweight(to_tsvector('english', opportunities_search_title(s.title)), 'A')
           || setweight(to_tsvector('english', opportunities_search_title(s.skill_text)), 'B')
           || setweight(to_tsvector('english', opportunities_search_text(c.name)), 'C') AS head
) h
CROSS JOIN LATERAL (
    SELECT string_agg(E'\n' || bp.html, '' ORDER BY u.o) AS html,
           tsvector_agg(bp.vec ORDER BY u.o) AS vec
    FROM unnest(s._paras) WITH ORDINALITY AS u(pid, o)
    JOIN bench_paragraph bp ON bp.id = u.pid
) p
"""


def load_chunks(args: tuple[str, list[int], dict]) -> int:
    dsn, chunk_starts, ctx = args
    written = 0
    with psycopg.connect(dsn, autocommit=True) as conn:
        columns = role_columns(conn)
        skip = {"search_vector", "search_head", "description"}
        names = [c[0] for c in columns if c[0] not in skip]
        types = {c[0]: (c[1], c[2], c[3]) for c in columns}
        col_sql = ", ".join(f'"{n}"' for n in names)
        conn.execute(
            "CREATE TEMP TABLE bench_stage AS SELECT "
            + col_sql
            + ", ''::text AS _own, '{}'::int[] AS _paras FROM opportunities_role LIMIT 0"
        )
        insert = INSERT_FROM_STAGE.format(
            cols=col_sql, stage_cols=", ".join(f's."{n}"' for n in names)
        )
        for start in chunk_starts:
            rng = random.Random(1_000_003 * start + 11)
            end = min(start + CHUNK, ctx["total"] + 1)
            roles = [build_role(rng, i, ctx) for i in range(start, end)]
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("TRUNCATE bench_stage")
                with cur.copy(f"COPY bench_stage ({col_sql}, _own, _paras) FROM STDIN") as copy:
                    for role in roles:
                        row = []
                        for name in names:
                            if name in role:
                                row.append(role[name])
                            else:
                                data_type, nullable, _ = types[name]
                                row.append(None if nullable else filler(data_type))
                        row.append(role["_own"])
                        row.append(role["_paras"])
                        copy.write_row(row)
                cur.execute(insert)
                with cur.copy(
                    "COPY opportunities_roleskill (role_id, skill_id, kind) FROM STDIN"
                ) as copy:
                    for role in roles:
                        for skill_id, kind in role["_skills"]:
                            copy.write_row((role["id"], skill_id, kind))
            written += len(roles)
            print(
                f"  {time.strftime('%H:%M:%S')} pid {os.getpid()}: roles up to {end - 1} loaded",
                flush=True,
            )
    return written


def generated_params(roles: int, companies: int) -> dict:
    return {"version": GENERATOR_VERSION, "roles": roles, "companies": companies}


def stale_reason(dsn: str, params: dict) -> str | None:
    """Why the database does not hold what these parameters generate, or None if it does."""
    database = dsn.rsplit("/", 1)[-1]
    try:
        conn = psycopg.connect(dsn, autocommit=True)
    except psycopg.OperationalError as error:
        return f"cannot connect to {database} ({str(error).strip().splitlines()[-1]})"
    with conn:
        exists = conn.execute("SELECT to_regclass('bench_generated') IS NOT NULL").fetchone()[0]
        if not exists:
            return f"{database} holds no complete run of {GENERATOR} (no bench_generated)"
        row = conn.execute(
            "SELECT params FROM bench_generated WHERE generator = %s", [GENERATOR]
        ).fetchone()
        if row is None or row[0] != params:
            return f"{database} was generated with {row[0] if row else 'nothing'}, not {params}"
        roles = conn.execute("SELECT count(*) FROM opportunities_role").fetchone()[0]
        if roles != params["roles"]:
            return f"{database} holds {roles:,} roles, not {params['roles']:,} (written to since)"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-migrate", action="store_true")
    when = parser.add_mutually_exclusive_group()
    when.add_argument(
        "--if-stale",
        action="store_true",
        help="generate only if the database does not already hold exactly this data",
    )
    when.add_argument(
        "--check",
        action="store_true",
        help="only check that the database holds exactly this data; exit 1 if not",
    )
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if "genai_bench" not in url:
        sys.exit(
            "Set DATABASE_URL to a dedicated benchmark database (its name must contain "
            "'genai_bench'); this command empties its tables."
        )
    dsn = url.replace("postgres://", "postgresql://", 1)
    params = generated_params(options.roles, options.companies)
    if options.check or options.if_stale:
        reason = stale_reason(dsn, params)
        if options.check:
            if reason:
                sys.exit(f"{reason}: run make bench-search (or {GENERATOR}) first.")
            print(f"{dsn.rsplit('/', 1)[-1]} holds {GENERATOR} {params}.")
            return
        if reason is None:
            print(f"{dsn.rsplit('/', 1)[-1]} already holds {GENERATOR} {params}; kept.")
            if not options.skip_migrate:
                subprocess.run(
                    [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True
                )
            return
        print(f"Generating: {reason}.", flush=True)
    started = time.monotonic()
    if not options.skip_migrate:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    industries, skills = load_taxonomy()
    with psycopg.connect(dsn, autocommit=True) as conn:
        # Whatever was recorded no longer holds once the tables are emptied.
        conn.execute("DROP TABLE IF EXISTS bench_generated")
        conn.execute(
            "TRUNCATE opportunities_roleskill, opportunities_role, opportunities_skillalias, "
            "opportunities_skill, opportunities_industry, opportunities_company "
            "RESTART IDENTITY CASCADE"
        )
        with conn.cursor() as cur:
            with cur.copy(
                "COPY opportunities_industry (id, created_at, updated_at, name, slug, "
                "description, keywords, active) FROM STDIN"
            ) as copy:
                for i, (slug, name) in enumerate(industries, 1):
                    copy.write_row((i, NOW, NOW, name, slug, "", "[]", True))
            with cur.copy(
                "COPY opportunities_skill (id, created_at, updated_at, name, slug, category, "
                "match_name, active) FROM STDIN"
            ) as copy:
                for i, (slug, name, category) in enumerate(skills, 1):
                    copy.write_row((i, NOW, NOW, name, slug, category, True, True))
            with cur.copy(
                "COPY opportunities_company (id, created_at, updated_at, name, slug, website, "
                "description, verified, logo_url, publish_without_review) FROM STDIN"
            ) as copy:
                for i, name in enumerate(company_names(options.companies), 1):
                    slug = name.lower().replace(" ", "-")
                    copy.write_row((i, NOW, NOW, name, slug, "", "", i % 5 == 0, "", False))
        for table in ("industry", "skill", "company"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('opportunities_{table}', 'id'), "
                f"(SELECT max(id) FROM opportunities_{table}))"
            )
        # Secondary indexes (GIN above all) are much faster to build once than row by row.
        gin = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.tablename IN ('opportunities_role', 'opportunities_roleskill') "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        ).fetchall()
        for name, _ in gin:
            conn.execute(f'DROP INDEX "{name}"')
    ctx = {
        "total": options.roles,
        "companies": options.companies,
        "industries": [(i, name) for i, (_, name) in enumerate(industries, 1)],
        "skills": [(i, name) for i, (_, name, _) in enumerate(skills, 1)],
        "skill_idx": list(range(len(skills))),
        # Popularity falls off like real postings: Python everywhere, niche tools rarely.
        "skill_cum": list(
            itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(skills)))
        ),
        "country_cum": list(itertools.accumulate(c[2] for c in COUNTRIES)),
    }
    ctx["pool"] = paragraph_pool(ctx["skills"], ctx["industries"])
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_paragraph")
        conn.execute("CREATE TABLE bench_paragraph (id int PRIMARY KEY, html text, vec tsvector)")
        with conn.cursor() as cur, cur.copy("COPY bench_paragraph (id, html) FROM STDIN") as copy:
            for i, html in enumerate(ctx["pool"], 1):
                copy.write_row((i, html))
        conn.execute(
            "UPDATE bench_paragraph SET vec = "
            "setweight(to_tsvector('english', opportunities_search_text(html)), 'D')"
        )
        conn.execute(
            "CREATE OR REPLACE AGGREGATE tsvector_agg(tsvector) "
            "(SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')"
        )
        conn.execute(
            "ALTER TABLE opportunities_role DISABLE TRIGGER opportunities_role_search_update"
        )
    print(f"Paragraph pool ready at {time.monotonic() - started:.0f} s", flush=True)
    starts = list(range(1, options.roles + 1, CHUNK))
    parts = [(dsn, starts[w :: options.workers], ctx) for w in range(options.workers)]
    print(f"Loading {options.roles:,} roles with {options.workers} workers …", flush=True)
    with multiprocessing.Pool(options.workers) as pool:
        total = sum(pool.map(load_chunks, parts))
    print(f"Loaded {total:,} roles in {time.monotonic() - started:.0f} s; building indexes …")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "ALTER TABLE opportunities_role ENABLE TRIGGER opportunities_role_search_update"
        )
        conn.execute("DROP TABLE bench_paragraph")
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('opportunities_role', 'id'), "
            "(SELECT max(id) FROM opportunities_role))"
        )
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('opportunities_roleskill', 'id'), "
            "(SELECT max(id) FROM opportunities_roleskill))"
        )
        for name, definition in gin:
            t = time.monotonic()
            conn.execute(definition)
            print(f"  {name}: {time.monotonic() - t:.0f} s", flush=True)
        conn.execute("VACUUM ANALYZE opportunities_role")
        conn.execute("VACUUM ANALYZE opportunities_roleskill")
        conn.execute("ANALYZE")
        conn.execute(
            "CREATE TABLE bench_generated (generator text PRIMARY KEY, params jsonb NOT NULL, "
            "finished_at timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute(
            "INSERT INTO bench_generated (generator, params) VALUES (%s, %s)",
            [GENERATOR, Jsonb(params)],
        )
    print(f"Done in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()

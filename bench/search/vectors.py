"""What spelling symbol names out costs the search trigger, per role, in PostgreSQL CPU.

Since migration 0016 the trigger vectorises a role's title, skills, company and description
through opportunities_search_text() (C++, C#, .NET and *.js names written as words; slashes
spaced in titles). This measures that against the plain to_tsvector of the same text, over
descriptions assembled like the search benchmark's (~2.8 KB of generated HTML), interleaved
round by round on one connection, with the backend's CPU read from /proc:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/genai_main \\
        .venv/bin/python -m bench.search.vectors --roles 5000 --rounds 6

The database needs migration 0016 (for the two functions); nothing is written to its tables.
"""

from __future__ import annotations

import argparse
import os
import random

import psycopg

from bench.measure import Backend, backend_pid, load_average
from bench.search.generate import load_taxonomy, paragraph_pool

PLAIN = """
SELECT sum(length(
    setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('english', skills), 'B')
    || setweight(to_tsvector('english', description), 'D')))
FROM bench_vectors
"""
SPELLED = """
SELECT sum(length(
    setweight(to_tsvector('english', opportunities_search_title(title)), 'A')
    || setweight(to_tsvector('english', opportunities_search_title(skills)), 'B')
    || setweight(to_tsvector('english', opportunities_search_text(description)), 'D')))
FROM bench_vectors
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    dsn = os.environ["DATABASE_URL"]
    _, skills = load_taxonomy()
    skill_names = [(n, name) for n, (_, name, _) in enumerate(skills)]
    pool = paragraph_pool(skill_names, [(0, "health care"), (1, "finance"), (2, "media")])
    rng = random.Random(11)
    rows = [
        (
            " ".join((rng.choice(["Senior", "Mid/Senior", "Staff"]), rng.choice(skill_names)[1])),
            " ".join(name for _, name in rng.sample(skill_names, 8)),
            "\n".join(rng.sample(pool, 8)),
        )
        for _ in range(args.roles)
    ]
    load_before = load_average()
    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_vectors (title text, skills text, description text)"
        )
        with cursor.copy("COPY bench_vectors FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        backend = Backend(backend_pid(cursor))
        cpu = {"plain": [], "spelled": []}
        for round_number in range(args.rounds):
            order = [("plain", PLAIN), ("spelled", SPELLED)]
            if round_number % 2:
                order.reverse()  # neither always runs first
            for name, statement in order:
                before = backend.cpu()
                cursor.execute(statement)
                cursor.fetchone()
                cpu[name].append(backend.cpu() - before)
    plain = sorted(cpu["plain"])[len(cpu["plain"]) // 2]
    spelled = sorted(cpu["spelled"])[len(cpu["spelled"]) // 2]
    average = sum(len(row[2]) for row in rows) / len(rows)
    print(f"{args.roles} roles, descriptions of {average:,.0f} characters on average")
    print(f"load average before {load_before}, after {load_average()}")
    print(f"plain to_tsvector:        {1e6 * plain / args.roles:7.1f} µs CPU a role (median)")
    print(f"through the spelling fns: {1e6 * spelled / args.roles:7.1f} µs CPU a role (median)")
    print(f"ratio: {spelled / plain:.2f}x, rounds interleaved: {args.rounds}")


if __name__ == "__main__":
    main()

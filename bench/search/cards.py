"""Role cards: the Jinja2 template against the f-string renderer it replaced, on the same cards.

    .venv/bin/python -m bench.search.cards [--rounds 200] [--batch 20] [--old-commit REV]

Renders pages of 20 cards (built in memory: no database) with the old code (the
{% role_cards %} tag of opportunities/templatetags/search_page.py as it was at --old-commit,
read with `git show`) and with the new, interleaved: each round times a batch of pages with
each, in alternating order, as process CPU time (time.process_time). Every page of a run has
its own titles and links (skills, companies and labels repeat, as on the site), so that
neither side gains from having escaped the same text before. Reports the median and p10/p90
per page of each and the ratio new/old of the medians. It first checks that both write the
same bytes. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import types
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from opportunities.search.cards import CardSkill, RoleCard  # noqa: E402
from opportunities.templatetags import search_page  # noqa: E402

# The last commit whose tag wrote the cards with f-strings.
OLD_COMMIT = "a389380"
TAG_MODULE = "opportunities/templatetags/search_page.py"
SKILLS = [
    ("pytorch", "PyTorch"),
    ("rag", "RAG"),
    ("jax", "JAX"),
    ("kubernetes", "Kubernetes"),
    ("aws", "AWS"),
    ("rust", "Rust"),
    ("go", "Go"),
    ("sql", "SQL"),
    ("ray", "Ray"),
    ("cuda", "C++ & <CUDA>"),
    ("langchain", "LangChain"),
]


def old_tag_module(commit: str) -> types.ModuleType:
    """The tag module as it was at `commit`, loaded under another name."""
    source = subprocess.run(
        ["git", "show", f"{commit}:{TAG_MODULE}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("old_search_page")
    exec(compile(source, f"{commit}:{TAG_MODULE}", "exec"), module.__dict__)  # noqa: S102
    return module


def page_of_cards(now: datetime, page: int = 0) -> list[RoleCard]:
    """20 cards with every badge, salary and skill-count combination a page shows."""
    cards = []
    for n in range(20):
        pk = 1000 + 20 * page + n
        cards.append(
            RoleCard(
                pk=pk,
                title=f'Senior "LLM" Engineer {pk} <Evals> & Safety' if n % 5 == 0 else f"ML {pk}",
                url=f"/jobs/{pk}-ml-engineer-{pk}/",
                company_name="Acme & <Sons>" if n % 2 else "Hugging Faces",
                company_url="/companies/acme/" if n % 2 else "/companies/hugging-faces/",
                company_verified=n % 3 == 0,
                industry_name="" if n % 7 == 0 else "Healthcare & Medicine",
                workplace=("remote", "hybrid", "onsite")[n % 3],
                workplace_label=("Remote", "Hybrid", "On-site")[n % 3],
                worldwide=n % 3 == 0 and n % 2 == 0,
                seniority_label=("", "Senior", "Mid-level", "Lead")[n % 4],
                visa_sponsorship=n % 4 == 1,
                location="" if n % 6 == 0 else "Berlin, BE, DE",
                salary="" if n % 4 == 3 else "EUR 120,000\u2013150,000 per year",
                posted_at=None if n == 13 else now - timedelta(days=n % 30, hours=3 * n),
                skills=[
                    CardSkill(slug, name, k % 3 == 0)
                    for k, (slug, name) in enumerate(SKILLS[: (n * 3) % 12])
                ],
            )
        )
    return cards


def per_page(render, pages: list[list[RoleCard]], highlighted) -> float:
    start = time.process_time()
    for cards in pages:
        render(cards, highlighted)
    return (time.process_time() - start) / len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description="Role card rendering benchmark")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--batch", type=int, default=20, help="pages timed together")
    parser.add_argument("--old-commit", default=OLD_COMMIT)
    args = parser.parse_args()

    old = old_tag_module(args.old_commit).role_cards
    new = search_page.role_cards
    now = datetime(2026, 10, 1, 12, tzinfo=UTC)
    highlighted = {"pytorch", "aws"}
    warm = page_of_cards(now, page=-1)
    with timezone.override("Europe/Berlin"):
        if str(old(warm, highlighted)) != str(new(warm, highlighted)):
            sys.exit("The old and new cards differ: fix that before timing them.")
        for _ in range(3):  # warm caches (templates, translations, timesince units)
            old(warm, highlighted), new(warm, highlighted)
        times: dict[str, list[float]] = {"old": [], "new": []}
        for n in range(args.rounds):
            pages = [page_of_cards(now, page=n * args.batch + k) for k in range(args.batch)]
            order = (("old", old), ("new", new)) if n % 2 else (("new", new), ("old", old))
            for name, render in order:
                times[name].append(per_page(render, pages, highlighted))

    def summary(name: str) -> str:
        values = sorted(times[name])
        p10, p90 = values[len(values) // 10], values[len(values) * 9 // 10]
        median = statistics.median(values)
        return f"{name}: {median * 1e6:7.1f} µs/page (p10 {p10 * 1e6:.1f}, p90 {p90 * 1e6:.1f})"

    print(f"20 cards a page, {args.rounds} rounds of {args.batch} pages each, process CPU time")
    print(summary("old"))
    print(summary("new"))
    ratio = statistics.median(times["new"]) / statistics.median(times["old"])
    print(f"ratio new/old: {ratio:.3f}")


if __name__ == "__main__":
    main()

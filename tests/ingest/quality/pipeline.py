"""Run every labelled fixture through the real ingest and return what the board stored.

Each file under tests/fixtures/quality/<kind>/ is ingested by `source_ingest`, the service
`manage.py ingest` calls, into a Source of that kind (no company and no default industry, so
what is measured is what the board reads from the posting itself), after seeding the
taxonomy as `manage.py seed_taxonomy` does. The file is handed over as the stream an upload
would be, so nothing touches the network. Everything is written inside one transaction that
is rolled back, so the caller's database is left as it was and no matching task is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from opportunities.catalog.taxonomy import taxonomy_seed
from opportunities.ingest.run import source_ingest
from opportunities.models import IngestRun, Role, Skill, Source
from tests import paths
from tests.ingest.quality.scoring import Observed, Salary, Taxonomy

FIXTURES = paths.ROOT / "tests" / "fixtures" / "quality"
LABELS = FIXTURES / "labels.json"
TAXONOMY = paths.ROOT / "opportunities" / "data" / "taxonomy.json"


@dataclass(frozen=True, slots=True)
class QualityRun:
    """What the board stored for each posting (keyed "<file>#<external id>"), and its taxonomy."""

    observed: dict[str, Observed]
    taxonomy: Taxonomy
    problems: list[str]  # runs that did not succeed, items that were rejected


def fixture_files() -> list[Path]:
    """Every posting file, each in the folder named after its source kind."""
    return sorted(
        path for path in FIXTURES.glob("*/*") if path.is_file() and path.name != "labels.json"
    )


def labels_load() -> dict[str, dict]:
    return json.loads(LABELS.read_text())["postings"]


def quality_run() -> QualityRun:
    """Seed the taxonomy, ingest every fixture file, read back the roles; then roll it all back.

    Needs database access (a pytest `db` fixture or a test database set up by the report).
    """
    with transaction.atomic():
        taxonomy_seed(data=json.loads(TAXONOMY.read_text()))
        observed: dict[str, Observed] = {}
        problems: list[str] = []
        for path in fixture_files():
            name = path.relative_to(FIXTURES).as_posix()
            observed.update(_file_ingest(path, name, problems))
        taxonomy = _taxonomy_read()
        transaction.set_rollback(True)
    return QualityRun(observed=observed, taxonomy=taxonomy, problems=problems)


def _file_ingest(path: Path, name: str, problems: list[str]) -> dict[str, Observed]:
    source = Source.objects.create(
        name=f"Quality fixture {name}",
        kind=path.parent.name,
        location=f"https://quality.example/{name}",
        enabled=False,
    )
    with path.open("rb") as stream:
        run = source_ingest(source=source, stream=stream)
    if run.status != IngestRun.Status.SUCCEEDED:
        problems.append(f"{name}: the run {run.status}: {run.message}")
    for error in run.errors:
        problems.append(f"{name}: item {error.get('external_id')} rejected: {error.get('reason')}")
    roles = Role.objects.filter(source=source).select_related("industry")
    return {f"{name}#{role.external_id}": _observed(role) for role in roles}


def _observed(role: Role) -> Observed:
    kinds = dict(role.role_skills.values_list("skill__slug", "kind"))
    has_salary = role.salary_min is not None or role.salary_max is not None
    return Observed(
        title=role.title,
        required=frozenset(slug for slug, kind in kinds.items() if kind == "required"),
        nice=frozenset(slug for slug, kind in kinds.items() if kind == "nice"),
        workplace=role.workplace,
        worldwide=role.worldwide,
        applicant_countries=frozenset(role.applicant_countries or ()),
        # Not a Role column yet (issue #18 item 3 adds one); read it once it exists.
        excluded_countries=frozenset(getattr(role, "excluded_countries", None) or ()),
        applicant_timezones=role.applicant_timezones,
        salary=Salary(
            minimum=role.salary_min,
            maximum=role.salary_max,
            currency=role.salary_currency or None,
            period=role.salary_period or None,
        )
        if has_salary
        else None,
        industry=role.industry.slug if role.industry_id else None,
    )


def _taxonomy_read() -> Taxonomy:
    """The active skills' slugs, and every name and alias (lower-cased) to its skill's slug."""
    terms: dict[str, str] = {}
    slugs: set[str] = set()
    for skill in Skill.objects.active().prefetch_related("aliases"):
        slugs.add(skill.slug)
        for alias in skill.aliases.all():
            terms.setdefault(alias.name.casefold(), skill.slug)
    # A skill's own name wins over another skill's alias of the same spelling.
    for skill in Skill.objects.active().only("slug", "name"):
        terms[skill.name.casefold()] = skill.slug
    return Taxonomy(slugs=frozenset(slugs), terms=terms)

"""Create demo users, companies and roles so a newcomer sees a living board; safe to rerun."""

from __future__ import annotations

import json
import os
import random
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from accounts.services import user_ensure, user_password_set
from opportunities.catalog.curators import curators_group_sync
from opportunities.catalog.services import company_create, company_membership_add, role_create
from opportunities.insights.demo import insights_demo_seed
from opportunities.insights.services import insights_rebuild
from opportunities.matching.rematch import match_all
from opportunities.models import (
    Company,
    Industry,
    Role,
    RoleSkill,
    Skill,
    SkillAlias,
    SkillLevel,
    WorkplacePreference,
)
from opportunities.posting.demo import demo_recruiter_roles
from opportunities.posting.stats_demo import stats_demo_seed
from opportunities.profiles.services import developer_profile_ensure
from opportunities.tracker.demo import tracker_demo_seed

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_roles.json"
DEMO_PASSWORD = "genai-demo-2026"  # noqa: S105 - published in the README on purpose
DEMO_COMPANY = "northwind-health-ai"


# In production the demo logins need a password of their own, from here or generated.
LOGINS_ENV_VAR = "SEED_DEMO_PASSWORD"


class Command(BaseCommand):
    help = "Create demo users, companies and roles (idempotent: a second run adds nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=(
                "Seed even though DJANGO_ENV=production (for a staging or demo site). The demo "
                f"logins then get the password in ${LOGINS_ENV_VAR}, or a generated one."
            ),
        )

    def handle(self, *args, **options):
        self.password, self.generated = self._password(allow=options["allow_production"])
        if not Skill.objects.exists():
            call_command("seed_taxonomy", stdout=self.stdout)
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        self.rng = random.Random(2026)  # deterministic titles, dates and apply routes
        self.now = timezone.now()
        self.skills = self._skill_index()
        self.missing_skills: set[str] = set()

        users = self._users()
        companies = self._companies(data["companies"])
        recruiter = users["recruiter"]
        company_membership_add(
            company=companies[DEMO_COMPANY]["company"], user=recruiter, role="owner"
        )

        created = {"published": 0, "pending": 0, "draft": 0}
        for key, status in (
            ("roles", Role.Status.PUBLISHED),
            ("pending", Role.Status.PENDING),
            ("drafts", Role.Status.DRAFT),
        ):
            for item in data[key]:
                if self._role(item=item, status=status, companies=companies, recruiter=recruiter):
                    created[
                        {"roles": "published", "pending": "pending", "drafts": "draft"}[key]
                    ] += 1

        demo_recruiter_roles(recruiter=recruiter, company=companies[DEMO_COMPANY]["company"])
        if self.missing_skills:
            self.stderr.write(
                "Skills not in the taxonomy, left out: " + ", ".join(sorted(self.missing_skills))
            )
        self.stdout.write(
            f"Demo data: {self.users_created} users, {self.companies_created} companies, "
            f"{created['published']} published, {created['pending']} pending and "
            f"{created['draft']} draft roles created "
            f"({Role.objects.filter(status=Role.Status.PUBLISHED).count()} published in total)."
        )
        self.stdout.write(f"Role statistics: {stats_demo_seed(user=recruiter)} demo counters.")
        # Match the demo developer now, so "My matches" is populated before any worker runs.
        summary = match_all()
        self.stdout.write(f"Matched demo profiles: {summary.written} matches stored.")
        tracker_demo_seed(user=users["developer"], now=self.now)
        history = insights_demo_seed(now=self.now, rng=self.rng)
        run = insights_rebuild()
        self.stdout.write(
            f"Insights: {history} past roles added, {run.roles_read} postings in the history."
        )
        shown = (
            self.password
            if self.generated or not settings.PRODUCTION
            else "from $" + LOGINS_ENV_VAR
        )
        self.stdout.write(
            f"Logins (password {shown}): dev@example.com, recruiter@example.com, "
            "curator@example.com (staff), admin@example.com (superuser)."
        )

    def _password(self, *, allow: bool) -> tuple[str, bool]:
        """The demo logins' password and whether it was generated; refuses production unasked.

        The published demo password is for a laptop: anywhere DJANGO_ENV=production it would
        open a superuser account to anyone who has read the README.
        """
        if not settings.PRODUCTION:
            return DEMO_PASSWORD, False
        if not allow:
            raise CommandError(
                "seed_demo creates a superuser and demo accounts; DJANGO_ENV=production, so it "
                "refuses. Pass --allow-production to seed a staging or demo site on purpose."
            )
        chosen = os.environ.get(LOGINS_ENV_VAR, "")
        if chosen == DEMO_PASSWORD:
            raise CommandError(
                f"${LOGINS_ENV_VAR} is the published demo password; choose another for production."
            )
        if chosen:
            return chosen, False
        return secrets.token_urlsafe(18), True

    def _skill_index(self) -> dict[str, Skill]:
        """Every way a skill may be named in the demo file, lower-cased, to the live skill."""
        index: dict[str, Skill] = {}
        for alias in SkillAlias.objects.select_related("skill").annotate(lname=Lower("name")):
            index.setdefault(alias.lname, alias.skill)
        for skill in Skill.objects.all():
            index[skill.slug.lower()] = skill
            index[skill.name.lower()] = skill
        resolved = {}
        for key, skill in index.items():
            # A curator may have merged a demo skill away; use the survivor.
            while skill.merged_into_id is not None:
                skill = skill.merged_into
            resolved[key] = skill
        return resolved

    def _skill(self, name: str) -> Skill | None:
        skill = self.skills.get(name.lower())
        if skill is None:
            self.missing_skills.add(name)
        return skill

    def _users(self) -> dict:
        curators = curators_group_sync()
        specs = {
            "developer": {"username": "dev@example.com"},
            "recruiter": {"username": "recruiter@example.com"},
            "curator": {
                "username": "curator@example.com",
                "is_staff": True,
                "groups": [curators],
            },
            "admin": {"username": "admin@example.com", "is_superuser": True},
        }
        self.users_created = 0
        users = {}
        for key, spec in specs.items():
            user, created = user_ensure(email=spec["username"], password=self.password, **spec)
            if not created and settings.PRODUCTION and user.check_password(DEMO_PASSWORD):
                # Seeded before with the published password: never leave that in production.
                user_password_set(user=user, password=self.password)
            users[key] = user
            self.users_created += created

        wanted = {
            "Python": (SkillLevel.EXPERT, 7),
            "PyTorch": (SkillLevel.WORKING, 4),
            "Large Language Models": (SkillLevel.WORKING, 3),
            "Retrieval-Augmented Generation": (SkillLevel.WORKING, 2),
            "Prompt Engineering": (SkillLevel.EXPERT, 2),
            "Docker": (SkillLevel.WORKING, 5),
            "Kubernetes": (SkillLevel.LEARNING, 1),
            "Django": (SkillLevel.EXPERT, 6),
        }
        skills = {}
        for name, level in wanted.items():
            skill = self._skill(name)
            if skill is not None:
                skills[skill] = level
        developer_profile_ensure(
            user=users["developer"],
            skills=skills,
            industries=list(Industry.objects.filter(slug__in=["healthcare-medicine", "education"])),
            headline="Python and LLM engineer looking for remote work in health or education",
            workplace_preference=WorkplacePreference.REMOTE_ONLY,
            needs_worldwide=True,
            city="Lisbon",
            country="PT",
            timezone="Europe/Lisbon",
            salary_floor=90000,
            salary_currency="USD",
            seniority="senior",
        )
        return users

    def _companies(self, items: list[dict]) -> dict[str, dict]:
        self.companies_created = 0
        companies = {}
        for item in items:
            company = Company.objects.filter(slug=item["slug"]).first()
            if company is None:
                company = company_create(
                    name=item["name"],
                    slug=item["slug"],
                    website=item["website"],
                    description=item["description"],
                    verified=item["verified"],
                )
                self.companies_created += 1
            companies[item["slug"]] = {
                "company": company,
                "industry": Industry.objects.filter(slug=item["industry"]).first(),
                "description": item["description"],
            }
        return companies

    def _role(self, *, item: dict, status: str, companies: dict, recruiter) -> bool:
        # Draw the random values first, so a skipped role does not shift the ones after it.
        age = timedelta(days=self.rng.uniform(0.1, 30))
        by_email = self.rng.random() < 0.25
        entry = companies[item["company"]]
        company: Company = entry["company"]
        if Role.objects.filter(company=company, title=item["title"]).exists():
            return False

        skills: dict[Skill, str] = {}
        for kind, names in (
            (RoleSkill.Kind.REQUIRED, item["req"]),
            (RoleSkill.Kind.NICE, item["nice"]),
        ):
            for name in names:
                skill = self._skill(name)
                if skill is not None:
                    skills.setdefault(skill, kind)
        paragraphs = [*item["p"], entry["description"]]
        description = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
        salary_min, salary_max, currency, period = item["sal"]
        remote = item["wp"] == "remote"
        posted_at = self.now - age if status == Role.Status.PUBLISHED else None
        role_create(
            company=company,
            title=item["title"],
            description=description,
            industry=entry["industry"],
            workplace=item["wp"],
            worldwide=item.get("ww", False),
            city="" if remote else item.get("city", ""),
            country="" if remote else item.get("country", ""),
            applicant_countries=item.get("ac", []),
            applicant_regions=item.get("ar", []),
            applicant_timezones=item.get("tz", ""),
            visa_sponsorship=item.get("visa", False),
            employment_type=item.get("emp", "full_time"),
            seniority=item["sen"],
            salary_min=salary_min,
            salary_max=salary_max,
            salary_currency=currency,
            salary_period=period,
            skills=skills,
            status=status,
            posted_at=posted_at,
            expires_at=posted_at + timedelta(days=60) if posted_at else None,
            apply_email=f"jobs@{company.slug}.example.com" if by_email else "",
            apply_url="" if by_email else f"{company.website}/careers/{slugify(item['title'])}",
            created_by=recruiter if company.slug == DEMO_COMPANY else None,
        )
        return True

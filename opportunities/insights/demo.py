"""Demo history: six months of closed postings behind the demo board, so the insights pages
show real curves on a fresh install (run by seed_demo; a second run adds nothing)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction

from opportunities.models import Role, RoleSkill

HISTORY_PREFIX = "demo-history-"
HISTORY_ROLES = 600
HISTORY_DAYS = 180


@transaction.atomic
def insights_demo_seed(*, now: datetime, rng: random.Random) -> int:
    """Closed copies of the published demo roles, posted over the last six months, with some
    skills growing and others fading; returns how many were created."""
    if Role.objects.filter(slug__startswith=HISTORY_PREFIX).exists():
        return 0
    # Companies nobody recruits for: the demo recruiter's own roles and their statistics
    # stay exactly what the posting demo made.
    templates = list(
        Role.objects.filter(status=Role.Status.PUBLISHED, company__memberships__isnull=True)
        .prefetch_related("role_skills__skill")
        .order_by("pk")
    )
    if not templates:
        return 0
    skill_ids = sorted({rs.skill_id for role in templates for rs in role.role_skills.all()})
    # A third of the skills grow over the six months, a third fade, the rest hold steady.
    trend = {skill_id: (index % 3) - 1 for index, skill_id in enumerate(skill_ids)}
    roles, skills_of = [], []
    for number in range(HISTORY_ROLES):
        template = rng.choice(templates)
        age = rng.randint(7, HISTORY_DAYS)
        posted = now - timedelta(days=age, hours=rng.randint(0, 23))
        lasted = timedelta(days=rng.randint(10, 60))
        recent = 1 - age / HISTORY_DAYS  # 0 six months ago, 1 now
        kept = [
            rs
            for rs in template.role_skills.all()
            if rng.random()
            < {1: 0.2 + 0.8 * recent, 0: 0.8, -1: 1 - 0.8 * recent}[trend[rs.skill_id]]
        ]
        factor = rng.uniform(0.85, 1.15)
        low = int(template.salary_yearly_min * factor) if template.salary_yearly_min else None
        high = int(template.salary_yearly_max * factor) if template.salary_yearly_max else None
        closed = min(posted + lasted, now - timedelta(days=1))
        roles.append(
            Role(
                title=template.title,
                slug=f"{HISTORY_PREFIX}{number}",
                company_id=template.company_id,
                industry_id=template.industry_id,
                description=template.description,
                city=template.city,
                country=template.country,
                workplace=template.workplace,
                worldwide=template.worldwide,
                seniority=template.seniority,
                salary_min=low,
                salary_max=high,
                salary_currency=template.salary_currency if (low or high) else "",
                salary_period="year",
                salary_yearly_min=low,
                salary_yearly_max=high,
                status=Role.Status.CLOSED,
                origin=Role.Origin.INGEST,
                posted_at=posted,
                closed_at=closed,
                skill_ids=sorted(rs.skill_id for rs in kept),
                skill_text=" ".join(sorted(rs.skill.name for rs in kept)),
            )
        )
        skills_of.append(kept)
    Role.objects.bulk_create(roles, batch_size=500)
    RoleSkill.objects.bulk_create(
        [
            RoleSkill(role_id=role.pk, skill_id=rs.skill_id, kind=rs.kind)
            for role, kept in zip(roles, skills_of, strict=True)
            for rs in kept
        ],
        batch_size=2000,
    )
    return len(roles)

"""The demo recruiter's own roles: one in each state a newcomer should see on /hiring/."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from opportunities.models import Company, Role, RoleSkill, Skill
from opportunities.posting.lifecycle import Actor, role_transition
from opportunities.posting.services import role_draft_create

DESCRIPTION = """Join the team that puts language models in front of clinicians.

## What you will do

- Build **retrieval-augmented generation** for {topic}.
- Evaluate every release against a test set clinicians helped write.

## What you bring

Python, and a habit of measuring before you ship.
"""
# title -> (status it ends in, topic, days since it was posted)
DEMO_ROLES = {
    "LLM Engineer, Clinical Notes (draft)": (Role.Status.DRAFT, "clinical notes", None),
    "Applied Scientist, Triage Assistant": (Role.Status.PENDING, "triage", None),
    "Senior ML Engineer, Patient Search": (Role.Status.PUBLISHED, "patient search", 5),
    "Prompt Engineer, Discharge Letters": (Role.Status.EXPIRED, "discharge letters", 45),
}


DEMO_SKILLS = (
    "python",
    "large-language-models",
    "retrieval-augmented-generation",
    "prompt-engineering",
)


def demo_recruiter_roles(*, recruiter: AbstractBaseUser, company: Company) -> int:
    """Give the demo recruiter a draft, a pending, a published and an expired role; returns how
    many were created (none on a second run)."""
    created = 0
    now = timezone.now()
    skills = list(Skill.objects.active().filter(slug__in=DEMO_SKILLS))
    for title, (status, topic, age) in DEMO_ROLES.items():
        if Role.objects.filter(company=company, title=title).exists():
            continue
        role = role_draft_create(
            company=company,
            by=recruiter,
            data={
                "title": title,
                "description_markdown": DESCRIPTION.format(topic=topic),
                "workplace": "remote",
                "worldwide": True,
                "seniority": "senior",
                "salary_min": 110_000,
                "salary_max": 150_000,
                "salary_currency": "USD",
                "apply_url": "https://northwind-health.example/careers",
                "posting_days": 30,
            },
            skills={skill: RoleSkill.Kind.REQUIRED for skill in skills},
        )
        created += 1
        if status == Role.Status.DRAFT:
            continue
        # Straight through the lifecycle, without the e-mails a real decision sends.
        role = role_transition(role=role, action="submit", actor=Actor.RECRUITER)
        if status == Role.Status.PENDING:
            continue
        posted = now - timedelta(days=age)
        role = role_transition(
            role=role,
            action="approve",
            actor=Actor.SYSTEM,
            posted_at=posted,
            expires_at=posted + timedelta(days=30),
        )
        if status == Role.Status.EXPIRED:
            role_transition(role=role, action="expire", actor=Actor.SYSTEM)
    return created

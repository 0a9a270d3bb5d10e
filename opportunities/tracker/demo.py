"""Demo tracker: a dozen opportunities across the stages, with history, for the demo developer."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser

from opportunities.models import InterviewRound, Role, Stage, TrackedOpportunity
from opportunities.tracker import services

# (days ago each step happened, stage), oldest first, for the board roles and then the others.
BOARD_PATHS = (
    ((2, Stage.SAVED),),
    ((5, Stage.SAVED),),
    ((9, Stage.SAVED), (8, Stage.APPLIED)),
    ((30, Stage.SAVED), (25, Stage.APPLIED)),  # quiet for over two weeks: a reminder
    ((21, Stage.SAVED), (20, Stage.APPLIED), (12, Stage.INTERVIEWING)),
    ((40, Stage.SAVED), (38, Stage.APPLIED), (30, Stage.INTERVIEWING), (6, Stage.OFFER)),
)
OUTSIDE = (
    (
        "Applied Scientist, LLM evaluation",
        "Northwind Labs",
        "referral",
        "Priya (ex-colleague)",
        ((35, Stage.SAVED), (33, Stage.APPLIED), (26, Stage.INTERVIEWING), (10, Stage.ACCEPTED)),
    ),
    (
        "Machine Learning Engineer, Search",
        "Contoso Health",
        "other_site",
        "LinkedIn",
        ((45, Stage.SAVED), (44, Stage.APPLIED), (30, Stage.REJECTED)),
    ),
    (
        "RAG Platform Engineer",
        "Fabrikam Media",
        "other_site",
        "Company site",
        ((60, Stage.SAVED), (58, Stage.APPLIED), (20, Stage.NO_ANSWER)),
    ),
    (
        "GenAI Solutions Architect",
        "Tailspin Finance",
        "other_site",
        "Hacker News: Who is hiring",
        ((28, Stage.SAVED), (27, Stage.APPLIED), (18, Stage.INTERVIEWING), (15, Stage.WITHDRAWN)),
    ),
    (
        "Prompt Engineer (contract)",
        "Litware",
        "referral",
        "Meetup contact",
        ((4, Stage.SAVED), (3, Stage.APPLIED)),
    ),
    (
        "Senior NLP Engineer",
        "Adventure Works AI",
        "other_site",
        "Otta",
        ((16, Stage.SAVED), (14, Stage.APPLIED), (7, Stage.INTERVIEWING)),
    ),
)

NOTES = "**Why:** the team ships to real users.\n\n- ask about on-call\n- ask about evals"


def _walk(user, opportunity: TrackedOpportunity, path, now: datetime) -> None:
    for days, stage in path[1:]:
        services.opportunity_move(
            user=user, opportunity_id=opportunity.pk, stage=stage, at=now - timedelta(days=days)
        )


def tracker_demo_seed(*, user: AbstractBaseUser, now: datetime) -> int:
    """Fill the user's tracker once (a user who tracks anything is left alone); returns how
    many entries were created."""
    if TrackedOpportunity.objects.of_user(user).exists():
        return 0
    created = 0
    roles = list(Role.objects.open().order_by("-posted_at", "id")[: len(BOARD_PATHS)])
    for role, path in zip(roles, BOARD_PATHS, strict=False):
        tracked = services.opportunity_track_role(
            user=user, role=role, at=now - timedelta(days=path[0][0])
        )
        _walk(user, tracked.opportunity, path, now)
        created += tracked.created
    for title, company, source, source_name, path in OUTSIDE:
        tracked = services.opportunity_create(
            user=user,
            title=title,
            company_name=company,
            source=source,
            source_name=source_name,
            at=now - timedelta(days=path[0][0]),
            url=f"https://jobs.example.com/{company.lower().replace(' ', '-')}/"
            f"{title.lower().replace(' ', '-').replace(',', '')}",
            tags="remote, llm" if "LLM" in title or "RAG" in title else "nlp",
            notes=NOTES,
        )
        _walk(user, tracked.opportunity, path, now)
        created += tracked.created
        if tracked.opportunity.title == "Senior NLP Engineer":
            services.opportunity_update(
                opportunity=tracked.opportunity,
                next_step="Send the take-home task",
                next_step_due=now.date(),
            )
            services.interview_add(
                opportunity=tracked.opportunity,
                at=now + timedelta(days=3, hours=2),
                kind=InterviewRound.Kind.TECHNICAL,
                with_whom="Two engineers from the search team",
            )
        if tracked.opportunity.title == "Applied Scientist, LLM evaluation":
            services.opportunity_update(
                opportunity=tracked.opportunity, salary_offered="EUR 95,000"
            )
            services.contact_add(
                opportunity=tracked.opportunity,
                name="Priya Raman",
                role_title="Engineering manager",
                email="priya@example.com",
            )
    if created and roles:
        first = TrackedOpportunity.objects.of_user(user).filter(role=roles[0]).first()
        if first is not None:
            services.opportunity_update(
                opportunity=first,
                next_step="Tailor the CV",
                next_step_due=now.date() - timedelta(days=1),
            )
    return created

"""What each MCP tool does, as plain synchronous functions over the services and selectors.

A tool that reads or changes a user's own data takes the caller's personal access token (the
same tokens as the API) and asks opportunities/access.py, as the API does.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse

from opportunities import access
from opportunities.api.selectors import api_token_by_secret
from opportunities.api.services import api_token_touch
from opportunities.catalog.selectors import role_detail_get
from opportunities.insights.selectors import SeriesRequestError, rising_series, skill_series
from opportunities.matching.selectors import match_explain
from opportunities.models import ApiToken, Stage
from opportunities.profiles.selectors import developer_profile_get
from opportunities.search import search_roles
from opportunities.search.cards import RoleCard
from opportunities.tracker import selectors as tracker_selectors
from opportunities.tracker import services as tracker

# The caller's token: set once for a stdio server, per request for the HTTP mount.
CALLER_TOKEN: ContextVar[str] = ContextVar("mcp_caller_token", default="")
MAX_RESULTS = 20


class ToolRefused(ValueError):
    """The tool cannot do this for this caller; the message says why, in plain words."""


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _caller(*, write: bool) -> ApiToken:
    secret = CALLER_TOKEN.get()
    if not secret:
        raise ToolRefused(
            "This tool needs a personal access token: make one at /me/api-tokens/ and give it "
            "to the server (GENAI_JOBS_TOKEN, or Authorization: Bearer over HTTP)."
        )
    token = api_token_by_secret(secret)
    if token is None or not token.user.is_active:
        raise ToolRefused("That token is not valid, or it was revoked.")
    if not access.token_allows(token, write=write):
        raise ToolRefused("This token may only read; make a read-and-write token to change things.")
    api_token_touch(token=token)
    return token


def _card(card: RoleCard) -> dict:
    return {
        "id": card.pk,
        "title": card.title,
        "company": card.company_name,
        "industry": card.industry_name,
        "workplace": card.workplace,
        "worldwide": card.worldwide,
        "seniority": card.seniority_label,
        "location": card.location,
        "salary": card.salary,
        "posted_at": card.posted_at.isoformat() if card.posted_at else None,
        "skills": [skill.slug for skill in card.skills],
        "url": _link(card.url),
    }


def search(params: dict[str, str | list[str]]) -> dict:
    """A search with the /jobs/ parameters; bad values are left out and explained."""
    data = QueryDict(mutable=True)
    for name, value in params.items():
        if isinstance(value, list):
            data.setlist(name, [str(item) for item in value])
        elif value not in (None, ""):
            data[name] = str(value)
    result = search_roles(data, cards=True, facets=False)
    return {
        "count": result.count,
        "count_is_estimate": result.count_is_estimate,
        "roles": [_card(card) for card in result.roles[:MAX_RESULTS]],
        "next_page": result.page.number + 1 if result.page.has_next else None,
        "errors": {name: list(errors) for name, errors in result.errors.items()},
        "messages": list(result.messages),
    }


def role(role_id: int) -> dict:
    """A public role with its description, pay, place and skills."""
    found = role_detail_get(pk=role_id)
    if found is None or found.status not in access.PUBLIC_STATUSES:
        raise ToolRefused(f"There is no role {role_id} on the board.")
    return {
        "id": found.pk,
        "title": found.title,
        "status": found.status,
        "company": found.company.name,
        "industry": found.industry.name if found.industry else "",
        "description_html": found.description,
        "workplace": found.workplace,
        "worldwide": found.worldwide,
        "location": found.location_display,
        "employment_type": found.employment_type,
        "seniority": found.seniority,
        "salary_min": found.salary_min,
        "salary_max": found.salary_max,
        "salary_currency": found.salary_currency,
        "salary_period": found.salary_period,
        "visa_sponsorship": found.visa_sponsorship,
        "skills": [
            {"slug": rs.skill.slug, "name": rs.skill.name, "required": rs.kind == "required"}
            for rs in found.role_skills.all()
        ],
        "posted_at": found.posted_at.isoformat() if found.posted_at else None,
        "url": _link(found.get_absolute_url()),
    }


def explain(role_id: int) -> dict:
    """How the caller's profile matches a role: score, matched and missing skills, factors."""
    token = _caller(write=False)
    profile = developer_profile_get(user=token.user)
    if profile is None:
        raise ToolRefused("You have no profile yet; make one at /me/profile/.")
    return {"role_id": role_id, **match_explain(profile=profile, role_id=role_id)}


def _entry(opportunity) -> dict:
    return {
        "id": opportunity.pk,
        "role_id": opportunity.role_id,
        "title": opportunity.title,
        "company": opportunity.company_name,
        "stage": opportunity.stage,
        "next_step": opportunity.next_step,
        "notes": opportunity.notes,
        "updated_at": opportunity.updated_at.isoformat() if opportunity.updated_at else None,
    }


def tracker_read(stage: str = "") -> dict:
    """The caller's tracker, most recently changed first, in one stage or all."""
    user = _caller(write=False).user
    if stage and stage not in Stage.values:
        raise ToolRefused(f"“{stage}” is not a stage; use one of {', '.join(Stage.values)}.")
    entries = tracker_selectors.opportunities_of_user(user=user).order_by("-updated_at", "-id")
    if stage:
        entries = entries.filter(stage=stage)
    return {"entries": [_entry(entry) for entry in entries[:200]], "stages": list(Stage.values)}


def tracker_update(
    *,
    role_id: int | None = None,
    entry_id: int | None = None,
    stage: str = "",
    note: str = "",
    notes: str | None = None,
) -> dict:
    """Track a board role (role_id), or change an entry (entry_id): its stage, with a note in
    its history, and its notes."""
    user = _caller(write=True).user
    if not access.can_use_tracker(user):
        raise ToolRefused("This account keeps no tracker.")
    if (role_id is None) == (entry_id is None):
        raise ToolRefused("Give either role_id (to track a role) or entry_id (to change one).")
    try:
        if role_id is not None:
            entry_id = tracker.opportunity_track_role(user=user, role=role_id).opportunity.pk
        if (
            stage
            and tracker.opportunity_move(user=user, opportunity_id=entry_id, stage=stage, note=note)
            is None
        ):
            raise ToolRefused(f"There is no entry {entry_id} in your tracker.")
        opportunity = tracker_selectors.opportunity_detail(user=user, pk=entry_id)
        if opportunity is None or not access.owns_tracked(user, opportunity):
            raise ToolRefused(f"There is no entry {entry_id} in your tracker.")
        if notes is not None:
            opportunity = tracker.opportunity_update(opportunity=opportunity, notes=notes)
    except tracker.TrackerError as error:
        raise ToolRefused(str(error)) from error
    return _entry(opportunity)


MAX_TREND_SKILLS = 5


def skill_trends(skills: list[str] | None = None, industry: str = "", weeks: int = 12) -> dict:
    """With skill slugs: each one's weekly demand (open and new postings asking for it, and
    their shares); without: the skills rising and falling most. Optionally in one industry."""
    try:
        if not skills:
            return {
                "rising": rising_series(industry=industry),
                "falling": rising_series(industry=industry, falling=True),
            }
        if len(skills) > MAX_TREND_SKILLS:
            raise ToolRefused(f"Ask for at most {MAX_TREND_SKILLS} skills at a time.")
        trends = {}
        for slug in skills:
            series = skill_series(slug, industry=industry, weeks=weeks)
            if series is None:
                raise ToolRefused(f"There is no skill “{slug}”; /api/v1/skills/ lists them.")
            trends[slug] = {
                **series,
                "page": _link(reverse("skill_detail", kwargs={"slug": series["skill"]["slug"]})),
                "weeks": [{**week, "week": week["week"].isoformat()} for week in series["weeks"]],
            }
        return {"trends": trends}
    except SeriesRequestError as error:
        raise ToolRefused(str(error)) from error

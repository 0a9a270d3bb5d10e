"""Matching reads: a developer's matches, skills worth learning, a role's candidates."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from opportunities.matching import scoring
from opportunities.matching.live import live_roles
from opportunities.matching.load import profile_vectors, role_vectors
from opportunities.matching.store import explanation
from opportunities.models import DeveloperProfile, Match, Role, Skill

# What ?show= on a developer's match list picks: a Match QuerySet method. (Saving a match is
# tracking its role: the tracker holds what used to be the saved list.)
MATCH_LISTS = {"": "active", "dismissed": "dismissed"}
CANDIDATES = 50


def match_list(*, profile: DeveloperProfile, show: str = "") -> QuerySet[Match]:
    """The developer's visible matches, best first: active or dismissed (``show``)."""
    matches = getattr(Match.objects.visible().for_profile(profile), MATCH_LISTS[show])()
    matches = matches.select_related("role__company", "role__industry").prefetch_related(
        "role__role_skills__skill"
    )
    return matches.ranked()


def matches_of_user(*, user: AbstractBaseUser) -> QuerySet[Match]:
    """Every match of the user's own profile, with what its card shows."""
    return Match.objects.select_related("role__company", "role__industry", "profile").filter(
        profile__user=user
    )


def role_candidates(*, role: Role, limit: int = CANDIDATES) -> QuerySet[Match]:
    """The role's best matches among developers who let recruiters find them."""
    return (
        Match.objects.for_role(role).discoverable().select_related("profile__user").ranked()[:limit]
    )


def skills_to_learn(*, profile: DeveloperProfile, limit: int = 10) -> list[tuple[Skill, int]]:
    """Missing skills that would add the most good matches, with how many roles each adds."""
    vector = profile_vectors([profile.pk]).get(profile.pk)
    if vector is None:
        return []
    ranked = live_roles.get().skills_to_learn(vector, limit=limit)
    skills = Skill.objects.in_bulk([skill_id for skill_id, _ in ranked])
    return [(skills[sid], count) for sid, count in ranked if sid in skills]


def match_explain(*, profile: DeveloperProfile, role_id: int) -> dict:
    """Why a role does or does not match the profile, scored now as matching scores it: the
    score and explanation, or the reason it is a hard mismatch."""
    profiles = profile_vectors([profile.pk])
    roles = role_vectors([role_id])
    if profile.pk not in profiles or role_id not in roles:
        return {"score": None, "mismatch": "not_scorable", "explanation": None}
    result = scoring.score(profiles[profile.pk], roles[role_id])
    if result is None:
        reason = scoring.exclusion(profiles[profile.pk], roles[role_id])
        return {"score": None, "mismatch": reason, "explanation": None}
    return {"score": result.score, "mismatch": None, "explanation": explanation(result)}

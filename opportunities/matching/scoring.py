"""Pure scoring of a developer profile against a role, over plain values (no ORM).

A score runs from 0 to 100 and is the sum of six factors:

============  ======  ==========================================================================
factor        points  how
============  ======  ==========================================================================
skills        55      coverage of the role's required skills, each weighted by the profile's
                      level: learning 0.4, working 0.8, expert 1.0 (kept as whole "units" of
                      2, 4, 5 out of 5 so every implementation adds them exactly)
nice          10      the same coverage over the nice-to-have skills; a role listing none gives
                      full points, since nothing is missing
industry      10      the role's industry is one the developer prefers (or they prefer none);
                      5 when the role names no industry, 0 for another industry
workplace     10      the role's workplace against the preference: remote roles 10 (8 when the
                      remote role names no applicant countries and is not worldwide, so it may
                      be restricted); hybrid 10, or 2 for a remote-only developer; on-site 10
                      for "on-site ok", 4 for "hybrid ok", 0 for "remote only"
seniority     10      distance on the intern..executive scale: 0 steps 10, 1 step 5, more 0;
                      5 when either side does not say
salary        5       the role's yearly ceiling reaches the developer's floor: 5; 2.5 when it
                      cannot be told (no figure on a side, or different currencies)
============  ======  ==========================================================================

A role without required skills treats its nice-to-have skills as required.

Hard mismatches are excluded (``score`` returns None), not just scored low:

* ``no_skill_overlap``: the developer has none of the role's required skills;
* ``not_worldwide``: the developer needs roles open worldwide and this one is not;
* ``other_country``: an on-site or hybrid role in a country that is not the developer's
  (or the developer has not said where they live); a role naming no country is not excluded;
* ``country_not_eligible``: a remote role open only to listed countries, not the developer's;
* ``country_excluded``: the role names the developer's country as one it cannot hire in.
  These three are ``vocabulary.open_to_country``, the rule search's country filter uses too;
* ``salary_below_floor``: the role's yearly ceiling is below the developer's floor, both in the
  same currency (different currencies are never excluded on salary).

The total is rounded half up; the explanation's integer factor points are apportioned by
largest remainder so they always add up to the score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from opportunities.vocabulary import SENIORITY_RANK, open_to_country

# A level's weight in fifths: learning 0.4, working 0.8, expert 1.0.
LEVEL_UNITS = {"learning": 2, "working": 4, "expert": 5}
FULL_UNITS = 5

WEIGHTS = {
    "skills": 55,
    "nice": 10,
    "industry": 10,
    "workplace": 10,
    "seniority": 10,
    "salary": 5,
}
FACTOR_NAMES = tuple(WEIGHTS)

# Points per unit of coverage, so coverage points are 11 * units / n without a rounding step.
SKILL_POINTS_PER_UNIT = WEIGHTS["skills"] / FULL_UNITS
NICE_POINTS_PER_UNIT = WEIGHTS["nice"] / FULL_UNITS

INDUSTRY_UNKNOWN = 5.0
REMOTE_UNRESTRICTED_UNSURE = 8.0
WORKPLACE_POINTS = {
    # (role workplace, developer preference) -> points; remote roles handled apart.
    ("hybrid", "remote_only"): 2.0,
    ("hybrid", "hybrid_ok"): 10.0,
    ("hybrid", "onsite_ok"): 10.0,
    ("onsite", "remote_only"): 0.0,
    ("onsite", "hybrid_ok"): 4.0,
    ("onsite", "onsite_ok"): 10.0,
}
SENIORITY_POINTS = {0: 10.0, 1: 5.0}
SENIORITY_UNKNOWN = 5.0
SALARY_UNKNOWN = 2.5

# Stored matches: a floor, and how many the role-side and profile-side passes keep. A developer's
# "My matches" shows two pages of 25, so 50 per profile; a new role reaches the lists (and
# alerts) of its best 100 developers, and its best 50 discoverable ones for the recruiter.
# "Skills to learn" reads the role index, not stored matches, so it needs none of them.
MATCH_FLOOR = 50
GOOD_MATCH = 70
ROLE_TOP_N = 100
PROFILE_TOP_N = 50


@dataclass(frozen=True)
class ProfileVector:
    """What matching needs of a developer profile."""

    id: int
    skills: dict[int, str]  # skill id -> level name
    industry_ids: frozenset[int] = frozenset()
    workplace_preference: str = "hybrid_ok"
    needs_worldwide: bool = False
    country: str = ""
    seniority: str = ""
    salary_floor: int | None = None  # yearly
    salary_currency: str = ""
    discoverable: bool = False


@dataclass(frozen=True)
class RoleVector:
    """What matching needs of a role; build with ``RoleVector.create`` to apply the skill rule."""

    id: int
    required: frozenset[int]
    nice: frozenset[int] = frozenset()
    industry_id: int | None = None
    workplace: str = "remote"
    worldwide: bool = False
    country: str = ""
    applicant_countries: frozenset[str] = frozenset()
    excluded_countries: frozenset[str] = frozenset()
    seniority: str = ""
    salary_ceiling: int | None = None  # yearly
    salary_currency: str = ""

    @classmethod
    def create(cls, *, id: int, required, nice=(), **kwargs) -> RoleVector:
        """A role vector where a role without required skills uses its nice-to-have ones."""
        required_set, nice_set = effective_skills(required, nice)
        return cls(id=id, required=required_set, nice=nice_set, **kwargs)


@dataclass(frozen=True)
class MatchResult:
    score: int
    total: float
    matched_required: list[int]
    matched_nice: list[int]
    missing_required: list[int]
    factors: dict[str, int] = field(default_factory=dict)


def effective_skills(required, nice) -> tuple[frozenset[int], frozenset[int]]:
    """Required and nice skill sets, with nice standing in for required when none are."""
    required_set = frozenset(required)
    nice_set = frozenset(nice) - required_set
    if not required_set:
        return nice_set, frozenset()
    return required_set, nice_set


def salary_ceiling(yearly_min: int | None, yearly_max: int | None) -> int | None:
    """The most a role says it pays per year."""
    return yearly_max if yearly_max is not None else yearly_min


def exclusion(profile: ProfileVector, role: RoleVector) -> str | None:
    """Why this pair is a hard mismatch, or None."""
    if not any(skill in role.required for skill in profile.skills):
        return "no_skill_overlap"
    return _exclusion_beyond_skills(profile, role)


def _exclusion_beyond_skills(profile: ProfileVector, role: RoleVector) -> str | None:
    if profile.needs_worldwide and not role.worldwide:
        return "not_worldwide"
    if not open_to_country(
        profile.country,
        workplace=role.workplace,
        worldwide=role.worldwide,
        country=role.country,
        applicant_countries=role.applicant_countries,
        excluded_countries=role.excluded_countries,
    ):
        if profile.country in role.excluded_countries:
            return "country_excluded"
        return "other_country" if role.workplace != "remote" else "country_not_eligible"
    if (
        profile.salary_floor is not None
        and role.salary_ceiling is not None
        and profile.salary_currency
        and profile.salary_currency == role.salary_currency
        and role.salary_ceiling < profile.salary_floor
    ):
        return "salary_below_floor"
    return None


def industry_points(profile: ProfileVector, role: RoleVector) -> float:
    if not profile.industry_ids:
        return 10.0
    if role.industry_id is None:
        return INDUSTRY_UNKNOWN
    return 10.0 if role.industry_id in profile.industry_ids else 0.0


def workplace_points(profile: ProfileVector, role: RoleVector) -> float:
    if role.workplace == "remote":
        if role.worldwide or role.applicant_countries:
            return 10.0
        return REMOTE_UNRESTRICTED_UNSURE
    return WORKPLACE_POINTS[(role.workplace, profile.workplace_preference)]


def seniority_points(profile: ProfileVector, role: RoleVector) -> float:
    if profile.seniority not in SENIORITY_RANK or role.seniority not in SENIORITY_RANK:
        return SENIORITY_UNKNOWN
    distance = abs(SENIORITY_RANK[profile.seniority] - SENIORITY_RANK[role.seniority])
    return SENIORITY_POINTS.get(distance, 0.0)


def salary_points(profile: ProfileVector, role: RoleVector) -> float:
    if (
        profile.salary_floor is None
        or role.salary_ceiling is None
        or not profile.salary_currency
        or profile.salary_currency != role.salary_currency
    ):
        return SALARY_UNKNOWN
    return float(WEIGHTS["salary"]) if role.salary_ceiling >= profile.salary_floor else 0.0


def round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def apportion(points: dict[str, float], total: int) -> dict[str, int]:
    """Whole points per factor that add up to ``total`` (largest remainder)."""
    floors = {name: math.floor(value) for name, value in points.items()}
    short = total - sum(floors.values())
    if short > 0:
        # Largest remainder first, then by name; one point short is the common case.
        def key(name):
            return (floors[name] - points[name], name)

        for name in [min(points, key=key)] if short == 1 else sorted(points, key=key)[:short]:
            floors[name] += 1
    return floors


def score(profile: ProfileVector, role: RoleVector) -> MatchResult | None:
    """The pair's score and explanation, or None for a hard mismatch."""
    skills_known = profile.skills
    matched = [s for s in role.required if s in skills_known]
    if not matched or _exclusion_beyond_skills(profile, role) is not None:
        return None
    matched_nice = [s for s in role.nice if s in skills_known]
    # The arithmetic below is mirrored operation for operation in matching_index, so both give
    # bit-identical totals; keep them in step. (Unit sums are integers: order does not matter.)
    units = sum([LEVEL_UNITS[skills_known[s]] for s in matched])
    skills = SKILL_POINTS_PER_UNIT * units / len(role.required)
    if role.nice:
        nice_units = sum([LEVEL_UNITS[skills_known[s]] for s in matched_nice])
        nice = NICE_POINTS_PER_UNIT * nice_units / len(role.nice)
    else:
        nice = 10.0
    points = {
        "skills": skills,
        "nice": nice,
        "industry": industry_points(profile, role),
        "workplace": workplace_points(profile, role),
        "seniority": seniority_points(profile, role),
        "salary": salary_points(profile, role),
    }
    total = (
        points["skills"]
        + points["nice"]
        + points["industry"]
        + points["workplace"]
        + points["seniority"]
        + points["salary"]
    )
    result_score = round_half_up(total)
    matched.sort()
    matched_nice.sort()
    return MatchResult(
        score=result_score,
        total=total,
        matched_required=matched,
        matched_nice=matched_nice,
        missing_required=sorted(s for s in role.required if s not in skills_known),
        factors=apportion(points, result_score),
    )


def rank_key(result_score: int, other_id: int) -> tuple[int, int]:
    """Order of a ranked list: higher score first, then the lower id, so ties are stable."""
    return (-result_score, other_id)

"""Writing help for a posting as the recruiter types it: advice, never a block.

`writing_advice(draft)` looks at a RoleDraft (built from a saved role or from the posting
form's cleaned data) and returns Notes, each saying what to change, why, and how: skills the
text names but the posting does not list (and the reverse), a missing salary where pay
transparency rules apply, wording that narrows who applies, requirements no one can meet, and
what Google asks of a JobPosting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.utils import timezone
from markdown_it import MarkdownIt

from opportunities.ingest.normalise.sanitise import html_to_lines
from opportunities.ingest.recognisers import Recognisers, recognisers_current
from opportunities.jsonld import EMPLOYMENT_TYPES, country_name
from opportunities.models import Company, Industry, Role, RoleSkill, Skill
from opportunities.posting import pay_rules, wording
from opportunities.posting.notes import Note

INFO = "info"
WARNING = "warning"

MAX_REQUIRED_SKILLS = 12
# Below this many characters of text, a description says too little to apply on.
SHORT_DESCRIPTION = 300
RELEASE_YEARS_FILE = Path(__file__).resolve().parent.parent / "data" / "skill_release_years.json"
SKILL_RELEASE_YEARS: dict[str, int] = json.loads(RELEASE_YEARS_FILE.read_text(encoding="utf-8"))[
    "years"
]

_MARKDOWN = MarkdownIt("commonmark", {"html": False})


@dataclass
class RoleDraft:
    """Everything a posting holds, saved or not, as the advice reads it."""

    title: str = ""
    description_markdown: str = ""
    description_html: str = ""
    required_skill_ids: list[int] = field(default_factory=list)
    nice_skill_ids: list[int] = field(default_factory=list)
    workplace: str = ""
    worldwide: bool = False
    country: str = ""
    region: str = ""
    city: str = ""
    applicant_countries: list[str] = field(default_factory=list)
    applicant_regions: list[str] = field(default_factory=list)
    applicant_timezones: str = ""
    visa_sponsorship: bool = False
    industry: Industry | None = None
    employment_type: str = ""
    seniority: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    salary_currency: str = ""
    salary_period: str = "year"
    apply_url: str = ""
    apply_email: str = ""
    expires_at: datetime | None = None
    company: Company | None = None
    pk: int | None = None  # a saved role's id: its JobPosting identifier
    posted_at: datetime | None = None

    @classmethod
    def from_role(cls, role: Role) -> RoleDraft:
        """The draft of a saved role (its skills read through role.role_skills)."""
        links = list(role.role_skills.all()) if role.pk else []
        return cls(
            title=role.title,
            description_markdown=getattr(role, "description_markdown", "") or "",
            description_html=role.description,
            required_skill_ids=[s.skill_id for s in links if s.kind == RoleSkill.Kind.REQUIRED],
            nice_skill_ids=[s.skill_id for s in links if s.kind == RoleSkill.Kind.NICE],
            workplace=role.workplace,
            worldwide=role.worldwide,
            country=role.country,
            region=role.region,
            city=role.city,
            applicant_countries=list(role.applicant_countries or []),
            applicant_regions=list(role.applicant_regions or []),
            applicant_timezones=role.applicant_timezones,
            visa_sponsorship=role.visa_sponsorship,
            industry=role.industry if role.industry_id else None,
            employment_type=role.employment_type,
            seniority=role.seniority,
            salary_min=role.salary_min,
            salary_max=role.salary_max,
            salary_currency=role.salary_currency,
            salary_period=role.salary_period,
            apply_url=role.apply_url,
            apply_email=role.apply_email,
            expires_at=role.expires_at,
            company=role.company if role.company_id else None,
            pk=role.pk,
            posted_at=role.posted_at,
        )

    @classmethod
    def from_form_data(
        cls, data: Mapping[str, Any], *, company: Company | None = None, pk: int | None = None
    ) -> RoleDraft:
        """The draft of a posting form's cleaned data: keys as the Role model names its fields,
        skills as `required_skills` / `nice_skills` (Skills, a queryset of them, or ids).

        The company never comes from the form (it decides access); the view passes it.
        """
        html = data.get("description_html") or data.get("description") or ""
        return cls(
            title=_text(data.get("title")),
            description_markdown=_text(data.get("description_markdown")),
            description_html=_text(html),
            required_skill_ids=_skill_ids(data.get("required_skills")),
            nice_skill_ids=_skill_ids(data.get("nice_skills")),
            workplace=_text(data.get("workplace")),
            worldwide=bool(data.get("worldwide")),
            country=_text(data.get("country")).upper(),
            region=_text(data.get("region")),
            city=_text(data.get("city")),
            applicant_countries=_list(data.get("applicant_countries")),
            applicant_regions=_list(data.get("applicant_regions")),
            applicant_timezones=_text(data.get("applicant_timezones")),
            visa_sponsorship=bool(data.get("visa_sponsorship")),
            industry=data.get("industry") if isinstance(data.get("industry"), Industry) else None,
            employment_type=_text(data.get("employment_type")),
            seniority=_text(data.get("seniority")),
            salary_min=_whole(data.get("salary_min")),
            salary_max=_whole(data.get("salary_max")),
            salary_currency=_text(data.get("salary_currency")).upper(),
            salary_period=_text(data.get("salary_period")) or "year",
            apply_url=_text(data.get("apply_url")),
            apply_email=_text(data.get("apply_email")),
            expires_at=_moment(data.get("expires_at")),
            company=company,
            pk=pk,
        )

    def lines(self) -> list[str]:
        """The description as plain text, one line per block (bullets start with "- ")."""
        if self.description_html.strip():
            return html_to_lines(self.description_html)
        if self.description_markdown.strip():
            return html_to_lines(_MARKDOWN.render(self.description_markdown))
        return []

    @property
    def has_salary(self) -> bool:
        return self.salary_min is not None or self.salary_max is not None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    return [item.strip() for item in value or () if isinstance(item, str) and item.strip()]


def _whole(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time(23, 59)))
    return None


def _skill_ids(value: Any) -> list[int]:
    if not value:
        return []
    ids = []
    for item in value:
        if isinstance(item, Skill):
            ids.append(item.pk)
        elif isinstance(item, int) or (isinstance(item, str) and item.isdigit()):
            ids.append(int(item))
    return ids


def writing_advice(draft: RoleDraft, *, now: datetime | None = None) -> list[Note]:
    """Advice on a posting, most useful first; an empty list when there is nothing to say."""
    now = now or timezone.now()
    lines = draft.lines()
    text = "\n".join(lines)
    recognisers = recognisers_current()
    notes: list[Note] = []
    notes += skill_notes(draft, text, recognisers)
    notes += salary_notes(draft, text, today=now.date())
    notes += wording_notes(f"{draft.title}\n{text}")
    notes += requirement_notes(draft, text, recognisers, year=now.year)
    notes += [item.note for item in jobposting_checklist(draft, now=now) if item.note]
    return notes


# --- skills -----------------------------------------------------------------------------


def _names(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def skill_notes(draft: RoleDraft, text: str, recognisers: Recognisers) -> list[Note]:
    """Skills the text names that the posting does not list, and listed ones it never names."""
    by_slug = recognisers.skill_by_slug
    by_id = {skill_id: (slug, name) for slug, (skill_id, name) in by_slug.items()}
    named = recognisers.skills.recognise(draft.title, text)
    listed = set(draft.required_skill_ids) | set(draft.nice_skill_ids)
    notes = []
    unlisted = [
        by_slug[slug][1] for slug in named if slug in by_slug and by_slug[slug][0] not in listed
    ]
    if unlisted:
        notes.append(
            Note(
                code="skills_unlisted",
                severity=WARNING,
                message=f"The description names {_names(unlisted)}, which the posting does "
                "not list as skills.",
                reason="Developers find roles and get matched to them by the listed skills; a "
                "skill only in the text reaches no one who searches or matches on it.",
                suggestion=f"Add {_names(unlisted)} to the required or nice-to-have skills, "
                f"or take {'it' if len(unlisted) == 1 else 'them'} out of the text if the "
                f"role does not need {'it' if len(unlisted) == 1 else 'them'}.",
            )
        )
    unmentioned = [
        by_id[skill_id][1]
        for skill_id in [*draft.required_skill_ids, *draft.nice_skill_ids]
        if skill_id in by_id and by_id[skill_id][0] not in named
    ]
    if unmentioned and text:
        notes.append(
            Note(
                code="skills_unmentioned",
                severity=INFO,
                message=f"The description never mentions {_names(unmentioned)}, though the "
                "posting lists them.",
                reason="Applicants trust a skill list more when the text says what each skill "
                "is used for.",
                suggestion=f"Say in a sentence what {_names(unmentioned)} will be used for, "
                "or drop them from the list.",
            )
        )
    return notes


# --- salary -----------------------------------------------------------------------------


def salary_notes(draft: RoleDraft, text: str, *, today: date) -> list[Note]:
    """A missing salary, with the pay transparency rules of the role's places; exclusions."""
    excluded = pay_rules.excluded_rules(f"{draft.title}\n{text}")
    excluded_codes = {rule.code for rule in excluded}
    rules = [
        rule
        for rule in pay_rules.rules_for_places(
            workplace=draft.workplace,
            worldwide=draft.worldwide,
            country=draft.country,
            region=draft.region,
            city=draft.city,
            applicant_countries=draft.applicant_countries,
            applicant_regions=draft.applicant_regions,
        )
        if rule.code not in excluded_codes
    ]
    notes = []
    if not draft.has_salary:
        if rules:
            notes.append(
                Note(
                    code="salary_missing",
                    severity=WARNING,
                    message="No salary range, though pay transparency rules apply where this "
                    "role is based or open to.",
                    reason=pay_rules.rules_described(rules, today)
                    + " Roles with a salary also get more applicants, and developers who "
                    "filter by salary never see a role without one.",
                    suggestion="Add the lowest and highest salary you would pay, with the "
                    "currency and period.",
                )
            )
        else:
            notes.append(
                Note(
                    code="salary_missing",
                    severity=INFO,
                    message="No salary range.",
                    reason="Developers who filter or sort by salary never see a role without "
                    "one, and postings with pay get more applicants. No pay transparency "
                    "rule we know of applies to the places this posting names.",
                    suggestion="Add the lowest and highest salary you would pay, with the "
                    "currency and period.",
                )
            )
    else:
        if not draft.salary_currency:
            notes.append(
                Note(
                    code="salary_currency_missing",
                    severity=WARNING,
                    message="The salary has no currency.",
                    reason="Without a currency the salary cannot be compared or filtered, and "
                    "Google drops it from the job listing.",
                    suggestion="Choose the currency the salary is paid in.",
                )
            )
        if (draft.salary_min is None or draft.salary_max is None) and rules:
            notes.append(
                Note(
                    code="salary_range_open",
                    severity=INFO,
                    message="The salary gives only one end of the range.",
                    reason="Most pay transparency rules that apply here ask for the lowest and "
                    "the highest pay: " + pay_rules.rules_described(rules, today),
                    suggestion="Give both the lowest and the highest salary.",
                )
            )
    if excluded:
        places = _names(rule.name for rule in excluded)
        notes.append(
            Note(
                code="salary_rule_exclusion",
                severity=WARNING,
                message=f"The text shuts out applicants in {places}.",
                reason=f"{places} require{'s' if len(excluded) == 1 else ''} postings to state "
                "pay. Excluding a place rather than stating pay shrinks the pool, reads to "
                "applicants as hiding the salary, and needs keeping up to date as more places "
                "adopt such rules.",
                suggestion=f"State the salary range and open the role to applicants in {places}.",
            )
        )
    return notes


# --- wording ----------------------------------------------------------------------------


def wording_notes(text: str) -> list[Note]:
    """Gender-coded words, hype titles, age-coded and ableist phrases."""
    notes = []
    coding = wording.gender_coding(text)
    if coding.masculine and len(coding.masculine) >= len(coding.feminine):
        swaps = [
            f"“{word}” → {instead}"
            for word in coding.masculine
            if (instead := wording.alternative_for(word))
        ]
        notes.append(
            Note(
                code="gender_coded_masculine",
                severity=WARNING,
                message=f"The wording leans masculine: {_names(coding.masculine)}.",
                reason="Gaucher, Friesen and Kay (2011) found that job ads with more "
                "masculine-coded words were less appealing to women and made them feel they "
                "would belong less, while feminine-coded words did not put men off.",
                suggestion="Describe the work rather than the person"
                + (f": {'; '.join(swaps)}." if swaps else "."),
            )
        )
    elif coding.feminine:
        notes.append(
            Note(
                code="gender_coded_feminine",
                severity=INFO,
                message=f"The wording leans feminine: {_names(coding.feminine)}.",
                reason="Gaucher, Friesen and Kay (2011) found feminine-coded words did not "
                "make job ads less appealing to men, so this needs no change.",
                suggestion="Keep it, or balance it with plain descriptions of the work.",
            )
        )
    for code, phrases, message, reason in (
        (
            "hype_words",
            wording.HYPE_PHRASES,
            "Words like these say little about the job",
            "“Rockstar”, “ninja” or “guru” tell applicants nothing about the skills needed, "
            "and put off careful people who do not see themselves that way.",
        ),
        (
            "age_coded",
            wording.AGE_PHRASES,
            "Phrases that point at age",
            "Wording about youth or a maximum of experience discourages older applicants and "
            "can breach age-discrimination law (the US ADEA, the EU's equal treatment rules).",
        ),
        (
            "ableist_language",
            wording.ABLEIST_PHRASES,
            "Phrases that exclude or belittle disabled people",
            "Disabled developers read these as a sign the team will not welcome them; physical "
            "requirements the job does not need can also breach disability law.",
        ),
    ):
        found = wording.phrases_found(text, phrases)
        if found:
            notes.append(
                Note(
                    code=code,
                    severity=WARNING,
                    message=f"{message}: {_names(f'“{phrase}”' for phrase, _ in found)}.",
                    reason=reason,
                    suggestion="Instead: "
                    + "; ".join(f"“{phrase}” → {instead}" for phrase, instead in found)
                    + ".",
                )
            )
    return notes


# --- requirements -----------------------------------------------------------------------

# "5+ years of LangChain", "3-5 years' experience with PyTorch", "at least 4 yrs in vLLM".
_YEARS_RE = re.compile(
    r"(?<![\d.,])(\d{1,2})\s*(?:\+|plus)?\s*(?:(?:-|\u2013|to)\s*\d{1,2}\s*\+?\s*)?(?:years?|yrs?)\b",
    re.IGNORECASE,
)
_CLAUSE_END_RE = re.compile(r"[.;!?](?:\s|$)|\n")
_YEARS_WINDOW = 100


def years_claims(text: str, recognisers: Recognisers) -> list[tuple[int, str]]:
    """(years, skill slug) for each "N years of <skill>" in the text."""
    low = text.lower()
    spans = recognisers.skills.scan(low)[0]
    matches = list(_YEARS_RE.finditer(low))
    claims: dict[str, int] = {}
    for index, match in enumerate(matches):
        end = min(len(low), match.end() + _YEARS_WINDOW)
        if index + 1 < len(matches):
            end = min(end, matches[index + 1].start())
        stop = _CLAUSE_END_RE.search(low, match.end(), end)
        if stop:
            end = stop.start()
        for start, _stop, keys in spans:
            if match.end() <= start < end:
                for slug in keys:
                    claims[slug] = max(claims.get(slug, 0), int(match[1]))
    return sorted(((years, slug) for slug, years in claims.items()), key=lambda c: c[1])


def requirement_notes(
    draft: RoleDraft, text: str, recognisers: Recognisers, *, year: int
) -> list[Note]:
    """Requirements no one can meet: too many required skills, more years than exist."""
    notes = []
    required = len(set(draft.required_skill_ids))
    if required > MAX_REQUIRED_SKILLS:
        notes.append(
            Note(
                code="too_many_required_skills",
                severity=WARNING,
                message=f"{required} required skills.",
                reason="Few people have them all, and many good applicants, women more often "
                "than men, do not apply unless they meet every requirement.",
                suggestion=f"Keep the {MAX_REQUIRED_SKILLS} or fewer the job cannot be done "
                "without as required; move the rest to nice to have.",
            )
        )
    names = {slug: name for slug, (_id, name) in recognisers.skill_by_slug.items()}
    for years, slug in years_claims(f"{draft.title}\n{text}", recognisers):
        released = SKILL_RELEASE_YEARS.get(slug)
        if released is None or years <= year - released:
            continue
        name = names.get(slug, slug)
        possible = max(year - released, 0)
        notes.append(
            Note(
                code="years_exceed_age",
                severity=WARNING,
                message=f"{years} years of {name} asked for; {name} first came out in {released}.",
                reason=f"No one can have more than about {possible} year"
                f"{'' if possible == 1 else 's'} of {name}, so the requirement reads as "
                "careless and turns away the people who know it best.",
                suggestion=f"Ask for experience with {name} without a number, or for years of "
                "the wider field (for example machine learning or backend work).",
            )
        )
    return notes


# --- Google's JobPosting ----------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    """One property of Google's JobPosting: whether the posting will carry it."""

    property: str
    required: bool  # Google requires it; otherwise Google recommends it
    present: bool
    detail: str  # what fills it, or what is missing
    note: Note | None = None


def _item(
    prop: str,
    required: bool,
    present: bool,
    detail: str,
    fix: str = "",
    reason: str = "",
    message: str = "",
) -> ChecklistItem:
    note = None
    if not present and fix:
        kind = "requires" if required else "recommends"
        note = Note(
            code=f"jobposting_{prop}",
            severity=WARNING if required else INFO,
            message=message or f"Google {kind} {prop} in a job posting: {detail}",
            reason=reason
            or "Google for Jobs shows postings that carry what it asks for; without it the "
            "role may be left out of its results or shown with less.",
            suggestion=fix,
        )
    return ChecklistItem(prop, required, present, detail, note)


def jobposting_checklist(draft: RoleDraft, *, now: datetime | None = None) -> list[ChecklistItem]:
    """What Google requires and recommends of a JobPosting, item by item, for this posting."""
    now = now or timezone.now()
    text_length = len(" ".join(draft.lines()))
    company = draft.company
    title = draft.title
    items = [
        _item(
            "title", True, bool(title), "the job title." if title else "no title.", "Add a title."
        ),
        _item(
            "description",
            True,
            text_length >= SHORT_DESCRIPTION,
            "the description."
            if text_length >= SHORT_DESCRIPTION
            else f"a description of {text_length} characters says too little.",
            "Describe the work, the team, what you need and what you offer "
            f"(at least {SHORT_DESCRIPTION} characters).",
        ),
        _item(
            "datePosted",
            True,
            True,
            "set when the role is published." if draft.posted_at is None else "the posting date.",
        ),
        _item(
            "hiringOrganization",
            True,
            company is not None,
            f"{company.name}." if company is not None else "no company.",
            "Post the role for your company.",
        ),
    ]
    if company is not None and not company.website:
        items.append(
            _item(
                "hiringOrganization.sameAs",
                False,
                False,
                "the company has no website.",
                "Add the company's website to its profile.",
            )
        )
    items.append(_title_item(draft))
    if draft.expires_at is None:
        items.append(
            _item(
                "validThrough",
                False,
                False,
                "no closing date.",
                "Set the date the role closes; Google hides postings whose date has passed.",
            )
        )
    elif draft.expires_at <= now:
        items.append(
            _item(
                "validThrough",
                False,
                False,
                f"the closing date {draft.expires_at:%d %B %Y} has passed.",
                "Set a closing date in the future, or close the role.",
            )
        )
    else:
        items.append(_item("validThrough", False, True, f"{draft.expires_at:%d %B %Y}."))
    items += _location_items(draft)
    items.append(
        _item(
            "baseSalary",
            False,
            draft.has_salary and bool(draft.salary_currency),
            "the salary range." if draft.has_salary else "no salary.",
        )
    )
    employment = EMPLOYMENT_TYPES.get(draft.employment_type)
    items.append(
        _item(
            "employmentType",
            False,
            employment is not None,
            f"{employment}." if employment else "no employment type.",
            "Choose full-time, part-time, contract, temporary or internship.",
        )
    )
    items.append(
        _item(
            "identifier",
            False,
            True,
            f"the board's id {draft.pk}." if draft.pk else "the board's id, once saved.",
        )
    )
    return items


def _title_item(draft: RoleDraft) -> ChecklistItem:
    """Google: the title is the job's title alone, without salary, place, dates or company."""
    title = draft.title
    problems = []
    if re.search(r"[$€£¥]|\b\d{2,3}\s?k\b|\b\d{2,3},\d{3}\b", title, re.IGNORECASE):
        problems.append("a salary")
    if draft.company is not None and draft.company.name.lower() in title.lower():
        problems.append("the company's name")
    if re.search(r"\b(?:urgent(?:ly)?|hiring now|apply now|immediate start)\b|!", title, re.I):
        problems.append("a call to action")
    if len(title) > 100:
        problems.append("more than 100 characters")
    if not title or not problems:
        return ChecklistItem("title.clean", False, True, "the title is the job's title.")
    return _item(
        "title.clean",
        False,
        False,
        f"the title holds {_names(problems)}.",
        "Keep the title to the job itself (“Senior ML Engineer, Search”); the salary, place "
        "and company have their own fields.",
        reason="Google's guidelines ask that the title be the job's title only, and search "
        "engines may drop or demote postings whose titles carry anything else.",
        message=f"The title should be the job's title alone; it holds {_names(problems)}.",
    )


def _location_items(draft: RoleDraft) -> list[ChecklistItem]:
    if draft.workplace == "remote":
        items = [_item("jobLocationType", False, True, "TELECOMMUTE (fully remote).")]
        if draft.worldwide:
            items.append(_item("applicantLocationRequirements", False, True, "open to anywhere."))
        elif draft.applicant_countries or draft.country:
            codes = draft.applicant_countries or [draft.country]
            items.append(
                _item(
                    "applicantLocationRequirements",
                    True,
                    True,
                    _names(country_name(code) for code in codes) + ".",
                )
            )
        else:
            items.append(
                _item(
                    "applicantLocationRequirements",
                    True,
                    False,
                    "a remote role must say which countries applicants may live in, or that "
                    "it is open worldwide.",
                    "List the countries applicants may live in, or mark the role open worldwide.",
                )
            )
        return items
    if not draft.workplace:
        return [
            _item(
                "jobLocation",
                True,
                False,
                "no workplace.",
                "Say whether the role is on-site, hybrid or remote.",
            )
        ]
    if not draft.country:
        return [
            _item(
                "jobLocation",
                True,
                False,
                "an on-site or hybrid role needs its country (and city).",
                "Add the country and city of the office.",
            )
        ]
    place = ", ".join(
        part for part in (draft.city, draft.region, country_name(draft.country)) if part
    )
    items = [_item("jobLocation", True, True, f"{place}.")]
    if not draft.city:
        items.append(
            _item(
                "jobLocation.addressLocality",
                False,
                False,
                "no city.",
                "Add the city of the office, so local searches find the role.",
            )
        )
    return items

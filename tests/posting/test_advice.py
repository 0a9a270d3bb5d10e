"""Tests for opportunities.posting.advice: the writing help, flagged and not flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from opportunities.models import RoleSkill, Skill
from opportunities.posting import pay_rules
from opportunities.posting.advice import (
    MAX_REQUIRED_SKILLS,
    RoleDraft,
    jobposting_checklist,
    writing_advice,
)
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
# Long enough for Google's checklist, naming the listed skills, with no coded wording.
GOOD_TEXT = (
    "<p>You will build retrieval-augmented generation for clinicians in Python and PyTorch, "
    "serve models with vLLM, and evaluate them with the clinical team. We pay for your "
    "conference travel, and you work four days a week from home.</p>"
    "<ul><li>Three years of Python in production</li><li>Experience with PyTorch</li>"
    "<li>Nice to have: vLLM</li></ul>"
    "<p>We answer every application within two weeks and interview in two short calls.</p>"
)


@pytest.fixture
def skills(db) -> dict[str, Skill]:
    names = {
        "python": "Python",
        "pytorch": "PyTorch",
        "langchain": "LangChain",
        "vllm": "vLLM",
        "cuda": "CUDA",
        "docker": "Docker",
    }
    made = {slug: factories.SkillFactory(name=name, slug=slug) for slug, name in names.items()}
    factories.SkillAliasFactory(skill=made["pytorch"], name="torch")
    return made


@pytest.fixture
def company(db):
    return factories.CompanyFactory(name="Acme Health AI", slug="acme-health-ai")


def draft(skills: dict[str, Skill], company, **changes) -> RoleDraft:
    """A posting with nothing to advise on, with `changes` made to it."""
    values = {
        "title": "Machine Learning Engineer",
        "description_html": GOOD_TEXT,
        "required_skill_ids": [skills["python"].pk, skills["pytorch"].pk],
        "nice_skill_ids": [skills["vllm"].pk],
        "workplace": "remote",
        "country": "GB",
        "applicant_countries": ["GB"],
        "employment_type": "full_time",
        "seniority": "mid",
        "salary_min": 70000,
        "salary_max": 90000,
        "salary_currency": "GBP",
        "salary_period": "year",
        "apply_url": "https://acme-health-ai.example.com/jobs/1",
        "expires_at": NOW + timedelta(days=30),
        "company": company,
        "pk": 41,
    }
    values.update(changes)
    return RoleDraft(**values)


def codes(notes) -> list[str]:
    return [note.code for note in notes]


def by_code(notes, code: str):
    found = [note for note in notes if note.code == code]
    assert len(found) == 1, codes(notes)
    return found[0]


def test_a_complete_posting_gets_no_advice(skills, company):
    assert writing_advice(draft(skills, company), now=NOW) == []


def test_every_note_has_a_reason_and_a_suggestion(skills, company):
    bare = RoleDraft(title="ROCKSTAR wanted", description_html="<p>Aggressive ninja.</p>")

    notes = writing_advice(bare, now=NOW)

    assert len(notes) >= 5
    for note in notes:
        assert note.severity in {"info", "warning"}
        assert note.message and note.reason and note.suggestion


# --- skills ---


def test_skills_named_in_the_text_but_not_listed_are_flagged(skills, company):
    text = GOOD_TEXT + "<p>You will wire agents together with LangChain and torch.</p>"
    posting = draft(
        skills, company, description_html=text, required_skill_ids=[skills["python"].pk]
    )

    note = by_code(writing_advice(posting, now=NOW), "skills_unlisted")

    assert note.severity == "warning"
    assert "LangChain" in note.message and "PyTorch" in note.message
    assert "Python" not in note.message.replace("PyTorch", "")


def test_listed_skills_the_text_never_mentions_are_flagged(skills, company):
    posting = draft(
        skills,
        company,
        required_skill_ids=[skills["python"].pk, skills["pytorch"].pk, skills["cuda"].pk],
        nice_skill_ids=[skills["vllm"].pk, skills["docker"].pk],
    )

    note = by_code(writing_advice(posting, now=NOW), "skills_unmentioned")

    assert note.severity == "info"
    assert "CUDA" in note.message and "Docker" in note.message
    assert "PyTorch" not in note.message


def test_a_skill_named_by_its_alias_counts_as_mentioned(skills, company):
    text = GOOD_TEXT.replace("PyTorch", "torch")

    notes = writing_advice(draft(skills, company, description_html=text), now=NOW)

    assert "skills_unmentioned" not in codes(notes)
    assert "skills_unlisted" not in codes(notes)


# --- salary and pay transparency ---


def test_no_salary_where_no_rule_applies_is_a_gentle_note(skills, company):
    posting = draft(skills, company, salary_min=None, salary_max=None)

    note = by_code(writing_advice(posting, now=NOW), "salary_missing")

    assert note.severity == "info"
    assert "No pay transparency rule" in note.reason


def test_no_salary_in_colorado_names_colorados_rule(skills, company):
    posting = draft(
        skills,
        company,
        salary_min=None,
        salary_max=None,
        workplace="onsite",
        city="Denver",
        region="Colorado",
        country="US",
        applicant_countries=[],
    )

    note = by_code(writing_advice(posting, now=NOW), "salary_missing")

    assert note.severity == "warning"
    assert "Colorado (Equal Pay for Equal Work Act, since 1 January 2021)" in note.reason
    assert "California" not in note.reason


def test_new_york_city_brings_the_city_and_the_state_rule(skills, company):
    posting = draft(
        skills,
        company,
        salary_min=None,
        salary_max=None,
        workplace="hybrid",
        city="New York",
        region="",
        country="US",
    )

    reason = by_code(writing_advice(posting, now=NOW), "salary_missing").reason

    assert "New York City" in reason and "New York State" in reason
    assert "Colorado" not in reason


def test_a_remote_role_open_to_the_us_meets_every_state_rule(skills, company):
    posting = draft(
        skills, company, salary_min=None, salary_max=None, country="US", applicant_countries=["US"]
    )

    reason = by_code(writing_advice(posting, now=NOW), "salary_missing").reason

    for state in ("Colorado", "California", "Washington", "Illinois", "Maryland", "Minnesota"):
        assert state in reason
    for state in ("Vermont", "Massachusetts", "New Jersey", "Hawaii", "Washington, DC"):
        assert state in reason
    assert "the EU" not in reason


def test_eu_roles_get_the_directive_from_its_start_date(skills, company):
    posting = draft(
        skills,
        company,
        salary_min=None,
        salary_max=None,
        workplace="onsite",
        city="Berlin",
        country="DE",
        applicant_countries=[],
    )

    before = by_code(
        writing_advice(posting, now=datetime(2026, 3, 1, tzinfo=UTC)), "salary_missing"
    )
    after = by_code(writing_advice(posting, now=NOW), "salary_missing")

    assert "Pay Transparency Directive" in before.reason
    assert "from 7 June 2026" in before.reason
    assert "since 7 June 2026" in after.reason
    assert "Colorado" not in after.reason


def test_a_worldwide_role_meets_us_and_eu_rules(skills, company):
    posting = draft(
        skills, company, salary_min=None, salary_max=None, worldwide=True, applicant_countries=[]
    )

    reason = by_code(writing_advice(posting, now=NOW), "salary_missing").reason

    assert "Colorado" in reason and "the EU" in reason and "Ontario" in reason


def test_an_emea_region_reaches_the_eu(skills, company):
    rules = pay_rules.rules_for_places(
        workplace="remote",
        worldwide=False,
        country="",
        region="",
        city="",
        applicant_countries=[],
        applicant_regions=["EMEA"],
    )

    assert [rule.code for rule in rules] == ["EU"]


def test_remote_except_colorado_is_flagged_and_colorado_left_out(skills, company):
    text = GOOD_TEXT + "<p>Remote in the US, except Colorado and NYC.</p>"
    posting = draft(
        skills,
        company,
        description_html=text,
        salary_min=None,
        salary_max=None,
        country="US",
        applicant_countries=["US"],
    )

    notes = writing_advice(posting, now=NOW)

    exclusion = by_code(notes, "salary_rule_exclusion")
    assert exclusion.severity == "warning"
    assert "Colorado" in exclusion.message and "New York City" in exclusion.message
    missing = by_code(notes, "salary_missing").reason
    assert "Colorado" not in missing and "New York City" not in missing
    assert "California" in missing


@pytest.mark.parametrize(
    "sentence",
    [
        "This role is not open to candidates in California or Washington.",
        "We cannot hire in Colorado at this time.",
        "Colorado residents are not eligible for this position.",
        "Remote (US only, excl. CO).",
        "Open across the US, with the exception of Hawaii.",
    ],
)
def test_other_ways_of_shutting_a_state_out_are_found(sentence):
    assert pay_rules.excluded_rules(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "We have offices in Colorado, California and New York.",
        "Everyone except the on-call engineer takes Friday off.",
        "Remote across the US, including Colorado.",
        "Other than Python, you will write some CUDA.",
    ],
)
def test_naming_a_state_is_not_an_exclusion(sentence):
    assert pay_rules.excluded_rules(sentence) == []


def test_washington_dc_is_not_washington_state():
    assert [
        rule.code for rule in pay_rules.excluded_rules("Remote, excluding Washington, DC.")
    ] == ["US-DC"]


def test_a_salary_without_currency_or_with_one_end_is_flagged(skills, company):
    posting = draft(
        skills,
        company,
        salary_max=None,
        salary_currency="",
        country="US",
        applicant_countries=["US"],
    )

    notes = writing_advice(posting, now=NOW)

    assert by_code(notes, "salary_currency_missing").severity == "warning"
    assert "Colorado" in by_code(notes, "salary_range_open").reason
    assert "salary_missing" not in codes(notes)


# --- wording ---


def test_ordinary_ml_wording_is_not_flagged(skills, company):
    text = GOOD_TEXT + (
        "<p>Strong analytical skills. You will lead the evaluation of our models, add support "
        "for CUDA, and manage dependencies. Experience with active learning, decision trees, "
        "greedy decoding and hierarchical clustering helps; you are an independent "
        "contributor handling sensitive data. We offer a competitive salary, warm start "
        "checkpoints, autonomous agents, persistent storage, challenging problems, an "
        "objective function and individual growth plans. A young field moves fast. "
        "Double-blind review and a sanity check of every result. Aggressive quantization "
        "on a modest compute budget, and emotional speech synthesis.</p>"
    )

    notes = writing_advice(draft(skills, company, description_html=text), now=NOW)

    assert not {
        "gender_coded_masculine",
        "gender_coded_feminine",
        "hype_words",
        "age_coded",
        "ableist_language",
    } & set(codes(notes))


def test_masculine_coded_words_are_flagged_with_alternatives(skills, company):
    text = GOOD_TEXT + "<p>You are aggressive, competitive and ready to dominate the market.</p>"

    note = by_code(
        writing_advice(draft(skills, company, description_html=text), now=NOW),
        "gender_coded_masculine",
    )

    assert note.severity == "warning"
    assert "aggressive" in note.message and "competitive" in note.message
    assert "dominate" in note.message
    assert "Gaucher" in note.reason
    assert "keen to improve" in note.suggestion


def test_feminine_leaning_wording_is_only_information(skills, company):
    text = GOOD_TEXT + "<p>A warm, supportive and compassionate team.</p>"

    notes = writing_advice(draft(skills, company, description_html=text), now=NOW)

    assert by_code(notes, "gender_coded_feminine").severity == "info"
    assert "gender_coded_masculine" not in codes(notes)


def test_hype_titles_are_flagged(skills, company):
    posting = draft(
        skills,
        company,
        title="Rockstar ML Engineer",
        description_html=GOOD_TEXT + "<p>Be our Python ninja and prompt guru.</p>",
    )

    note = by_code(writing_advice(posting, now=NOW), "hype_words")

    assert "Rockstar" in note.message and "ninja" in note.message and "guru" in note.message


def test_a_setup_wizard_is_not_hype(skills, company):
    text = GOOD_TEXT + "<p>You will build the onboarding wizard flow.</p>"

    assert "hype_words" not in codes(
        writing_advice(draft(skills, company, description_html=text), now=NOW)
    )


@pytest.mark.parametrize(
    "phrase",
    [
        "digital native",
        "young and dynamic team",
        "no more than 5 years of experience",
        "recent joiners under 30 years old",
    ],
)
def test_age_coded_phrases_are_flagged(skills, company, phrase):
    text = GOOD_TEXT + f"<p>We want a {phrase}.</p>"

    notes = writing_advice(draft(skills, company, description_html=text), now=NOW)

    assert by_code(notes, "age_coded").severity == "warning"


@pytest.mark.parametrize(
    "phrase", ["crazy fast", "able-bodied", "must be able to stand", "falls on deaf ears"]
)
def test_ableist_phrases_are_flagged(skills, company, phrase):
    text = GOOD_TEXT + f"<p>You are {phrase}.</p>"

    note = by_code(
        writing_advice(draft(skills, company, description_html=text), now=NOW),
        "ableist_language",
    )

    assert phrase.split()[0] in note.message.lower()
    assert "→" in note.suggestion


# --- unrealistic requirements ---


def test_more_than_twelve_required_skills_is_flagged(skills, company):
    many = [factories.SkillFactory().pk for _ in range(MAX_REQUIRED_SKILLS + 1)]
    enough = many[:MAX_REQUIRED_SKILLS]

    too_many = writing_advice(draft(skills, company, required_skill_ids=many), now=NOW)
    twelve = writing_advice(draft(skills, company, required_skill_ids=enough), now=NOW)

    assert (
        f"{MAX_REQUIRED_SKILLS + 1} required skills"
        in by_code(too_many, "too_many_required_skills").message
    )
    assert "too_many_required_skills" not in codes(twelve)


@pytest.mark.parametrize(
    ("requirement", "flagged"),
    [
        ("5+ years of LangChain", True),
        ("5 years' experience with LangChain", True),
        ("at least 6 yrs of hands-on LangChain", True),
        ("4+ years of LangChain", False),
        ("3-5 years of LangChain", False),
        ("10 years of experience with PyTorch", False),
        ("11+ years of experience with PyTorch", True),
        ("8 years of Python. LangChain is a plus.", False),
        ("15 years of Python", False),
    ],
)
def test_more_years_of_a_technology_than_it_has_existed(skills, company, requirement, flagged):
    text = GOOD_TEXT + f"<ul><li>{requirement}</li></ul><p>LangChain agents.</p>"
    posting = draft(
        skills,
        company,
        description_html=text,
        nice_skill_ids=[skills["vllm"].pk, skills["langchain"].pk],
    )

    notes = writing_advice(posting, now=NOW)

    assert ("years_exceed_age" in codes(notes)) is flagged
    if flagged:
        note = by_code(notes, "years_exceed_age")
        assert "first came out in" in note.message


def test_the_years_check_moves_with_the_calendar(skills, company):
    text = GOOD_TEXT + "<p>5+ years of LangChain.</p>"
    posting = draft(skills, company, description_html=text, nice_skill_ids=[skills["langchain"].pk])

    in_2026 = writing_advice(posting, now=NOW)
    in_2027 = writing_advice(posting, now=datetime(2027, 6, 1, tzinfo=UTC))

    assert "LangChain first came out in 2022" in by_code(in_2026, "years_exceed_age").message
    assert "years_exceed_age" not in codes(in_2027)


# --- Google's JobPosting ---


def test_the_checklist_of_a_complete_posting_is_all_present(skills, company):
    items = jobposting_checklist(draft(skills, company), now=NOW)

    assert {item.property for item in items} >= {
        "title",
        "description",
        "datePosted",
        "validThrough",
        "hiringOrganization",
        "jobLocationType",
        "applicantLocationRequirements",
        "baseSalary",
        "employmentType",
        "identifier",
    }
    assert all(item.present for item in items), [i for i in items if not i.present]


def test_a_bare_posting_misses_what_google_requires(skills, company):
    bare = RoleDraft(title="", workplace="remote", employment_type="")

    notes = writing_advice(bare, now=NOW)

    for code in (
        "jobposting_title",
        "jobposting_description",
        "jobposting_hiringOrganization",
        "jobposting_applicantLocationRequirements",
    ):
        assert by_code(notes, code).severity == "warning"
    for code in ("jobposting_validThrough", "jobposting_employmentType"):
        assert by_code(notes, code).severity == "info"


def test_an_office_role_needs_its_country_and_city(skills, company):
    no_country = draft(skills, company, workplace="onsite", country="", applicant_countries=[])
    no_city = draft(skills, company, workplace="onsite", country="GB", city="")
    complete = draft(skills, company, workplace="hybrid", country="GB", city="London")

    assert by_code(writing_advice(no_country, now=NOW), "jobposting_jobLocation")
    assert "jobposting_jobLocation.addressLocality" in codes(writing_advice(no_city, now=NOW))
    assert writing_advice(complete, now=NOW) == []


def test_a_worldwide_role_needs_no_applicant_countries(skills, company):
    posting = draft(skills, company, worldwide=True, country="", applicant_countries=[])

    assert "jobposting_applicantLocationRequirements" not in codes(writing_advice(posting, now=NOW))


def test_a_title_carrying_salary_or_company_is_flagged(skills, company):
    salary = draft(skills, company, title="ML Engineer $180k")
    named = draft(skills, company, title="Acme Health AI ML Engineer - apply now!")

    assert "a salary" in by_code(writing_advice(salary, now=NOW), "jobposting_title.clean").message
    message = by_code(writing_advice(named, now=NOW), "jobposting_title.clean").message
    assert "the company's name" in message and "a call to action" in message


def test_a_passed_closing_date_is_flagged(skills, company):
    posting = draft(skills, company, expires_at=NOW - timedelta(days=1))

    assert (
        "has passed" in by_code(writing_advice(posting, now=NOW), "jobposting_validThrough").message
    )


# --- building drafts ---


def test_a_draft_from_a_saved_role(skills, company):
    role = factories.RoleFactory(
        company=company,
        description=GOOD_TEXT,
        country="US",
        region="California",
        salary_min=150000,
        salary_max=190000,
        salary_currency="USD",
    )
    RoleSkill.objects.create(role=role, skill=skills["python"], kind=RoleSkill.Kind.REQUIRED)
    RoleSkill.objects.create(role=role, skill=skills["vllm"], kind=RoleSkill.Kind.NICE)

    made = RoleDraft.from_role(role)

    assert made.required_skill_ids == [skills["python"].pk]
    assert made.nice_skill_ids == [skills["vllm"].pk]
    assert made.company == company and made.pk == role.pk
    assert made.salary_min == 150000 and made.region == "California"
    assert "- Experience with PyTorch" in made.lines()


def test_a_draft_from_form_data_reads_markdown_and_skill_querysets(skills, company):
    data = {
        "title": "  Applied Scientist ",
        "description_markdown": "Build **agents**.\n\n- Five years of Python\n- LangChain",
        "required_skills": Skill.objects.filter(slug__in=["python", "langchain"]),
        "nice_skills": [skills["cuda"]],
        "workplace": "remote",
        "worldwide": False,
        "country": "de",
        "applicant_countries": ["DE", "FR"],
        "salary_min": None,
        "salary_max": "",
        "salary_currency": "eur",
        "expires_at": NOW.date(),
        "visa_sponsorship": True,
        "industry": factories.IndustryFactory(name="Healthcare"),
        "company": factories.CompanyFactory(name="Not from the form"),
    }

    made = RoleDraft.from_form_data(data, company=company)

    assert made.title == "Applied Scientist"
    assert sorted(made.required_skill_ids) == sorted([skills["python"].pk, skills["langchain"].pk])
    assert made.nice_skill_ids == [skills["cuda"].pk]
    assert made.country == "DE" and made.salary_currency == "EUR"
    assert made.company == company
    assert made.visa_sponsorship is True and made.industry.name == "Healthcare"
    assert made.lines() == ["Build agents.", "- Five years of Python", "- LangChain"]
    assert made.expires_at is not None and made.expires_at.date() == NOW.date()
    notes = writing_advice(made, now=NOW)
    assert "the EU" in by_code(notes, "salary_missing").reason
    assert "CUDA" in by_code(notes, "skills_unmentioned").message

"""Tests for opportunities.views.profile: the private profile page and skill suggestions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from opportunities.models import DeveloperProfile
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/me/profile/"


@pytest.fixture(autouse=True)
def _no_matching(enqueued):
    """Profile changes enqueue a rematch; the broker is not part of these tests."""


@pytest.fixture
def taxonomy(db):
    pytorch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    factories.SkillAliasFactory(skill=pytorch, name="torch")
    return {
        "pytorch": pytorch,
        "rag": factories.SkillFactory(name="RAG", slug="rag"),
        "k8s": factories.SkillFactory(name="Kubernetes", slug="kubernetes"),
        "health": factories.IndustryFactory(name="Healthcare", slug="healthcare"),
        "media": factories.IndustryFactory(name="Media", slug="media"),
    }


def profile_post(**overrides) -> dict:
    data = {
        "headline": "Applied ML engineer",
        "workplace_preference": "remote_only",
        "needs_worldwide": "true",
        "city": "Lisbon",
        "country": "PT",
        "timezone": "Europe/Lisbon",
        "salary_floor": "90000",
        "salary_currency": "EUR",
        "seniority": "senior",
        "skills-TOTAL_FORMS": "3",
        "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "40",
        "skills-0-skill": "PyTorch",
        "skills-0-level": "expert",
        "skills-0-years": "5",
        "skills-1-skill": "torch",  # an alias, resolved below
        "skills-1-level": "working",
        "skills-1-years": "1",
        "skills-2-skill": "",
        "skills-2-level": "working",
        "skills-2-years": "",
    }
    data.update(overrides)
    return data


def test_url_name():
    assert reverse("profile_edit") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(URL, profile_post())
    assert response.status_code == 302
    assert not DeveloperProfile.objects.exists()


def test_signup_login_edit_profile_saves_everything(client, taxonomy, mailoutbox):
    client.post(
        reverse("signup"),
        {
            "email": "ada@example.com",
            "password1": "a-long-unusual-pass",
            "password2": "a-long-unusual-pass",
        },
    )
    # Sign-up is finished by the link it e-mails.
    client.post(
        re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+/)", mailoutbox[0].body)[1]
    )
    client.post(reverse("logout"))
    response = client.post(
        reverse("login"), {"username": "ada@example.com", "password": "a-long-unusual-pass"}
    )
    assert response.status_code == 302

    page = client.get(URL).content.decode()
    assert 'list="skill-options"' in page
    assert '<option value="PyTorch">' in page
    assert "Let recruiters find me" in page

    data = profile_post(
        **{"skills-1-skill": "RAG", "industries": [taxonomy["health"].pk, taxonomy["media"].pk]}
    )
    response = client.post(URL, data, follow=True)
    assert "Your profile is saved" in response.content.decode()

    profile = DeveloperProfile.objects.get(user__username="ada@example.com")
    assert profile.headline == "Applied ML engineer"
    assert profile.workplace_preference == "remote_only"
    assert profile.needs_worldwide is True
    assert (profile.city, profile.country, profile.timezone) == ("Lisbon", "PT", "Europe/Lisbon")
    assert (profile.salary_floor, profile.salary_currency) == (90000, "EUR")
    assert profile.seniority == "senior"
    assert profile.discoverable is False  # off unless ticked
    assert {(ps.skill.slug, ps.level, ps.years) for ps in profile.profile_skills.all()} == {
        ("pytorch", "expert", 5),
        ("rag", "working", 1),
    }
    assert set(profile.industries.values_list("slug", flat=True)) == {"healthcare", "media"}

    # The saved values come back in the form.
    page = client.get(URL).content.decode()
    assert 'value="Applied ML engineer"' in page
    assert 'value="PyTorch"' in page and 'value="RAG"' in page


def test_unknown_and_repeated_skills_are_refused(client, user, taxonomy):
    client.force_login(user)
    response = client.post(URL, profile_post(**{"skills-1-skill": "Cobol for LLMs"}))
    assert response.status_code == 200
    assert "We do not know the skill “Cobol for LLMs”" in response.content.decode()
    # "torch" is PyTorch's alias, so it repeats row 0.
    response = client.post(URL, profile_post())
    assert "PyTorch is listed twice" in response.content.decode()
    assert not DeveloperProfile.objects.exists()


def test_alias_resolves_and_removing_a_row_drops_the_skill(client, user, taxonomy):
    client.force_login(user)
    client.post(URL, profile_post(**{"skills-0-skill": "RAG"}))
    profile = DeveloperProfile.objects.get(user=user)
    assert set(profile.skills.values_list("slug", flat=True)) == {"rag", "pytorch"}
    client.post(
        URL,
        profile_post(**{"skills-0-skill": "RAG", "skills-1-DELETE": "on", "discoverable": "on"}),
    )
    profile.refresh_from_db()
    assert set(profile.skills.values_list("slug", flat=True)) == {"rag"}
    assert profile.discoverable is True


def test_profile_is_private_to_its_owner(client, taxonomy):
    owner = factories.UserFactory()
    factories.DeveloperProfileFactory(user=owner, headline="Secret stealth-mode founder")
    intruder = factories.UserFactory()
    client.force_login(intruder)
    # The page is always the visitor's own: there is no way to name someone else's profile.
    page = client.get(URL).content.decode()
    assert "Secret stealth-mode founder" not in page
    client.post(URL, profile_post(headline="Intruder", **{"skills-1-skill": "RAG"}))
    assert DeveloperProfile.objects.get(user=owner).headline == "Secret stealth-mode founder"
    assert DeveloperProfile.objects.get(user=intruder).headline == "Intruder"


def test_skill_autocomplete_json_matches_names_and_aliases(client, taxonomy):
    response = client.get(reverse("skill_autocomplete"), {"q": "torc"})
    assert response.json() == {
        "results": [{"id": taxonomy["pytorch"].pk, "name": "PyTorch", "slug": "pytorch"}]
    }
    assert client.get(reverse("skill_autocomplete"), {"q": ""}).json() == {"results": []}


def test_skill_autocomplete_htmx_returns_datalist_options(client, taxonomy):
    response = client.get(
        reverse("skill_autocomplete"), {"skills-2-skill": "kube"}, HTTP_HX_REQUEST="true"
    )
    assert response.content.decode().strip() == '<option value="Kubernetes"></option>'


def test_the_name_shown_to_recruiters_is_saved_without_control_characters(client, user, taxonomy):
    client.force_login(user)

    response = client.post(
        URL, profile_post(display_name="Ada\x0c the\x01 builder ", **{"skills-1-skill": ""})
    )

    assert response.status_code == 302
    assert DeveloperProfile.objects.get(user=user).display_name == "Ada the builder"
    assert 'value="Ada the builder"' in client.get(URL).content.decode()

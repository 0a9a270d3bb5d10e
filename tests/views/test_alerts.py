"""Tests for opportunities.views.alerts: the alerts page and saving searches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opportunities.alerts import services
from opportunities.models import AlertPreference, SavedSearch
from tests import factories

pytestmark = pytest.mark.django_db


def test_url_names():
    assert reverse("alert_list") == "/me/alerts/"
    assert reverse("alert_unsubscribe", kwargs={"token": "t"}) == "/alerts/unsubscribe/t/"


def test_anonymous_is_sent_to_login(client):
    for url in (reverse("alert_list"), reverse("saved_search_create")):
        response = client.post(url, {"query": "q=rag"}) if "searches" in url else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not SavedSearch.objects.exists()


def test_save_search_from_querystring_and_list_it(client, user):
    client.force_login(user)
    response = client.post(
        reverse("saved_search_create"),
        {"query": "q=pytorch&workplace=remote&page=2", "name": "Remote PyTorch"},
        follow=True,
    )
    page = response.content.decode()
    assert "Saved “Remote PyTorch”" in page
    search = SavedSearch.objects.get(user=user)
    assert (search.name, search.query, search.frequency) == (
        "Remote PyTorch",
        "q=pytorch&workplace=remote",
        "daily",
    )
    assert "q=pytorch&amp;workplace=remote" in page


def test_edit_and_delete_own_saved_search(client, user):
    search = services.saved_search_create(user=user, query="q=rag", name="RAG")
    client.force_login(user)
    client.post(
        reverse("saved_search_update", args=[search.pk]),
        {f"s{search.pk}-name": "RAG weekly", f"s{search.pk}-frequency": "weekly"},
    )
    search.refresh_from_db()
    assert (search.name, search.frequency) == ("RAG weekly", "weekly")
    client.post(reverse("saved_search_delete", args=[search.pk]))
    assert not SavedSearch.objects.exists()


def test_someone_elses_saved_search_is_out_of_reach(client, user):
    owner = factories.UserFactory()
    search = services.saved_search_create(user=owner, query="q=rag", name="Owner's")
    client.force_login(user)
    assert "Owner&#x27;s" not in client.get(reverse("alert_list")).content.decode()
    response = client.post(
        reverse("saved_search_update", args=[search.pk]),
        {f"s{search.pk}-name": "Mine now", f"s{search.pk}-frequency": "off"},
    )
    assert response.status_code == 404
    assert client.post(reverse("saved_search_delete", args=[search.pk])).status_code == 404
    search.refresh_from_db()
    assert (search.name, search.frequency) == ("Owner's", "daily")


def test_match_alert_setting(client, user):
    client.force_login(user)
    page = client.get(reverse("alert_list")).content.decode()
    assert 'value="daily" selected' in page
    client.post(reverse("match_alert_update"), {"match_frequency": "instant", "min_score": "85"})
    preference = AlertPreference.objects.get(user=user)
    assert (preference.match_frequency, preference.min_score) == ("instant", 85)
    response = client.post(
        reverse("match_alert_update"), {"match_frequency": "instant", "min_score": "150"}
    )
    assert response.status_code == 302
    assert AlertPreference.objects.get(user=user).min_score == 85


def test_forms_carry_csrf_tokens(client, user):
    services.saved_search_create(user=user, query="q=rag", name="RAG")
    client.force_login(user)
    page = client.get(reverse("alert_list")).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 4  # logout, matches, edit, delete


def test_search_page_offers_to_save_the_current_search(client, user):
    page = client.get("/jobs/", {"q": "pytorch"}).content.decode()
    assert "to save this search" in page  # anonymous: log in first
    client.force_login(user)
    page = client.get("/jobs/", {"q": "pytorch", "workplace": "remote"}).content.decode()
    assert f'action="{reverse("saved_search_create")}"' in page
    assert 'name="query" value="q=pytorch&amp;workplace=remote"' in page
    assert "Save this search" in page
    # htmx swaps the results in place; the save form follows the new query out of band.
    partial = client.get("/jobs/", {"q": "rag"}, HTTP_HX_REQUEST="true").content.decode()
    assert (
        '<input type="hidden" id="save-search-query" name="query" value="q=rag" '
        'hx-swap-oob="true">' in partial
    )

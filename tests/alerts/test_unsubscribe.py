"""Tests for the one-click unsubscribe links in alert e-mails."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opportunities.alerts import digest, services, unsubscribe
from opportunities.models import AlertPreference, SavedSearch
from tests import factories

pytestmark = pytest.mark.django_db


def url_for(user, target: str) -> str:
    token = unsubscribe.unsubscribe_token(user_id=user.pk, target=target)
    return reverse("alert_unsubscribe", kwargs={"token": token})


def test_link_works_without_logging_in(client, dev):
    search = services.saved_search_create(user=dev, query="q=rag", name="RAG jobs")
    other = services.saved_search_create(user=dev, query="q=llm", name="LLM jobs")
    url = url_for(dev, unsubscribe.UnsubscribeTarget.search(search.pk))

    page = client.get(url).content.decode()
    assert "e-mails for your saved search “RAG jobs”" in page
    search.refresh_from_db()
    assert search.frequency == "daily"  # a GET changes nothing (link scanners follow links)

    response = client.post(url)
    assert response.status_code == 200
    assert "We have turned off" in response.content.decode()
    search.refresh_from_db()
    other.refresh_from_db()
    assert (search.frequency, other.frequency) == ("off", "daily")
    assert client.post(url).status_code == 200  # twice is harmless


def test_matches_link_turns_off_match_alerts(client, dev):
    client.post(url_for(dev, unsubscribe.UnsubscribeTarget.MATCHES))
    assert AlertPreference.objects.get(user=dev).match_frequency == "off"


def test_one_click_post_without_csrf_unsubscribes_from_all(dev):
    services.saved_search_create(user=dev, query="q=rag", name="RAG jobs", frequency="instant")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url_for(dev, unsubscribe.UnsubscribeTarget.ALL), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert SavedSearch.objects.get().frequency == "off"
    assert AlertPreference.objects.get(user=dev).match_frequency == "off"


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_or_forged_token_is_refused(client, dev, method):
    search = services.saved_search_create(user=dev, query="q=rag", name="RAG jobs")
    victim = factories.UserFactory()
    services.saved_search_create(user=victim, query="q=x", name="X")
    token = unsubscribe.unsubscribe_token(user_id=dev.pk, target="all")
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature altered
        "not-a-token",
        # The right shape, signed with a key other than the site's.
        signing.dumps(
            {"u": victim.pk, "t": "all"}, key="x" * 50, salt=unsubscribe.UNSUBSCRIBE_SALT
        ),
        # Signed by the site but for another purpose (another salt).
        signing.dumps({"u": victim.pk, "t": "all"}, salt="something-else"),
    ]
    for bad in forged:
        response = getattr(client, method)(
            reverse("alert_unsubscribe", kwargs={"token": bad}), {"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert set(SavedSearch.objects.values_list("frequency", flat=True)) == {"daily"}
    assert not AlertPreference.objects.exists()
    assert search.frequency == "daily"


def test_links_in_a_digest_work(client, dev, mailoutbox):
    search = services.saved_search_create(user=dev, query="q=pytorch", name="PyTorch")
    SavedSearch.objects.filter(pk=search.pk).update(created_at=timezone.now() - timedelta(hours=1))
    factories.RoleFactory(title="PyTorch Engineer")
    digest.digest_send(user=dev, frequency="daily", now=timezone.now())
    body = mailoutbox[0].body
    links = re.findall(r"https?://\S+?(/alerts/unsubscribe/\S+/)", body)
    assert len(links) == 2  # this search, and everything
    header = re.search(r"<https?://[^/]+(/\S+)>", mailoutbox[0].extra_headers["List-Unsubscribe"])
    client.post(header.group(1), {"List-Unsubscribe": "One-Click"})
    search.refresh_from_db()
    assert search.frequency == "off"

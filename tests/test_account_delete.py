"""Deleting an account: offered the tracker's export first, asks for the password, deletes all."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from opportunities.models import StageChange, TrackedOpportunity
from opportunities.tracker import services
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_page_offers_the_export_first(client, user):
    client.force_login(user)
    body = client.get(reverse("account_delete")).content.decode()
    assert reverse("tracker_export") in body and "Download your tracker (CSV)" in body


def test_the_wrong_password_deletes_nothing(client, user):
    client.force_login(user)
    response = client.post(reverse("account_delete"), {"password": "wrong"})
    assert response.status_code == 400 and "That is not your password." in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_deleting_the_account_deletes_the_tracker_and_logs_out(client, user):
    other = factories.UserFactory()
    entry = services.opportunity_create(user=user, title="A", company_name="X").opportunity
    services.opportunity_create(user=other, title="B", company_name="Y")
    client.force_login(user)
    response = client.post(
        reverse("account_delete"), {"password": "correct-horse-battery"}, follow=True
    )
    assert "Your account and everything in it are deleted." in response.content.decode()
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not TrackedOpportunity.objects.filter(pk=entry.pk).exists()
    assert not StageChange.objects.filter(opportunity_id=entry.pk).exists()
    assert TrackedOpportunity.objects.filter(user=other).count() == 1
    assert client.get(reverse("tracker_board")).status_code == 302  # logged out


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("account_delete"))
    assert response.status_code == 302 and reverse("login") in response["Location"]

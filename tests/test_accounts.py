"""Tests for accounts: signing up, logging in and out, lockout and password reset."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_signup_creates_account_named_by_email_and_logs_in(client):
    response = client.post(
        reverse("signup"),
        {
            "email": "Ada@Example.com",
            "password1": "a-long-unusual-pass",
            "password2": "a-long-unusual-pass",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("profile_edit")
    user = get_user_model().objects.get()
    assert user.username == "ada@example.com"
    assert user.email == "Ada@example.com"
    assert client.get(reverse("profile_edit")).status_code == 200


def test_signup_applies_password_validators(client):
    response = client.post(
        reverse("signup"),
        {"email": "ada@example.com", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_signup_refuses_an_address_already_used(client, user):
    response = client.post(
        reverse("signup"),
        {
            "email": user.email.upper(),
            "password1": "a-long-unusual-pass",
            "password2": "a-long-unusual-pass",
        },
    )
    assert "already exists" in response.content.decode()


def test_login_rotates_session_key(client):
    factories.UserFactory(username="ada@example.com", email="ada@example.com")
    client.get(reverse("login"))
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key
    response = client.post(reverse("login"), {"username": "Ada@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session["_auth_user_id"]


def test_wrong_password_says_so_in_plain_words(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_sixth_attempt_after_five_wrong_passwords_is_refused(client):
    factories.UserFactory(username="ada@example.com", email="ada@example.com")
    for _ in range(5):
        client.post(reverse("login"), {"username": "ada@example.com", "password": "wrong"})
    # Even the right password is refused now.
    response = client.post(reverse("login"), {"username": "ada@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Lockout is by username and address together: another account from here is unaffected.
    factories.UserFactory(username="bob@example.com", email="bob@example.com")
    response = client.post(reverse("login"), {"username": "bob@example.com", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_is_a_post(client, user):
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_needs_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403


def test_password_reset_email_has_a_working_link(client, mailoutbox):
    factories.UserFactory(username="ada@example.com", email="ada@example.com")
    response = client.post(reverse("password_reset"), {"email": "ada@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == "Choose a new password for GenAI Jobs"
    assert message.alternatives  # an HTML part too
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "brand-new-secret-9", "new_password2": "brand-new-secret-9"}
    )
    assert response["Location"] == reverse("password_reset_complete")
    response = client.post(
        reverse("login"), {"username": "ada@example.com", "password": "brand-new-secret-9"}
    )
    assert response.status_code == 302


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert mailoutbox == []


def test_nav_for_anonymous_and_logged_in(client, user):
    page = client.get(reverse("home")).content.decode()
    assert reverse("login") in page and reverse("signup") in page
    assert reverse("alert_list") not in page
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    for url in ("/me/matches/", reverse("profile_edit"), reverse("alert_list"), reverse("logout")):
        assert url in page
    assert f'<form method="post" action="{reverse("logout")}">' in page

"""Tests for accounts: signing up, logging in and out, lockout and password reset."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


SIGNUP = {"password1": "a-long-unusual-pass", "password2": "a-long-unusual-pass"}


def signup(client, email: str, **extra):
    return client.post(reverse("signup"), {"email": email, **SIGNUP, **extra})


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+/(?:\?\S+)?)", message.body)[1]


def test_signup_emails_a_link_that_activates_the_account_and_logs_in(client, mailoutbox):
    response = signup(client, "Ada@Example.com")
    assert response["Location"] == reverse("signup_sent")
    user = get_user_model().objects.get()
    assert (user.username, user.email, user.is_active) == (
        "ada@example.com",
        "Ada@example.com",
        False,
    )
    assert "_auth_user_id" not in client.session
    # Not usable before the link is followed, even with the right password.
    response = client.post(
        reverse("login"), {"username": "ada@example.com", "password": SIGNUP["password1"]}
    )
    assert response.status_code == 200

    (message,) = mailoutbox
    assert message.to == ["Ada@example.com"]
    assert message.subject == "Finish signing up to GenAI Jobs"
    assert message.alternatives
    link = link_in(message)
    # A GET (a mail scanner following links) changes nothing.
    assert "Confirm and log in" in client.get(link).content.decode()
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(link)
    assert response["Location"] == reverse("profile_edit")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("profile_edit")).status_code == 200
    # The link works once.
    client.post(reverse("logout"))
    assert client.post(link).status_code == 400
    assert "_auth_user_id" not in client.session


def test_signup_link_keeps_a_safe_next_and_drops_an_outside_one(client, mailoutbox):
    signup(client, "ada@example.com", next="/jobs/?q=rag")
    signup(client, "bob@example.com", next="https://evil.example/")
    ada, bob = (link_in(message) for message in mailoutbox)
    assert client.post(ada)["Location"] == "/jobs/?q=rag"
    client.post(reverse("logout"))
    assert client.post(bob)["Location"] == reverse("profile_edit")


def test_signup_gives_the_same_answer_for_an_address_that_has_an_account(client, mailoutbox):
    factories.UserFactory(username="ada@example.com", email="ada@example.com")
    new = signup(client, "new@example.com")
    new_page = client.get(new["Location"]).content.decode()
    existing = signup(client, "ADA@example.com")

    assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"])
    assert client.get(existing["Location"]).content.decode() == new_page
    assert "already" not in new_page
    attempt = mailoutbox[-1]
    assert attempt.to == ["ada@example.com"]
    assert attempt.subject == "Someone tried to sign up to GenAI Jobs with your address"
    assert "/accounts/password-reset/" in attempt.body and "/accounts/login/" in attempt.body
    assert attempt.alternatives
    assert "/signup/confirm/" not in attempt.body
    # The existing account is untouched: its own password still logs in.
    assert get_user_model().objects.filter(email__iexact="ada@example.com").count() == 1
    response = client.post(reverse("login"), {"username": "ada@example.com", "password": PASSWORD})
    assert response.status_code == 302


def test_signing_up_again_before_confirming_sends_a_fresh_link_and_kills_the_old(
    client, mailoutbox
):
    signup(client, "ada@example.com")
    signup(client, "ada@example.com", password1="another-long-pass", password2="another-long-pass")
    first, second = (link_in(message) for message in mailoutbox)
    assert client.post(first).status_code == 400
    assert client.post(second).status_code == 302
    client.post(reverse("logout"))
    response = client.post(
        reverse("login"), {"username": "ada@example.com", "password": "another-long-pass"}
    )
    assert response.status_code == 302


def test_a_deactivated_account_is_never_reactivated_by_signing_up(client, mailoutbox):
    user = factories.UserFactory(username="ada@example.com", email="ada@example.com")
    client.force_login(user)
    client.post(reverse("logout"))
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    response = signup(client, "ada@example.com")
    assert response["Location"] == reverse("signup_sent")
    assert mailoutbox == []
    user.refresh_from_db()
    assert not user.is_active


def test_a_password_reset_token_is_no_signup_link(client, mailoutbox):
    signup(client, "ada@example.com")
    user = get_user_model().objects.get()
    token = default_token_generator.make_token(user)
    link = link_in(mailoutbox[0]).split("/")
    link[-2] = token
    assert client.post("/".join(link)).status_code == 400


def test_signup_applies_password_validators(client):
    response = client.post(
        reverse("signup"),
        {"email": "ada@example.com", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not get_user_model().objects.exists()


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


def test_axes_admin_offers_no_broken_cleanup_action(client):
    admin_user = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    attempt = AccessAttempt.objects.create(
        username="ada@example.com", ip_address="127.0.0.1", failures_since_start=3
    )
    url = reverse("admin:axes_accessattempt_changelist")

    page = client.get(url).content.decode()
    assert "cleanup_expired_attempts" not in page
    response = client.post(
        url, {"action": "cleanup_expired_attempts", "_selected_action": [attempt.pk]}
    )
    assert response.status_code in {200, 302}
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    # Deleting chosen rows still works.
    response = client.post(
        url, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

"""Every tracker URL for a visitor, another developer, a curator, a superuser and the owner.

A tracker is its developer's alone: the others get a 404 (a visitor is sent to log in), so an
entry's existence stays private too, and nothing of it changes.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opportunities.catalog.curators import curators_group_sync
from opportunities.models import Contact, InterviewRound, Stage, TrackedOpportunity
from opportunities.tracker import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(developer, other_developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    contact = services.contact_add(opportunity=entry, name="Ada")
    interview = services.interview_add(opportunity=entry, at=timezone.now())
    curator = factories.UserFactory(username="curator@example.com", is_staff=True)
    curator.groups.add(curators_group_sync())
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    clients = {"anonymous": Client()}
    for name, user in (
        ("owner", developer),
        ("other_developer", other_developer),
        ("curator", curator),
        ("superuser", superuser),
    ):
        clients[name] = Client()
        clients[name].force_login(user)
    return {
        "entry": entry,
        "contact": contact,
        "interview": interview,
        "role": board_role,
        "clients": clients,
    }


def entry_urls(world) -> list[tuple[str, str, dict]]:
    """(method, path, data) of every URL about one entry."""
    pk = world["entry"].pk
    return [
        ("get", reverse("tracker_detail", args=[pk]), {}),
        (
            "post",
            reverse("tracker_edit", args=[pk]),
            {"title": "Mine", "company_name": "X", "source": "board"},
        ),
        ("post", reverse("tracker_move", args=[pk]), {"stage": "offer"}),
        ("post", reverse("tracker_contact_add", args=[pk]), {"name": "Eve"}),
        ("post", reverse("tracker_contact_delete", args=[pk, world["contact"].pk]), {}),
        (
            "post",
            reverse("tracker_interview_add", args=[pk]),
            {"at": "2030-01-01T10:00", "kind": "other"},
        ),
        ("post", reverse("tracker_interview_delete", args=[pk, world["interview"].pk]), {}),
        ("get", reverse("tracker_delete", args=[pk]), {}),
        ("post", reverse("tracker_delete", args=[pk]), {}),
    ]


# URLs of a user's own tracker as a whole: each shows the signed-in user's own tracker.
OWN_TRACKER_URLS = [
    ("get", "tracker_board"),
    ("get", "tracker_table"),
    ("get", "tracker_numbers"),
    ("get", "tracker_add"),
    ("get", "tracker_import"),
    ("get", "tracker_calendar"),
    ("get", "tracker_export"),
]


def _send(client, method, path, data):
    return getattr(client, method)(path, data)


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("who", ["other_developer", "curator", "superuser"])
def test_nobody_else_reaches_an_entry_or_changes_it(world, who):
    client = world["clients"][who]
    for method, path, data in entry_urls(world):
        response = _send(client, method, path, data)
        assert response.status_code == 404, f"{method} {path} as {who}"
    entry = TrackedOpportunity.objects.get(pk=world["entry"].pk)
    assert (entry.title, entry.stage) == ("LLM Engineer", Stage.INTERVIEWING)
    assert Contact.objects.filter(name="Ada").exists()
    assert InterviewRound.objects.filter(pk=world["interview"].pk).exists()


def test_a_visitor_is_sent_to_log_in_everywhere(world):
    client = world["clients"]["anonymous"]
    paths = [(m, p, d) for m, p, d in entry_urls(world)]
    paths += [(m, reverse(name), {}) for m, name in OWN_TRACKER_URLS]
    paths += [("post", reverse("tracker_track", args=[world["role"].pk]), {})]
    paths += [("post", reverse("tracker_add"), {"url": "https://a.example/"})]
    paths += [("post", reverse("tracker_add_confirm"), {"title": "A", "company_name": "B"})]
    for method, path, data in paths:
        response = _send(client, method, path, data)
        assert response.status_code == 302, f"{method} {path}"
        assert response["Location"].startswith(reverse("login"))
    assert TrackedOpportunity.objects.count() == 1


def test_the_owner_reaches_every_url(world):
    client = world["clients"]["owner"]
    for method, path, data in entry_urls(world):
        response = _send(client, method, path, data)
        assert response.status_code in {200, 302}, f"{method} {path}"
    for method, name in OWN_TRACKER_URLS:
        assert _send(client, method, reverse(name), {}).status_code == 200, name


@pytest.mark.parametrize("who", ["other_developer", "curator", "superuser"])
def test_everyone_elses_whole_tracker_pages_show_only_their_own(world, who):
    client = world["clients"][who]
    for method, name in OWN_TRACKER_URLS:
        response = _send(client, method, reverse(name), {})
        assert response.status_code == 200, name
        assert "LLM Engineer" not in _body(response), name


def test_the_calendar_feed_opens_with_its_secret_only(world, developer):
    token = services.calendar_rotate(user=developer)
    feed = reverse("tracker_calendar_feed", args=[token])
    for who in ("anonymous", "other_developer", "curator"):
        assert world["clients"][who].get(feed).status_code == 200
    for wrong in ("x" * 43, token[:-1] + ("A" if token[-1] != "A" else "B")):
        for who in ("anonymous", "owner"):
            path = reverse("tracker_calendar_feed", args=[wrong])
            assert world["clients"][who].get(path).status_code == 404
    services.calendar_revoke(user=developer)
    assert world["clients"]["anonymous"].get(feed).status_code == 404


def test_writes_need_post_and_a_csrf_token(world, developer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(developer)
    pk = world["entry"].pk
    assert client.get(reverse("tracker_move", args=[pk])).status_code == 405
    assert client.post(reverse("tracker_move", args=[pk]), {"stage": "offer"}).status_code == 403
    track = reverse("tracker_track", args=[world["role"].pk])
    assert client.get(track).status_code == 405
    assert client.post(track).status_code == 403


def test_the_owner_cannot_be_given_through_the_form(world, developer, other_developer):
    """Fields that decide access never come from a form: a posted user is ignored."""
    client = world["clients"]["owner"]
    client.post(
        reverse("tracker_add_confirm"),
        {
            "title": "T",
            "company_name": "C",
            "source": "other_site",
            "stage": "saved",
            "user": other_developer.pk,
        },
    )
    assert TrackedOpportunity.objects.get(title="T").user == developer

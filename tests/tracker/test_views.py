"""The tracker's pages: one-click tracking, the board and table, moving, adding outside roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Role, Stage, TrackedOpportunity
from opportunities.tracker import selectors, services
from opportunities.tracker.outside import OutsideRole, OutsideRoleError
from tests import factories

pytestmark = pytest.mark.django_db


def fill(user, count: int) -> list[TrackedOpportunity]:
    """`count` outside entries spread over the stages, each with a tag and a next step."""
    stages = list(Stage.values)
    entries = []
    for n in range(count):
        entry = services.opportunity_create(
            user=user,
            title=f"Role {n}",
            company_name=f"Company {n % 7}",
            tags=f"t{n % 3}",
            next_step="Call",
            next_step_due=timezone.localdate() + timedelta(days=n % 5 - 2),
        ).opportunity
        services.opportunity_move(user=user, opportunity_id=entry.pk, stage=stages[n % len(stages)])
        entries.append(entry)
    return entries


def test_track_from_search_is_one_request_of_at_most_five_queries(
    owner_client, developer, board_role, django_assert_max_num_queries
):
    url = reverse("tracker_track", args=[board_role.pk])
    with django_assert_max_num_queries(5):
        response = owner_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "✓ Tracked" in response.content.decode()
    assert TrackedOpportunity.objects.get(user=developer).role_id == board_role.pk


def test_track_without_javascript_comes_back_with_a_message(owner_client, board_role):
    search = reverse("role_search")
    response = owner_client.post(
        reverse("tracker_track", args=[board_role.pk]), {"next": search}, follow=True
    )
    assert response.redirect_chain[-1][0] == search
    assert "Tracking “LLM Engineer”" in response.content.decode()


def test_tracking_again_says_where_it_stands(owner_client, developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    services.opportunity_move(
        user=developer,
        opportunity_id=entry.pk,
        stage=Stage.APPLIED,
        at=timezone.now() - timedelta(days=12),
    )
    response = owner_client.post(
        reverse("tracker_track", args=[board_role.pk]), HTTP_HX_REQUEST="true"
    )
    assert "You already track this: applied 12 days ago" in response.content.decode()
    assert TrackedOpportunity.objects.count() == 1


def test_the_search_cards_carry_track_buttons_without_a_query_per_card(
    owner_client, developer, django_assert_max_num_queries
):
    roles = [factories.RoleFactory(title=f"Engineer {n}") for n in range(6)]
    services.opportunity_track_role(user=developer, role=roles[0].pk)
    body = owner_client.get(reverse("role_search")).content.decode()
    assert body.count("✓ Tracked") == 1
    assert body.count('formaction="/me/tracker/track/') == 5
    for role in roles[1:3]:
        services.opportunity_track_role(user=developer, role=role.pk)
    more = [factories.RoleFactory(title=f"Scientist {n}") for n in range(10)]
    assert more
    with django_assert_max_num_queries(12) as captured:
        owner_client.get(reverse("role_search"))
    tracker_queries = [q for q in captured.captured_queries if "trackedopportunity" in q["sql"]]
    assert len(tracker_queries) == 1


def test_a_visitor_sees_no_track_buttons(client, board_role):
    assert "/me/tracker/track/" not in client.get(reverse("role_search")).content.decode()


def test_the_role_page_has_a_track_button(owner_client, board_role):
    body = owner_client.get(board_role.get_absolute_url()).content.decode()
    assert reverse("tracker_track", args=[board_role.pk]) in body


def test_move_is_one_request_of_at_most_five_queries(
    owner_client, developer, board_role, django_assert_max_num_queries
):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    url = reverse("tracker_move", args=[entry.pk])
    with django_assert_max_num_queries(5):
        response = owner_client.post(url, {"stage": "applied"}, HTTP_X_TRACKER_MOVE="1")
    assert response.status_code == 204
    entry.refresh_from_db()
    assert entry.stage == Stage.APPLIED


def test_move_without_javascript_redirects_to_the_card(owner_client, developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    response = owner_client.post(reverse("tracker_move", args=[entry.pk]), {"stage": "offer"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#card-{entry.pk}")
    entry.refresh_from_db()
    assert entry.stage == Stage.OFFER


def test_a_bad_stage_is_a_message_not_an_error(owner_client, developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    response = owner_client.post(
        reverse("tracker_move", args=[entry.pk]), {"stage": "hired"}, follow=True
    )
    assert response.status_code == 200 and "That is not a stage." in response.content.decode()
    drag = owner_client.post(
        reverse("tracker_move", args=[entry.pk]), {"stage": "hired"}, HTTP_X_TRACKER_MOVE="1"
    )
    assert drag.status_code == 400


@pytest.mark.parametrize("name", ["tracker_board", "tracker_table"])
def test_board_and_table_take_the_same_few_queries_whatever_the_size(
    owner_client, developer, name, django_assert_max_num_queries
):
    fill(developer, 3)
    with django_assert_max_num_queries(10) as small:
        assert owner_client.get(reverse(name)).status_code == 200
    fill(developer, 40)
    factories.RoleFactory()  # and a board role among them, closed later
    with django_assert_max_num_queries(10) as large:
        assert owner_client.get(reverse(name)).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_board_has_a_column_per_stage_with_its_cards(owner_client, developer):
    entries = fill(developer, 8)
    body = owner_client.get(reverse("tracker_board")).content.decode()
    for _, label in Stage.choices:
        assert f">{label} <span" in body
    for entry in entries:
        assert f'id="card-{entry.pk}"' in body
    assert 'src="/static/vendor/Sortable.min.js"' in body
    assert 'src="/static/js/tracker-board.js"' in body


def test_a_column_shows_its_newest_cards_and_links_to_the_rest(
    owner_client, developer, monkeypatch
):
    monkeypatch.setattr("opportunities.tracker.selectors.COLUMN_LIMIT", 2)
    for n in range(4):
        services.opportunity_create(user=developer, title=f"Saved {n}", company_name="X")
    body = owner_client.get(reverse("tracker_board")).content.decode()
    assert "Saved 3" in body and "Saved 2" in body and "Saved 0" not in body
    assert "2 more in the table" in body


def test_a_closed_board_role_is_marked_not_hidden(owner_client, developer, board_role):
    services.opportunity_track_role(user=developer, role=board_role.pk)
    Role.objects.filter(pk=board_role.pk).update(status=Role.Status.CLOSED)
    for name in ("tracker_board", "tracker_table"):
        body = owner_client.get(reverse(name)).content.decode()
        assert "LLM Engineer" in body and "Closed on the board" in body


def test_an_expired_board_role_is_marked_too(owner_client, developer, board_role):
    services.opportunity_track_role(user=developer, role=board_role.pk)
    Role.objects.filter(pk=board_role.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert "Closed on the board" in owner_client.get(reverse("tracker_board")).content.decode()


def test_the_table_filters_by_stage_tag_company_and_search(owner_client, developer):
    fill(developer, 21)
    response = owner_client.get(reverse("tracker_table"), {"stage": "offer"})
    assert {r.stage for r in response.context["rows"]} == {"offer"}
    response = owner_client.get(reverse("tracker_table"), {"tag": "t1"})
    assert response.context["rows"] and all("t1" in r.tag_list for r in response.context["rows"])
    response = owner_client.get(reverse("tracker_table"), {"company": "company 3"})
    assert {r.company_name for r in response.context["rows"]} == {"Company 3"}
    response = owner_client.get(reverse("tracker_table"), {"q": "Role 17"})
    assert [r.title for r in response.context["rows"]] == ["Role 17"]
    response = owner_client.get(reverse("tracker_table"), {"sort": "title"})
    titles = [r.title for r in response.context["rows"]]
    assert titles == sorted(titles)
    response = owner_client.get(reverse("tracker_table"), {"q": "nothing like it"})
    assert "Nothing tracked fits these filters." in response.content.decode()


def test_an_invalid_filter_shows_everything(owner_client, developer):
    fill(developer, 3)
    response = owner_client.get(reverse("tracker_table"), {"stage": "hired", "sort": "?"})
    assert response.status_code == 200 and len(response.context["rows"]) == 3


def test_the_timeline_shows_every_move_and_interview(owner_client, developer, board_role):
    entry = services.opportunity_track_role(user=developer, role=board_role.pk).opportunity
    services.opportunity_move(
        user=developer, opportunity_id=entry.pk, stage="applied", note="Through the site"
    )
    services.interview_add(
        opportunity=entry, at=timezone.now() + timedelta(days=1), kind="screen", with_whom="Sam"
    )
    body = owner_client.get(entry.get_absolute_url()).content.decode()
    assert "Moved to Saved" in body and "Moved to Applied" in body
    assert "Through the site" in body and "Screening call interview" in body
    assert "upcoming" in body


def test_editing_details_and_adding_contacts(owner_client, developer):
    entry = services.opportunity_create(user=developer, title="A", company_name="X").opportunity
    response = owner_client.post(
        reverse("tracker_edit", args=[entry.pk]),
        {
            "title": "A",
            "company_name": "X",
            "source": "referral",
            "source_name": "Kim",
            "tags": "LLM, Remote",
            "salary_offered": "EUR 90k",
            "next_step": "Call back",
            "next_step_due": "2030-01-02",
            "cv_sent": "cv-2026-llm.pdf",
            "notes": "# Heading\n\n*nice team*",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.tag_list == ["llm", "remote"] and entry.source == "referral"
    assert "<em>nice team</em>" in entry.notes_html
    owner_client.post(
        reverse("tracker_contact_add", args=[entry.pk]),
        {"name": "Kim Lee", "email": "kim@example.com", "role_title": "Recruiter"},
    )
    body = owner_client.get(entry.get_absolute_url()).content.decode()
    assert "Kim Lee" in body and "mailto:kim@example.com" in body and "cv-2026-llm.pdf" in body


def test_invalid_details_are_shown_back_with_messages(owner_client, developer):
    entry = services.opportunity_create(user=developer, title="A", company_name="X").opportunity
    response = owner_client.post(
        reverse("tracker_edit", args=[entry.pk]),
        {"title": "", "company_name": "X", "source": "board", "next_step_due": "soon"},
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert "Enter a valid date." in response.content.decode()


def test_adding_an_outside_role_prefills_what_was_read(owner_client, developer, monkeypatch):
    seen = []

    def fake(url):
        seen.append(url)
        return OutsideRole(
            title="Research Engineer",
            company_name="Deep Lab",
            location="London",
            description_html="<p>Build evals.</p><script>x()</script>",
            canonical_url="https://jobs.example.com/deep-lab/42",
            salary_min=90000,
            salary_max=120000,
            salary_currency="GBP",
            salary_period="year",
            found_by="jsonld",
        )

    monkeypatch.setattr("opportunities.views.tracker.outside_role_from_url", fake)
    response = owner_client.post(
        reverse("tracker_add"), {"url": "https://jobs.example.com/deep-lab/42?ref=x"}
    )
    body = response.content.decode()
    assert seen == ["https://jobs.example.com/deep-lab/42?ref=x"]
    assert 'value="Research Engineer"' in body and 'value="Deep Lab"' in body
    assert "We read this from the posting" in body
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["title"] = "Research Engineer, Evals"  # the user corrects it before saving
    saved = owner_client.post(reverse("tracker_add_confirm"), data)
    entry = TrackedOpportunity.objects.get(user=developer)
    assert saved["Location"] == entry.get_absolute_url()
    assert entry.title == "Research Engineer, Evals" and entry.source == "other_site"
    assert entry.url_key == "jobs.example.com/deep-lab/42"
    assert entry.description_html == "<p>Build evals.</p>"
    assert entry.salary_offered.startswith("GBP 90,000")


def test_an_address_that_cannot_be_read_is_filled_by_hand(owner_client, developer, monkeypatch):
    def fails(url):
        raise OutsideRoleError("That page could not be reached")

    monkeypatch.setattr("opportunities.views.tracker.outside_role_from_url", fails)
    response = owner_client.post(reverse("tracker_add"), {"url": "https://nowhere.example/job"})
    body = response.content.decode()
    assert "That page could not be reached. Fill the details in below." in body
    assert 'value="https://nowhere.example/job"' in body
    saved = owner_client.post(
        reverse("tracker_add_confirm"),
        {
            "title": "Data Scientist",
            "company_name": "Nowhere",
            "url": "https://nowhere.example/job",
            "source": "other_site",
            "stage": "applied",
        },
    )
    assert saved.status_code == 302
    entry = TrackedOpportunity.objects.get(user=developer)
    assert entry.stage == "applied" and entry.applied_at is not None


def test_an_address_already_tracked_goes_to_its_entry(owner_client, developer, monkeypatch):
    entry = services.opportunity_create(
        user=developer, title="A", company_name="X", url="https://a.example/job"
    ).opportunity
    monkeypatch.setattr(
        "opportunities.views.tracker.outside_role_from_url",
        lambda url: pytest.fail("an address already tracked is not fetched again"),
    )
    response = owner_client.post(reverse("tracker_add"), {"url": "http://www.a.example/job/"})
    assert response["Location"] == entry.get_absolute_url()


def test_a_confirm_form_missing_its_title_says_so(owner_client):
    response = owner_client.post(reverse("tracker_add_confirm"), {"company_name": "X"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_deleting_an_entry_asks_first(owner_client, developer):
    entry = services.opportunity_create(user=developer, title="A", company_name="X").opportunity
    assert (
        "Stop tracking “A”?"
        in owner_client.get(reverse("tracker_delete", args=[entry.pk])).content.decode()
    )
    owner_client.post(reverse("tracker_delete", args=[entry.pk]))
    assert not TrackedOpportunity.objects.exists()


def test_an_empty_tracker_explains_itself(owner_client):
    body = owner_client.get(reverse("tracker_board")).content.decode()
    assert "Nothing tracked yet." in body


def test_reminders_show_on_the_board(owner_client, developer):
    due = services.opportunity_create(
        user=developer,
        title="Due",
        company_name="X",
        next_step="Send portfolio",
        next_step_due=timezone.localdate(),
    ).opportunity
    quiet = services.opportunity_create(
        user=developer,
        title="Quiet",
        company_name="Y",
        stage="applied",
        at=timezone.now() - timedelta(days=20),
    ).opportunity
    body = owner_client.get(reverse("tracker_board")).content.decode()
    assert "Reminders" in body
    assert "Send portfolio — due <strong>today</strong>" in body
    assert f'href="{quiet.get_absolute_url()}"' in body and "no news since you applied" in body
    assert due.pk


def test_the_board_lists_the_oldest_reminders_and_points_to_the_rest(owner_client, developer):
    for n in range(selectors.REMINDER_LIMIT + 1):
        services.opportunity_create(
            user=developer,
            title=f"Due {n}",
            company_name="X",
            next_step=f"Step {n}",
            next_step_due=timezone.localdate() - timedelta(days=n),
        )
    found = selectors.reminders(user=developer, limit=2)
    assert [e.title for e in found.due] == ["Due 10", "Due 9"] and found.more
    body = owner_client.get(reverse("tracker_board")).content.decode()
    assert "Step 10 — " in body and "Step 0 — " not in body
    assert "the table sorted by next step" in body


def test_the_table_headings_sort_it_keeping_the_filters(owner_client, developer):
    fill(developer, 4)
    response = owner_client.get(reverse("tracker_table"), {"tag": "t1", "sort": "company"})
    body = response.content.decode()
    assert 'href="?tag=t1&amp;sort=title"' in body
    assert '<th scope="col" aria-sort="ascending"><a href="?tag=t1&amp;sort=company">' in body

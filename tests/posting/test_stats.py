"""Tests for opportunities.posting.stats: the counters and what counts as a person's visit."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Role, RoleStat
from opportunities.posting import stats
from opportunities.posting.stats import is_bot, stats_record, stats_record_many
from tests import factories

pytestmark = pytest.mark.django_db

Kind = RoleStat.Kind
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def counts(role: Role, kind: str) -> dict[datetime.date, int]:
    return dict(RoleStat.objects.filter(role=role, kind=kind).values_list("day", "count"))


def today_count(role: Role, kind: str) -> int:
    return counts(role, kind).get(timezone.localdate(), 0)


@pytest.fixture
def browser():
    return Client(HTTP_USER_AGENT=BROWSER)


def role_url(role: Role) -> str:
    return reverse("role_detail", kwargs={"pk": role.pk, "slug": role.slug})


# --- The counter --------------------------------------------------------------------------


def test_recording_twice_adds_to_one_row(role):
    stats_record(role.pk, Kind.TRACKER_SAVE)
    stats_record(role.pk, Kind.TRACKER_SAVE, count=2)
    assert RoleStat.objects.filter(role=role).count() == 1
    assert today_count(role, Kind.TRACKER_SAVE) == 3


def test_each_day_and_kind_has_its_own_row(role):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    stats_record(role.pk, Kind.VIEW, day=yesterday)
    stats_record(role.pk, Kind.VIEW)
    stats_record(role.pk, Kind.APPLY_CLICK)
    assert counts(role, Kind.VIEW) == {yesterday: 1, timezone.localdate(): 1}
    assert today_count(role, Kind.APPLY_CLICK) == 1


def test_many_roles_are_one_statement_and_a_repeated_id_counts_twice(company):
    roles = factories.RoleFactory.create_batch(20, company=company)
    ids = [role.pk for role in roles] + [roles[0].pk]
    with CaptureQueriesContext(connection) as queries:
        stats_record_many(ids, Kind.SEARCH_APPEARANCE)
    assert len(queries.captured_queries) == 1
    assert "ON CONFLICT" in queries.captured_queries[0]["sql"]
    stats_record_many(ids, Kind.SEARCH_APPEARANCE)
    assert today_count(roles[0], Kind.SEARCH_APPEARANCE) == 4
    assert {today_count(role, Kind.SEARCH_APPEARANCE) for role in roles[1:]} == {2}


def test_more_rows_than_a_batch_are_all_counted(company, monkeypatch):
    monkeypatch.setattr(stats, "_BATCH", 3)
    roles = factories.RoleFactory.create_batch(7, company=company)
    with CaptureQueriesContext(connection) as queries:
        stats_record_many([role.pk for role in roles], Kind.VIEW)
    assert len(queries.captured_queries) == 3
    assert RoleStat.objects.filter(kind=Kind.VIEW, count=1).count() == 7


def test_an_unknown_kind_is_refused(role):
    with pytest.raises(ValueError, match="Unknown role statistic"):
        stats_record(role.pk, "like")
    assert not RoleStat.objects.exists()


def test_switched_off_nothing_is_written(role, settings):
    settings.ROLE_STATS_ENABLED = False
    with CaptureQueriesContext(connection) as queries:
        stats_record(role.pk, Kind.VIEW)
    assert queries.captured_queries == []
    assert not RoleStat.objects.exists()


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "python-requests/2.32.3",
        "curl/8.5.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0.0.0",
    ],
)
def test_robots_are_recognised(agent):
    assert is_bot(agent)


@pytest.mark.parametrize(
    "agent",
    [
        BROWSER,
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.0 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    ],
)
def test_browsers_are_people(agent):
    assert not is_bot(agent)


# --- Views of the role page ---------------------------------------------------------------


def test_a_view_counts_once_a_day_per_browser(browser, role):
    assert browser.get(role_url(role)).status_code == 200
    assert browser.get(role_url(role)).status_code == 200
    assert today_count(role, Kind.VIEW) == 1
    Client(HTTP_USER_AGENT=BROWSER).get(role_url(role))
    assert today_count(role, Kind.VIEW) == 2


def test_the_seen_cookie_remembers_each_role_apart(browser, company):
    first, second = factories.RoleFactory.create_batch(2, company=company)
    browser.get(role_url(first))
    browser.get(role_url(second))
    browser.get(role_url(first))
    assert today_count(first, Kind.VIEW) == 1
    assert today_count(second, Kind.VIEW) == 1


def test_a_forged_seen_cookie_is_ignored(browser, role):
    browser.cookies[stats.SEEN_COOKIE] = f"{timezone.localdate().isoformat()}|v{role.pk}"
    browser.get(role_url(role))
    assert today_count(role, Kind.VIEW) == 1


def test_yesterdays_cookie_does_not_stop_todays_count(browser, role, monkeypatch):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    monkeypatch.setattr(stats, "stats_today", lambda: yesterday)
    browser.get(role_url(role))
    monkeypatch.undo()
    browser.get(role_url(role))
    assert counts(role, Kind.VIEW) == {yesterday: 1, timezone.localdate(): 1}


def test_the_cookie_keeps_a_bounded_number_of_roles(browser, company, monkeypatch):
    monkeypatch.setattr(stats, "SEEN_LIMIT", 3)
    roles = factories.RoleFactory.create_batch(5, company=company)
    for role in roles:
        browser.get(role_url(role))
    value = browser.cookies[stats.SEEN_COOKIE].value
    assert len(value.split("|", 1)[1].split(":", 1)[0].split(".")) == 3


def test_robots_and_prefetches_are_not_counted(client, role):
    client.get(role_url(role), HTTP_USER_AGENT="Mozilla/5.0 (compatible; bingbot/2.0)")
    client.get(role_url(role))  # no User-Agent at all
    client.get(role_url(role), HTTP_USER_AGENT=BROWSER, HTTP_SEC_PURPOSE="prefetch")
    assert not RoleStat.objects.exists()


def test_staff_and_unpublished_roles_are_not_counted(browser, company):
    curator = factories.UserFactory(is_staff=True)
    published = factories.RoleFactory(company=company)
    browser.force_login(curator)
    browser.get(role_url(published))
    pending = factories.RoleFactory(company=company, status=Role.Status.PENDING)
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, company=company)
    preview = Client(HTTP_USER_AGENT=BROWSER)
    preview.force_login(member)
    assert preview.get(role_url(pending)).status_code == 200
    assert not RoleStat.objects.exists()


def test_counting_can_be_switched_off(browser, role, settings):
    settings.ROLE_STATS_ENABLED = False
    browser.get(role_url(role))
    assert not RoleStat.objects.exists()
    assert stats.SEEN_COOKIE not in browser.cookies


def _queries(client: Client, url: str) -> int:
    """The page's queries once process-wide caches (the taxonomy's) are warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_counting_adds_one_query_to_the_role_page(
    role, settings, django_assert_num_queries, django_assert_max_num_queries
):
    settings.ROLE_STATS_ENABLED = False
    without = _queries(Client(HTTP_USER_AGENT=BROWSER), role_url(role))
    settings.ROLE_STATS_ENABLED = True
    visitor = Client(HTTP_USER_AGENT=BROWSER)
    with django_assert_num_queries(without + 1):
        visitor.get(role_url(role))
    # A repeat view is not counted and costs nothing more than the page.
    with django_assert_num_queries(without):
        visitor.get(role_url(role))


def test_counting_adds_one_query_to_the_search_page(company, settings, django_assert_num_queries):
    factories.RoleFactory.create_batch(5, company=company)
    settings.ROLE_STATS_ENABLED = False
    url = reverse("role_search")
    without = _queries(Client(HTTP_USER_AGENT=BROWSER), url)
    settings.ROLE_STATS_ENABLED = True
    with django_assert_num_queries(without + 1):
        Client(HTTP_USER_AGENT=BROWSER).get(url)


# --- Search appearances -------------------------------------------------------------------


def test_search_counts_the_roles_of_the_page_shown(browser, company):
    roles = factories.RoleFactory.create_batch(25, company=company)
    response = browser.get(reverse("role_search"))
    shown = {card.pk for card in response.context["roles"]}
    assert len(shown) == 20
    counted = set(
        RoleStat.objects.filter(kind=Kind.SEARCH_APPEARANCE, count=1).values_list(
            "role_id", flat=True
        )
    )
    assert counted == shown
    assert len({role.pk for role in roles} - counted) == 5
    browser.get(reverse("role_search"))
    assert set(
        RoleStat.objects.filter(kind=Kind.SEARCH_APPEARANCE).values_list("count", flat=True)
    ) == {2}


def test_search_by_a_robot_or_with_no_results_writes_nothing(client, role):
    client.get(reverse("role_search"), HTTP_USER_AGENT="Googlebot/2.1")
    Client(HTTP_USER_AGENT=BROWSER).get(reverse("role_search"), {"q": "nothingmatchesthis"})
    assert not RoleStat.objects.exists()


# --- Apply clicks -------------------------------------------------------------------------


def apply_url(role: Role) -> str:
    return reverse("role_apply", kwargs={"pk": role.pk})


def test_apply_counts_and_goes_to_the_roles_own_link(browser, company):
    role = factories.RoleFactory(company=company, apply_url="https://jobs.example.com/apply/7")
    response = browser.get(apply_url(role), {"next": "https://evil.example.net/"})
    assert response.status_code == 302
    assert response["Location"] == "https://jobs.example.com/apply/7"
    assert "noindex" in response["X-Robots-Tag"]
    browser.get(apply_url(role))
    assert today_count(role, Kind.APPLY_CLICK) == 1


def test_apply_by_email_redirects_to_a_mailto(browser, company):
    role = factories.RoleFactory(
        company=company, title="LLM Engineer & Lead", apply_email="jobs@acme.example.com"
    )
    response = browser.get(apply_url(role))
    assert response.status_code == 302
    subject = "LLM%20Engineer%20%26%20Lead"
    assert response["Location"] == f"mailto:jobs@acme.example.com?subject={subject}"
    assert today_count(role, Kind.APPLY_CLICK) == 1


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"apply_url": "javascript:alert(1)"},
        {"apply_url": "//evil.example.net/"},
        {"apply_email": "not an address"},
    ],
)
def test_apply_without_a_valid_target_is_404(browser, company, fields):
    role = factories.RoleFactory(company=company, **fields)
    assert browser.get(apply_url(role)).status_code == 404
    assert not RoleStat.objects.exists()


def test_apply_to_a_role_the_user_may_not_see_is_404(browser, company):
    draft = factories.RoleFactory(
        company=company, status=Role.Status.DRAFT, apply_url="https://jobs.example.com/a"
    )
    assert browser.get(apply_url(draft)).status_code == 404
    assert browser.get(reverse("role_apply", kwargs={"pk": draft.pk + 1000})).status_code == 404
    assert not RoleStat.objects.exists()


def test_an_expired_or_closed_role_takes_no_clicks(browser, company):
    past = timezone.now() - datetime.timedelta(days=1)
    for fields in (
        {"expires_at": past},
        {"status": Role.Status.CLOSED, "closed_at": past},
        {"status": Role.Status.EXPIRED},
    ):
        role = factories.RoleFactory(
            company=company, apply_url="https://jobs.example.com/a", **fields
        )
        assert browser.get(apply_url(role)).status_code == 404
        assert browser.get(role_url(role)).status_code == 410
    assert not RoleStat.objects.exists()


def test_apply_is_get_only(browser, company):
    role = factories.RoleFactory(company=company, apply_url="https://jobs.example.com/a")
    assert browser.post(apply_url(role)).status_code == 405
    assert not RoleStat.objects.exists()


def test_the_role_page_apply_button_goes_through_the_counter(browser, company):
    role = factories.RoleFactory(company=company, apply_url="https://jobs.example.com/apply/7")
    html = browser.get(role_url(role)).content.decode()
    assert f'href="{apply_url(role)}"' in html
    assert "https://jobs.example.com/apply/7" not in html.split("application/ld+json")[0]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_count_is_one_statement_and_a_failure_is_only_logged(
    company, caplog
):
    role = factories.RoleFactory(company=company)
    with CaptureQueriesContext(connection) as queries:
        stats_record(role.pk, Kind.VIEW)
        stats_record(role.pk, Kind.VIEW)
    assert len(queries.captured_queries) == 2
    assert today_count(role, Kind.VIEW) == 2
    # A role deleted meanwhile: the page that counted it must not fail.
    stats_record(role.pk + 10_000, Kind.VIEW)
    assert "Role statistics not recorded" in caplog.text
    assert RoleStat.objects.count() == 1


def test_buffered_appearances_of_many_pages_are_one_write(browser, company, settings):
    roles = factories.RoleFactory.create_batch(3, company=company)
    settings.ROLE_STATS_BUFFER_SECONDS = 3600
    url = reverse("role_search")
    # After a quiet spell the first page writes at once; the next ones wait in the buffer.
    with CaptureQueriesContext(connection) as first:
        browser.get(url)
    with CaptureQueriesContext(connection) as later:
        browser.get(url)
        browser.get(url)

    def writes(queries) -> int:
        return sum("ON CONFLICT" in query["sql"] for query in queries.captured_queries)

    assert writes(first) == 1
    assert writes(later) == 0
    assert {today_count(role, Kind.SEARCH_APPEARANCE) for role in roles} == {1}
    with CaptureQueriesContext(connection) as flush:
        assert stats.stats_flush() == 3
    # Tests run in a transaction, where a flush first reads which roles still exist.
    assert len(flush.captured_queries) == 2
    assert {today_count(role, Kind.SEARCH_APPEARANCE) for role in roles} == {3}
    assert stats.stats_flush() == 0


def test_a_full_buffer_is_written_before_its_time(company, monkeypatch):
    roles = factories.RoleFactory.create_batch(4, company=company)
    buffer = stats.AppearanceBuffer(limit=4)
    day = timezone.localdate()
    assert buffer.add([roles[0].pk], day=day, interval=0) != []  # first add: never written
    assert buffer.add([roles[0].pk, roles[1].pk], day=day, interval=3600) == []
    rows = buffer.add([roles[1].pk, roles[2].pk, roles[3].pk], day=day, interval=3600)
    assert rows == [
        (roles[0].pk, day, Kind.SEARCH_APPEARANCE, 1),
        (roles[1].pk, day, Kind.SEARCH_APPEARANCE, 2),
        (roles[2].pk, day, Kind.SEARCH_APPEARANCE, 1),
        (roles[3].pk, day, Kind.SEARCH_APPEARANCE, 1),
    ]
    assert buffer.take() == []


def _search_request():
    request = RequestFactory().get("/jobs/", HTTP_USER_AGENT=BROWSER)
    request.user = AnonymousUser()
    return request


def test_a_buffered_row_for_a_deleted_role_is_left_out(role, settings):
    settings.ROLE_STATS_BUFFER_SECONDS = 3600
    # A fresh buffer writes at once; the second id stands for a role deleted meanwhile.
    stats.stats_count_search(request=_search_request(), role_ids=[role.pk, role.pk + 10_000])
    assert list(RoleStat.objects.values_list("role_id", "count")) == [(role.pk, 1)]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_deleted_roles_row_does_not_lose_the_others(company, settings):
    settings.ROLE_STATS_BUFFER_SECONDS = 3600
    role = factories.RoleFactory(company=company)
    with CaptureQueriesContext(connection) as queries:
        stats.stats_count_search(request=_search_request(), role_ids=[role.pk, role.pk + 10_000])
    assert len(queries.captured_queries) == 3  # refused upsert, roles read, upsert again
    assert list(RoleStat.objects.values_list("role_id", "count")) == [(role.pk, 1)]

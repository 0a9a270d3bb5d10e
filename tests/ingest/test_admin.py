"""The curators' ingest admin: sources with their last run, runs, CSV upload, unknown terms."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opportunities.enqueue import INGEST_SOURCE
from opportunities.models import IngestRun, Skill, SkillAlias, Source, UnknownSkillTerm
from tests import factories, paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def make_source(n: int) -> Source:
    source = Source.objects.create(name=f"Board {n}", kind="greenhouse", location=f"board{n}")
    IngestRun.objects.create(source=source, status="failed", message="old")
    IngestRun.objects.create(
        source=source, status="succeeded", fetched=12, created=3, unchanged=9, rejected=1
    )
    return source


def test_the_source_list_shows_each_last_run_without_a_query_per_row(
    curator, django_assert_max_num_queries
):
    for n in range(3):
        make_source(n)
    url = reverse("admin:opportunities_source_changelist")
    curator.get(url)  # warm caches (content types, permissions)

    with django_assert_max_num_queries(12) as few:
        page = curator.get(url)
    for n in range(3, 13):
        make_source(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = curator.get(url)

    text = page.content.decode()
    assert "Succeeded" in text
    assert "12 fetched, 3 created, 0 updated, 9 unchanged, 0 closed, 1 rejected" in text
    assert "Upload CSV" in text


def test_run_now_queues_the_selected_sources(curator, enqueued, django_capture_on_commit_callbacks):
    sources = [make_source(n) for n in range(2)]

    with django_capture_on_commit_callbacks(execute=True):
        response = curator.post(
            reverse("admin:opportunities_source_changelist"),
            {"action": "run_now", "_selected_action": [source.pk for source in sources]},
            follow=True,
        )

    assert sorted(enqueued) == sorted((INGEST_SOURCE, (source.pk,)) for source in sources)
    assert "2 sources queued" in response.content.decode()


def test_runs_are_read_only_even_for_superusers(curator):
    run = IngestRun.objects.create(
        source=make_source(1),
        status="succeeded",
        rejected=1,
        errors=[{"position": 4, "external_id": "abc", "reason": "item has no title"}],
    )
    change = reverse("admin:opportunities_ingestrun_change", args=[run.pk])

    page = curator.get(change)
    assert page.status_code == 200
    text = page.content.decode()
    assert "item has no title" in text and "<td>5</td>" in text
    assert curator.get(reverse("admin:opportunities_ingestrun_add")).status_code == 403
    assert curator.post(change, {"status": "failed"}).status_code == 403
    assert (
        curator.get(reverse("admin:opportunities_ingestrun_delete", args=[run.pk])).status_code
        == 403
    )


def test_a_csv_upload_runs_at_once_and_shows_its_counts(curator):
    company = factories.CompanyFactory(name="Fjord Intelligence", slug="fjord-intelligence")
    url = reverse("admin:opportunities_source_csv_upload")
    assert curator.get(url).status_code == 200

    upload = SimpleUploadedFile("roles.csv", (paths.FIXTURES / "csv" / "roles.csv").read_bytes())
    page = curator.post(url, {"file": upload, "company": company.pk})

    text = page.content.decode()
    assert page.status_code == 200
    assert "Succeeded" in text and "Created" in text
    run = IngestRun.objects.get()
    assert run.created > 0 and run.source.company == company


def test_unknown_terms_become_skills_in_one_step(curator):
    term = UnknownSkillTerm.objects.create(term="VectorFlow", count=7)

    curator.post(
        reverse("admin:opportunities_unknownskillterm_changelist"),
        {"action": "create_skill", "_selected_action": [term.pk]},
    )

    assert Skill.objects.get(name="VectorFlow").slug == "vectorflow"
    assert not UnknownSkillTerm.objects.exists()


def test_unknown_terms_become_aliases_after_picking_the_skill(curator):
    torch = factories.SkillFactory(name="PyTorch", slug="pytorch")
    term = UnknownSkillTerm.objects.create(term="PyTorch2", count=3)
    url = reverse("admin:opportunities_unknownskillterm_changelist")

    picker = curator.post(url, {"action": "add_as_alias", "_selected_action": [term.pk]})
    assert "Alias of" in picker.content.decode()
    curator.post(
        url,
        {
            "action": "add_as_alias",
            "_selected_action": [term.pk],
            "apply": "yes",
            "skill": torch.pk,
        },
    )

    assert SkillAlias.objects.get(name="PyTorch2").skill == torch
    assert not UnknownSkillTerm.objects.exists()


def test_ignored_terms_leave_the_list(curator):
    noise = UnknownSkillTerm.objects.create(term="FooBar", count=50)
    UnknownSkillTerm.objects.create(term="LlamaGuard", count=2)
    url = reverse("admin:opportunities_unknownskillterm_changelist")

    curator.post(url, {"action": "ignore", "_selected_action": [noise.pk]})
    text = curator.get(url).content.decode()

    assert "LlamaGuard" in text and "FooBar" not in text
    assert "FooBar" in curator.get(url + "?ignored__exact=1").content.decode()


@pytest.mark.parametrize(
    ("kind", "location"),
    [
        ("greenhouse", "/etc/passwd"),
        ("rss", "file:///etc/passwd"),
        ("rss", "file:/etc/passwd"),
        ("lever", "../../secrets/feed.json"),
        ("rss", "feeds/jobs.xml"),
        ("rss", "ftp://example.com/jobs.xml"),
        ("rss", "acme"),  # a token means nothing for an RSS feed
        ("rss", "https://user:secret@example.com/jobs.xml"),
        ("hn", "acme"),  # nor a board token for a Hacker News thread
        ("hn", "40000/../../etc/passwd"),
    ],
)
def test_a_source_location_must_be_a_url_or_a_board_token(curator, kind, location):
    response = curator.post(
        reverse("admin:opportunities_source_add"),
        {"name": "Hostile", "kind": kind, "location": location, "interval_minutes": 360},
    )

    assert response.status_code == 200
    assert "location" in response.context["adminform"].form.errors
    assert not Source.objects.filter(name="Hostile").exists()


@pytest.mark.parametrize(
    ("kind", "location"),
    [
        ("greenhouse", "acme-ai"),
        ("rss", "https://example.com/jobs.xml"),
        ("lever", "acme"),
        ("hn", "40000"),
        ("hn", "https://news.ycombinator.com/item?id=40000"),
        ("hn", "https://hn.algolia.com/api/v1/items/40000"),
    ],
)
def test_urls_and_board_tokens_are_accepted_as_locations(curator, kind, location):
    response = curator.post(
        reverse("admin:opportunities_source_add"),
        {"name": "Fine", "kind": kind, "location": f" {location} ", "interval_minutes": 360},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Source.objects.get(name="Fine").location == location

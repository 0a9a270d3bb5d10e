"""Phase 2, writing: upserted roles, their companies and skills, duplicates, closing, terms."""

from __future__ import annotations

import pytest

from opportunities.ingest import read
from opportunities.models import Company, Role, RoleSkill, Source, UnknownSkillTerm
from tests.ingest.boards import dump, greenhouse_source, ingest, job, write_feed

pytestmark = pytest.mark.django_db


def test_roles_get_skills_company_and_search_columns(skills, tmp_path):
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [job(1)]))
    ingest(source)

    role = Role.objects.get(source=source)
    assert role.company.name == "Acme AI"
    assert role.canonical_url == "https://boards.greenhouse.io/acme/jobs/9001"
    assert role.status == Role.Status.PUBLISHED
    assert role.country == "DE"
    assert set(role.role_skills.values_list("skill__slug", flat=True)) == {
        "python",
        "pytorch",
        "langchain",
    }
    assert role.skill_text == "LangChain PyTorch Python"
    assert sorted(role.skill_ids) == role.skill_ids and len(role.skill_ids) == 3


def test_a_vanished_role_is_closed_and_reopens_when_it_comes_back(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(1), job(2)]))
    ingest(source)

    write_feed(feed, [job(1)])
    closing = ingest(source)
    gone = Role.objects.get(external_id="9002")
    assert closing.closed == 1
    assert gone.status == Role.Status.CLOSED and gone.closed_at is not None
    assert Role.objects.open().filter(source=source).count() == 1

    write_feed(feed, [job(1), job(2)])
    reopening = ingest(source)
    back = Role.objects.get(external_id="9002")
    assert (reopening.updated, reopening.closed) == (1, 0)
    assert back.pk == gone.pk
    assert back.status == Role.Status.PUBLISHED and back.closed_at is None


def test_the_same_posting_on_two_sources_is_shown_once(skills, tmp_path):
    first = greenhouse_source(write_feed(tmp_path / "a.json", [job(1)]))
    second = Source.objects.create(
        name="Aggregator",
        kind="greenhouse",
        location=str(
            write_feed(tmp_path / "b.json", [job(1, id=77, absolute_url="https://agg.example/77")])
        ),
    )
    ingest(first)
    ingest(second)

    original = Role.objects.get(source=first)
    copy = Role.objects.get(source=second)
    assert copy.duplicate_of == original
    assert copy.canonical_url == "https://agg.example/77"
    assert list(Role.objects.open()) == [original]

    # When the original closes, the copy takes over.
    write_feed(tmp_path / "a.json", [])
    ingest(first)
    copy.refresh_from_db()
    assert copy.duplicate_of is None
    assert list(Role.objects.open()) == [copy]


def test_different_text_is_not_a_duplicate(skills, tmp_path):
    first = greenhouse_source(write_feed(tmp_path / "a.json", [job(1)]))
    other_text = job(
        1, id=78, content="&lt;p&gt;" + "Completely different words here. " * 20 + "&lt;/p&gt;"
    )
    second = Source.objects.create(
        name="Other", kind="greenhouse", location=str(write_feed(tmp_path / "b.json", [other_text]))
    )
    ingest(first)
    ingest(second)

    assert Role.objects.get(source=second).duplicate_of is None


def test_unknown_skill_terms_are_counted_across_runs(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(1), job(2)]))
    ingest(source)
    write_feed(feed, [job(3)])
    ingest(source)

    assert UnknownSkillTerm.objects.get(term="VectorFlow").count == 3


def test_a_curator_rejection_survives_feed_updates(skills, tmp_path):
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(1)]))
    ingest(source)
    Role.objects.update(status=Role.Status.REJECTED)

    write_feed(feed, [job(1, title="Renamed")])
    ingest(source)

    role = Role.objects.get()
    assert role.title == "Renamed" and role.status == Role.Status.REJECTED


def test_a_past_expiry_date_ingests_as_expired(skills, tmp_path):
    source = greenhouse_source(
        write_feed(
            tmp_path / "feed.json",
            [job(1, first_published="2020-01-02T09:00:00Z", application_deadline="2020-01-31")],
        )
    )
    ingest(source)

    assert Role.objects.get().status == Role.Status.EXPIRED


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("writers", [1, 3])
def test_batches_written_beside_normalising_give_the_same_rows(
    skills, tmp_path, monkeypatch, settings, writers
):
    # Outside a test transaction, PostgreSQL runs take the path where writer threads, each with
    # its own connection, upsert batches while the next is normalised.
    settings.INGEST_WRITERS = writers
    monkeypatch.setattr(read, "BATCH_SIZE", 2)
    feed = tmp_path / "feed.json"
    source = greenhouse_source(write_feed(feed, [job(n) for n in range(7)]))
    first = ingest(source)
    write_feed(feed, [job(0, title="LLM Lead 0"), *(job(n) for n in range(1, 6))])
    second = ingest(source)
    after = dump()
    third = ingest(source)

    assert (first.created, first.updated, first.unchanged) == (7, 0, 0)
    assert (second.created, second.updated, second.unchanged, second.closed) == (0, 1, 5, 1)
    assert (third.updated, third.unchanged) == (0, 6)
    assert dump() == after
    assert Role.objects.get(external_id="9000").title == "LLM Lead 0"
    assert RoleSkill.objects.filter(role__source=source).count() == 7 * 3


@pytest.mark.parametrize(
    "in_transaction",
    [
        pytest.param(True, id="one batch after another"),
        pytest.param(False, id="batches at once", marks=pytest.mark.django_db(transaction=True)),
    ],
)
def test_companies_across_batches_are_made_once_and_unset_fields_get_defaults(
    skills, tmp_path, monkeypatch, settings, in_transaction
):
    # Three writers, batches of two: on PostgreSQL outside a transaction, batches naming the
    # same new companies are written at the same time.
    settings.INGEST_WRITERS = 3
    monkeypatch.setattr(read, "BATCH_SIZE", 2)
    names = ["Acme AI", "Beta Labs", "Acme AI", "Beta Labs", "Acme AI"]
    jobs = [job(n, company_name=name) for n, name in enumerate(names, start=1)]
    source = greenhouse_source(write_feed(tmp_path / "feed.json", jobs))

    run = ingest(source)

    assert run.created == 5
    assert sorted(Company.objects.values_list("name", flat=True)) == ["Acme AI", "Beta Labs"]
    by_external = dict(Role.objects.values_list("external_id", "company__name"))
    assert by_external == {str(9000 + n): name for n, name in enumerate(names, start=1)}
    role = Role.objects.get(external_id="9001")
    assert (role.review_note, role.created_by_id, role.applicant_regions) == ("", None, [])


def test_an_undated_role_that_already_expired_is_not_posted_after_it_expired(skills, tmp_path):
    item = job(1, application_deadline="2026-04-30")
    del item["first_published"]
    source = greenhouse_source(write_feed(tmp_path / "feed.json", [item]))
    ingest(source)

    role = Role.objects.get()
    assert role.status == Role.Status.EXPIRED
    assert role.posted_at is not None and role.expires_at is not None
    assert role.posted_at <= role.expires_at

"""Tests for opportunities/ingest/parsers/hn.py."""

from __future__ import annotations

import html
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from opportunities.ingest.parsers import hn, parse
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole, RawSalary
from tests import paths
from tests.ingest.samples import SAMPLES

FIXTURES = paths.FIXTURES / "hn"


def parse_fixture(name: str) -> list[RawRole | ItemError]:
    with (FIXTURES / name).open("rb") as stream:
        return list(hn.parse(stream))


def roles_by_id(name: str) -> dict[str, RawRole]:
    return {item.external_id: item for item in parse_fixture(name) if isinstance(item, RawRole)}


def comment_html(*paragraphs: str) -> str:
    """Text as HN stores it: escaped, slashes as &#x2F;, paragraphs opened by <p>."""
    return "<p>".join(html.escape(p).replace("/", "&#x2F;") for p in paragraphs)


def thread(*comments: dict[str, Any], **story: Any) -> bytes:
    """An Algolia items document holding these top-level comments."""
    document = {"id": 1, "type": "story", "title": "Ask HN: Who is hiring? (May 2026)"}
    document.update(story)
    document["children"] = list(comments)
    return json.dumps(document).encode()


def comment(number: int, *paragraphs: str, **changes: Any) -> dict[str, Any]:
    item = {
        "id": number,
        "author": "poster",
        "created_at": "2026-05-01T15:00:00.000Z",
        "type": "comment",
        "parent_id": 1,
        "text": comment_html(*paragraphs),
        "children": [],
    }
    item.update(changes)
    return item


def read(*comments: dict[str, Any]) -> list[RawRole | ItemError]:
    return list(hn.parse(io.BytesIO(thread(*comments))))


def one_role(*paragraphs: str) -> RawRole:
    [role] = read(comment(7, *paragraphs))
    assert isinstance(role, RawRole), role
    return role


# --- The Algolia fixture, posting by posting ----------------------------------------------


def test_an_onsite_posting_with_salary_and_careers_link() -> None:
    role = roles_by_id("algolia_thread.json")["40001"]

    assert role.title == "Senior ML Engineer"
    assert role.company == "Parallax Data"
    assert role.locations == ["San Francisco, CA", "ONSITE"]
    assert role.workplace == "onsite"
    assert role.applicant_countries == []
    assert role.salary == RawSalary(text="$180k\u2013$220k + equity")
    assert role.apply_url == "https://parallax.example/careers"
    assert role.apply_email is None
    assert role.url == "https://news.ycombinator.com/item?id=40001"
    assert role.posted_at == datetime(2026, 11, 2, 16, 1, 11, tzinfo=UTC)
    # The comment's own HTML, sanitised later by normalise.
    assert role.description_html.startswith("Parallax Data | Senior ML Engineer | ")
    assert "<p>We build retrieval" in role.description_html


def test_remote_us_only_limits_applicants_and_the_apply_link_beats_the_homepage() -> None:
    role = roles_by_id("algolia_thread.json")["40002"]

    assert (role.company, role.title) == ("Northwind Labs", "Backend Engineer")
    assert role.workplace == "remote"
    assert role.locations == ["REMOTE (US only)"]
    assert role.applicant_countries == ["US"]
    assert role.employment_type == "Full-time"
    # The first line links the homepage; the body's Lever link is where to apply.
    assert role.apply_url == "https://jobs.lever.co/northwind/5f1c2a"
    assert role.salary is None


def test_a_posting_of_several_roles_yields_one_role_each_sharing_the_comment() -> None:
    roles = roles_by_id("algolia_thread.json")
    several = [roles[f"40003-{n}"] for n in (1, 2, 3)]

    assert "40003" not in roles
    assert [role.title for role in several] == [
        "Senior ML Engineer",
        "Backend Engineer",
        "Product Designer",
    ]
    for role in several:
        # "(YC W24)" is the company's batch, not its name.
        assert role.company == "Tessellate AI"
        assert role.workplace == "hybrid"
        assert role.locations == ["Berlin, Germany", "Hybrid"]
        assert role.salary == RawSalary(text="\u20ac80-100k")
        assert role.apply_url == "https://tessellate.example/jobs"
        assert role.description_html == several[0].description_html
        assert role.url == "https://news.ycombinator.com/item?id=40003"


def test_an_obfuscated_address_is_decoded_and_a_salary_in_the_text_is_found() -> None:
    role = roles_by_id("algolia_thread.json")["40004"]

    assert role.apply_email == "hiring@fjord-intelligence.no"
    assert role.apply_url is None  # no link at all: the address is the way to apply
    assert role.workplace == "remote"
    assert role.applicant_countries == ["EU"]
    assert role.salary == RawSalary(text="\u20ac95k\u2013\u20ac120k")


def test_fields_in_another_order_hourly_contract_worldwide() -> None:
    role = roles_by_id("algolia_thread.json")["40007"]

    assert (role.company, role.title) == ("Kestrel Analytics", "Data Engineer")
    assert role.salary == RawSalary(text="$60/hr")
    assert role.employment_type == "Contract"
    assert role.workplace == "remote"
    assert role.locations == ["REMOTE (Worldwide)"]
    assert role.applicant_countries == []
    assert role.apply_email == "jobs@kestrel.example"


def test_each_role_keeps_the_place_written_beside_it() -> None:
    roles = roles_by_id("algolia_thread.json")

    backend, ml = roles["40008-1"], roles["40008-2"]
    assert (backend.title, backend.locations) == ("Backend Engineer", ["New York, NY"])
    assert (ml.title, ml.locations, ml.workplace) == ("ML Engineer", ["Remote, Canada"], "remote")
    assert ml.applicant_countries == ["CA"]
    assert backend.apply_url == ml.apply_url == "https://lumen.example/apply"


def test_a_free_text_posting_is_read_from_its_sentence() -> None:
    role = roles_by_id("algolia_thread.json")["40010"]

    assert (role.company, role.title) == ("Quill", "Senior Frontend Engineer")
    assert role.locations == ["London", "onsite"]
    assert role.workplace == "onsite"
    assert role.salary == RawSalary(text="\u00a385k-\u00a3105k")
    assert role.apply_email == "jobs@quill-docs.com"


def test_a_generic_first_line_takes_the_roles_listed_below_it() -> None:
    roles = roles_by_id("algolia_thread.json")

    assert [roles["40011-1"].title, roles["40011-2"].title] == [
        "Staff Software Engineer, Search",
        "Developer Advocate",
    ]
    assert roles["40011-1"].applicant_countries == ["CA"]


def test_replies_deleted_and_flagged_comments_are_passed_over() -> None:
    results = parse_fixture("algolia_thread.json")
    ids = {item.external_id for item in results}

    assert "40006" not in ids  # deleted: no author, no text
    assert "40009" not in ids  # "[flagged]"
    assert not any(i.startswith("41") for i in ids if i)  # replies, at any depth
    assert len([item for item in results if isinstance(item, RawRole)]) == 12


def test_a_comment_that_is_not_a_posting_is_an_item_error_with_its_reason() -> None:
    [error] = [item for item in parse_fixture("algolia_thread.json") if isinstance(item, ItemError)]

    assert error.external_id == "40005"
    assert error.position == 4
    assert error.reason.startswith("not a job posting: its first line has no")
    assert "Is this thread getting shorter every month?" in error.reason


# --- The official API's items ---------------------------------------------------------


def test_the_official_api_thread_reads_top_level_comments_only() -> None:
    results = parse_fixture("firebase_thread.json")
    roles = {item.external_id: item for item in results if isinstance(item, RawRole)}
    errors = [item for item in results if isinstance(item, ItemError)]

    assert set(roles) == {"50001", "50003-1", "50003-2"}  # 50006 is a reply; 50002, 50004 gone
    vantage = roles["50001"]
    assert (vantage.company, vantage.title, vantage.workplace) == (
        "Vantage Robotics",
        "Perception Engineer",
        "onsite",
    )
    assert vantage.salary == RawSalary(text="$170k-$210k")
    assert vantage.posted_at == datetime(2026, 12, 3, 16, 10, tzinfo=UTC)
    assert vantage.url == "https://news.ycombinator.com/item?id=50001"
    harbor = roles["50003-2"]
    assert harbor.title == "Infrastructure Engineer"
    assert harbor.applicant_countries == ["US", "CA"]
    assert harbor.apply_url == "https://harbor.example/apply"
    assert harbor.apply_email == "careers@harbor.example"
    assert [error.external_id for error in errors] == ["50005"]
    assert errors[0].reason.startswith("not a job posting")


def test_both_shapes_of_one_thread_give_the_same_roles() -> None:
    algolia = json.loads((FIXTURES / "algolia_thread.json").read_bytes())
    comments = algolia["children"]
    story = {"id": algolia["id"], "type": "story", "kids": [c["id"] for c in comments]}
    items = [story] + [
        {
            "id": c["id"],
            "by": c["author"],
            "time": c["created_at_i"],
            "text": c["text"],
            "parent": algolia["id"],
            "type": "comment",
            **({"deleted": True} if c["text"] is None else {}),
        }
        for c in comments
    ]

    official = list(hn.parse(io.BytesIO(json.dumps(items).encode())))

    assert official == parse_fixture("algolia_thread.json")


# --- The first line, field by field -----------------------------------------------------


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        (
            "Acme | Staff Engineer | Austin, TX | Hybrid | $200k",
            ("Acme", ["Staff Engineer"], ["Austin, TX", "Hybrid"], "hybrid", "$200k"),
        ),
        (
            "Acme | REMOTE | 120-150k USD | Founding Engineer",
            ("Acme", ["Founding Engineer"], ["REMOTE"], "remote", "120-150k USD"),
        ),
        (
            "Acme (acme.io) | Onsite in Paris | ML Researcher",
            ("Acme", ["ML Researcher"], ["Onsite in Paris"], "onsite", None),
        ),
        (
            "acme.ai | Senior/Staff ML Engineer | Remote, EU only",
            ("acme.ai", ["Senior/Staff ML Engineer"], ["Remote, EU only"], "remote", None),
        ),
        (
            "Acme | Senior, Staff and Principal Engineers | London",
            ("Acme", ["Senior, Staff and Principal Engineer"], ["London"], None, None),
        ),
        (
            "Acme | Backend Engineer and Frontend Engineer | NYC | No remote",
            (
                "Acme",
                ["Backend Engineer", "Frontend Engineer"],
                ["NYC", "No remote"],
                "onsite",
                None,
            ),
        ),
        (
            "Acme | Data Engineer, Berlin | Full-time",
            ("Acme", ["Data Engineer"], ["Berlin"], None, None),
        ),
        (
            "Acme | ML Engineer ($180k-$220k) | SF",
            ("Acme", ["ML Engineer"], ["SF"], None, "$180k-$220k"),
        ),
        (
            "Acme Corp | Senior Software Engineer, Backend | Remote (US/Canada)",
            (
                "Acme Corp",
                ["Senior Software Engineer, Backend"],
                ["Remote (US/Canada)"],
                "remote",
                None,
            ),
        ),
        (
            # "ML" is Mali's code and "AI" Anguilla's, but here they name fields of work.
            "Acme | AI/ML | Software Engineers (Backend, Infra, ML) | Onsite NYC",
            ("Acme", ["Software Engineers (Backend, Infra, ML)"], ["Onsite NYC"], "onsite", None),
        ),
        (
            "Acme - AI for insurers | ML Engineer | Remote",
            ("Acme", ["ML Engineer"], ["Remote"], "remote", None),
        ),
        (
            "Acme | Founding Member | San Francisco | ONSITE",
            ("Acme", ["Founding Member"], ["San Francisco", "ONSITE"], "onsite", None),
        ),
        (
            "Senior Backend Engineer | Acme | Remote roles only",
            ("Acme", ["Senior Backend Engineer"], ["Remote roles only"], "remote", None),
        ),
        (
            "Acme | Remote Backend Engineer | Full-stack Developer",
            ("Acme", ["Remote Backend Engineer", "Full-stack Developer"], [], None, None),
        ),
        (
            "Acme | Chief of Staff | REMOTE or ONSITE (Toronto)",
            ("Acme", ["Chief of Staff"], ["REMOTE or ONSITE (Toronto)"], "remote", None),
        ),
    ],
)
def test_first_line_fields_are_told_apart_by_shape(first_line: str, expected: tuple) -> None:
    roles = read(comment(7, first_line, "We build things with Python."))

    company, titles, locations, workplace, salary = expected
    assert all(isinstance(role, RawRole) for role in roles), roles
    assert [role.title for role in roles] == titles
    for role in roles:
        assert role.company == company
        assert role.locations == locations
        assert role.workplace == workplace
        assert role.salary == (RawSalary(text=salary) if salary else None)


def test_fields_continued_on_the_next_line_belong_to_the_first_line() -> None:
    role = one_role("Acme | acme.com", "Senior Engineer | Remote (EU) | \u20ac70k", "We use Go.")

    assert (role.company, role.title, role.workplace) == ("Acme", "Senior Engineer", "remote")
    assert role.applicant_countries == ["EU"]
    assert role.salary == RawSalary(text="\u20ac70k")
    assert role.apply_url == "https://acme.com"


def test_a_line_of_fields_that_names_no_role_is_not_a_posting() -> None:
    [error] = read(comment(7, "Great thread | thanks"))

    assert isinstance(error, ItemError)
    assert error.reason.startswith("not a job posting: no role title found")


def test_only_bullets_written_as_titles_are_roles_under_a_generic_first_line() -> None:
    roles = read(
        comment(
            7,
            "Acme | Several roles | NYC",
            "What you will do:",
            "- Mentor other engineers",
            "- Ship features",
            "Open roles:",
            "- Senior Backend Engineer",
            "- Product Manager",
        )
    )

    assert [role.title for role in roles] == ["Senior Backend Engineer", "Product Manager"]


def test_a_first_line_without_a_title_takes_the_role_its_text_is_hiring_for() -> None:
    role = one_role(
        "Birch Labs | Paris, France | Full-Time | ONSITE+PART REMOTE",
        "Small team. We are hiring a Senior Data Engineer to own our pipelines.",
    )

    assert (role.company, role.title) == ("Birch Labs", "Senior Data Engineer")
    assert role.workplace == "hybrid"
    assert role.employment_type == "Full-Time"


def test_a_bare_domain_field_is_the_apply_link_when_it_is_a_jobs_page() -> None:
    role = one_role("Acme | Platform Engineer | Remote | acme.io/jobs", "Kubernetes all day.")

    assert role.apply_url == "https://acme.io/jobs"


def test_without_an_apply_link_or_address_the_homepage_is_where_to_apply() -> None:
    role = one_role("Acme | Platform Engineer | Remote | https://acme.io", "Kubernetes.")

    assert role.apply_url == "https://acme.io"
    assert role.apply_email is None


@pytest.mark.parametrize(
    "written",
    [
        "jobs [at] acme [dot] io",
        "jobs(at)acme(dot)io",
        "jobs AT acme DOT io",
        "jobs at acme dot io",
        "jobs at acme.io",
        "jobs @ acme.io",
        "jobs@acme.io",
    ],
)
def test_obfuscated_addresses_are_decoded(written: str) -> None:
    role = one_role("Acme | Platform Engineer | Remote", f"Write to {written} with your CV.")

    assert role.apply_email == "jobs@acme.io"


def test_a_mailto_link_is_the_apply_address() -> None:
    text = 'Acme | Platform Engineer | Remote<p>Mail <a href="mailto:hire@acme.io">us</a>.'
    [role] = read(comment(7, text=text))

    assert role.apply_email == "hire@acme.io"


def test_words_that_only_look_like_an_address_are_not_one() -> None:
    role = one_role(
        "Acme | Platform Engineer | Remote",
        "Look at github.com/acme for our code; we are at acme dot com events.",
    )

    assert role.apply_email is None


def test_a_roles_line_in_the_text_is_read_under_a_generic_first_line() -> None:
    roles = read(comment(7, "Acme | Various roles | Remote", "Roles: SRE, Security Engineer"))

    assert [(role.external_id, role.title) for role in roles] == [
        ("7-1", "SRE"),
        ("7-2", "Security Engineer"),
    ]


def test_a_comment_of_hiring_words_without_a_role_is_an_item_error() -> None:
    [error] = read(comment(7, "We're hiring too! See our site."))

    assert isinstance(error, ItemError)
    assert error.reason.startswith("not a job posting: no role title found")
    assert error.external_id == "7"


def test_dead_and_deleted_flags_are_passed_over() -> None:
    results = read(
        comment(7, "Acme | Platform Engineer | Remote", dead=True),
        comment(8, "Acme | Platform Engineer | Remote", deleted=True),
        comment(9, "[dead]"),
        comment(10, "Acme | Platform Engineer | Remote"),
    )

    assert [item.external_id for item in results] == ["10"]


def test_a_comment_without_an_id_or_of_the_wrong_kind_is_an_item_error() -> None:
    no_id = comment(7, "Acme | Platform Engineer | Remote")
    del no_id["id"]

    results = read(no_id, "not a comment", comment(8, "Acme | Platform Engineer | Remote"))

    assert results[0] == ItemError(0, "missing id ('id')")
    assert results[1] == ItemError(1, "item is a string, not an object")
    assert results[2].external_id == "8"


def test_a_lone_surrogate_costs_its_comment_only() -> None:
    document = thread(
        comment(7, "Acme | Platform Engineer @@ | Remote"), comment(8, "Acme | SRE | Remote")
    )
    document = document.replace(b"@@", b"\\udfff")

    results = list(hn.parse(io.BytesIO(document)))

    assert isinstance(results[0], ItemError) and "lone surrogate" in results[0].reason
    assert results[1].external_id == "8"


# --- Depth, size and broken feeds --------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [100, 50_000])
def test_a_deeply_nested_comment_member_costs_that_comment_only(depth: int) -> None:
    document = thread(
        comment(7, "Acme | SRE | Remote", extra="@@"), comment(8, "Acme | SRE | Remote")
    )
    document = document.replace(b'"@@"', nested(depth).encode())

    results = list(hn.parse(io.BytesIO(document)))

    assert isinstance(results[0], ItemError)
    assert "more than 64 levels" in results[0].reason
    assert [item.external_id for item in results[1:]] == ["8"]


def test_deep_replies_are_skipped_unread_and_cost_their_posting_nothing() -> None:
    chain: dict[str, Any] = {"id": 99, "text": "reply", "children": []}
    for number in range(98, 20, -1):
        chain = {"id": number, "text": "reply", "children": [chain]}
    deep = comment(7, "Acme | SRE | Remote", children=[chain])
    document = thread(deep).replace(b'"children": []', f'"children": {nested(50_000)}'.encode(), 1)

    [role] = list(hn.parse(io.BytesIO(document)))

    assert isinstance(role, RawRole) and role.external_id == "7"


def test_nesting_within_the_limit_is_read() -> None:
    document = thread(comment(7, "Acme | SRE | Remote", extra="@@"))
    document = document.replace(b'"@@"', nested(40).encode())

    [role] = list(hn.parse(io.BytesIO(document)))

    assert role.title == "SRE"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (thread(comment(7, "Acme | SRE | Remote"))[:80], "cut short"),
        (b"<html>Ask HN</html>", "not valid JSON"),
        (b"42", "expected a Hacker News thread"),
        (b'{"id": 1, "title": "Ask HN"}', "without a 'children' list"),
        (b'{"id": 1, "type": "story", "kids": [2, 3]}', "lists only its comments' ids"),
        (b"[]", "an empty list"),
        (b'[{"id": 2, "parent": 1, "type": "comment", "text": "x"}]', "starts with a comment"),
        (b'["story"]', "does not start with the thread's story"),
        (b'{"id": 5, "type": "comment", "parent_id": 1, "children": []}', "is a comment"),
        (
            thread(title="Ask HN: Who wants to be hired? (May 2026)"),
            "people looking for work",
        ),
        (thread() + b" trailing", "extra text after"),
    ],
)
def test_unusable_feeds_raise_feed_error(payload: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        list(hn.parse(io.BytesIO(payload)))


def test_the_registry_parses_the_hn_kind() -> None:
    with (FIXTURES / "algolia_thread.json").open("rb") as stream:
        results = list(parse("hn", stream))

    assert results == parse_fixture("algolia_thread.json")


@pytest.mark.parametrize(
    ("location", "url"),
    [
        ("40000", "https://hn.algolia.com/api/v1/items/40000"),
        (" 40000 ", "https://hn.algolia.com/api/v1/items/40000"),
        ("https://news.ycombinator.com/item?id=40000", "https://hn.algolia.com/api/v1/items/40000"),
        ("https://hn.algolia.com/api/v1/items/40000", None),  # already a URL
        ("acme", None),
        ("40000/../etc", None),
    ],
)
def test_thread_ids_and_pages_resolve_to_the_algolia_url(location: str, url: str | None) -> None:
    assert hn.thread_url(location) == url


# --- Real threads, when the shared samples hold any ------------------------------------

SHARED_THREADS = sorted((SAMPLES / "hn").glob("*.json")) if (SAMPLES / "hn").is_dir() else []


@pytest.mark.skipif(not SHARED_THREADS, reason="the shared samples hold no Hacker News thread")
@pytest.mark.parametrize("path", SHARED_THREADS, ids=lambda path: path.name)
def test_a_shared_real_thread_parses_into_complete_roles(path) -> None:
    with path.open("rb") as stream:
        results = list(hn.parse(stream))
    roles = [item for item in results if isinstance(item, RawRole)]

    assert roles
    assert len(roles) >= len(results) // 2  # most top-level comments are postings
    for role in roles:
        assert role.title.strip() and role.company
        comment_id = role.external_id.split("-", 1)[0]
        assert role.url == f"https://news.ycombinator.com/item?id={comment_id}"

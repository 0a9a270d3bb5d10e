"""A small Greenhouse board for the ingest's tests: its jobs, its file, its Source, a run."""

from __future__ import annotations

import json
from pathlib import Path

from opportunities.ingest.run import source_ingest
from opportunities.models import IngestRun, Role, RoleSkill, Source


def job(number: int, **changes) -> dict:
    """A Greenhouse board job with content=true, as the API sends it (HTML escaped once)."""
    item = {
        "id": 9000 + number,
        "title": f"LLM Engineer {number}",
        "company_name": "Acme AI",
        "absolute_url": f"https://boards.greenhouse.io/acme/jobs/{9000 + number}",
        "location": {"name": "Berlin, Germany"},
        "first_published": "2026-11-01T09:00:00Z",
        "content": "&lt;p&gt;Build retrieval with Python and torch, posting "
        f"{number}.&lt;/p&gt;&lt;h3&gt;Requirements&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;"
        "LangChain&lt;/li&gt;&lt;li&gt;VectorFlow&lt;/li&gt;&lt;/ul&gt;",
    }
    item.update(changes)
    return item


def write_feed(path: Path, jobs: list[dict]) -> Path:
    path.write_text(json.dumps({"jobs": jobs}))
    return path


def greenhouse_source(path: Path, **extra) -> Source:
    return Source.objects.create(name="Acme board", kind="greenhouse", location=str(path), **extra)


def ingest(source: Source) -> IngestRun:
    # Forget the validators so every call parses the file, as a changed feed would be.
    Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
    source.refresh_from_db()
    return source_ingest(source=source, allow_local_files=True)


def dump() -> list[tuple]:
    roles = list(
        Role.objects.order_by("source_id", "external_id").values_list(
            "source_id",
            "external_id",
            "title",
            "description",
            "company__slug",
            "status",
            "posted_at",
            "closed_at",
            "content_hash",
            "skill_ids",
            "skill_text",
            "duplicate_of_id",
            "updated_at",
        )
    )
    links = list(
        RoleSkill.objects.order_by("role__external_id", "skill__slug").values_list(
            "role__external_id", "skill__slug", "kind"
        )
    )
    return roles + links

"""Phase 2 of an ingest run, writing: upsert each batch of rows, then close the vanished roles.

Each spooled batch is normalised (read.py) and upserted in its own transaction (`INSERT ...
ON CONFLICT (source_id, external_id) DO UPDATE`) with its companies and role skills; on
PostgreSQL writer threads upsert earlier batches while the next is normalised. After the last
batch, roles missing from the feed are closed, the run's unknown terms are counted for the
curators, and the new and changed roles are handed to matching.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from opportunities.enqueue import MATCH_ROLES, enqueue_on_commit
from opportunities.ingest.normalise.industries import best_industry, scores_add
from opportunities.ingest.normalise.role import similar
from opportunities.ingest.read import (
    BATCH_SIZE,
    DERIVED_FIELDS,
    NORMALISED_FIELDS,
    Changed,
    Row,
    normalise_batch,
)
from opportunities.ingest.recognisers import Recognisers
from opportunities.ingest.tally import Tally, Written
from opportunities.models import Company, Role, RoleSkill, Source, UnknownSkillTerm
from opportunities.sql import bound_cursor

logger = logging.getLogger(__name__)

UNKNOWN_TERMS_KEPT = 200
DESCRIPTION_WEIGHT = 2  # a company's description, against its postings' text, for its industry
MATCH_CHUNK = 500
# An open posting on another source whose text is at least this similar is the same posting.
DUPLICATE_SIMILARITY = 0.8
# Roles in these states are on (or just off) the board; a vanished one is closed.
_CLOSABLE = (Role.Status.PUBLISHED, Role.Status.EXPIRED)
# Role columns an upsert of an existing role overwrites.
_UPDATE_FIELDS = [
    *NORMALISED_FIELDS,
    *DERIVED_FIELDS,
    "company",
    "skill_ids",
    "skill_text",
    "status",
    "closed_at",
    "content_hash",
    "duplicate_of",
    "origin",
    "updated_at",
]


def _thread_connection_close() -> None:
    """Close the calling thread's own database connection (Django keeps one per thread)."""
    connection.close()


def normalise_and_write(
    source: Source, batches: Iterable[list[Changed]], recognisers: Recognisers, tally: Tally
) -> None:
    """Phase 2: normalise each spooled batch and upsert it, overlapping the two on PostgreSQL.

    Normalising is Python's work and upserting mostly PostgreSQL's (the search trigger, the
    indexes), so writer threads, each with its own connection, upsert earlier batches while
    this thread normalises the next: the run then takes about as long as the slower side
    instead of their sum. PostgreSQL's side is the larger (~0.6 ms a role against ~0.3 ms of
    normalising), so INGEST_WRITERS connections (2 by default) write at once, one batch each;
    the batches hold distinct roles, and companies are inserted in slug order so two batches
    never wait on each other in a cycle. Inside a caller's transaction (tests, an outer
    atomic block) a second connection could not see that transaction's rows, and SQLite has
    one writer anyway, so there the batches are written here, one after the other.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        for batch in batches:
            rows = normalise_batch(source, batch, recognisers, tally)
            if rows:
                tally.add(_write_batch_isolated(source, rows, recognisers, tally.company_ids))
        return
    # Touch the related objects the normaliser reads, so the writers never load them.
    _ = source.company, source.default_industry
    # One single-thread executor per writer: each thread keeps (and at the end closes) its
    # own connection, and each has at most one batch in flight.
    writers = [
        ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"ingest-writer-{n}")
        for n in range(max(1, settings.INGEST_WRITERS))
    ]
    pending: list[Future | None] = [None] * len(writers)
    try:
        turn = 0
        for batch in batches:
            rows = normalise_batch(source, batch, recognisers, tally)
            if not rows:
                continue
            previous = pending[turn]
            if previous is not None:
                pending[turn] = None
                tally.add(previous.result())  # re-raises that batch's error
            known = dict(tally.company_ids)  # a copy: the writer reads it while this adds
            pending[turn] = writers[turn].submit(
                _write_batch_isolated, source, rows, recognisers, known
            )
            turn = (turn + 1) % len(writers)
        for n, future in enumerate(pending):
            if future is not None:
                pending[n] = None
                tally.add(future.result())
    finally:
        for future in pending:
            if future is not None:
                with contextlib.suppress(Exception):
                    future.result()
        for writer in writers:
            writer.submit(_thread_connection_close).result()
            writer.shutdown()


def _write_batch_isolated(
    source: Source, rows: list[Row], recognisers: Recognisers, known: dict[str, int]
) -> Written:
    """Write a batch in one transaction; if the database refuses it, write its items one by
    one, each in its own transaction, and record the refused ones: a batch is never half
    written, and one bad value (a NUL, an over-long id) costs only its own item.

    An OperationalError (the database is gone, a statement timed out) is not the item's fault
    and fails the run, which the task retries.
    """
    try:
        return _write_batch(source, rows, recognisers, known)
    except OperationalError:
        raise
    except Exception as exc:
        if len(rows) == 1:
            row = rows[0]
            logger.warning("item %s of source %s could not be written", row.position, source.pk)
            return Written(
                created=0,
                updated=0,
                ids=[],
                companies={},
                rejected=[(row.position, row.external_id, f"could not be written: {exc}")],
            )
    total = Written(created=0, updated=0, ids=[], companies={})
    for row in rows:
        total.merge(_write_batch_isolated(source, [row], recognisers, known | total.companies))
    return total


def _write_batch(
    source: Source, rows: list[Row], recognisers: Recognisers, known: dict[str, int]
) -> Written:
    """Upsert one batch of roles and their skills in one transaction; `known` holds company
    ids by name committed by earlier batches of the run."""
    now = timezone.now()
    with transaction.atomic():
        companies = _companies_upsert(
            source=source, names={row.company_name for row in rows}, known=known
        )
        duplicates = _duplicates_find(source=source, rows=rows)
        # A curator's word on a company's industry outranks the source and the guess.
        curated = dict(
            Company.objects.filter(
                pk__in=set(companies.values()), industry__isnull=False
            ).values_list("pk", "industry_id")
        )
        records = []
        for row in rows:
            values = dict(row.fields)
            if row.existing_status in (Role.Status.REJECTED, Role.Status.PENDING):
                # A curator's rejection, or a hold for review after reports, outlives feed
                # updates: only a curator puts the role back.
                status = row.existing_status
            elif values["expires_at"] is not None and values["expires_at"] <= now:
                status = Role.Status.EXPIRED
            else:
                status = Role.Status.PUBLISHED
            if values["posted_at"] is None:
                values["posted_at"] = row.existing_posted_at or now
                # Undated but already expired: posted no later than it expired, never after.
                if values["expires_at"] is not None:
                    values["posted_at"] = min(values["posted_at"], values["expires_at"])
            skills = sorted(
                (recognisers.skill_by_slug[slug] for slug in row.skills), key=lambda pair: pair[0]
            )
            company_id = companies[row.company_name]
            if company_id in curated:
                values["industry_id"] = curated[company_id]
            values.update(
                company_id=company_id,
                source_id=source.pk,
                external_id=row.external_id,
                origin=Role.Origin.INGEST,
                status=status,
                closed_at=None,
                duplicate_of_id=duplicates.get(row.external_id),
                skill_ids=[pk for pk, _ in skills],
                skill_text=" ".join(sorted(name for _, name in skills)),
            )
            records.append(values)
        ids = _roles_upsert(records, now=now)
        if any(pk is None for pk in ids):  # a backend that does not return ids from upserts
            by_external = dict(
                Role.objects.filter(
                    source=source, external_id__in=[row.external_id for row in rows]
                ).values_list("external_id", "pk")
            )
            ids = [by_external[row.external_id] for row in rows]
        changed = [pk for pk, row in zip(ids, rows, strict=True) if row.existing_id is not None]
        if changed:
            RoleSkill.objects.filter(role_id__in=changed).delete()
        _role_skills_insert(
            [
                (pk, recognisers.skill_by_slug[slug][0], kind)
                for pk, row in zip(ids, rows, strict=True)
                for slug, kind in row.skills.items()
            ]
        )
    return Written(
        created=len(rows) - len(changed), updated=len(changed), ids=ids, companies=companies
    )


def _roles_upsert(records: list[dict[str, Any]], *, now: datetime) -> list[int | None]:
    """INSERT ... ON CONFLICT (source, external_id) DO UPDATE of roles given as field values
    by attname (the model's defaults fill the rest); the roles' ids, in order."""
    if connection.vendor != "postgresql":
        roles = [Role(**values) for values in records]
        Role.objects.bulk_create(
            roles,
            update_conflicts=True,
            unique_fields=["source", "external_id"],
            update_fields=_UPDATE_FIELDS,
        )
        return [role.pk for role in roles]
    # The same statement bulk_create writes, with one array parameter per column instead of
    # one placeholder per value, built straight from the values: compiling 500 x 45
    # placeholders, or even building 500 model instances, cost the writer more Python time
    # than PostgreSQL's own work on the batch.
    columns = _role_upsert_columns()
    defaults = _role_defaults()
    arrays: list[list[Any]] = []
    for attname, _, is_json in columns:
        if attname in ("created_at", "updated_at"):
            values = [now] * len(records)
        else:
            default = defaults[attname]
            values = [record.get(attname, default) for record in records]
        if is_json:
            values = [json.dumps(value) if value is not None else None for value in values]
        arrays.append(values)
    names = ", ".join(attname for attname, _, _ in columns)
    selected = ", ".join(
        f"{attname}::jsonb" if is_json else attname for attname, _, is_json in columns
    )
    arrays_sql = ", ".join(
        f"%s::{'text' if is_json else db_type}[]" for _, db_type, is_json in columns
    )
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in _update_columns())
    table = Role._meta.db_table
    with bound_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {selected} "  # noqa: S608 - model's names
            f"FROM unnest({arrays_sql}) AS u({names}) "
            f"ON CONFLICT (source_id, external_id) DO UPDATE SET {updates} "
            "RETURNING id, external_id",
            arrays,
        )
        by_external = {external_id: pk for pk, external_id in cursor.fetchall()}
    return [by_external[record["external_id"]] for record in records]


@functools.cache
def _role_defaults() -> dict[str, Any]:
    """Each upserted column's model default, read once off an unsaved Role (the values are
    only serialised, never mutated)."""
    role = Role()
    return {attname: getattr(role, attname) for attname, _, _ in _role_upsert_columns()}


def _role_upsert_columns() -> list[tuple[str, str, bool]]:
    """(column, database type, is JSON) for each Role column an upsert writes."""
    skipped = {"id", "search_vector", "search_head"}
    return [
        (field.attname, field.db_type(connection), field.get_internal_type() == "JSONField")
        for field in Role._meta.concrete_fields
        if field.attname not in skipped
    ]


def _update_columns() -> list[str]:
    return [Role._meta.get_field(name).column for name in _UPDATE_FIELDS]


def _role_skills_insert(links: list[tuple[int, int, str]]) -> None:
    """Insert (role id, skill id, kind) rows: one statement, whatever the batch's size."""
    if not links:
        return
    if connection.vendor != "postgresql":
        RoleSkill.objects.bulk_create(
            [RoleSkill(role_id=role, skill_id=skill, kind=kind) for role, skill, kind in links]
        )
        return
    # ~18 links per role: building and compiling that many model instances cost more Python
    # time than normalising the role did; three arrays cost next to nothing.
    role_ids, skill_ids, kinds = zip(*links, strict=True)
    table = RoleSkill._meta.db_table
    with bound_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (role_id, skill_id, kind) "  # noqa: S608 - our table name
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[])",
            [list(role_ids), list(skill_ids), list(kinds)],
        )


def _companies_upsert(
    *, source: Source, names: Iterable[str], known: dict[str, int] | None = None
) -> dict[str, int]:
    """Company ids by name: the Source's company when it has one, else found or made by slug;
    names in ``known`` (committed earlier in the run) are not looked up again."""
    names = set(names)
    if source.company_id:
        return dict.fromkeys(names, source.company_id)
    known = known or {}
    found = {name: known[name] for name in names if name in known}
    slugs = {name: _company_slug(name) for name in names if name not in found}
    if slugs:
        # In slug order: two writers inserting the same new companies then wait for each
        # other in the same order, never in a cycle.
        Company.objects.bulk_create(
            [Company(name=name, slug=slug) for name, slug in sorted(slugs.items(), key=_second)],
            ignore_conflicts=True,
        )
        by_slug = dict(
            Company.objects.filter(slug__in=set(slugs.values())).values_list("slug", "pk")
        )
        found.update((name, by_slug[slug]) for name, slug in slugs.items())
    return found


_second = itemgetter(1)


def _company_slug(name: str) -> str:
    slug = slugify(name)[:200]
    if not slug:  # a name with no Latin letters or digits ("株式会社")
        slug = "company-" + hashlib.sha256(name.encode()).hexdigest()[:12]
    return slug


def _duplicates_find(*, source: Source, rows: list[Row]) -> dict[str, int]:
    """For each row, the open canonical role from another source that is the same posting."""
    keyed = [row for row in rows if row.fields["dedupe_key"]]
    if not keyed:
        return {}
    candidates: dict[str, list[tuple[int, int | None]]] = {}
    for pk, key, fingerprint in (
        Role.objects.filter(
            dedupe_key__in={row.fields["dedupe_key"] for row in keyed},
            status=Role.Status.PUBLISHED,
            duplicate_of__isnull=True,
        )
        .exclude(source=source)
        .exclude(source__isnull=True, origin=Role.Origin.INGEST)
        .order_by("pk")
        .values_list("pk", "dedupe_key", "text_fingerprint")
    ):
        candidates.setdefault(key, []).append((pk, fingerprint))
    found: dict[str, int] = {}
    for row in keyed:
        for pk, fingerprint in candidates.get(row.fields["dedupe_key"], ()):
            if pk == row.existing_id:
                continue
            mine = row.fields["text_fingerprint"]
            if mine and fingerprint and similar(mine, fingerprint) >= DUPLICATE_SIMILARITY:
                found[row.external_id] = pk
                break
    return found


def company_industries_settle(
    *, source: Source, tally: Tally, recognisers: Recognisers
) -> list[int]:
    """Give every role of this source's companies the industry guessed once per company from
    all the postings of the run (and the company's description); the ids of roles changed.

    Companies a curator has given an industry keep it; a source with a default industry
    gathers no evidence, so nothing changes here for it.
    """
    if not tally.industry_scores or recognisers.industries is None:
        return []
    ids_by_name = {name: tally.company_ids.get(name) for name in tally.industry_scores}
    if source.company_id:
        ids_by_name = dict.fromkeys(tally.industry_scores, source.company_id)
    companies = {
        pk: (name, description)
        for pk, name, description in Company.objects.filter(
            pk__in={pk for pk in ids_by_name.values() if pk}, industry__isnull=True
        ).values_list("pk", "name", "description")
    }
    by_industry: dict[int, list[int]] = {}
    for name, pk in ids_by_name.items():
        if pk not in companies:
            continue
        total = dict(tally.industry_scores[name])
        if companies[pk][1]:
            # What the company says it does outweighs any one posting's text.
            described = recognisers.industries.scores(
                companies[pk][0], "", describing=companies[pk][1]
            )
            for _ in range(DESCRIPTION_WEIGHT):
                scores_add(total, described)
        slug = best_industry(total)
        industry_id = recognisers.industry_by_slug.get(slug) if slug else None
        if industry_id is not None:
            by_industry.setdefault(industry_id, []).append(pk)
    changed: list[int] = []
    for industry_id, company_ids in by_industry.items():
        with transaction.atomic():
            roles = Role.objects.filter(source=source, company_id__in=company_ids).exclude(
                industry_id=industry_id
            )
            ids = list(roles.values_list("pk", flat=True))
            if ids:
                Role.objects.filter(pk__in=ids).update(
                    industry_id=industry_id, updated_at=timezone.now()
                )
                changed.extend(ids)
    return changed


def roles_vanished_close(*, source: Source, seen: set[str], now: datetime) -> int:
    """Close this source's open roles that the (complete) feed no longer lists."""
    vanished = [
        pk
        for pk, external_id in Role.objects.filter(source=source, status__in=_CLOSABLE).values_list(
            "pk", "external_id"
        )
        if external_id not in seen
    ]
    for start in range(0, len(vanished), BATCH_SIZE):
        chunk = vanished[start : start + BATCH_SIZE]
        with transaction.atomic():
            Role.objects.filter(pk__in=chunk).update(
                status=Role.Status.CLOSED, closed_at=now, updated_at=now
            )
            # A copy seen elsewhere takes over as the posting shown on the board.
            Role.objects.filter(duplicate_of_id__in=chunk).update(duplicate_of=None, updated_at=now)
    return len(vanished)


def unknown_terms_record(terms: Counter) -> None:
    """Add this run's counts of unrecognised skill-like terms to UnknownSkillTerm."""
    common = [(term[:100], count) for term, count in terms.most_common(UNKNOWN_TERMS_KEPT)]
    if not common:
        return
    with transaction.atomic():
        UnknownSkillTerm.objects.bulk_create(
            [UnknownSkillTerm(term=term) for term, _ in common], ignore_conflicts=True
        )
        now = timezone.now()
        for term, count in common:
            UnknownSkillTerm.objects.filter(term=term).update(
                count=F("count") + count, last_seen=now
            )


def matching_enqueue(role_ids: list[int]) -> None:
    """Hand new and changed roles to matching once this transaction (if any) commits."""
    if not role_ids:
        return
    for start in range(0, len(role_ids), MATCH_CHUNK):
        enqueue_on_commit(MATCH_ROLES, role_ids[start : start + MATCH_CHUNK])

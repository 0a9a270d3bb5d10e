"""Ingest: fetch a Source, parse and normalise its items, upsert them as Roles, close the rest.

One service for the Celery task, the command line and the admin's CSV upload. A run has two
phases so that a feed which cannot be parsed to its end changes nothing:

1. read: parse the feed item by item and hash each item (a JSON board's item as it was
   decoded, before it is turned into a RawRole); one indexed query per batch of 500 finds
   the stored hashes, so an unchanged item is counted and costs nothing more; the new and
   changed items are built and spooled, as parsed, to a temporary file (memory stays
   bounded whatever the feed's size);
2. write: each spooled batch is normalised and upserted in its own transaction (`INSERT ...
   ON CONFLICT (source_id, external_id) DO UPDATE`); on PostgreSQL a writer thread upserts
   one batch while the next is normalised. Then roles missing from the feed are closed.

Every write is an idempotent upsert keyed on (source, external_id), so a run repeated after a
crash, a retry or a killed worker ends in the same rows as one clean run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import pickle
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.text import slugify

from opportunities.enqueue import INGEST_SOURCE, MATCH_ROLES, enqueue_on_commit
from opportunities.ingest.fetch import FetchError, open_location
from opportunities.ingest.normalise.industries import IndustryRecogniser
from opportunities.ingest.normalise.role import NormaliseError, normalise, similar
from opportunities.ingest.normalise.skills import SkillRecogniser, SkillTerms
from opportunities.ingest.parsers import parse_pending
from opportunities.ingest.parsers.records import FeedError, ItemError, PendingRole, RawRole
from opportunities.models import (
    Company,
    Industry,
    IngestRun,
    Role,
    RoleSkill,
    Skill,
    SkillAlias,
    SkillCategory,
    Source,
    SourceKind,
    UnknownSkillTerm,
)
from opportunities.sql import bound_cursor

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
ERRORS_KEPT = 200
UNKNOWN_TERMS_KEPT = 200
MATCH_CHUNK = 500
# A run that adds this many roles to a source refreshes the planner's statistics.
ANALYZE_AFTER_CREATED = 5_000
# Bump when parsing or normalisation changes in a way that should rewrite every stored role
# once: an item whose hash is stored is neither built into a RawRole nor normalised again.
PIPELINE_VERSION = "1"
# Roles in these states are on (or just off) the board; a vanished one is closed.
_CLOSABLE = (Role.Status.PUBLISHED, Role.Status.EXPIRED)

# Where seed_sources points its demo sources: the only local files a scheduled run may read.
DEMO_FEEDS_DIR = Path(__file__).resolve().parent.parent / "data" / "demo_feeds"

BOARD_API_URLS = {
    SourceKind.GREENHOUSE: "https://boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true",
    SourceKind.LEVER: "https://api.lever.co/v0/postings/{token}?mode=json",
    SourceKind.ASHBY: (
        "https://api.ashbyhq.com/posting-api/job-board/{token}?includeCompensation=true"
    ),
}
# A board token has no dot or slash, which is what tells it from a file name or a URL.
_BOARD_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,199}")


class IngestRefused(Exception):
    """The Source's location may not be read by this kind of run."""


Progress = Callable[[int], object]


# --- Locations ---------------------------------------------------------------------------


def source_location_resolve(*, source: Source, allow_local_files: bool = False) -> str:
    """The URL or absolute file path a Source's location stands for.

    A Greenhouse, Lever or Ashby board token becomes that board's API URL. A path is read only
    when the caller says an operator typed it (the command line) or when it lies inside the
    demo feeds shipped with the repository; a curator's form input never reads local files.
    """
    location = source.location.strip()
    template = BOARD_API_URLS.get(source.kind)
    if template and _BOARD_TOKEN.fullmatch(location):
        return template.format(token=quote(location))
    if urlsplit(location).scheme:
        return location  # open_location accepts http(s) and refuses every other scheme
    path = Path(location)
    if not path.is_absolute():
        path = Path(settings.BASE_DIR) / path
    path = path.resolve()
    if allow_local_files or path.is_relative_to(DEMO_FEEDS_DIR):
        return str(path)
    raise IngestRefused(
        f"{location} is a local path; scheduled sources read http(s) URLs or board tokens only"
    )


# --- Taxonomy recognisers, built once per process and rebuilt when the taxonomy changes ---


@dataclass(slots=True)
class _Taxonomy:
    key: tuple
    skills: Any  # normalise.SkillRecogniser
    industries: Any  # normalise.IndustryRecogniser | None
    skill_by_slug: dict[str, tuple[int, str]]  # slug -> (id, name)
    industry_by_slug: dict[str, int]


_taxonomy: _Taxonomy | None = None
_taxonomy_lock = threading.Lock()


def _taxonomy_key() -> tuple:
    skills = Skill.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    aliases = SkillAlias.objects.aggregate(n=Count("id"), top=Max("id"))
    industries = Industry.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (
        skills["n"],
        skills["last"],
        skills["top"],
        aliases["n"],
        aliases["top"],
        industries["n"],
        industries["last"],
    )


def taxonomy_current() -> _Taxonomy:
    """The recognisers for the taxonomy as it stands now (three cheap aggregate queries)."""
    global _taxonomy
    key = _taxonomy_key()
    with _taxonomy_lock:
        if _taxonomy is None or _taxonomy.key != key:
            _taxonomy = _taxonomy_build(key)
        return _taxonomy


def _taxonomy_build(key: tuple) -> _Taxonomy:
    skills = list(Skill.objects.active().prefetch_related("aliases"))
    industries = list(Industry.objects.filter(active=True))
    terms = [
        SkillTerms(
            skill.slug,
            skill.name,
            tuple(alias.name for alias in skill.aliases.all()),
            skill.match_name,
        )
        for skill in skills
    ]
    keywords = [(industry.slug, list(industry.keywords or ())) for industry in industries]
    return _Taxonomy(
        key=key,
        skills=SkillRecogniser(terms),
        industries=IndustryRecogniser(keywords) if industries else None,
        skill_by_slug={skill.slug: (skill.pk, skill.name) for skill in skills},
        industry_by_slug={industry.slug: industry.pk for industry in industries},
    )


# --- The run -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """One normalised item waiting to be written: Role column values plus its skills."""

    external_id: str
    company_name: str
    fields: dict[str, Any]
    skills: dict[str, str]  # slug -> RoleSkill.Kind
    existing_id: int | None
    existing_status: str | None
    existing_posted_at: datetime | None


@dataclass
class _Tally:
    fetched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    unknown_terms: Counter = field(default_factory=Counter)
    touched_ids: list[int] = field(default_factory=list)
    # Company ids by name from batches already committed in this run (feeds repeat names).
    company_ids: dict[str, int] = field(default_factory=dict)

    def add(self, written: _Written) -> None:
        """Count a committed batch (only the thread running the ingest calls this)."""
        self.created += written.created
        self.updated += written.updated
        self.touched_ids.extend(written.ids)
        self.company_ids.update(written.companies)  # committed, so later batches may rely on them

    def reject(self, position: int, external_id: str | None, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(
                {"position": position, "external_id": external_id or "", "reason": reason}
            )


def source_ingest(
    *,
    source: Source,
    progress: Progress | None = None,
    allow_local_files: bool = False,
    raise_retryable: bool = False,
    stream: IO[bytes] | None = None,
) -> IngestRun:
    """Run one ingest of `source` and return its IngestRun (succeeded, not_modified or failed).

    `progress(n)` is called as items are parsed. `allow_local_files` is for locations an
    operator typed. With `raise_retryable`, a network error or a database outage is recorded
    and then re-raised so a Celery task can retry. `stream` feeds an uploaded file instead of
    fetching the location (the admin's CSV upload).
    """
    _runs_interrupted_close(source=source)
    run = IngestRun.objects.create(source=source)
    tally = _Tally()
    try:
        if stream is not None:
            _run_stream(source=source, run=run, stream=stream, tally=tally, progress=progress)
        else:
            _run_fetch(source, run, tally, progress, allow_local_files)
    except (FetchError, FeedError, IngestRefused, ValueError) as exc:
        _run_fail(run, tally, _plain(exc))
        if raise_retryable and isinstance(exc, FetchError) and exc.retryable:
            raise
    except OperationalError as exc:
        logger.exception("ingest of source %s hit a database error", source.pk)
        # If the database is gone the run stays "running"; the next run marks it interrupted.
        with contextlib.suppress(OperationalError):
            _run_fail(run, tally, f"database error: {exc}")
        if raise_retryable:
            raise
    return run


def _plain(exc: Exception) -> str:
    message = str(exc) or exc.__class__.__name__
    return message[0].upper() + message[1:]


def _run_fetch(
    source: Source,
    run: IngestRun,
    tally: _Tally,
    progress: Progress | None,
    allow_local_files: bool,
) -> None:
    location = source_location_resolve(source=source, allow_local_files=allow_local_files)
    result = open_location(
        location,
        etag=source.etag or None,
        last_modified=source.last_modified or None,
        max_bytes=settings.INGEST_MAX_BYTES,
        allow_loopback=settings.INGEST_ALLOW_LOOPBACK,
    )
    with result:
        if result.not_modified:
            run.status = IngestRun.Status.NOT_MODIFIED
            run.finished_at = timezone.now()
            run.message = "The feed has not changed since the last run."
            run.save(update_fields=["status", "finished_at", "message"])
            return
        _run_stream(
            source=source,
            run=run,
            stream=result.body,
            tally=tally,
            progress=progress,
            base_url=result.url if result.status is not None else None,
        )
    # Validators are stored only after a complete run, so a failed run is fetched again.
    if run.status == IngestRun.Status.SUCCEEDED:
        Source.objects.filter(pk=source.pk).update(
            etag=(result.etag or "")[:500], last_modified=(result.last_modified or "")[:100]
        )
        source.etag, source.last_modified = result.etag or "", result.last_modified or ""


def _run_stream(
    *,
    source: Source,
    run: IngestRun,
    stream: IO[bytes],
    tally: _Tally,
    progress: Progress | None,
    base_url: str | None = None,
) -> None:
    taxonomy = taxonomy_current()
    items = parse_pending(source.kind, stream, base_url=base_url)
    with tempfile.TemporaryFile() as spool:
        seen = _read(source, items, taxonomy, spool, tally, progress)
        spool.seek(0)
        _normalise_and_write(source, _spooled(spool), taxonomy, tally)
    _statistics_refresh(created=tally.created)
    now = timezone.now()
    tally.closed = _roles_vanished_close(source=source, seen=seen, now=now)
    _unknown_terms_record(tally.unknown_terms)
    run.status = IngestRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    if tally.rejected > len(tally.errors):
        run.message = (
            f"{tally.rejected} items were rejected; the first {len(tally.errors)} are listed."
        )
    _run_counts_save(run, tally)
    _matching_enqueue(tally.touched_ids)


def _run_fail(run: IngestRun, tally: _Tally, message: str) -> None:
    run.status = IngestRun.Status.FAILED
    run.finished_at = timezone.now()
    run.message = message
    _run_counts_save(run, tally)


def _run_counts_save(run: IngestRun, tally: _Tally) -> None:
    for name in ("fetched", "created", "updated", "unchanged", "closed", "rejected"):
        setattr(run, name, getattr(tally, name))
    run.errors = tally.errors
    run.save()


def _runs_interrupted_close(*, source: Source) -> None:
    """Mark runs left "running" by a killed worker as failed, so the admin does not wait on them."""
    IngestRun.objects.filter(source=source, status=IngestRun.Status.RUNNING).update(
        status=IngestRun.Status.FAILED,
        finished_at=timezone.now(),
        message="Interrupted: the worker stopped before the run finished; a later run redid it.",
    )


# --- Phase 1: read -------------------------------------------------------------------------


_RAW_FIELDS = tuple(item.name for item in fields(RawRole))


def _hash_context(source: Source, taxonomy_key: tuple) -> tuple:
    """What decides a role's stored values besides the item itself: both item hashes cover it."""
    return (PIPELINE_VERSION, taxonomy_key, source.company_id, source.default_industry_id)


def _item_hash(raw: RawRole, source: Source, taxonomy_key: tuple) -> str:
    """A hash of everything that decides a role's stored values, computed before normalising."""
    # repr of plain values (str, list, Decimal, datetime, the RawSalary dataclass) is stable;
    # dataclasses.asdict would be ten times slower for the same text.
    payload = repr(
        (*_hash_context(source, taxonomy_key), tuple(getattr(raw, name) for name in _RAW_FIELDS))
    )
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _read(
    source: Source,
    items: Iterator[PendingRole | RawRole | ItemError],
    taxonomy: _Taxonomy,
    spool: IO[bytes],
    tally: _Tally,
    progress: Progress | None,
) -> set[str]:
    """Parse every item, spool the new and changed ones, and return the external ids seen.

    The ids seen are those of items that became (or, unchanged, once became) a RawRole; an
    item rejected here is not seen, so its stored role is closed like a vanished one.
    """
    seen: set[str] = set()
    batch = _Batch()
    position = -1
    for position, item in enumerate(items):
        tally.fetched += 1
        if isinstance(item, ItemError):
            batch.rejections.append((position, item.position, item.external_id, item.reason))
        elif item.external_id in seen and not batch.earlier_rejected(item.external_id, seen):
            batch.rejections.append(
                (position, position, item.external_id, "repeats the id of an earlier item")
            )
        else:
            seen.add(item.external_id)
            batch.add(position, item)
            if len(batch.entries) >= BATCH_SIZE:
                _read_batch(source, batch, taxonomy, spool, tally, seen)
                batch = _Batch()
        if len(batch.rejections) >= BATCH_SIZE:
            _read_batch(source, batch, taxonomy, spool, tally, seen)
            batch = _Batch()
        if progress is not None and position % 100 == 99:
            progress(100)
    _read_batch(source, batch, taxonomy, spool, tally, seen)
    if progress is not None and (position + 1) % 100:
        progress((position + 1) % 100)
    return seen


@dataclass(slots=True)
class _Batch:
    """Items read since the last lookup of stored hashes, and the rejections among them."""

    # (position, item, its RawRole or ItemError once built); item is None once rejected.
    entries: list[tuple[int, PendingRole | RawRole | None, RawRole | ItemError | None]] = field(
        default_factory=list
    )
    unbuilt: dict[str, int] = field(default_factory=dict)  # id -> index of a PendingRole
    # (order in the feed, position reported, external id, reason)
    rejections: list[tuple[int, int, str | None, str]] = field(default_factory=list)

    def add(self, position: int, item: PendingRole | RawRole) -> None:
        if type(item) is PendingRole:
            self.unbuilt[item.external_id] = len(self.entries)
        self.entries.append((position, item, None))

    def earlier_rejected(self, external_id: str, seen: set[str]) -> bool:
        """Build the earlier item with this id if still pending; True if it is rejected.

        A parser that builds every RawRole at once rejects a malformed item before a later
        item with the same id is read, and the later one is then kept; so is it here.
        """
        index = self.unbuilt.pop(external_id, None)
        if index is None:
            return False
        position, item, _ = self.entries[index]
        built = item.build()  # type: ignore[union-attr]  # only PendingRoles are in unbuilt
        if isinstance(built, ItemError):
            self.rejections.append((position, built.position, built.external_id, built.reason))
            self.entries[index] = (position, None, None)
            seen.discard(external_id)
            return True
        self.entries[index] = (position, item, built)
        return False


def _read_batch(
    source: Source,
    batch: _Batch,
    taxonomy: _Taxonomy,
    spool: IO[bytes],
    tally: _Tally,
    seen: set[str],
) -> None:
    """Hash a batch against the stored roles (one indexed query); spool the changed items.

    An item whose hash is stored was built into a RawRole before from the very same values,
    so a PendingRole is built only when its hash is new: that is most of the cost of reading.
    """
    ids = [item.external_id for _, item, _ in batch.entries if item is not None]
    stored = _stored_hashes(source, ids) if ids else {}
    # The digest of a PendingRole covers its item; this covers the rest, as _item_hash does.
    context = hashlib.sha256(repr(_hash_context(source, taxonomy.key)).encode())
    changed: list[_Changed] = []
    for position, item, built in batch.entries:
        if item is None:
            continue
        if type(item) is PendingRole:
            hasher = context.copy()
            hasher.update(item.digest)
            content_hash = hasher.hexdigest()
        else:
            content_hash = _item_hash(item, source, taxonomy.key)
            built = item
        existing = stored.get(item.external_id)
        if existing and existing[1] == content_hash and existing[2] != Role.Status.CLOSED:
            tally.unchanged += 1
            continue
        if built is None:
            built = item.build()
        if isinstance(built, ItemError):
            batch.rejections.append((position, built.position, built.external_id, built.reason))
            seen.discard(item.external_id)
            continue
        changed.append((position, built, content_hash, existing))
    # Rejections are recorded in feed order, as if every item had been built as it was read.
    for _, position, external_id, reason in sorted(batch.rejections, key=lambda r: r[0]):
        tally.reject(position, external_id, reason)
    if changed:
        pickle.dump(changed, spool, protocol=pickle.HIGHEST_PROTOCOL)


def _stored_hashes(source: Source, external_ids: list[str]) -> dict[str, tuple]:
    """(pk, content hash, status, posted_at) of this source's stored roles, by external id."""
    if connection.vendor == "postgresql":
        # One array parameter instead of 500 placeholders, which psycopg would split again.
        with bound_cursor() as cursor:
            table = Role._meta.db_table
            cursor.execute(
                f"SELECT external_id, id, content_hash, status, posted_at FROM {table} "  # noqa: S608 - the model's table name
                "WHERE source_id = %s AND external_id = ANY(%s::varchar[])",
                [source.pk, external_ids],
            )
            rows = cursor.fetchall()
    else:
        rows = Role.objects.filter(source=source, external_id__in=external_ids).values_list(
            "external_id", "pk", "content_hash", "status", "posted_at"
        )
    return {
        external_id: (pk, content_hash, status, posted_at)
        for external_id, pk, content_hash, status, posted_at in rows
    }


def _statistics_refresh(*, created: int) -> None:
    """Refresh the planner's view of Role.source after a run that added many roles to one.

    Until autovacuum gets to it the planner believes the source has no roles, and then looks
    stored hashes up by reading every role of the source through the source index instead of
    using the (source, external id) one: at 100,000 roles that is a third of a second per
    batch of 500, most of an unchanged re-ingest.
    """
    if created < ANALYZE_AFTER_CREATED or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Role._meta.db_table} (source_id)")


# A changed item waiting to be normalised: (position, item, content hash, stored values).
_Changed = tuple[int, RawRole, str, tuple | None]


def _spooled(spool: IO[bytes]) -> Iterator[list[_Changed]]:
    while True:
        try:
            yield pickle.load(spool)  # noqa: S301 - our own temporary file, written above
        except EOFError:
            return


def _normalise_batch(
    source: Source, batch: list[_Changed], taxonomy: _Taxonomy, tally: _Tally
) -> list[_Row]:
    """Normalise one spooled batch into rows ready to write; unusable items are rejected."""
    default_industry = source.default_industry.slug if source.default_industry_id else None
    default_company = source.company.name if source.company_id else None
    rows: list[_Row] = []
    for position, raw, content_hash, existing in batch:
        try:
            normalised = _normalise(raw, taxonomy, default_company, default_industry)
        except NormaliseError as exc:
            tally.reject(position, raw.external_id, str(exc))
            continue
        tally.unknown_terms.update(getattr(normalised, "unknown_terms", None) or ())
        rows.append(
            _row_from(
                normalised,
                raw=raw,
                source=source,
                content_hash=content_hash,
                taxonomy=taxonomy,
                existing=existing,
            )
        )
    return rows


def _thread_connection_close() -> None:
    """Close the calling thread's own database connection (Django keeps one per thread)."""
    connection.close()


def _normalise_and_write(
    source: Source, batches: Iterable[list[_Changed]], taxonomy: _Taxonomy, tally: _Tally
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
            rows = _normalise_batch(source, batch, taxonomy, tally)
            if rows:
                tally.add(_write_batch(source, rows, taxonomy, tally.company_ids))
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
            rows = _normalise_batch(source, batch, taxonomy, tally)
            if not rows:
                continue
            previous = pending[turn]
            if previous is not None:
                pending[turn] = None
                tally.add(previous.result())  # re-raises that batch's error
            known = dict(tally.company_ids)  # a copy: the writer reads it while this adds
            pending[turn] = writers[turn].submit(_write_batch, source, rows, taxonomy, known)
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


def _normalise(raw: RawRole, taxonomy: _Taxonomy, default_company, default_industry):
    return normalise(
        raw,
        skills=taxonomy.skills,
        industries=taxonomy.industries,
        default_company=default_company,
        default_industry=default_industry,
    )


# Role columns the normaliser fills under the same name.
_NORMALISED_FIELDS = (
    "title",
    "city",
    "region",
    "country",
    "workplace",
    "worldwide",
    "applicant_countries",
    "applicant_regions",
    "employment_type",
    "seniority",
    "salary_currency",
    "apply_url",
    "apply_email",
    "posted_at",
    "expires_at",
    "canonical_url",
    "dedupe_key",
    "text_fingerprint",
)
# Role columns whose normalised value has another name or type.
_DERIVED_FIELDS = (
    "description",
    "applicant_timezones",
    "salary_min",
    "salary_max",
    "salary_period",
    "salary_yearly_min",
    "salary_yearly_max",
    "industry",
    "slug",
)
# An open posting on another source whose text is at least this similar is the same posting.
DUPLICATE_SIMILARITY = 0.8


def _row_from(
    normalised: Any,
    *,
    raw: RawRole,
    source: Source,
    content_hash: str,
    taxonomy: _Taxonomy,
    existing: tuple | None,
) -> _Row:
    values: dict[str, Any] = {name: getattr(normalised, name) for name in _NORMALISED_FIELDS}
    values["description"] = normalised.description_html
    values["applicant_timezones"] = ", ".join(normalised.timezones)[:200]
    values["slug"] = slugify(normalised.title)[:220] or "role"
    values["country"] = values["country"][:2]
    values["city"], values["region"] = values["city"][:100], values["region"][:100]
    for name in ("canonical_url", "apply_url"):
        if len(values[name]) > 2000:
            values[name] = ""
    if len(values["apply_email"]) > 254:
        values["apply_email"] = ""
    values["dedupe_key"] = values["dedupe_key"][:300]
    values["salary_currency"] = values["salary_currency"][:3]
    values["salary_period"] = normalised.salary_period or "year"
    amounts = [
        _whole(getattr(normalised, name))
        for name in ("salary_min", "salary_max", "salary_yearly_min", "salary_yearly_max")
    ]
    for pair in (0, 2):
        low, high = amounts[pair], amounts[pair + 1]
        if low is not None and high is not None and low > high:
            amounts[pair], amounts[pair + 1] = high, low
    (
        values["salary_min"],
        values["salary_max"],
        values["salary_yearly_min"],
        values["salary_yearly_max"],
    ) = amounts
    if values["workplace"] != "remote":
        values["worldwide"] = False
    slug = normalised.industry_slug
    values["industry_id"] = taxonomy.industry_by_slug.get(slug) if slug else None
    if values["industry_id"] is None:
        values["industry_id"] = source.default_industry_id
    values["content_hash"] = content_hash
    skills = {
        slug: kind for slug, kind in normalised.skills.items() if slug in taxonomy.skill_by_slug
    }
    return _Row(
        external_id=raw.external_id,
        company_name=normalised.company_name,
        fields=values,
        skills=skills,
        existing_id=existing[0] if existing else None,
        existing_status=existing[2] if existing else None,
        existing_posted_at=existing[3] if existing else None,
    )


def _whole(amount: Any) -> int | None:
    """A salary figure as the whole, non-negative integer the columns hold, or None."""
    if amount is None:
        return None
    value = int(amount)
    return value if 0 <= value <= 2_147_483_647 else None


# --- Phase 2: write ------------------------------------------------------------------------

_UPDATE_FIELDS = [
    *_NORMALISED_FIELDS,
    *_DERIVED_FIELDS,
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


@dataclass(slots=True)
class _Written:
    """What one committed batch wrote, for the run's tally."""

    created: int
    updated: int
    ids: list[int]
    companies: dict[str, int]  # ids by name, committed with the batch


def _write_batch(
    source: Source, rows: list[_Row], taxonomy: _Taxonomy, known: dict[str, int]
) -> _Written:
    """Upsert one batch of roles and their skills in one transaction; `known` holds company
    ids by name committed by earlier batches of the run."""
    now = timezone.now()
    with transaction.atomic():
        companies = _companies_upsert(
            source=source, names={row.company_name for row in rows}, known=known
        )
        duplicates = _duplicates_find(source=source, rows=rows)
        records = []
        for row in rows:
            values = dict(row.fields)
            if row.existing_status == Role.Status.REJECTED:
                status = Role.Status.REJECTED  # a curator's rejection outlives feed updates
            elif values["expires_at"] is not None and values["expires_at"] <= now:
                status = Role.Status.EXPIRED
            else:
                status = Role.Status.PUBLISHED
            if values["posted_at"] is None:
                values["posted_at"] = row.existing_posted_at or now
            skills = sorted(
                (taxonomy.skill_by_slug[slug] for slug in row.skills), key=lambda pair: pair[0]
            )
            values.update(
                company_id=companies[row.company_name],
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
                (pk, taxonomy.skill_by_slug[slug][0], kind)
                for pk, row in zip(ids, rows, strict=True)
                for slug, kind in row.skills.items()
            ]
        )
    return _Written(
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


def _duplicates_find(*, source: Source, rows: list[_Row]) -> dict[str, int]:
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


def _roles_vanished_close(*, source: Source, seen: set[str], now: datetime) -> int:
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
            Role.objects.filter(duplicate_of_id__in=chunk).update(duplicate_of=None)
    return len(vanished)


def _unknown_terms_record(terms: Counter) -> None:
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


def _matching_enqueue(role_ids: list[int]) -> None:
    """Hand new and changed roles to matching once this transaction (if any) commits."""
    if not role_ids:
        return
    for start in range(0, len(role_ids), MATCH_CHUNK):
        enqueue_on_commit(MATCH_ROLES, role_ids[start : start + MATCH_CHUNK])


# --- Scheduling and uploads ----------------------------------------------------------------


def sources_run_now(*, sources: Iterable[Source]) -> list[int]:
    """Queue a run of each of these sources once the caller's transaction commits."""
    ids = [source.pk for source in sources]
    for source_id in ids:
        enqueue_on_commit(INGEST_SOURCE, source_id)
    return ids


def source_schedule_due(*, now: datetime) -> list[int]:
    """Ids of enabled sources due at `now`, each rescheduled so a second beat skips it."""
    due: list[int] = []
    with transaction.atomic():
        sources = (
            Source.objects.select_for_update(skip_locked=True)
            .filter(enabled=True)
            .exclude(next_run_at__gt=now)
            .only("pk", "interval_minutes")
        )
        for source in sources:
            Source.objects.filter(pk=source.pk).update(
                next_run_at=now + timedelta(minutes=source.interval_minutes)
            )
            due.append(source.pk)
    return due


def csv_upload_ingest(
    *,
    source_or_none: Source | None,
    file: IO[bytes],
    company: Company | None,
    industry: Industry | None,
) -> IngestRun:
    """Ingest a curator's CSV upload through the same pipeline, into its own Source.

    Without a Source, one disabled CSV source per company (or one for uploads with no company)
    holds the rows, so a later upload of the same file updates rather than duplicates them.
    Rows missing from a later upload to the same source are closed, like any feed.
    """
    source = source_or_none
    if source is None:
        name = f"CSV uploads: {company.name}" if company else "CSV uploads"
        source, _ = Source.objects.get_or_create(
            kind=SourceKind.CSV,
            company=company,
            location="upload",
            defaults={
                "name": name,
                "enabled": False,
                "default_industry": industry,
                "interval_minutes": 24 * 60,
            },
        )
    if industry is not None and source.default_industry_id != industry.pk:
        source.default_industry = industry
        source.save(update_fields=["default_industry", "updated_at"])
    return source_ingest(source=source, stream=file)


def source_one_off_get_or_create(
    *,
    kind: str,
    location: str,
    company: Company | None = None,
    industry: Industry | None = None,
) -> Source:
    """The disabled Source that records command-line runs of one kind and location."""
    source, created = Source.objects.get_or_create(
        kind=kind,
        location=location,
        enabled=False,
        company=company,
        defaults={
            "name": f"One-off {kind}: {location}"[:200],
            "default_industry": industry,
            "interval_minutes": 24 * 60,
        },
    )
    if not created and industry is not None and source.default_industry_id != industry.pk:
        source.default_industry = industry
        source.save(update_fields=["default_industry", "updated_at"])
    return source


DEMO_SOURCES = [
    # (name, kind, file in DEMO_FEEDS_DIR, employer when the feed is one company's board)
    ("Demo: Northwind AI (Greenhouse)", SourceKind.GREENHOUSE, "greenhouse.json", None),
    ("Demo: Tessellate Labs (Lever)", SourceKind.LEVER, "lever.json", "Tessellate Labs"),
    ("Demo: GenAI roles (RSS)", SourceKind.RSS, "rss.xml", None),
]
DEMO_INTERVAL_MINUTES = 5  # the shortest allowed, so a newcomer sees runs happen


def sources_demo_seed() -> list[Source]:
    """Create (or leave as they are) the demo Sources that read the feeds shipped in the repo."""
    sources = []
    with transaction.atomic():
        for name, kind, filename, company_name in DEMO_SOURCES:
            company = None
            if company_name:
                company, _ = Company.objects.get_or_create(
                    slug=slugify(company_name), defaults={"name": company_name}
                )
            location = str((DEMO_FEEDS_DIR / filename).relative_to(settings.BASE_DIR))
            source, _ = Source.objects.get_or_create(
                kind=kind,
                location=location,
                defaults={
                    "name": name,
                    "company": company,
                    "interval_minutes": DEMO_INTERVAL_MINUTES,
                    "enabled": True,
                },
            )
            sources.append(source)
    return sources


# --- Curators' answers to unknown skill-like terms -----------------------------------------


def unknown_term_skill_create(
    *, term: UnknownSkillTerm, category: str = SkillCategory.TECHNIQUE
) -> Skill:
    """Make a new Skill named after the term; the term is then known and leaves the list."""
    with transaction.atomic():
        skill = Skill.objects.filter(name__iexact=term.term).first()
        if skill is None:
            skill = Skill.objects.create(
                name=term.term, slug=_unique_skill_slug(term.term), category=category
            )
        term.delete()
    return skill


def _unique_skill_slug(name: str) -> str:
    base = slugify(name)[:90] or "skill"
    slug, n = base, 2
    while Skill.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def unknown_term_alias_add(*, term: UnknownSkillTerm, skill: Skill) -> SkillAlias:
    """Record the term as another name of `skill`; the term is then known and leaves the list."""
    with transaction.atomic():
        alias = SkillAlias.objects.filter(name__iexact=term.term).first()
        if alias is not None and alias.skill_id != skill.pk:
            raise ValueError(f"“{term.term}” is already an alias of {alias.skill.name}.")
        if alias is None:
            alias = SkillAlias.objects.create(skill=skill, name=term.term)
        # Touch the skill so the recognisers (keyed on updated_at) are rebuilt.
        Skill.objects.filter(pk=skill.pk).update(updated_at=timezone.now())
        term.delete()
    return alias


def unknown_terms_ignore(*, terms: Iterable[UnknownSkillTerm]) -> int:
    """Hide terms that are not skills from the curators' list (their counts keep growing)."""
    return UnknownSkillTerm.objects.filter(pk__in=[term.pk for term in terms]).update(ignored=True)

"""Phase 1 of an ingest run, reading: hash each item, spool the new and changed ones, normalise.

The feed is parsed item by item and each item hashed (a JSON board's item as it was decoded,
before it is turned into a RawRole); one indexed query per batch of BATCH_SIZE finds the stored
hashes, so an unchanged item is counted and costs nothing more. The new and changed items are
built and spooled, as parsed, to a temporary file, so memory stays bounded whatever the feed's
size; phase 2 (write.py) reads the spool back a batch at a time and normalises each batch here
into rows ready to write.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import IO, Any

from django.db import connection
from django.utils.text import slugify

from opportunities.ingest.normalise.industries import best_industry, scores_add
from opportunities.ingest.normalise.role import NormaliseError, normalise
from opportunities.ingest.parsers.records import ItemError, PendingRole, RawRole
from opportunities.ingest.recognisers import Recognisers
from opportunities.ingest.tally import Tally
from opportunities.models import Role, Source
from opportunities.sql import bound_cursor

logger = logging.getLogger(__name__)

# Bump when parsing or normalisation changes in a way that should rewrite every stored role
# once: an item whose hash is stored is neither built into a RawRole nor normalised again.
# 2: dotted legal suffixes, companies named from board tokens; 3: eligibility and workplace as
# the text states them, salaries from descriptions, the company's industry
PIPELINE_VERSION = "3"
BATCH_SIZE = 500
# A run that adds this many roles to a source refreshes the planner's statistics.
ANALYZE_AFTER_CREATED = 5_000

Progress = Callable[[int], object]

# A changed item waiting to be normalised: (position, item, content hash, stored values).
Changed = tuple[int, RawRole, str, tuple | None]


@dataclass(slots=True)
class Row:
    """One normalised item waiting to be written: Role column values plus its skills."""

    external_id: str
    company_name: str
    fields: dict[str, Any]
    skills: dict[str, str]  # slug -> RoleSkill.Kind
    existing_id: int | None
    existing_status: str | None
    existing_posted_at: datetime | None
    position: int = -1  # the item's place in the feed, for the run's record of rejections


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


def items_read(
    source: Source,
    items: Iterator[PendingRole | RawRole | ItemError],
    recognisers: Recognisers,
    spool: IO[bytes],
    tally: Tally,
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
                _read_batch(source, batch, recognisers, spool, tally, seen)
                batch = _Batch()
        if len(batch.rejections) >= BATCH_SIZE:
            _read_batch(source, batch, recognisers, spool, tally, seen)
            batch = _Batch()
        if progress is not None and position % 100 == 99:
            progress(100)
    _read_batch(source, batch, recognisers, spool, tally, seen)
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
    recognisers: Recognisers,
    spool: IO[bytes],
    tally: Tally,
    seen: set[str],
) -> None:
    """Hash a batch against the stored roles (one indexed query); spool the changed items.

    An item whose hash is stored was built into a RawRole before from the very same values,
    so a PendingRole is built only when its hash is new: that is most of the cost of reading.
    """
    ids = [item.external_id for _, item, _ in batch.entries if item is not None]
    stored = _stored_hashes(source, ids) if ids else {}
    # The digest of a PendingRole covers its item; this covers the rest, as _item_hash does.
    context = hashlib.sha256(repr(_hash_context(source, recognisers.key)).encode())
    changed: list[Changed] = []
    for position, item, built in batch.entries:
        if item is None:
            continue
        if type(item) is PendingRole:
            hasher = context.copy()
            hasher.update(item.digest)
            content_hash = hasher.hexdigest()
        else:
            content_hash = _item_hash(item, source, recognisers.key)
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


def statistics_refresh(*, created: int) -> None:
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


def spooled(spool: IO[bytes]) -> Iterator[list[Changed]]:
    while True:
        try:
            yield pickle.load(spool)  # noqa: S301 - our own temporary file, written above
        except EOFError:
            return


def normalise_batch(
    source: Source, batch: list[Changed], recognisers: Recognisers, tally: Tally
) -> list[Row]:
    """Normalise one spooled batch into rows ready to write; unusable items are rejected."""
    default_industry = source.default_industry.slug if source.default_industry_id else None
    default_company = source.company.name if source.company_id else None
    rows: list[Row] = []
    for position, raw, content_hash, existing in batch:
        try:
            normalised = _normalise(raw, recognisers, default_company, default_industry)
            row = _row_from(
                normalised,
                raw=raw,
                source=source,
                content_hash=content_hash,
                recognisers=recognisers,
                existing=existing,
            )
        except NormaliseError as exc:
            tally.reject(position, raw.external_id, str(exc))
            continue
        except Exception as exc:  # one item's surprise costs that item, never the run
            logger.warning("item %s of source %s failed to normalise", position, source.pk)
            tally.reject(position, raw.external_id, f"could not be normalised: {exc!r}")
            continue
        row.position = position
        tally.unknown_terms.update(getattr(normalised, "unknown_terms", None) or ())
        if default_industry is None:
            _company_industry_provisional(row, normalised, recognisers, tally)
        rows.append(row)
    return rows


def _company_industry_provisional(
    row: Row, normalised: Any, recognisers: Recognisers, tally: Tally
) -> None:
    """Add the posting's evidence to its company's and give the row the company's guess so
    far; write.company_industries_settle makes the run's last guess every role's."""
    total = tally.industry_scores.setdefault(normalised.company_name, {})
    scores_add(total, getattr(normalised, "industry_scores", None) or {})
    slug = best_industry(total)
    row.fields["industry_id"] = recognisers.industry_by_slug.get(slug) if slug else None


def _normalise(raw: RawRole, recognisers: Recognisers, default_company, default_industry):
    return normalise(
        raw,
        skills=recognisers.skills,
        industries=recognisers.industries,
        default_company=default_company,
        default_industry=default_industry,
    )


# Role columns the normaliser fills under the same name.
NORMALISED_FIELDS = (
    "title",
    "city",
    "region",
    "country",
    "workplace",
    "worldwide",
    "applicant_countries",
    "applicant_regions",
    "excluded_countries",
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
DERIVED_FIELDS = (
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


def _row_from(
    normalised: Any,
    *,
    raw: RawRole,
    source: Source,
    content_hash: str,
    recognisers: Recognisers,
    existing: tuple | None,
) -> Row:
    values: dict[str, Any] = {name: getattr(normalised, name) for name in NORMALISED_FIELDS}
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
    values["industry_id"] = recognisers.industry_by_slug.get(slug) if slug else None
    if values["industry_id"] is None:
        values["industry_id"] = source.default_industry_id
    values["content_hash"] = content_hash
    skills = {
        slug: kind for slug, kind in normalised.skills.items() if slug in recognisers.skill_by_slug
    }
    return Row(
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

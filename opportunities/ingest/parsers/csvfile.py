"""Curator CSV uploads: one role per row, columns named in the first row.

Columns (names are case-insensitive; spaces and hyphens count as underscores; order is free;
unknown columns are ignored). Only ``external_id`` and ``title`` are required, per row.

==================  =====================================================================
external_id         the curator's stable id for the role (required)
title               job title (required)
company             company name
url                 page of the posting (http or https)
apply_url           where to apply (http or https)
apply_email         address to apply to
location            one place, or several separated by ";"
workplace           remote | hybrid | onsite (also "on-site", "office")
employment_type     free text, e.g. "Full-time"
seniority           free text, e.g. "Senior"
salary_min          number; "120,000" and "120000.00" both work
salary_max          number
salary_currency     ISO 4217 code, e.g. "EUR"
salary_period       year | month | week | day | hour (also "yearly", "per hour", ...)
posted_at           ISO 8601 date or date-time; no time zone means UTC
expires_at          ISO 8601; a bare date means the end of that day, UTC
description         HTML, or plain text (blank lines separate paragraphs)
tags                separated by ";"
==================  =====================================================================

The file must be UTF-8 (a byte-order mark is fine). Any other encoding is refused with a
message asking for "CSV UTF-8" rather than guessed, so no text is silently garbled. The
delimiter is a comma, or a semicolon or tab when the header row uses one of those instead.
One cell may hold up to 128 KB (the csv module's limit); a longer one refuses the file with
the line number, rather than cutting the text.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from typing import Any, BinaryIO

from opportunities.ingest.parsers.common import (
    as_html,
    clean_str,
    clean_url,
    normalise_currency,
    normalise_period,
    normalise_workplace,
    parse_datetime,
    split_list,
    to_decimal,
)
from opportunities.ingest.parsers.records import FeedError, ItemError, RawRole, RawSalary

COLUMNS = (
    "external_id",
    "title",
    "company",
    "url",
    "apply_url",
    "apply_email",
    "location",
    "workplace",
    "employment_type",
    "seniority",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "posted_at",
    "expires_at",
    "description",
    "tags",
)
REQUIRED = ("external_id", "title")


def parse(stream: BinaryIO, *, base_url: str | None = None) -> Iterator[RawRole | ItemError]:
    """Yield a role per data row, or an ItemError naming the line of a row lacking id or title."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader: Any = None
    try:
        header_line = text.readline()
        if not header_line.strip():
            raise FeedError("The CSV file is empty; its first row must name the columns.")
        reader = csv.reader(itertools.chain([header_line], text), delimiter=_delimiter(header_line))
        header = [_column(name) for name in next(reader)]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise FeedError(
                f"The CSV file has no {' or '.join(missing)} column. The first row must name the "
                f"columns, for example: {', '.join(COLUMNS[:4])}."
            )
        for position, values in enumerate(reader):
            if not any(value.strip() for value in values):
                continue
            row = dict(zip(header, values, strict=False))
            yield _role(position, reader.line_num, row)
    except UnicodeDecodeError as exc:
        raise FeedError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” from your spreadsheet and "
            "upload it again."
        ) from exc
    except csv.Error as exc:
        line = reader.line_num if reader is not None else 1
        raise FeedError(f"The CSV file cannot be read near line {line}: {exc}.") from exc
    finally:
        # Leave the caller's stream open; closing the wrapper would close it too.
        text.detach()


def _delimiter(header_line: str) -> str:
    if "," not in header_line:
        for candidate in (";", "\t"):
            if candidate in header_line:
                return candidate
    return ","


def _column(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _role(position: int, line: int, row: dict[str, str]) -> RawRole | ItemError:
    external_id = clean_str(row.get("external_id"))
    title = clean_str(row.get("title"))
    if external_id is None or title is None:
        missing = " and ".join(
            name for name, value in (("external_id", external_id), ("title", title)) if not value
        )
        return ItemError(position, f"line {line}: missing {missing}", external_id)
    minimum = to_decimal(row.get("salary_min"))
    maximum = to_decimal(row.get("salary_max"))
    salary = None
    if minimum is not None or maximum is not None:
        salary = RawSalary(
            minimum=minimum,
            maximum=maximum,
            currency=normalise_currency(row.get("salary_currency")),
            period=normalise_period(row.get("salary_period")),
        )
    email = clean_str(row.get("apply_email"))
    return RawRole(
        external_id=external_id,
        title=title,
        company=clean_str(row.get("company")),
        url=clean_url(row.get("url")),
        apply_url=clean_url(row.get("apply_url")),
        apply_email=email if email and "@" in email and " " not in email else None,
        description_html=as_html(row.get("description")),
        locations=split_list(row.get("location"), ";"),
        workplace=normalise_workplace(row.get("workplace")),
        employment_type=clean_str(row.get("employment_type")),
        seniority=clean_str(row.get("seniority")),
        tags=split_list(row.get("tags"), ";"),
        salary=salary,
        posted_at=parse_datetime(row.get("posted_at")),
        expires_at=parse_datetime(row.get("expires_at"), end_of_day=True),
    )

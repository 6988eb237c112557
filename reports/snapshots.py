"""A report's figures, counted once and kept a few minutes (docs/follow-through.md, "Reports").

A report reads every teacher's records: at 10,000 teachers the rates report takes seconds
to count. An administrator looks at it several times in a row (a page of its table after
another, the CSV after the page), so its figures are counted once and kept, for one set of
filters in one language, for `REPORTS_MAX_AGE` seconds. The page says when they were counted
and offers "Count again"; the CSV reads the same kept figures as the page it came from.

The table is kept a page per cache entry beside a heading entry (title, sentence, columns,
row count): a page of the table reads two small entries whatever the table's length, where
one entry of 2,000 rows cost more to unpickle and collect than the page took to draw.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from .selectors import REPORTS, Filters, Report

DEFAULT_MAX_AGE = 10 * 60
ROWS_PER_PAGE = 25


@dataclass
class Snapshot:
    """The kept heading: the report without its rows (nor the chart's bars, when there is one
    per row), when it was counted, and what names its pages in the cache."""

    report: Report
    counted_at: datetime.datetime
    row_count: int
    token: str  # this count's pages: a page kept by an earlier count is never read with it


@dataclass
class Rows:
    """One page of the table: its rows and, for a chart with a bar per row, their bars."""

    rows: list
    chart_items: list


def max_age() -> int:
    return getattr(settings, "REPORTS_MAX_AGE", DEFAULT_MAX_AGE)


def _key(slug: str, filters: Filters, language: str | None = None) -> str:
    parts = [
        slug,
        language or get_language() or "",
        filters.date_from.isoformat() if filters.date_from else "",
        filters.date_to.isoformat() if filters.date_to else "",
        filters.course.pk if filters.course else "",
        filters.cohort.pk if filters.cohort else "",
    ]
    # v2: the shape of Snapshot, Rows and Report; a new shape needs a new prefix, so that
    # figures kept by the previous release are never read back into the new classes.
    return "reports:snapshot:v2:" + ":".join(str(part) for part in parts)


def _page_key(key: str, kept: Snapshot, number: int) -> str:
    return f"{key}:{kept.token}:{number}"


def page_count(kept: Snapshot) -> int:
    return max(1, -(-kept.row_count // ROWS_PER_PAGE))


def _count(slug: str, filters: Filters) -> tuple[Snapshot, list[Rows]]:
    """Count the report from the records and keep it: its heading and each page."""
    _title, build = REPORTS[slug]
    report = build(filters)
    per_row = report.chart_items if report.chart_per_row else []
    pages = [
        Rows(
            rows=report.rows[start : start + ROWS_PER_PAGE],
            chart_items=per_row[start : start + ROWS_PER_PAGE],
        )
        for start in range(0, max(1, len(report.rows)), ROWS_PER_PAGE)
    ]
    heading = dataclasses.replace(
        report, rows=[], chart_items=[] if report.chart_per_row else report.chart_items
    )
    kept = Snapshot(
        report=heading,
        counted_at=timezone.now(),
        row_count=len(report.rows),
        token=uuid.uuid4().hex,
    )
    key = _key(slug, filters)
    entries = {_page_key(key, kept, number): rows for number, rows in enumerate(pages, 1)}
    # The pages first: a heading is never kept without the pages it names.
    cache.set_many(entries, timeout=max_age())
    cache.set(key, kept, timeout=max_age())
    return kept, pages


def snapshot(slug: str, filters: Filters) -> Snapshot:
    """The report's heading as last counted for these filters, counted now if there is none
    younger than `REPORTS_MAX_AGE`."""
    kept = cache.get(_key(slug, filters))
    if kept is None:
        kept, _pages = _count(slug, filters)
    return kept


def page(slug: str, filters: Filters, kept: Snapshot, number: int) -> tuple[Snapshot, Rows]:
    """Page `number` (1-based) of the kept table. A page the cache let go of (memory full)
    means counting again: the heading returned is then the new count's."""
    rows = cache.get(_page_key(_key(slug, filters), kept, number))
    if rows is not None:
        return kept, rows
    kept, pages = _count(slug, filters)
    return kept, pages[min(number, len(pages)) - 1]


def whole_table(slug: str, filters: Filters) -> Report:
    """The kept report with every row (the CSV), counted again if any page is gone."""
    kept = snapshot(slug, filters)
    key = _key(slug, filters)
    keys = [_page_key(key, kept, number) for number in range(1, page_count(kept) + 1)]
    found = cache.get_many(keys)
    if len(found) == len(keys):
        pages = [found[k] for k in keys]
    else:
        kept, pages = _count(slug, filters)
    return dataclasses.replace(kept.report, rows=[row for rows in pages for row in rows.rows])


def count_again(slug: str, filters: Filters) -> None:
    """Drop the kept figures, in every language: the next view counts from the records."""
    cache.delete_many([_key(slug, filters, code) for code, _name in settings.LANGUAGES])

"""A report's figures, counted once and kept a few minutes (docs/follow-through.md, "Reports").

A report reads every teacher's records: at 10,000 teachers the rates report takes seconds
to count. An administrator looks at it several times in a row (a page of its table after
another, the CSV after the page), so its figures are counted once and kept, for one set of
filters in one language, for `REPORTS_MAX_AGE` seconds. The page says when they were counted
and offers "Count again"; the CSV reads the same kept figures as the page it came from.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from .selectors import REPORTS, Filters, Report

DEFAULT_MAX_AGE = 10 * 60


@dataclass
class Snapshot:
    report: Report
    counted_at: datetime.datetime


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
    # v1: the shape of Snapshot and Report; a new shape needs a new prefix, so that figures
    # kept by the previous release are never read back into the new classes.
    return "reports:snapshot:v1:" + ":".join(str(part) for part in parts)


def snapshot(slug: str, filters: Filters) -> Snapshot:
    """The report's figures as last counted for these filters, counted now if there are none
    younger than `REPORTS_MAX_AGE`."""
    key = _key(slug, filters)
    kept = cache.get(key)
    if kept is not None:
        return kept
    _title, build = REPORTS[slug]
    kept = Snapshot(report=build(filters), counted_at=timezone.now())
    cache.set(key, kept, timeout=max_age())
    return kept


def count_again(slug: str, filters: Filters) -> None:
    """Drop the kept figures, in every language: the next view counts from the records."""
    cache.delete_many([_key(slug, filters, code) for code, _name in settings.LANGUAGES])

"""A person's own account: the name printed on their certificates, and exporting their data
(now, or in the background when it is large)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.models import organisation_name

from . import audit, export
from .models import AuditAction, DataExport
from .tasks import build_data_export, export_email_key

# A build that has not finished in this long died with its worker: it no longer blocks.
ABANDONED_AFTER = datetime.timedelta(hours=1)
# How long the emailed link to a large export works.
DOWNLOAD_DAYS = 7


def change_name(*, user, full_name: str) -> bool:
    """Set the name printed on certificates issued from now on (full_name is already
    cleaned, core.sanitise.clean_name). Issued certificates keep the name printed on them:
    they hold their own copy (Certificate.name_on_certificate). Returns whether it changed."""
    if user.full_name == full_name:
        return False
    with transaction.atomic():
        user.full_name = full_name
        user.save(update_fields=["full_name"])
        audit.record(action=AuditAction.NAME_CHANGED, user=user)
    return True


class ExportInProgress(Exception):
    """An export for this person is being built already."""


@dataclass(frozen=True)
class ExportResult:
    content: bytes | None  # the ZIP, when it was small enough to build now
    queued: DataExport | None  # or the export being built in the background


def request_export(*, user) -> ExportResult:
    """The person's data as a ZIP now, or queued when large. One build at a time per person:
    the DataExport row (one unfinished per person, a database constraint) is the lock, so
    two requests at once, on any number of workers, build one export."""
    DataExport.objects.filter(
        user=user, finished_at__isnull=True, requested_at__lt=timezone.now() - ABANDONED_AFTER
    ).delete()
    try:
        with transaction.atomic():
            job = DataExport.objects.create(user=user)
    except IntegrityError:
        raise ExportInProgress(
            _("Your data export is already being prepared. Please wait for it to finish.")
        ) from None

    if export.export_size(user) > settings.ACCOUNT_EXPORT_INLINE_ROWS:
        audit.record(action=AuditAction.EXPORT_QUEUED, user=user)
        outbox.record(key=export_email_key(job.pk), task=build_data_export, export_id=str(job.pk))
        return ExportResult(content=None, queued=job)

    try:
        content = export.build_zip(user, site_name=organisation_name())
    finally:
        # Finished (or failed): either way the next request may build again. Nothing is kept.
        job.delete()
    audit.record(
        action=AuditAction.EXPORT_DOWNLOADED,
        user=user,
        detail=_("%(kb)s KB, built at once") % {"kb": max(1, len(content) // 1024)},
    )
    return ExportResult(content=content, queued=None)


def finish_export(*, job: DataExport) -> DataExport:
    """Build a queued export into private storage (called by the background task)."""
    content = export.build_zip(job.user, site_name=organisation_name())
    job.file.save(f"{job.pk}.zip", ContentFile(content), save=False)
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "finished_at"])
    audit.record(
        action=AuditAction.EXPORT_READY,
        user=job.user,
        detail=_("%(kb)s KB, link emailed") % {"kb": max(1, len(content) // 1024)},
    )
    return job


def downloadable_export(*, user, export_id) -> DataExport | None:
    """The person's own finished export, while its link still works."""
    return DataExport.objects.filter(
        pk=export_id,
        user=user,
        finished_at__gte=timezone.now() - datetime.timedelta(days=DOWNLOAD_DAYS),
    ).first()

"""Background work: tasks take plain ids, re-fetch, and call the real code."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from core import emails, outbox
from core.languages import speaking_to
from core.links import absolute_url

from .models import DataExport


def export_email_key(export_id) -> str:
    return f"export-ready:{export_id}"


@task()
def build_data_export(export_id: str) -> None:
    """Build the export if it is not built yet, then email its link once. Both happen under
    the outbox's claim, so a second copy of this task (the repair sweep's) does not build
    again while the first is at work; if the worker dies mid-build, the claim is released
    after a while and the sweep's copy builds it."""
    from . import services  # the service enqueues this task (.importlinter says why)

    key = export_email_key(export_id)
    job = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if job is None:  # abandoned and cleared, or the account was closed: nothing owed
        outbox.skip(key)
        return
    outbox.send_once(key, lambda: _build_and_message(job, services))


def _build_and_message(job: DataExport, services):
    if job.finished_at is None:
        services.finish_export(job=job)
    with speaking_to(job.user):
        subject = _("Your data export is ready")
    return emails.build(
        to=job.user.email,
        recipient=job.user,
        subject=subject,
        template="accounts/email/export_ready",
        context={
            "user": job.user,
            "link": absolute_url(reverse("accounts:export_download", args=[job.pk])),
            "days": services.DOWNLOAD_DAYS,
        },
    )

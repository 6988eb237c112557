"""Background work: tasks take plain ids, re-fetch, and call the real code."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from core import emails
from core.languages import speaking_to
from core.links import absolute_url

from .models import DataExport


@task()
def build_data_export(export_id: str) -> None:
    from . import services  # the service enqueues this task (.importlinter says why)

    job = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if job is None or job.finished_at is not None:
        return
    services.finish_export(job=job)
    with speaking_to(job.user):
        subject = _("Your data export is ready")
    emails.send(
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

"""Work a state change owed that never happened because a process died: found from the
database alone, queued again. Called by the repair sweep (pdsite.repair); every task it
queues is idempotent, so queueing one that is merely slow does no harm."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .enums import CertificateStatus, CreditRequestStatus
from .models import Certificate, CreditRequest
from .tasks import issue_certificate_for_request, render_certificate_pdf


def approved_without_certificate(*, older_than: timedelta, now=None):
    """Approved requests whose certificate was never issued (and no rule stopped it: those
    carry the reason in issue_error and wait for a PD administrator)."""
    now = now or timezone.now()
    return CreditRequest.objects.filter(
        status=CreditRequestStatus.APPROVED,
        certificate__isnull=True,
        issue_error="",
        decided_at__lt=now - older_than,
    )


def certificates_without_pdf(*, older_than: timedelta, now=None):
    """Certificates still shown to someone (valid or superseded) with no stored PDF."""
    now = now or timezone.now()
    return Certificate.objects.filter(
        status__in=[CertificateStatus.VALID, CertificateStatus.SUPERSEDED],
        pdf="",
        issued_at__lt=now - older_than,
    )


def requeue_missing(*, older_than: timedelta, now=None) -> dict[str, int]:
    requests = list(
        approved_without_certificate(older_than=older_than, now=now).values_list("pk", flat=True)
    )
    for request_id in requests:
        issue_certificate_for_request.enqueue(request_id=request_id)
    certificates = [
        str(pk)
        for pk in certificates_without_pdf(older_than=older_than, now=now).values_list(
            "pk", flat=True
        )
    ]
    for certificate_id in certificates:
        render_certificate_pdf.enqueue(certificate_id=certificate_id)
    return {"certificates_issued_again": len(requests), "pdfs_rendered_again": len(certificates)}

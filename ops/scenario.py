"""Django-side steps of the fault and load scenarios, run in a child process by
ops.processes.django_call (every function takes and returns plain JSON values)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from certificates import services
from certificates.enums import CertificateStatus, CreditRequestStatus
from certificates.models import Certificate, CreditRequest
from core.models import OutgoingEmail
from modules.models import CoursePage, Enrollment
from pdsite import queues

BULK_DOMAIN = "bulk.example.org"
PASSWORD = "pd-load-2026"


def _course() -> CoursePage:
    return CoursePage.objects.live().order_by("pk").first()


def prepare_bulk(count: int) -> int:
    """`count` teachers who completed the starter course, their credit waiting for approval."""
    User = get_user_model()
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                email=f"teacher{n}@{BULK_DOMAIN}", full_name=f"Bulk Teacher {n}", password=password
            )
            for n in range(count)
        ]
    )
    course = _course()
    now = timezone.now()
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(user=user, course=course, completed_at=now) for user in users]
    )
    CreditRequest.objects.bulk_create([CreditRequest(enrollment=e) for e in enrollments])
    return CreditRequest.objects.filter(enrollment__user__email__endswith=BULK_DOMAIN).count()


def approve_bulk() -> int:
    """The PD administrator approves them all with one click (one transaction)."""
    admin = get_user_model().objects.get(email="admin@example.com")
    ids = list(
        CreditRequest.objects.filter(
            enrollment__user__email__endswith=BULK_DOMAIN, status=CreditRequestStatus.PENDING
        ).values_list("pk", flat=True)
    )
    return len(services.approve_credit_requests(request_ids=ids, decided_by=admin).changed)


def sent_emails() -> list[str]:
    """Message-IDs of every email the file backend wrote (one per message sent)."""
    found = []
    for path in Path(settings.EMAIL_FILE_PATH).glob("*.log"):
        found += re.findall(r"^Message-ID: (\S+)$", path.read_text(errors="replace"), re.M)
    return found


def bulk_status() -> dict:
    from certificates.tasks import issued_email_key
    from core.outbox import message_id

    certificates = Certificate.objects.filter(user__email__endswith=BULK_DOMAIN)
    valid = certificates.filter(status=CertificateStatus.VALID)
    with_pdf = [c for c in valid.exclude(pdf="") if c.pdf.storage.exists(c.pdf.name)]
    expected_ids = {message_id(issued_email_key(pk)) for pk in valid.values_list("pk", flat=True)}
    sent = [mid for mid in sent_emails() if mid in expected_ids]
    return {
        "approved": CreditRequest.objects.filter(
            enrollment__user__email__endswith=BULK_DOMAIN, status=CreditRequestStatus.APPROVED
        ).count(),
        "certificates": valid.count(),
        "duplicate_certificates": certificates.count() - valid.count(),
        "pdfs": len(with_pdf),
        "emails": len(set(sent)),
        "duplicate_emails": len(sent) - len(set(sent)),
        "emails_owed": OutgoingEmail.objects.filter(finished_at__isnull=True).count(),
        "tasks_stuck": queues.running_count(),
        "tasks_waiting": queues.ready_stats()["depth"],
    }

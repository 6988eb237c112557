"""Reads: a teacher's certificates and transcript, the approval queue, admin exports."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import issuer, pdf_signing, status_lists, verification
from .codes import normalise_code
from .enums import CertificateStatus, CreditRequestStatus
from .models import Certificate, CreditRequest


def certificates_for_user(*, user) -> QuerySet[Certificate]:
    """The teacher's valid certificates, newest first (the dashboard and transcript list)."""
    return Certificate.objects.filter(user=user, status=CertificateStatus.VALID).order_by(
        "-issued_at"
    )


def open_credit_requests_for_user(*, user) -> QuerySet[CreditRequest]:
    """Completions still waiting for approval, or declined (the teacher sees the reason)."""
    return (
        CreditRequest.objects.filter(
            enrollment__user=user,
            status__in=[CreditRequestStatus.PENDING, CreditRequestStatus.DECLINED],
        )
        .select_related("enrollment__course")
        .order_by("-requested_at")
    )


@dataclass
class CreditTotal:
    credit_type: str
    unit: str
    hours: Decimal = Decimal("0")
    count: int = 0


@dataclass
class Transcript:
    certificates: list[Certificate]
    totals: list[CreditTotal] = field(default_factory=list)


def transcript_for(*, user) -> Transcript:
    certificates = list(certificates_for_user(user=user))
    totals: OrderedDict[tuple[str, str], CreditTotal] = OrderedDict()
    for certificate in sorted(certificates, key=lambda c: (c.credit_type_name, c.credit_unit)):
        key = (certificate.credit_type_name, certificate.credit_unit)
        total = totals.setdefault(key, CreditTotal(credit_type=key[0], unit=key[1]))
        total.hours += certificate.hours
        total.count += 1
    return Transcript(certificates=certificates, totals=list(totals.values()))


def certificate_for_code(code: str) -> Certificate | None:
    normalised = normalise_code(code)
    if normalised is None:
        return None
    return (
        Certificate.objects.select_related("superseded_by", "supersedes")
        .filter(code=normalised)
        .first()
    )


def approval_queue() -> QuerySet[CreditRequest]:
    return CreditRequest.objects.filter(status=CreditRequestStatus.PENDING).select_related(
        "enrollment__user", "enrollment__course"
    )


def queue_filtered(
    *, course_id=None, cohort_id=None, date_from=None, date_to=None
) -> QuerySet[CreditRequest]:
    queryset = approval_queue().order_by("requested_at", "pk")
    if course_id:
        queryset = queryset.filter(enrollment__course_id=course_id)
    if cohort_id:
        queryset = queryset.filter(
            enrollment__user__in=get_user_model().objects.filter(
                cohort_memberships__cohort_id=cohort_id
            )
        )
    if date_from:
        queryset = queryset.filter(requested_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(requested_at__date__lte=date_to)
    return queryset


def certificates_filtered(
    *, course_id=None, status=None, date_from=None, date_to=None, query=""
) -> QuerySet[Certificate]:
    queryset = Certificate.objects.select_related("user", "issued_by").order_by("-issued_at")
    if course_id:
        queryset = queryset.filter(course_id=course_id)
    if status:
        queryset = queryset.filter(status=status)
    if date_from:
        queryset = queryset.filter(issued_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(issued_at__date__lte=date_to)
    if query:
        code = normalise_code(query)
        queryset = queryset.filter(
            Q(name_on_certificate__icontains=query)
            | Q(user__email__icontains=query)
            | Q(code=code or query.upper())
        )
    return queryset


@dataclass
class BatchProgress:
    issued: list[CreditRequest]
    waiting: list[CreditRequest]
    failed: list[CreditRequest]
    other: list[CreditRequest]


def batch_progress(*, request_ids) -> BatchProgress:
    """Where each request of an approve/decline click stands now (the admin's result page)."""
    progress = BatchProgress([], [], [], [])
    requests = CreditRequest.objects.filter(pk__in=request_ids).select_related(
        "enrollment__user", "enrollment__course", "certificate"
    )
    for credit_request in requests.order_by("pk"):
        if credit_request.status != CreditRequestStatus.APPROVED:
            progress.other.append(credit_request)
        elif credit_request.certificate_id:
            progress.issued.append(credit_request)
        elif credit_request.issue_error:
            progress.failed.append(credit_request)
        else:
            progress.waiting.append(credit_request)
    return progress


def verify_credential_bytes(raw: bytes) -> verification.Report:
    """/verify/'s check of an uploaded or pasted credential against our keys and our
    status list (the same bits /credentials/status/<n>/ serves)."""
    return verification.verify(
        raw,
        did_document=issuer.did_document(),
        check_status=status_lists.status_of,
        now=timezone.now(),
        pdf_signers=pdf_signing.signing_certificates(),
    )


def certificate_for_credential(report: verification.Report) -> Certificate | None:
    """Our certificate behind a credential whose signature checked out (its id is the
    certificate's verify URL), so the page can link the certificate's own verify page."""
    if not report.passed("proof"):
        return None
    code = urlsplit(report.summary["id"]).path.rstrip("/").rsplit("/", 1)[-1]
    return certificate_for_code(code)

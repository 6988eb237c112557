"""Reads: a teacher's certificates and transcript, the approval queue, admin exports."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

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

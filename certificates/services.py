"""The one place that issues, approves, declines, revokes, regenerates and re-issues PD credit.

Views, Wagtail admin actions, tasks and management commands call these functions; nobody
saves Certificate, CreditRequest or CertificateEvent rows directly. Issuing is idempotent and
safe under concurrency: the enrolment row is locked while we look for a valid certificate, and
the database refuses a second valid certificate for one enrolment whatever happens.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from core import outbox
from modules.course_state import course_state_changed
from modules.models import Enrollment

from . import issuer, openbadges, rendering, status_lists
from .codes import generate_code
from .enums import CertificateAction, CertificateStatus, CreditRequestStatus
from .models import Certificate, CertificateEvent, CreditRequest
from .tasks import (
    declined_email_key,
    issue_certificate_for_request,
    issued_email_key,
    render_certificate_pdf,
    send_certificate_issued_email,
    send_credit_declined_email,
)

logger = logging.getLogger(__name__)


class CertificateError(Exception):
    """A rule stopped the action; the message is safe to show the person who asked."""


def _record(*, action, actor, certificate=None, credit_request=None, note="") -> CertificateEvent:
    return CertificateEvent.objects.create(
        certificate=certificate,
        credit_request=credit_request,
        action=action,
        actor=actor,
        note=note,
    )


def _approvals_valid_on(course, day) -> list[dict]:
    approvals = course.approvals.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
    ).order_by("sort_order", "pk")
    return [
        {
            "agency": approval.agency,
            "approval_number": approval.approval_number,
            "valid_until": approval.valid_until.isoformat() if approval.valid_until else None,
        }
        for approval in approvals
    ]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until_for(credit_type, issued_on: datetime.date) -> datetime.date | None:
    """The last day credit of this type is current, or None when it does not expire."""
    if credit_type is None or not credit_type.validity_months:
        return None
    return add_months(issued_on, credit_type.validity_months) - datetime.timedelta(days=1)


def _unused_code() -> str:
    while True:
        code = generate_code()
        if not Certificate.objects.filter(code=code).exists():
            return code


def _sign_credential(certificate: Certificate) -> Certificate:
    """Give the certificate its status-list bit and its signed Open Badges credential.

    A key that cannot be read must not stop the teacher's certificate: the failure is
    logged and ensure_credential() signs when the credential is first asked for."""
    if certificate.status_list_index is None:
        certificate.status_list_index = status_lists.unused_index()
    try:
        signed = issuer.sign(openbadges.build_credential(certificate))
    except issuer.IssuerKeyError:
        logger.exception("Could not sign the credential of certificate %s", certificate.pk)
        signed = None
    certificate.credential_json = openbadges.dumps(signed) if signed else ""
    Certificate.objects.filter(pk=certificate.pk).update(
        status_list_index=certificate.status_list_index,
        credential_json=certificate.credential_json,
    )
    return certificate


def ensure_credential(*, certificate: Certificate) -> Certificate:
    """Sign now a certificate issued before credentials existed (or while the key was
    unreadable). Revoked or superseded ones keep what they had."""
    if certificate.credential_json or certificate.status != CertificateStatus.VALID:
        return certificate
    with transaction.atomic():
        locked = _locked(certificate)
        if not locked.credential_json and locked.status == CertificateStatus.VALID:
            _sign_credential(locked)
    return locked


def _after_issue(certificate: Certificate) -> None:
    pk = str(certificate.pk)
    transaction.on_commit(lambda: render_certificate_pdf.enqueue(certificate_id=pk))
    # The email is owed from the moment the certificate exists (same transaction), so a
    # worker dying before it is sent loses nothing: the repair sweep finds it.
    outbox.record(key=issued_email_key(pk), task=send_certificate_issued_email, certificate_id=pk)


@transaction.atomic
def issue_certificate(*, enrollment: Enrollment, issued_by=None) -> Certificate:
    """Issue (or return the already issued) certificate for a completed course.

    ``issued_by`` is None when the platform issues automatically on completion.
    """
    # Lock the enrolment: a second issuer waits here, then finds the first one's certificate.
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    existing = Certificate.objects.filter(
        enrollment=enrollment, status=CertificateStatus.VALID
    ).first()
    if existing is not None:
        return existing
    if enrollment.completed_at is None:
        raise CertificateError(_("The course is not complete yet."))
    course = enrollment.course
    user = enrollment.user
    if not user.full_name.strip():
        raise CertificateError(_("The teacher has no name to print on the certificate."))
    now = timezone.now()
    credit_type = course.credit_type
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                code=_unused_code(),
                user=user,
                course=course,
                enrollment=enrollment,
                name_on_certificate=user.full_name.strip(),
                course_title=course.title,
                hours=course.credit_hours,
                credit_type_name=credit_type.name if credit_type else "",
                credit_unit=credit_type.unit if credit_type else "",
                approvals=_approvals_valid_on(course, timezone.localdate(now)),
                completed_at=enrollment.completed_at,
                valid_until=valid_until_for(credit_type, timezone.localdate(now)),
                issued_at=now,
                issued_by=issued_by,
            )
    except IntegrityError:
        # Only reachable if another transaction slipped past the lock (e.g. SQLite
        # without row locks); the constraint kept the data right, return the winner.
        return Certificate.objects.get(enrollment=enrollment, status=CertificateStatus.VALID)
    _sign_credential(certificate)
    _record(action=CertificateAction.ISSUED, actor=issued_by, certificate=certificate)
    # Issuing by hand (bulk issue) settles a request still waiting in the queue.
    CreditRequest.objects.filter(enrollment=enrollment, status=CreditRequestStatus.PENDING).update(
        status=CreditRequestStatus.APPROVED, decided_by=issued_by, decided_at=now
    )
    CreditRequest.objects.filter(enrollment=enrollment).update(certificate=certificate)
    _after_issue(certificate)
    return certificate


# What else a completion needs before credit, answered by the layers above (followups:
# "the first follow-up is submitted"). Each hook takes the enrolment and returns a list of
# sentences for the teacher; empty means nothing is missing.
CREDIT_WAITS_FOR_HOOK = "pd_credit_waits_for"


def credit_waits_for(*, enrollment: Enrollment) -> list[str]:
    """What the teacher still has to do before the credit is requested (empty: nothing)."""
    return [
        reason
        for ask in hooks.get_hooks(CREDIT_WAITS_FOR_HOOK)
        for reason in ask(enrollment=enrollment)
    ]


@transaction.atomic
def request_credit(*, enrollment: Enrollment) -> CreditRequest | Certificate | None:
    """A course was completed: queue it for approval or issue the certificate at once.

    A completion already in the queue (or declined) stays with the PD administrator. A
    completion still waiting for something (credit_waits_for) gets nothing yet (None); the
    app it waits for calls this again when that is done.
    """
    existing = CreditRequest.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    if credit_waits_for(enrollment=enrollment):
        return None
    if enrollment.course.requires_approval:
        credit_request, _created = CreditRequest.objects.get_or_create(enrollment=enrollment)
        return credit_request
    return issue_certificate(enrollment=enrollment, issued_by=None)


@transaction.atomic
def queue_for_approval(*, enrollment: Enrollment) -> CreditRequest:
    """Put a completion in the approval queue whatever the course's setting (PD admins may
    want to check one completion by hand; the demo uses it too)."""
    credit_request, _created = CreditRequest.objects.get_or_create(enrollment=enrollment)
    return credit_request


def on_course_completed(sender, enrollment, **kwargs) -> None:
    """Receiver for modules.services.course_completed (connected in apps.ready).

    Runs after the completion is committed: a failure here must not turn the teacher's
    "Mark complete" into an error page. It is logged, and `manage.py issue_certificates`
    (or the approval queue) issues the credit later.
    """
    try:
        request_credit(enrollment=enrollment)
    except Exception:  # noqa: BLE001 - see docstring
        logger.exception("Could not request credit for enrollment %s", enrollment.pk)


def on_active_time_reached(sender, user_id, course_id, **kwargs) -> None:
    """Receiver for modules.seat_time.active_time_reached: a teacher who completed a course
    with a minimum active time worked a little more in it. If nothing else waits now, the
    credit is requested as on completion (request_credit asks credit_waits_for again)."""
    enrollment = (
        Enrollment.objects.filter(user_id=user_id, course_id=course_id, completed_at__isnull=False)
        .select_related("course")
        .first()
    )
    if enrollment is not None:
        on_course_completed(sender, enrollment)


@dataclass
class DecisionResult:
    """What a click on Approve or Decline did, for the admin's message."""

    changed: list[CreditRequest] = field(default_factory=list)
    skipped: list[CreditRequest] = field(default_factory=list)


@transaction.atomic
def approve_credit_requests(*, request_ids, decided_by) -> DecisionResult:
    """Approve pending (or previously declined) requests; certificates are issued by tasks.

    Pressing the button twice approves nothing twice: an approved request is skipped, and
    issuing is idempotent anyway.
    """
    result = DecisionResult()
    requests = CreditRequest.objects.select_for_update().filter(pk__in=list(request_ids))
    now = timezone.now()
    for credit_request in requests.order_by("pk"):
        if credit_request.status == CreditRequestStatus.APPROVED:
            result.skipped.append(credit_request)
            continue
        credit_request.status = CreditRequestStatus.APPROVED
        credit_request.decided_by = decided_by
        credit_request.decided_at = now
        credit_request.decline_reason = ""
        credit_request.issue_error = ""
        credit_request.save()
        _record(action=CertificateAction.APPROVED, actor=decided_by, credit_request=credit_request)
        result.changed.append(credit_request)
        pk = credit_request.pk
        transaction.on_commit(lambda pk=pk: issue_certificate_for_request.enqueue(request_id=pk))
    return result


def issue_for_approved_request(*, request_id: int) -> Certificate | None:
    """Issue the certificate for an approved request; record the reason when it fails."""
    credit_request = CreditRequest.objects.select_related("enrollment", "decided_by").get(
        pk=request_id
    )
    if credit_request.status != CreditRequestStatus.APPROVED:
        return None
    try:
        certificate = issue_certificate(
            enrollment=credit_request.enrollment, issued_by=credit_request.decided_by
        )
    except CertificateError as error:
        CreditRequest.objects.filter(pk=request_id).update(issue_error=str(error))
        return None
    CreditRequest.objects.filter(pk=request_id).update(certificate=certificate, issue_error="")
    return certificate


@transaction.atomic
def decline_credit_requests(*, request_ids, decided_by, reason: str) -> DecisionResult:
    """Decline pending requests with a reason the teacher sees (and is emailed).
    Requests already decided are skipped."""
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Give the teacher a reason for declining."))
    result = DecisionResult()
    requests = CreditRequest.objects.select_for_update().filter(pk__in=list(request_ids))
    now = timezone.now()
    for credit_request in requests.order_by("pk"):
        if credit_request.status != CreditRequestStatus.PENDING:
            result.skipped.append(credit_request)
            continue
        credit_request.status = CreditRequestStatus.DECLINED
        credit_request.decided_by = decided_by
        credit_request.decided_at = now
        credit_request.decline_reason = reason
        credit_request.save()
        _record(
            action=CertificateAction.DECLINED,
            actor=decided_by,
            credit_request=credit_request,
            note=reason,
        )
        result.changed.append(credit_request)
        outbox.record(
            key=declined_email_key(credit_request.pk),
            task=send_credit_declined_email,
            request_id=credit_request.pk,
        )
    return result


def _locked(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, revoked_by, reason: str) -> Certificate:
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Record why the certificate is revoked."))
    certificate = _locked(certificate)
    if certificate.status != CertificateStatus.VALID:
        raise CertificateError(_("Only a valid certificate can be revoked."))
    stored = certificate.pdf.name
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.pdf = ""
    certificate.save(update_fields=["status", "revoked_at", "revoked_reason", "pdf"])
    if certificate.course_id is not None:  # the course page shows the certificate's state
        course_state_changed(user_id=certificate.user_id, course_id=certificate.course_id)
    _record(
        action=CertificateAction.REVOKED, actor=revoked_by, certificate=certificate, note=reason
    )
    if stored:
        # A revoked certificate keeps no PDF anywhere. Deleted once the revocation is
        # committed: if it rolls back, the certificate is still valid and keeps the PDF it
        # was issued with (a re-render would pick up today's branding).
        storage = certificate.pdf.storage
        transaction.on_commit(lambda: storage.delete(stored), robust=True)
    return certificate


@transaction.atomic
def regenerate_pdf(*, certificate: Certificate, actor) -> Certificate:
    """Render the PDF again (after a template or branding fix): same code, same issue date."""
    certificate = _locked(certificate)
    _record(action=CertificateAction.REGENERATED, actor=actor, certificate=certificate)
    pk = str(certificate.pk)
    transaction.on_commit(lambda: render_certificate_pdf.enqueue(certificate_id=pk))
    return certificate


@transaction.atomic
def reissue_certificate(*, certificate: Certificate, reissued_by, note: str = "") -> Certificate:
    """A new certificate with a new code and the teacher's current name; the old one is
    superseded and links to the new. Course, hours, credit and approvals keep their snapshot."""
    if certificate.enrollment_id is not None:
        Enrollment.objects.select_for_update().filter(pk=certificate.enrollment_id).first()
    old = _locked(certificate)
    if old.status != CertificateStatus.VALID:
        raise CertificateError(_("Only a valid certificate can be re-issued."))
    if old.user_id is None:
        raise CertificateError(_("The holder closed their account: no one to re-issue to."))
    old.status = CertificateStatus.SUPERSEDED
    old.save(update_fields=["status"])
    new = Certificate.objects.create(
        code=_unused_code(),
        user=old.user,
        course=old.course,
        enrollment=old.enrollment,
        name_on_certificate=old.user.full_name.strip() or old.name_on_certificate,
        course_title=old.course_title,
        hours=old.hours,
        credit_type_name=old.credit_type_name,
        credit_unit=old.credit_unit,
        approvals=old.approvals,
        completed_at=old.completed_at,
        valid_until=old.valid_until,
        issued_at=timezone.now(),
        issued_by=reissued_by,
        supersedes=old,
    )
    _sign_credential(new)
    _record(
        action=CertificateAction.REISSUED,
        actor=reissued_by,
        certificate=old,
        note=note or _("Superseded by %(code)s") % {"code": new.code},
    )
    _record(
        action=CertificateAction.ISSUED,
        actor=reissued_by,
        certificate=new,
        note=_("Re-issue of %(code)s") % {"code": old.code},
    )
    _after_issue(new)
    return new


def store_pdf(*, certificate: Certificate, content: bytes) -> Certificate:
    """Save rendered bytes to the private certificate storage (under a random name, see
    certificates/storage.py) and point the certificate at them."""
    old_name = certificate.pdf.name
    certificate.pdf.save("certificate.pdf", ContentFile(content), save=False)
    # Not for a certificate revoked meanwhile (a render queued before the revocation): the
    # update waits for the revoking transaction's row lock, then matches nothing.
    stored = (
        Certificate.objects.filter(pk=certificate.pk)
        .exclude(status=CertificateStatus.REVOKED)
        .update(pdf=certificate.pdf.name)
    )
    if not stored:
        certificate.pdf.storage.delete(certificate.pdf.name)
        certificate.pdf = ""
        return certificate
    if old_name and old_name != certificate.pdf.name:
        certificate.pdf.storage.delete(old_name)
    return certificate


def ensure_pdf(*, certificate: Certificate) -> Certificate:
    """Render now if the background task has not stored the file yet."""
    if certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name):
        return certificate
    return store_pdf(certificate=certificate, content=rendering.render_certificate(certificate))


@dataclass
class BulkIssueResult:
    issued: list[Certificate] = field(default_factory=list)
    already: list[Certificate] = field(default_factory=list)
    failed: list[tuple[Enrollment, str]] = field(default_factory=list)


def bulk_issue(*, enrollments, issued_by) -> BulkIssueResult:
    """Issue for many completed enrolments; each in its own transaction, failures reported."""
    result = BulkIssueResult()
    for enrollment in enrollments:
        had = Certificate.objects.filter(
            enrollment=enrollment, status=CertificateStatus.VALID
        ).exists()
        try:
            certificate = issue_certificate(enrollment=enrollment, issued_by=issued_by)
        except CertificateError as error:
            result.failed.append((enrollment, str(error)))
            continue
        (result.already if had else result.issued).append(certificate)
    return result

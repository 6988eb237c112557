"""Background work: tasks take plain ids, re-fetch, and call the real code."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from core import emails, outbox
from core.languages import speaking_to
from core.links import absolute_url

from . import rendering
from .enums import CertificateStatus
from .models import Certificate, CreditRequest, RenewalReminder


@task()
def render_certificate_pdf(certificate_id: str) -> None:
    from . import services  # the service enqueues this task (.importlinter says why)

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.status == CertificateStatus.REVOKED:
        return
    services.store_pdf(certificate=certificate, content=rendering.render_certificate(certificate))


@task()
def issue_certificate_for_request(request_id: int) -> None:
    from . import services  # the service enqueues this task (.importlinter says why)

    services.issue_for_approved_request(request_id=request_id)


def issued_email_key(certificate_id) -> str:
    return f"certificate-issued:{certificate_id}"


def declined_email_key(request_id) -> str:
    return f"credit-declined:{request_id}"


@task()
def send_certificate_issued_email(certificate_id: str) -> None:
    """Sent once per certificate (core.outbox); not for one revoked or superseded meanwhile."""
    outbox.send_once(issued_email_key(certificate_id), lambda: _issued_message(certificate_id))


def _issued_message(certificate_id):
    certificate = Certificate.objects.select_related("user").filter(pk=certificate_id).first()
    if certificate is None or not certificate.is_valid:
        return None
    context = {
        "certificate": certificate,
        "download_url": absolute_url(certificate.get_absolute_url()),
        "verify_url": certificate.get_verify_url(),
        "dashboard_url": absolute_url(reverse("dashboard")),
        "transcript_url": absolute_url(reverse("certificates:transcript")),
    }
    with speaking_to(certificate.user):
        subject = _("Your certificate for %(course)s") % {"course": certificate.course_title}
    return emails.build(
        to=certificate.user.email,
        recipient=certificate.user,
        subject=subject,
        template="certificates/email/issued",
        context=context,
    )


@task()
def send_credit_declined_email(request_id: int) -> None:
    outbox.send_once(declined_email_key(request_id), lambda: _declined_message(request_id))


def _declined_message(request_id):
    credit_request = (
        CreditRequest.objects.select_related("enrollment__user", "enrollment__course")
        .filter(pk=request_id, status="declined")
        .first()
    )
    if credit_request is None:
        return None
    context = {
        "credit_request": credit_request,
        "transcript_url": absolute_url(reverse("certificates:transcript")),
    }
    with speaking_to(credit_request.enrollment.user):
        subject = _("PD credit for %(course)s was not approved") % {
            "course": credit_request.enrollment.course.title
        }
    return emails.build(
        to=credit_request.enrollment.user.email,
        recipient=credit_request.enrollment.user,
        subject=subject,
        template="certificates/email/declined",
        context=context,
    )


@task()
def send_renewal_email(reminder_id: int) -> None:
    reminder = (
        RenewalReminder.objects.select_related(
            "certificate__user", "certificate__course", "certificate__course__credit_type"
        )
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or not reminder.certificate.is_valid:
        return
    certificate = reminder.certificate
    course = certificate.course
    refresher = course.credit_type.refresher_course if course and course.credit_type else None
    renew_with = refresher or course
    context = {
        "certificate": certificate,
        "renew_with": renew_with,
        "renew_url": absolute_url(renew_with.url) if renew_with and renew_with.url else "",
        "is_refresher": refresher is not None,
        "verify_url": certificate.get_verify_url(),
    }
    with speaking_to(certificate.user):
        subject = _("Your PD credit for %(course)s expires on %(date)s") % {
            "course": certificate.course_title,
            "date": date_format(certificate.valid_until, "DATE_FORMAT"),
        }
    emails.send(
        to=certificate.user.email,
        recipient=certificate.user,
        subject=subject,
        template="certificates/email/renewal",
        context=context,
    )

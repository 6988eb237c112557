import io
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from certificates import services
from certificates.enums import CertificateAction, CertificateStatus, CreditRequestStatus
from certificates.models import Certificate, CertificateEvent, CreditRequest
from modules.services import course_completed
from tests import factories

pytestmark = pytest.mark.django_db


def test_issuing_snapshots_name_course_hours_credit_type_and_approvals(credit_course):
    teacher = factories.teacher(full_name="Maya Chen")
    admin = factories.pd_admin()
    certificate = factories.certificate(credit_course, user=teacher, issued_by=admin)
    assert certificate.name_on_certificate == "Maya Chen"
    assert certificate.course_title == credit_course.title
    assert certificate.hours == Decimal("6")
    assert (certificate.credit_type_name, certificate.credit_unit) == ("Clock hours", "hours")
    assert certificate.approvals == [
        {"agency": "Texas Education Agency", "approval_number": "TEA-902-114", "valid_until": None}
    ]
    assert certificate.issued_by == admin
    assert certificate.status == CertificateStatus.VALID
    assert str(certificate.pk) not in certificate.code


def test_the_snapshot_survives_later_changes_to_the_course_and_the_name(credit_course):
    teacher = factories.teacher(full_name="Maya Chen")
    certificate = factories.certificate(credit_course, user=teacher)
    credit_course.title = "Renamed course"
    credit_course.credit_hours = 1
    credit_course.save()
    teacher.full_name = "Maya Chen-Okafor"
    teacher.save()
    certificate.refresh_from_db()
    assert (certificate.course_title, certificate.hours) == ("Course equity", Decimal("6"))
    assert certificate.name_on_certificate == "Maya Chen"


def test_approvals_not_valid_on_the_day_of_issue_are_left_off(credit_course):
    import datetime

    from certificates.models import CourseApproval

    CourseApproval.objects.create(
        course=credit_course,
        agency="Expired board",
        approval_number="OLD-1",
        valid_until=datetime.date(2020, 1, 1),
    )
    certificate = factories.certificate(credit_course)
    assert [a["approval_number"] for a in certificate.approvals] == ["TEA-902-114"]


def test_issuing_twice_returns_the_same_certificate(credit_course):
    enrollment = factories.completed_enrollment(credit_course)
    first = services.issue_certificate(enrollment=enrollment, issued_by=None)
    second = services.issue_certificate(enrollment=enrollment, issued_by=None)
    assert first == second
    assert Certificate.objects.count() == 1
    assert CertificateEvent.objects.filter(action=CertificateAction.ISSUED).count() == 1


def test_the_database_refuses_a_second_valid_certificate_for_one_enrolment(credit_course):
    certificate = factories.certificate(credit_course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            code="AAAA-BBBB-CCCC-DDDD-EEEE",
            user=certificate.user,
            enrollment=certificate.enrollment,
            name_on_certificate="x",
            course_title="x",
            hours=1,
        )


def test_an_unfinished_course_earns_no_certificate(credit_course, teacher):
    from modules import services as progress

    enrollment = progress.enroll(user=teacher, course=credit_course)
    with pytest.raises(services.CertificateError):
        services.issue_certificate(enrollment=enrollment, issued_by=None)


def test_completing_a_course_without_approval_issues_and_emails_the_teacher(
    credit_course, teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = factories.completed_enrollment(credit_course, user=teacher)
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.issued_by is None
    assert certificate.pdf.name.endswith(".pdf")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [teacher.email]
    assert credit_course.title in message.subject
    assert certificate.code in message.body
    assert f"http://testserver/verify/{certificate.code}/" in message.body
    assert certificate.code in message.alternatives[0][0]


def test_completing_a_course_that_needs_approval_queues_it(
    approval_course, teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = factories.completed_enrollment(approval_course, user=teacher)
    assert CreditRequest.objects.get(enrollment=enrollment).status == CreditRequestStatus.PENDING
    assert not Certificate.objects.exists()
    assert mail.outbox == []


def test_the_completion_signal_is_idempotent(approval_course):
    enrollment = factories.completed_enrollment(approval_course)
    course_completed.send(sender=None, enrollment=enrollment)
    course_completed.send(sender=None, enrollment=enrollment)
    assert CreditRequest.objects.filter(enrollment=enrollment).count() == 1


def test_approving_issues_the_certificate_by_the_approver(
    approval_course, django_capture_on_commit_callbacks
):
    admin = factories.pd_admin()
    enrollment = factories.completed_enrollment(approval_course)
    services.request_credit(enrollment=enrollment)
    credit_request = CreditRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.approve_credit_requests(request_ids=[credit_request.pk], decided_by=admin)
    assert len(result.changed) == 1
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequestStatus.APPROVED
    assert credit_request.certificate.issued_by == admin
    assert list(credit_request.events.values_list("action", "actor")) == [("approved", admin.pk)]


def test_approving_twice_issues_nothing_twice(approval_course, django_capture_on_commit_callbacks):
    admin = factories.pd_admin()
    requests = []
    for _ in range(3):
        enrollment = factories.completed_enrollment(approval_course)
        requests.append(services.request_credit(enrollment=enrollment).pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.approve_credit_requests(request_ids=requests, decided_by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.approve_credit_requests(request_ids=requests, decided_by=admin)
    assert (len(first.changed), len(second.changed), len(second.skipped)) == (3, 0, 3)
    assert Certificate.objects.count() == 3


def test_a_failed_issue_after_approval_is_recorded_with_its_reason(
    approval_course, django_capture_on_commit_callbacks
):
    teacher = factories.teacher(full_name="Nameless")
    enrollment = factories.completed_enrollment(approval_course, user=teacher)
    credit_request = services.request_credit(enrollment=enrollment)
    teacher.full_name = ""
    teacher.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_credit_requests(
            request_ids=[credit_request.pk], decided_by=factories.pd_admin()
        )
    credit_request.refresh_from_db()
    assert credit_request.certificate is None
    assert credit_request.issue_error == "The teacher has no name to print on the certificate."


def test_declining_records_and_emails_a_reason_the_teacher_sees(
    approval_course, django_capture_on_commit_callbacks
):
    enrollment = factories.completed_enrollment(approval_course)
    credit_request = services.request_credit(enrollment=enrollment)
    admin = factories.pd_admin()
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_credit_requests(
            request_ids=[credit_request.pk], decided_by=admin, reason="Reflections were blank."
        )
    assert mail.outbox[0].to == [enrollment.user.email]
    assert "Reflections were blank." in mail.outbox[0].body
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequestStatus.DECLINED
    assert credit_request.decline_reason == "Reflections were blank."
    assert credit_request.events.get().action == CertificateAction.DECLINED
    with pytest.raises(services.CertificateError):
        services.decline_credit_requests(
            request_ids=[credit_request.pk], decided_by=admin, reason=" "
        )


def test_revoking_records_who_when_and_why(credit_course):
    admin = factories.pd_admin()
    certificate = factories.certificate(credit_course)
    services.revoke_certificate(certificate=certificate, revoked_by=admin, reason="Plagiarism")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_at is not None
    event = certificate.events.get(action=CertificateAction.REVOKED)
    assert (event.actor, event.note) == (admin, "Plagiarism")
    with pytest.raises(services.CertificateError):
        services.revoke_certificate(certificate=certificate, revoked_by=admin, reason="Again")


def test_reissuing_after_a_name_change_supersedes_the_old_certificate(credit_course):
    admin = factories.pd_admin()
    teacher = factories.teacher(full_name="Maya Chen")
    old = factories.certificate(credit_course, user=teacher)
    teacher.full_name = "Maya Chen-Okafor"
    teacher.save()
    new = services.reissue_certificate(certificate=old, reissued_by=admin)
    old.refresh_from_db()
    assert old.status == CertificateStatus.SUPERSEDED
    assert old.superseded_by == new
    assert new.supersedes == old
    assert new.name_on_certificate == "Maya Chen-Okafor"
    assert new.code != old.code
    assert (new.course_title, new.hours, new.completed_at) == (
        old.course_title,
        old.hours,
        old.completed_at,
    )
    assert list(old.events.values_list("action", flat=True)) == ["issued", "reissued"]
    assert new.events.get().actor == admin


def test_regenerating_keeps_the_code_and_issue_date(
    credit_course, django_capture_on_commit_callbacks
):
    certificate = factories.certificate(credit_course)
    code, issued_at = certificate.code, certificate.issued_at
    with django_capture_on_commit_callbacks(execute=True):
        services.regenerate_pdf(certificate=certificate, actor=factories.pd_admin())
    certificate.refresh_from_db()
    assert (certificate.code, certificate.issued_at) == (code, issued_at)
    assert certificate.pdf.name
    assert certificate.events.filter(action=CertificateAction.REGENERATED).count() == 1


def test_bulk_issue_of_200_completions_produces_exactly_200_certificates(credit_course):
    from modules.models import Enrollment

    users = [factories.teacher() for _ in range(200)]
    for user in users:
        factories.completed_enrollment(credit_course, user=user)
    enrollments = list(Enrollment.objects.filter(course=credit_course))
    result = services.bulk_issue(enrollments=enrollments, issued_by=None)
    again = services.bulk_issue(enrollments=enrollments, issued_by=None)
    assert (len(result.issued), len(result.failed)) == (200, 0)
    assert (len(again.issued), len(again.already)) == (0, 200)
    assert Certificate.objects.filter(status=CertificateStatus.VALID).count() == 200
    assert len(set(Certificate.objects.values_list("code", flat=True))) == 200


def test_the_bulk_issue_command_issues_each_completion_once(credit_course):
    from django.core.management import call_command

    for _ in range(3):
        factories.completed_enrollment(credit_course)
    out = io.StringIO()
    call_command("issue_certificates", stdout=out)
    call_command("issue_certificates", stdout=out)
    assert "Issued 3, already issued 0, failed 0." in out.getvalue()
    assert "Issued 0, already issued 0, failed 0." in out.getvalue()
    assert Certificate.objects.count() == 3


def test_a_credit_failure_never_breaks_completing_the_course(
    credit_course, django_capture_on_commit_callbacks, caplog
):
    teacher = factories.teacher(full_name=" ")
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = factories.completed_enrollment(credit_course, user=teacher)
    assert enrollment.completed_at is not None
    assert not Certificate.objects.exists()
    assert "Could not request credit" in caplog.text

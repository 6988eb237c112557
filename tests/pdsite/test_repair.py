"""The repair sweep: what a dead process left owed is done after it, exactly once.

"A process died" is played here by dropping the work queued after a commit (the
on-commit callbacks are captured and never run), which is what a worker or web process
killed between the commit and the enqueue leaves behind. tests/ops/test_faults.py kills
real worker processes with SIGKILL.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from certificates import services
from certificates.enums import CreditRequestStatus
from certificates.models import Certificate, CreditRequest
from core.models import OutgoingEmail
from pdsite import repair
from tests import factories
from tests.certificates import conftest as certificate_fixtures

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=5)
credit_course = certificate_fixtures.credit_course
approval_course = certificate_fixtures.approval_course


def sweep(capture, **kwargs):
    with capture(execute=True):
        return repair.sweep(now=timezone.now() + LATER, **kwargs)


def approved_but_lost(course, capture, n=1):
    """Approved requests whose queued issue task was lost with its process."""
    admin = factories.pd_admin()
    ids = []
    for _ in range(n):
        enrollment = factories.completed_enrollment(course)
        ids.append(services.queue_for_approval(enrollment=enrollment).pk)
    with capture(execute=False):
        services.approve_credit_requests(request_ids=ids, decided_by=admin)
    return ids


def test_an_approved_request_left_without_a_certificate_gets_one_pdf_and_one_email(
    approval_course, django_capture_on_commit_callbacks
):
    ids = approved_but_lost(approval_course, django_capture_on_commit_callbacks, n=2)
    assert not Certificate.objects.exists()

    counts = sweep(django_capture_on_commit_callbacks)

    assert counts["certificates_issued_again"] == 2
    certificates = Certificate.objects.all()
    assert certificates.count() == 2
    assert all(certificate.pdf for certificate in certificates)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.user.email for c in certificates)
    assert CreditRequest.objects.filter(pk__in=ids, certificate__isnull=False).count() == 2

    # A second sweep finds nothing owed and sends nothing again.
    again = sweep(django_capture_on_commit_callbacks)
    assert not any(again.values())
    assert len(mail.outbox) == 2


def test_a_certificate_whose_render_and_email_were_lost_gets_both_once(
    credit_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        certificate = factories.certificate(credit_course)
    assert not Certificate.objects.get().pdf
    assert OutgoingEmail.objects.get().finished_at is None  # owed, recorded with the issue

    counts = sweep(django_capture_on_commit_callbacks)

    assert counts["pdfs_rendered_again"] == 1
    assert counts["emails_queued_again"] == 1
    certificate.refresh_from_db()
    assert certificate.pdf.read().startswith(b"%PDF")
    assert [m.to for m in mail.outbox] == [[certificate.user.email]]
    assert OutgoingEmail.objects.get().outcome == OutgoingEmail.Outcome.SENT


def test_work_younger_than_the_grace_period_is_left_to_the_queue(
    approval_course, django_capture_on_commit_callbacks
):
    approved_but_lost(approval_course, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        counts = repair.sweep(older_than=timedelta(minutes=10))
    assert not any(counts.values())
    assert not Certificate.objects.exists()


def test_a_request_a_rule_stopped_waits_for_a_person_not_the_sweep(
    approval_course, django_capture_on_commit_callbacks
):
    ids = approved_but_lost(approval_course, django_capture_on_commit_callbacks)
    CreditRequest.objects.filter(pk__in=ids).update(issue_error="The teacher has no name.")
    assert sweep(django_capture_on_commit_callbacks)["certificates_issued_again"] == 0


def test_an_email_claimed_by_a_worker_that_died_is_sent_after_the_claim_times_out(
    approval_course, django_capture_on_commit_callbacks
):
    admin = factories.pd_admin()
    enrollment = factories.completed_enrollment(approval_course)
    request = services.queue_for_approval(enrollment=enrollment)
    with django_capture_on_commit_callbacks(execute=False):
        services.decline_credit_requests(
            request_ids=[request.pk], decided_by=admin, reason="Missing the module 3 reflection."
        )
    # The worker claimed it, then died before sending.
    OutgoingEmail.objects.update(claimed_at=timezone.now(), attempts=1)

    assert sweep(django_capture_on_commit_callbacks, stuck_after=timedelta(minutes=10)) == {
        "tasks_stuck_running": 0,
        "certificates_issued_again": 0,
        "pdfs_rendered_again": 0,
        "emails_queued_again": 0,
    }
    assert mail.outbox == []  # a live worker may still be sending: not yet

    sweep(django_capture_on_commit_callbacks, stuck_after=timedelta(minutes=1))
    assert [m.subject for m in mail.outbox] == [
        f"PD credit for {approval_course.title} was not approved"
    ]
    assert request.__class__.objects.get().status == CreditRequestStatus.DECLINED


def test_the_same_email_task_run_twice_sends_once_with_a_stable_message_id(
    credit_course, django_capture_on_commit_callbacks
):
    from certificates.tasks import send_certificate_issued_email

    with django_capture_on_commit_callbacks(execute=True):
        certificate = factories.certificate(credit_course)
    send_certificate_issued_email.enqueue(certificate_id=str(certificate.pk))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"].endswith("@testserver>")


def test_the_email_of_a_certificate_revoked_before_it_went_out_is_not_owed_any_more(
    credit_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        certificate = factories.certificate(credit_course)
    services.revoke_certificate(
        certificate=certificate, revoked_by=factories.pd_admin(), reason="Issued in error."
    )
    sweep(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().outcome == OutgoingEmail.Outcome.SKIPPED


def test_database_queue_tasks_left_running_by_a_dead_worker_are_ready_again(settings):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from certificates.tasks import render_certificate_pdf

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = render_certificate_pdf.enqueue(certificate_id="00000000-0000-0000-0000-000000000000")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=30)
    )
    fresh = render_certificate_pdf.enqueue(certificate_id="00000000-0000-0000-0000-000000000001")
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )

    assert repair.requeue_stuck_tasks(stuck_after=timedelta(minutes=10)) == 1
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=fresh.id).status == TaskResultStatus.RUNNING


def test_the_command_prints_what_it_queued(capsys):
    call_command("repair")
    assert capsys.readouterr().out.split() == [
        "tasks_stuck_running=0",
        "certificates_issued_again=0",
        "pdfs_rendered_again=0",
        "emails_queued_again=0",
    ]

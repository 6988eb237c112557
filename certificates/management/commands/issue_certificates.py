"""Bulk issue: certificates for every completed enrolment that should have one and does not.

By default: completions of courses that need no approval, and approved requests whose
certificate is missing (e.g. the worker was down). ``--include-pending`` also issues
completions still waiting in the approval queue (that counts as approving them).
Safe to run again: issuing is idempotent.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from certificates import services
from certificates.enums import CertificateStatus, CreditRequestStatus
from modules.models import CoursePage, Enrollment


class Command(BaseCommand):
    help = "Issue certificates for completed enrolments that have none."

    def add_arguments(self, parser):
        parser.add_argument("--course", help="Only this course (its slug).")
        parser.add_argument("--include-pending", action="store_true")
        parser.add_argument("--issued-by", help="Email of the PD administrator issuing.")

    def handle(self, *args, course=None, include_pending=False, issued_by=None, **options):
        from django.contrib.auth import get_user_model

        issuer = None
        if issued_by:
            issuer = get_user_model().objects.filter(email=issued_by.lower()).first()
            if issuer is None:
                raise CommandError(f"No user with the email {issued_by}.")
        enrollments = Enrollment.objects.filter(completed_at__isnull=False).exclude(
            certificates__status=CertificateStatus.VALID
        )
        if course:
            page = CoursePage.objects.filter(slug=course).first()
            if page is None:
                raise CommandError(f"No course with the slug {course}.")
            enrollments = enrollments.filter(course=page)
        allowed = Q(course__requires_approval=False) | Q(
            credit_request__status=CreditRequestStatus.APPROVED
        )
        if include_pending:
            allowed |= Q(credit_request__status=CreditRequestStatus.PENDING)
        enrollments = enrollments.filter(allowed).order_by("pk")
        result = services.bulk_issue(enrollments=list(enrollments), issued_by=issuer)
        self.stdout.write(
            f"Issued {len(result.issued)}, already issued {len(result.already)}, "
            f"failed {len(result.failed)}."
        )
        for enrollment, reason in result.failed:
            self.stdout.write(f"  failed: {enrollment}: {reason}")

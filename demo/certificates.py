"""PD credit: the starter course earns clock hours; the demo teacher holds its certificate
and one more completion (Priya Shah's) waits in the approval queue."""

from __future__ import annotations

from certificates import services as credit_services
from certificates.models import CourseApproval, CreditType
from core.models import Organisation
from modules.models import CoursePage, Enrollment

from .accounts import ensure_teacher
from .quizzes import take_course


def ensure_course_credit(course: CoursePage) -> CoursePage:
    look = Organisation.for_site(course.get_site())
    if not look.signatory_name:
        look.signatory_name = "Alex Morgan"
        look.signatory_title = "Director of Professional Learning"
        look.save()

    clock_hours, _created = CreditType.objects.get_or_create(
        name="Clock hours", defaults={"unit": "hours"}
    )
    if course.credit_type_id != clock_hours.pk or not course.approvals.exists():
        course.credit_type = clock_hours
        if not course.approvals.exists():
            course.approvals = [
                CourseApproval(
                    agency="Demo State Department of Education",
                    approval_number="PD-2026-0417",
                )
            ]
        course.save_revision().publish()
        course.refresh_from_db()
    return course


def ensure_grade_level_math_credit(course: CoursePage) -> CoursePage:
    """The short course earns a different credit type from the starter course, so the
    catalogue's credit-type filter tells them apart."""
    credit, _created = CreditType.objects.get_or_create(
        name="Continuing education credit", defaults={"unit": "hours"}
    )
    if course.credit_type_id != credit.pk:
        course.credit_type = credit
        course.save_revision().publish()
        course.refresh_from_db()
    return course


def seed_certificates(course: CoursePage, accounts: dict) -> None:
    course = ensure_course_credit(course)
    teacher = accounts["teacher@example.com"]
    credit_services.issue_certificate(
        enrollment=Enrollment.objects.get(user=teacher, course=course), issued_by=None
    )
    priya = ensure_teacher("priya@example.com", "Priya Shah")
    take_course(user=priya, course=course)  # the post self-assessment completes the course
    credit_services.queue_for_approval(enrollment=Enrollment.objects.get(user=priya, course=course))

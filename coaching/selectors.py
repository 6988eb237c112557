"""Reads for the coach's pages, exports and emails. Query counts here do not grow with the
number of teachers in a cohort or modules in a course (tests pin them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.utils import timezone

from core.roles import is_coach, is_pd_admin
from modules.models import CoursePage, Enrollment
from modules.selectors import (
    live_module_ids_of,
)
from quizzes.grading import REFLECTION
from quizzes.models import Answer

from .models import Assignment, Cohort, CohortMembership, Feedback, Invitation

# --- who sees what -------------------------------------------------------------------------


def cohorts_for_coach(user) -> QuerySet[Cohort]:
    """The cohorts a user may open under /coach/: their own; every cohort for PD admins."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    if is_pd_admin(user):
        return Cohort.objects.all()
    if is_coach(user):
        return Cohort.objects.filter(coaches=user)
    return Cohort.objects.none()


def teachers_for_coach(coach) -> QuerySet:
    """The users in the cohorts this coach may see (for PD admins: everyone in any cohort)."""
    member_ids = CohortMembership.objects.filter(cohort__in=cohorts_for_coach(coach)).values(
        "user_id"
    )
    return get_user_model().objects.filter(pk__in=member_ids)


def courses_visible_to_coach(coach, teacher) -> list[int]:
    """Ids of the courses whose answers by this teacher the coach may read: courses assigned
    to a cohort the coach sees that the teacher is in, or to the teacher in person."""
    cohorts = cohorts_for_coach(coach).filter(memberships__user=teacher)
    if not cohorts.exists():
        return []
    return list(
        Assignment.objects.filter(Q(cohort__in=cohorts) | Q(user=teacher))
        .values_list("course_id", flat=True)
        .distinct()
    )


def reflection_answers_for_coach(coach, teacher) -> QuerySet[Answer]:
    """A teacher's written reflections in the courses the coach assigned them (newest first)."""
    course_ids = courses_visible_to_coach(coach, teacher)
    if not course_ids:
        return Answer.objects.none()
    module_ids = live_module_ids_of(course_ids)
    return (
        Answer.objects.filter(attempt__user=teacher, question_type=REFLECTION)
        .filter(Q(attempt__course_id__in=course_ids) | Q(attempt__module_id__in=module_ids))
        .select_related("attempt", "attempt__module", "attempt__course")
        .order_by("-attempt__submitted_at", "pk")
    )


def feedback_for_answers(answer_ids) -> dict[int, list[Feedback]]:
    """Feedback (with its reply and coach) on these answers, keyed by answer id: one query.

    The reflections page calls this once for all the answers it shows and passes the dict to
    coaching/includes/answer_feedback.html as `feedback_by_answer`.
    """
    grouped: dict[int, list[Feedback]] = defaultdict(list)
    rows = (
        Feedback.objects.filter(answer_id__in=list(answer_ids))
        .select_related("coach", "reply", "reply__author")
        .order_by("created_at", "pk")
    )
    for feedback in rows:
        grouped[feedback.answer_id].append(feedback)
    return dict(grouped)


def cohort_summaries(user, *, archived: bool = False) -> QuerySet[Cohort]:
    """The coach's list: active cohorts, or (archived=True) the ones put away. Archived
    cohorts still open by their address (cohorts_for_coach), to be read or restored."""
    return (
        cohorts_for_coach(user)
        .filter(archived_at__isnull=not archived)
        .annotate(
            member_count=Count("memberships", distinct=True),
            assignment_count=Count("assignments", distinct=True),
        )
    )


# An assignment whose reminders still go out: set for one teacher, or for a cohort that is
# not archived. Reminders and the coach's digest both filter with it.
ACTIVE_ASSIGNMENT = Q(cohort__isnull=True) | Q(cohort__archived_at__isnull=True)


def open_invitations(cohort) -> QuerySet[Invitation]:
    return cohort.invitations.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


def cohort_members(cohort) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(cohort_memberships__cohort=cohort)
        .order_by("full_name", "email")
    )


# --- a teacher's cohorts, invitations and assignments (dashboard) -----------------------------


def invitations_for_teacher(user) -> list[Invitation]:
    """Open invitations to the user's confirmed addresses (an unconfirmed one is nobody's)."""
    addresses = EmailAddress.objects.filter(user=user, verified=True).values("email")
    return list(
        Invitation.objects.filter(
            email__in=addresses,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).select_related("cohort")
    )


def cohorts_of_teacher(user) -> QuerySet[Cohort]:
    return Cohort.objects.filter(memberships__user=user).prefetch_related("coaches")


@dataclass
class AssignedCourse:
    course: CoursePage
    due_on: date
    complete: bool
    overdue: bool


def assignments_for_teacher(user, *, today: date | None = None) -> list[AssignedCourse]:
    """The teacher's assigned courses, soonest due first (one per course; earliest due date
    wins when a course is set both for a cohort and in person). Two queries."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    rows = (
        Assignment.objects.filter(Q(user=user) | Q(cohort__memberships__user=user))
        .filter(course__live=True)
        .select_related("course")
        .order_by("due_on", "pk")
    )
    by_course: dict[int, Assignment] = {}
    for assignment in rows:
        by_course.setdefault(assignment.course_id, assignment)
    completed = set(
        Enrollment.objects.filter(
            user=user, course_id__in=by_course.keys(), completed_at__isnull=False
        ).values_list("course_id", flat=True)
    )
    result = []
    for assignment in by_course.values():
        complete = assignment.course_id in completed
        result.append(
            AssignedCourse(
                course=assignment.course,
                due_on=assignment.due_on,
                complete=complete,
                overdue=not complete and assignment.due_on < today,
            )
        )
    return result


# --- reminders --------------------------------------------------------------------------------


def assignment_targets(assignments) -> dict[int, list]:
    """For each assignment id, the teachers it applies to (cohort members, or the one user)
    who have not completed the course. Three queries for any number of assignments."""
    assignments = list(assignments)
    cohort_ids = {a.cohort_id for a in assignments if a.cohort_id}
    members_by_cohort: dict[int, list] = defaultdict(list)
    users = {}
    for membership in CohortMembership.objects.filter(cohort_id__in=cohort_ids).select_related(
        "user"
    ):
        members_by_cohort[membership.cohort_id].append(membership.user)
        users[membership.user_id] = membership.user
    for assignment in assignments:
        if assignment.user_id:
            users[assignment.user_id] = assignment.user
    completed = set(
        Enrollment.objects.filter(
            user_id__in=users.keys(),
            course_id__in={a.course_id for a in assignments},
            completed_at__isnull=False,
        ).values_list("user_id", "course_id")
    )
    result = {}
    for assignment in assignments:
        people = (
            members_by_cohort[assignment.cohort_id] if assignment.cohort_id else [assignment.user]
        )
        result[assignment.pk] = [
            user for user in people if (user.pk, assignment.course_id) not in completed
        ]
    return result


@dataclass
class OverdueTeacher:
    cohort: Cohort | None  # None: a course assigned to the teacher in person
    assignment: Assignment
    teacher: object


def overdue_for_coach(coach, *, today: date | None = None) -> list[OverdueTeacher]:
    """The teachers in this coach's own cohorts with an overdue, incomplete assignment (for
    their cohort or for them in person), for the weekly digest. Fixed number of queries."""
    today = today or timezone.localdate()
    own_cohorts = Cohort.objects.filter(coaches=coach, archived_at__isnull=True)
    own_members = CohortMembership.objects.filter(cohort__in=own_cohorts).values("user_id")
    assignments = list(
        Assignment.objects.filter(ACTIVE_ASSIGNMENT, due_on__lt=today, course__live=True)
        .filter(Q(cohort__in=own_cohorts) | Q(user_id__in=own_members))
        .select_related("cohort", "course", "user")
        .order_by("due_on", "pk")
    )
    targets = assignment_targets(assignments)
    return [
        OverdueTeacher(cohort=assignment.cohort, assignment=assignment, teacher=teacher)
        for assignment in assignments
        for teacher in sorted(targets[assignment.pk], key=lambda u: (u.full_name, u.email))
    ]


def accounts_by_address(emails) -> dict:
    """The accounts that confirmed these addresses, by address (lower case), in one query:
    an invitation to someone who already has an account is written in their language."""
    addresses = EmailAddress.objects.filter(
        email__in=[email.lower() for email in emails], verified=True
    ).select_related("user")
    return {address.email.lower(): address.user for address in addresses}

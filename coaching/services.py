"""Cohorts, members and assignments: every write about them.

Views, the CSV import, the Wagtail admin and the demo call these; nobody saves coaching
models directly. Each is idempotent: assigning the same course twice changes nothing more.
Invitations (the only way in) are in invitations.py, the CSV import in csv_import.py,
feedback in feedback.py and reminders in reminders.py.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import COACHES
from modules import services as progress_services
from modules.course_state import course_state_changed
from modules.enums import EnrollmentSource

from .models import (
    Assignment,
    Cohort,
    CohortMembership,
)


class CoachingError(Exception):
    """A rule stopped the action; the message is safe to show."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# --- the coach role -------------------------------------------------------------------------


@transaction.atomic
def set_coach(*, user, is_coach: bool, by) -> None:
    """Give or take away the Coaches role (a Django group). Cohorts they coach stay as they
    are; without the role they simply cannot open /coach/ nor get the weekly digest."""
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=COACHES)
    if is_coach:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    if hasattr(user, "_role_names"):
        del user._role_names


# --- cohorts and members ---------------------------------------------------------------------


@transaction.atomic
def create_cohort(*, coach, name: str, description: str = "", program: str = "") -> Cohort:
    cohort = Cohort(name=name.strip(), description=description.strip(), program=program.strip())
    cohort.full_clean()
    cohort.save()
    cohort.coaches.add(coach)
    return cohort


@transaction.atomic
def update_cohort(*, cohort: Cohort, name: str, description: str = "", program: str = "") -> Cohort:
    """Rename or re-describe a cohort (members, assignments and history stay)."""
    cohort.name = name.strip()
    cohort.description = description.strip()
    cohort.program = program.strip()
    cohort.full_clean()
    cohort.save(update_fields=["name", "description", "program"])
    return cohort


@transaction.atomic
def archive_cohort(*, cohort: Cohort) -> Cohort:
    """Put a finished cohort away: it leaves the coach's lists and its reminders stop
    (coaching.selectors.ACTIVE_COHORT_ASSIGNMENT); members and history stay. Idempotent."""
    if cohort.archived_at is None:
        cohort.archived_at = timezone.now()
        cohort.save(update_fields=["archived_at"])
    return cohort


@transaction.atomic
def restore_cohort(*, cohort: Cohort) -> Cohort:
    if cohort.archived_at is not None:
        cohort.archived_at = None
        cohort.save(update_fields=["archived_at"])
    return cohort


def may_delete_without_typing(cohort: Cohort) -> bool:
    """An empty cohort (no teachers in it) goes at once; otherwise the coach types its name."""
    return not cohort.memberships.exists()


@transaction.atomic
def delete_cohort(*, cohort: Cohort, confirm_name: str = "") -> None:
    """Delete a cohort with its assignments and invitations. The teachers' own enrolments,
    progress, reflections and certificates are theirs and stay."""
    if not may_delete_without_typing(cohort) and confirm_name.strip() != cohort.name:
        raise CoachingError(
            _("This cohort has teachers in it. Type its name exactly to delete it.")
        )
    cohort.delete()


@transaction.atomic
def remove_member(*, cohort: Cohort, user) -> None:
    """Take a teacher out of a cohort. Their enrolments and progress stay theirs."""
    CohortMembership.objects.filter(cohort=cohort, user=user).delete()


@transaction.atomic
def leave_cohort(*, cohort: Cohort, user) -> None:
    """The teacher withdraws their consent: the cohort's coaches stop seeing their work."""
    remove_member(cohort=cohort, user=user)


# --- assignments ----------------------------------------------------------------------------


@transaction.atomic
def assign_course(
    *, course, due_on: date, assigned_by, cohort: Cohort | None = None, user=None
) -> Assignment:
    """Assign a course to a cohort (every member) or to one teacher, and enrol them.

    Assigning again updates the due date and enrols anyone not yet enrolled.
    """
    if (cohort is None) == (user is None):
        raise CoachingError(_("Assign to a cohort or to one teacher."))
    if not course.live:
        raise CoachingError(_("This course is not published."))
    target = {"cohort": cohort} if cohort is not None else {"user": user}
    try:
        with transaction.atomic():
            assignment, created = Assignment.objects.get_or_create(
                course=course, **target, defaults={"due_on": due_on, "assigned_by": assigned_by}
            )
    except IntegrityError:
        assignment, created = Assignment.objects.get(course=course, **target), False
    if not created and assignment.due_on != due_on:
        assignment.due_on = due_on
        assignment.save(update_fields=["due_on"])
    people = (
        [user] if user is not None else [m.user for m in cohort.memberships.select_related("user")]
    )
    for person in people:
        progress_services.enroll(user=person, course=course, source=EnrollmentSource.ASSIGNED)
        course_state_changed(user_id=person.pk, course_id=course.pk)
    return assignment

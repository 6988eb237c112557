"""Every write about enrolment and progress goes through these functions.

Views, the quiz app, the coaching app and management commands call them; none
of them saves Enrollment or ModuleProgress directly. Each is idempotent: doing
it twice changes nothing (the database constraints make sure of it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from .course_state import course_state_changed
from .enums import EnrollmentSource
from .models import CoursePage, Enrollment, ModulePage, ModuleProgress
from .selectors import course_progress

# Sent once, when an enrolment first becomes complete. Certificates listen.
course_completed = Signal()


class ProgressError(Exception):
    """A rule stopped the action; the message is safe to show the teacher."""


def enroll(*, user, course: CoursePage, source: str = EnrollmentSource.SELF) -> Enrollment:
    if not course.live:
        raise ProgressError(_("This course is not open for enrolment."))
    try:
        with transaction.atomic():
            enrollment, _created = Enrollment.objects.get_or_create(
                user=user, course=course, defaults={"source": source}
            )
    except IntegrityError:  # a parallel request enrolled first: same outcome
        enrollment = Enrollment.objects.get(user=user, course=course)
    return enrollment


def _progress_row(*, user, module: ModulePage, course: CoursePage) -> ModuleProgress:
    try:
        with transaction.atomic():
            row, _created = ModuleProgress.objects.get_or_create(
                user=user, module=module, defaults={"course": course}
            )
    except IntegrityError:
        row = ModuleProgress.objects.get(user=user, module=module)
    return row


# "Continue" needs to know which module was opened last, not to the second: a teacher who
# reloads a page, or follows its links back and forth, writes at most once a minute per module.
VISIT_WRITE_INTERVAL = timedelta(minutes=1)


def record_module_visit(
    *, user, module: ModulePage, course: CoursePage, last_seen_at: datetime | None = None
) -> None:
    """Remember that the teacher opened a module (drives "Continue"). Never completes it.

    `last_seen_at`: when their progress row says they last opened it, if the caller knows
    (the module page has it from the course snapshot); within VISIT_WRITE_INTERVAL of it,
    nothing is written.
    """
    now = timezone.now()
    if last_seen_at is not None and now - last_seen_at < VISIT_WRITE_INTERVAL:
        return
    updated = ModuleProgress.objects.filter(user=user, module=module).update(last_seen_at=now)
    if updated:
        course_state_changed(user_id=user.pk, course_id=course.pk)
    else:
        _progress_row(user=user, module=module, course=course)


def module_access_blockers(*, user, module: ModulePage, course: CoursePage, progress=None):
    """Why the teacher cannot work on (read, answer the quiz of) this module yet."""
    if progress is None:
        progress = course_progress(user=user, course=course)
    if progress.enrollment is None:
        return [_("Enrol in the course first.")]
    status = progress.status_for(module)
    if status is None:
        return [_("This module is not part of the course.")]
    if status.locked and status.locked_reason == "pre_assessment":
        return [_("Take the course's opening self-assessment first.")]
    if status.locked:
        return [_("Finish the modules before this one first.")]
    return []


def completion_blockers(*, user, module: ModulePage, course: CoursePage) -> list[str]:
    """Why the teacher cannot complete this module by hand (empty when they can).

    The one place that decides whether a module may be marked complete by hand; a module
    with a quiz completes only through quizzes.services.submit_attempt passing it.
    """
    blockers = module_access_blockers(user=user, module=module, course=course)
    if not blockers and module.quiz_id is not None:
        blockers.append(_("This module completes when you pass its quiz."))
    return blockers


def self_assessment_blockers(*, user, course: CoursePage, kind: str, progress=None) -> list[str]:
    """Why the teacher cannot take the course's pre ("pre") or post ("post") self-assessment.

    Pre: once, after enrolling. Post: once, after every required module is complete.
    """
    if course.self_assessment_id is None:
        return [_("This course has no self-assessment.")]
    if progress is None:
        progress = course_progress(user=user, course=course)
    if progress.enrollment is None:
        return [_("Enrol in the course first.")]
    if kind == "pre":
        if progress.pre_attempt_id:
            return [_("You have already taken the opening self-assessment.")]
        return []
    if kind == "post":
        if progress.post_attempt_id:
            return [_("You have already taken the closing self-assessment.")]
        if not progress.post_assessment_open:
            return [_("The closing self-assessment opens when every required module is done.")]
        return []
    return [_("Unknown self-assessment.")]


@transaction.atomic
def complete_module(*, user, module: ModulePage) -> ModuleProgress:
    """Mark a module complete by hand (modules without a quiz)."""
    course = module.get_course()
    blockers = completion_blockers(user=user, module=module, course=course)
    if blockers:
        raise ProgressError(" ".join(blockers))
    return mark_module_complete(user=user, module=module, course=course)


def mark_module_complete(*, user, module: ModulePage, course: CoursePage) -> ModuleProgress:
    """Record completion (idempotent) and roll it up to the course."""
    row = _progress_row(user=user, module=module, course=course)
    if row.completed_at is None:
        ModuleProgress.objects.filter(pk=row.pk, completed_at__isnull=True).update(
            completed_at=timezone.now()
        )
        course_state_changed(user_id=user.pk, course_id=course.pk)
        row.refresh_from_db()
    refresh_course_completion(user=user, course=course)
    return row


def course_requirements_met(*, user, course: CoursePage) -> bool:
    """Every required module complete, then the post self-assessment if the course has one."""
    return course_progress(user=user, course=course).requirements_met


def refresh_course_completion(*, user, course: CoursePage) -> Enrollment | None:
    """Record the course as complete once every required module is done (once only)."""
    if not course_requirements_met(user=user, course=course):
        return None
    now = timezone.now()
    updated = Enrollment.objects.filter(user=user, course=course, completed_at__isnull=True).update(
        completed_at=now
    )
    if updated:
        course_state_changed(user_id=user.pk, course_id=course.pk)
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    if updated and enrollment is not None:
        transaction.on_commit(
            lambda: course_completed.send(sender=Enrollment, enrollment=enrollment)
        )
    return enrollment

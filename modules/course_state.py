"""A teacher's state in one course, cached as one snapshot per (teacher, course).

The snapshot is `selectors.course_progress` as it was last built: the enrolment (with the
self-assessment attempts), the live modules with their quizzes, the progress rows with the
latest attempt and draft, and the lock state derived from them. It is kept under two
versions (core.cache_versions):

- the teacher's own version for the course, which every service that writes enrolment,
  progress, attempts, drafts, assignments or certificates bumps (`course_state_changed`),
  with model receivers below as a net for saves and deletes outside the services;
- the content version (core.content_version), which any publish, unpublish, move, page
  save, or quiz edit bumps.

Pages read the snapshot; services that decide something (may this module be completed?)
read `course_progress` itself, fresh from the database, inside their transaction.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.cache_versions import bump_versions, versioned
from core.content_version import CONTENT_VERSION_KEY

from .models import CoursePage, Enrollment, ModulePage, ModuleProgress
from .selectors import CourseProgress, course_progress


def state_version_key(user_id: int, course_id: int) -> str:
    return f"modules:course-state-version:{user_id}:{course_id}"


def course_state_changed(*, user_id: int, course_id: int) -> None:
    """Every write about a teacher in a course calls this: the next page rebuilds."""
    bump_versions(state_version_key(user_id, course_id))


def cached_course_progress(*, user, course: CoursePage) -> CourseProgress:
    """`course_progress` from the teacher's snapshot (no query on a hit)."""
    if not user.is_authenticated:
        return course_progress(user=user, course=course)
    return versioned(
        f"modules:course-state:{user.pk}:{course.pk}",
        [state_version_key(user.pk, course.pk), CONTENT_VERSION_KEY],
        lambda: course_progress(user=user, course=course),
    )


def course_of(module: ModulePage) -> CoursePage:
    """The module's course (ModulePage.get_course), cached under the content version."""
    return versioned(f"modules:course-of:{module.pk}", [CONTENT_VERSION_KEY], module.get_course)


@receiver([post_save, post_delete], sender=Enrollment)
@receiver([post_save, post_delete], sender=ModuleProgress)
def _row_saved_or_deleted(sender, instance, **kwargs):
    course_state_changed(user_id=instance.user_id, course_id=instance.course_id)

"""Keep the cached page state honest about quizzes (docs/performance.md, "Cached state").

The teacher's course snapshot (modules.course_state) holds each module's quiz and the
latest attempt: editing a quiz bumps the content version, and an attempt saved or deleted
outside quizzes.services (the admin, an account closing) bumps the teacher's version.
Attempts, their answers and enrolments (whose self-assessments it charts) also show on
the teacher's /reflections/ (quizzes.reflections_state): they bump its version too.
"""

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.content_version import content_changed
from modules.course_state import course_state_changed
from modules.models import Enrollment

from .models import Answer, Attempt, Quiz
from .reflections_state import reflections_changed


@receiver([post_save, post_delete], sender=Quiz)
def _quiz_changed(sender, instance, **kwargs):
    content_changed()


@receiver([post_save, post_delete], sender=Attempt)
def _attempt_changed(sender, instance, **kwargs):
    if instance.course_id is not None:
        course_state_changed(user_id=instance.user_id, course_id=instance.course_id)
    reflections_changed(instance.user_id)


@receiver([post_save, post_delete], sender=Enrollment)
def _enrollment_changed(sender, instance, **kwargs):
    reflections_changed(instance.user_id)


@receiver([post_save, post_delete], sender=Answer)
def _answer_changed(sender, instance, origin=None, **kwargs):
    # Answers are written with their attempt (bulk_create, no signal): this catches an
    # answer saved or deleted on its own. Deleted with its attempt or its account (the
    # deletion's origin), the attempt's own receiver has bumped: no query per answer.
    if isinstance(origin, Model) and not isinstance(origin, Answer):
        return
    if Answer.attempt.is_cached(instance):
        reflections_changed(instance.attempt.user_id)
    else:
        reflections_changed(
            *Attempt.objects.filter(pk=instance.attempt_id).values_list("user_id", flat=True)
        )

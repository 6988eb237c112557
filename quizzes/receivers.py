"""Keep the cached page state honest about quizzes (docs/performance.md, "Cached state").

The teacher's course snapshot (modules.course_state) holds each module's quiz and the
latest attempt: editing a quiz bumps the content version, and an attempt saved or deleted
outside quizzes.services (the admin, an account closing) bumps the teacher's version.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.content_version import content_changed
from modules.course_state import course_state_changed

from .models import Attempt, Quiz


@receiver([post_save, post_delete], sender=Quiz)
def _quiz_changed(sender, instance, **kwargs):
    content_changed()


@receiver([post_save, post_delete], sender=Attempt)
def _attempt_changed(sender, instance, **kwargs):
    if instance.course_id is not None:
        course_state_changed(user_id=instance.user_id, course_id=instance.course_id)

"""Keep the teacher's cached /reflections/ honest about coaching (quizzes.reflections_state).

Beside each answer the page shows the coaches' feedback, with the coach's name, and the
teacher's reply. Saved or deleted through coaching.feedback or anywhere else (the admin,
an account closing), each bumps that teacher's version; so does a change of a coach's name
or a coach's account closing (her feedback then reads "Your coach").
"""

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from quizzes.models import Answer
from quizzes.reflections_state import reflections_changed

from .models import Feedback, FeedbackReply


def _teacher_of(feedback: Feedback) -> int | None:
    """Whose reflection the feedback is on: no query when the service loaded the answer."""
    if Feedback.answer.is_cached(feedback) and Answer.attempt.is_cached(feedback.answer):
        return feedback.answer.attempt.user_id
    return (
        Answer.objects.filter(pk=feedback.answer_id)
        .values_list("attempt__user_id", flat=True)
        .first()
    )


def _cascaded(origin, own_model) -> bool:
    # Deleted because its answer, attempt or account was: that deletion's receivers bumped.
    return isinstance(origin, Model) and not isinstance(origin, own_model)


@receiver([post_save, post_delete], sender=Feedback)
def _feedback_changed(sender, instance, origin=None, **kwargs):
    if not _cascaded(origin, Feedback):
        reflections_changed(_teacher_of(instance))


@receiver([post_save, post_delete], sender=FeedbackReply)
def _reply_changed(sender, instance, origin=None, **kwargs):
    if _cascaded(origin, FeedbackReply):
        return
    if FeedbackReply.feedback.is_cached(instance):
        reflections_changed(_teacher_of(instance.feedback))
    else:
        reflections_changed(
            *Feedback.objects.filter(pk=instance.feedback_id).values_list(
                "answer__attempt__user_id", flat=True
            )
        )


def _teachers_with_feedback_from(coach_id: int) -> list[int]:
    return list(
        Feedback.objects.filter(coach_id=coach_id)
        .values_list("answer__attempt__user_id", flat=True)
        .distinct()
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _person_saved(sender, instance, created, update_fields=None, **kwargs):
    # Names show beside feedback (the coach's) and replies (the teacher's own). Signing in
    # saves only last_login: no query then.
    if created or (update_fields is not None and "full_name" not in update_fields):
        return
    reflections_changed(instance.pk, *_teachers_with_feedback_from(instance.pk))


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def _person_deleted(sender, instance, **kwargs):
    # Before the deletion sets her feedback's coach to NULL (no signal), while it still
    # names her; bump_versions bumps again once the deletion commits.
    reflections_changed(instance.pk, *_teachers_with_feedback_from(instance.pk))

"""Coaches' feedback on reflections and the teacher's one reply."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.sanitise import clean_text

from .enums import FeedbackKind
from .models import (
    Feedback,
    FeedbackReply,
)
from .permissions import can_view_answer
from .services import CoachingError
from .tasks import send_feedback_email, send_reply_email

# --- feedback -------------------------------------------------------------------------------


MAX_FEEDBACK_CHARS = 5000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CoachingError(_("Write something first."))
    if len(body) > MAX_FEEDBACK_CHARS:
        raise CoachingError(_("Keep it under %(n)d characters.") % {"n": MAX_FEEDBACK_CHARS})
    return clean_text(body)


@transaction.atomic
def leave_feedback(*, coach, answer, kind: str, body: str) -> Feedback:
    if not can_view_answer(coach, answer):
        raise CoachingError(_("You can only comment on reflections of teachers you coach."))
    if kind not in FeedbackKind.values:
        raise CoachingError(_("Choose strength, suggestion or question."))
    feedback = Feedback.objects.create(
        answer=answer, coach=coach, kind=kind, body=_clean_body(body)
    )
    outbox.record(key=f"feedback:{feedback.pk}", task=send_feedback_email, feedback_id=feedback.pk)
    return feedback


def _own_feedback(coach, feedback: Feedback) -> None:
    """A coach changes only what they wrote, and only while they may still see the answer."""
    if feedback.coach_id != coach.pk or not can_view_answer(coach, feedback.answer):
        raise CoachingError(_("You can only change feedback you wrote."))


@transaction.atomic
def edit_feedback(*, coach, feedback: Feedback, kind: str, body: str) -> Feedback:
    """Change one's own feedback; the teacher sees it marked "edited" (no second email)."""
    _own_feedback(coach, feedback)
    if kind not in FeedbackKind.values:
        raise CoachingError(_("Choose strength, suggestion or question."))
    body = _clean_body(body)
    if (kind, body) != (feedback.kind, feedback.body):
        feedback.kind, feedback.body, feedback.edited_at = kind, body, timezone.now()
        feedback.save(update_fields=["kind", "body", "edited_at"])
    return feedback


@transaction.atomic
def delete_feedback(*, coach, feedback: Feedback) -> None:
    """Delete one's own feedback (and the teacher's reply to it)."""
    _own_feedback(coach, feedback)
    feedback.delete()


@transaction.atomic
def reply_to_feedback(*, author, feedback: Feedback, body: str) -> FeedbackReply:
    """The teacher who wrote the reflection may reply once."""
    if feedback.answer.attempt.user_id != author.pk:
        raise CoachingError(_("Only the teacher who wrote the reflection can reply."))
    if FeedbackReply.objects.filter(feedback=feedback).exists():
        raise CoachingError(_("You have already replied to this feedback."))
    try:
        with transaction.atomic():
            reply = FeedbackReply.objects.create(
                feedback=feedback, author=author, body=_clean_body(body)
            )
    except IntegrityError as error:  # a double click: the first reply stands
        raise CoachingError(_("You have already replied to this feedback.")) from error
    outbox.record(key=f"feedback-reply:{reply.pk}", task=send_reply_email, reply_id=reply.pk)
    return reply

"""Background work: the follow-up emails. Tasks take plain ids, re-fetch and send, each email
once through core.outbox (recorded with the state change that owes it, so the repair sweep
sends it again if a worker dies)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from core import emails, outbox
from core.languages import speaking_to
from core.links import absolute_url

from .models import FollowUp, FollowUpReview


def due_email_key(follow_up_id: int) -> str:
    return f"follow-up-due:{follow_up_id}"


def review_email_key(review) -> str:
    # Marking again replaces the review and emails the teacher again: one email per marking.
    return f"follow-up-review:{review.pk}:{review.reviewed_at:%Y%m%d%H%M%S%f}"


def _build(*, recipient, subject, template: str, context: dict):
    """`subject` is called in the recipient's language."""
    context = {**context, "email_settings_url": absolute_url(reverse("followups:email_settings"))}
    with speaking_to(recipient):
        subject = subject()
    return emails.build(
        to=recipient.email,
        subject=subject,
        template=f"followups/email/{template}",
        context=context,
        recipient=recipient,
    )


@task()
def send_follow_up_email(*, follow_up_id: int) -> None:
    outbox.send_once(due_email_key(follow_up_id), lambda: _due_message(follow_up_id))


def _due_message(follow_up_id: int):
    follow_up = FollowUp.objects.select_related("user", "course").filter(pk=follow_up_id).first()
    if follow_up is None or follow_up.submitted_at is not None:
        return None  # answered (or gone) before the email went: nothing owed
    return _build(
        recipient=follow_up.user,
        subject=lambda: (
            _("How did it go? A follow-up on %(course)s") % {"course": follow_up.course.title}
        ),
        template="due",
        context={
            "follow_up": follow_up,
            "teacher": follow_up.user,
            "follow_up_url": absolute_url(reverse("followups:answer", args=[follow_up.pk])),
        },
    )


@task()
def send_review_email(*, review_id: int, email_key: str) -> None:
    outbox.send_once(email_key, lambda: _review_message(review_id))


def _review_message(review_id: int):
    review = (
        FollowUpReview.objects.select_related("follow_up__user", "follow_up__course", "coach")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        return None
    follow_up = review.follow_up
    return _build(
        recipient=follow_up.user,
        subject=lambda: (
            _("Your coach read your follow-up on %(course)s") % {"course": follow_up.course.title}
        ),
        template="reviewed",
        context={
            "review": review,
            "follow_up_url": absolute_url(reverse("followups:answer", args=[follow_up.pk])),
        },
    )

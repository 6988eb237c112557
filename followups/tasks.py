"""Background work: the follow-up emails. Tasks take plain ids, re-fetch and send."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from core import emails
from core.languages import speaking_to
from core.links import absolute_url

from .models import FollowUp, FollowUpReview


def _send(*, recipient, subject, template: str, context: dict) -> None:
    """`subject` is called in the recipient's language."""
    context = {**context, "email_settings_url": absolute_url(reverse("followups:email_settings"))}
    with speaking_to(recipient):
        subject = subject()
    emails.send(
        to=recipient.email,
        subject=subject,
        template=f"followups/email/{template}",
        context=context,
        recipient=recipient,
    )


@task()
def send_follow_up_email(*, follow_up_id: int) -> None:
    follow_up = FollowUp.objects.select_related("user", "course").filter(pk=follow_up_id).first()
    if follow_up is None or follow_up.submitted_at is not None:
        return
    _send(
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
def send_review_email(*, review_id: int) -> None:
    review = (
        FollowUpReview.objects.select_related("follow_up__user", "follow_up__course", "coach")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        return
    follow_up = review.follow_up
    _send(
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

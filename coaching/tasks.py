"""Background work for coaching: emails and the daily reminder run. Tasks take plain ids,
re-fetch and call the real code (emails.py, services.py)."""

from __future__ import annotations

from django.core.mail import get_connection
from django.db.models import Count
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_tasks import task

from core import outbox
from core.languages import speaking_to
from core.links import absolute_url
from core.models import organisation_name

from . import emails
from .enums import ReminderKind
from .models import Feedback, FeedbackReply, Invitation, ReminderLog
from .permissions import can_use_coaching
from .selectors import accounts_by_address, overdue_for_coach

INVITATION_BATCH = 50
SHORT_TEXT = 80  # coach-chosen names in an invitation: short, plain, never a paragraph


def _short(text: str) -> str:
    return Truncator(" ".join((text or "").split())).chars(SHORT_TEXT)


def invitation_email_key(invitation_id: int, sends: int) -> str:
    """One email per send of an invitation (a resend is a new email with a new link)."""
    return f"invitation:{invitation_id}:{sends}"


@task()
def send_invitation_emails(*, invitation_ids: list[int]) -> None:
    """Invitation emails, sent over one mail connection in batches (a CSV import queues one
    task for up to 500). Invitations withdrawn or expired meanwhile are skipped; each email
    is claimed before sending and marked after (core.outbox)."""
    invitations = Invitation.objects.select_related("cohort", "invited_by").annotate(
        n_sends=Count("sends")
    )
    to_send = []
    for invitation in invitations.filter(pk__in=invitation_ids).order_by("pk"):
        key = invitation_email_key(invitation.pk, invitation.n_sends)
        outbox.skip_earlier(prefix=f"invitation:{invitation.pk}:", keep=key)
        if not invitation.is_usable:
            outbox.skip(key)
        elif outbox.claim(key):
            to_send.append((key, invitation))
    connection = get_connection()
    for start in range(0, len(to_send), INVITATION_BATCH):
        batch = to_send[start : start + INVITATION_BATCH]
        accounts = accounts_by_address([invitation.email for _key, invitation in batch])
        connection.send_messages(
            [
                outbox.stamp(
                    _invitation_message(invitation, accounts.get(invitation.email.lower())), key
                )
                for key, invitation in batch
            ]
        )
        for key, _invitation in batch:
            outbox.finish(key)


def _invitation_message(invitation, account=None):
    """In the language of the account that confirmed the address, if any; else the site's."""
    inviter = invitation.invited_by
    with speaking_to(account):
        subject = _("An invitation to join a cohort on %(site)s") % {"site": organisation_name()}
        your_coach = _("Your coach")
    return emails.build(
        to=invitation.email,
        recipient=account,
        subject=subject,
        template="invitation",
        context={
            "invitation": invitation,
            "cohort_name": _short(invitation.cohort.name),
            "inviter": _short(inviter.full_name or inviter.email) if inviter else your_coach,
            "accept_url": absolute_url(
                reverse("coaching:accept_invitation", args=[invitation.token])
            ),
        },
    )


@task()
def send_feedback_email(*, feedback_id: int) -> None:
    outbox.send_once(f"feedback:{feedback_id}", lambda: _feedback_message(feedback_id))


def _feedback_message(feedback_id):
    feedback = (
        Feedback.objects.select_related("answer__attempt__user", "coach")
        .filter(pk=feedback_id)
        .first()
    )
    if feedback is None:
        return None
    teacher = feedback.answer.attempt.user
    with speaking_to(teacher):
        subject = _("New feedback on your reflection")
    return emails.build(
        to=teacher.email,
        recipient=teacher,
        subject=subject,
        template="feedback",
        context={
            "feedback": feedback,
            "teacher": teacher,
            "feedback_url": absolute_url(reverse("reflections")),
        },
    )


@task()
def send_reply_email(*, reply_id: int) -> None:
    outbox.send_once(f"feedback-reply:{reply_id}", lambda: _reply_message(reply_id))


def _reply_message(reply_id):
    reply = (
        FeedbackReply.objects.select_related("feedback__coach", "author")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None or reply.feedback.coach is None:
        return None
    coach = reply.feedback.coach
    with speaking_to(coach):
        subject = _("%(name)s replied to your feedback") % {
            "name": reply.author.full_name or reply.author.email
        }
    return emails.build(
        to=coach.email,
        recipient=coach,
        subject=subject,
        template="reply",
        context={
            "reply": reply,
            "reflections_url": absolute_url(
                reverse("coaching:teacher_reflections", args=[reply.author_id])
            ),
        },
    )


def reminder_email_key(log_id: int) -> str:
    return f"reminder:{log_id}"


@task()
def send_reminder_email(*, log_id: int) -> None:
    outbox.send_once(reminder_email_key(log_id), lambda: _reminder_message(log_id))


def _reminder_message(log_id):
    log = ReminderLog.objects.select_related("user", "assignment__course").filter(pk=log_id).first()
    if log is None:
        return None
    with speaking_to(log.user):
        return _reminder_in_language(log)


def _reminder_in_language(log):
    context = {"user": log.user, "assignment": log.assignment, "today": log.sent_on}
    if log.kind == ReminderKind.DIGEST:
        if not (log.user.is_active and can_use_coaching(log.user)):
            return None  # no longer a coach since the run claimed it (the queue can lag)
        context["overdue"] = overdue_for_coach(log.user, today=log.sent_on)
        context["coach_url"] = absolute_url(reverse("coaching:cohort_list"))
        subject = _("Weekly digest: teachers with overdue courses")
    else:
        context["course_url"] = absolute_url(log.assignment.course.url or "/")
        if log.kind == ReminderKind.OVERDUE:
            subject = _("Overdue: %(course)s") % {"course": log.assignment.course.title}
        else:
            subject = _("Due soon: %(course)s") % {"course": log.assignment.course.title}
    return emails.build(
        to=log.user.email,
        recipient=log.user,
        subject=subject,
        template=f"reminder_{log.kind}",
        context=context,
    )

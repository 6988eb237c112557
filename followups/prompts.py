"""The "your follow-up is due" emails, run daily by `manage.py send_follow_ups`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core import outbox

from .models import FollowUp, FollowUpEmailPreference
from .services import schedule_missing_follow_ups
from .tasks import due_email_key, send_follow_up_email


def send_follow_up_prompts(*, today=None) -> int:
    """Email each teacher whose follow-up has fallen due, once per follow-up.

    Safe to run any number of times, even two runs at once: a follow-up's email is claimed
    by setting `prompted_on` with an update that matches only while it is still empty, so
    only one run wins it, and the email is recorded in the outbox in the same transaction,
    so a worker dying before it sends leaves it owed to the repair sweep. Teachers who turned
    these emails off are skipped (and not claimed: turning them back on later still sends
    the ones still unanswered).
    """
    today = today or timezone.localdate()
    schedule_missing_follow_ups()
    opted_out = FollowUpEmailPreference.objects.filter(emails_enabled=False).values("user_id")
    candidates = (
        FollowUp.objects.filter(
            due_on__lte=today,
            submitted_at__isnull=True,
            prompted_on__isnull=True,
            enrollment__completed_at__isnull=False,
            user__is_active=True,
            course__live=True,
        )
        .exclude(user_id__in=opted_out)
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            claimed = FollowUp.objects.filter(pk=pk, prompted_on__isnull=True).update(
                prompted_on=today
            )
            if claimed:
                outbox.record(key=due_email_key(pk), task=send_follow_up_email, follow_up_id=pk)
                sent += 1
    return sent

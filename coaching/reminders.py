"""Reminder emails: due soon, overdue, and the coach's weekly digest."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core import outbox
from core.roles import with_role_flags

from .enums import ReminderKind
from .models import (
    Assignment,
    ReminderLog,
    ReminderPreference,
)
from .permissions import can_use_coaching
from .selectors import ACTIVE_ASSIGNMENT, assignment_targets, overdue_for_coach
from .tasks import reminder_email_key, send_reminder_email

# --- reminders ------------------------------------------------------------------------------

DUE_SOON_DAYS = 3
REPEAT_EVERY_DAYS = 7


def set_reminders_enabled(*, user, enabled: bool) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"reminders_enabled": enabled}
    )
    return preference


def _claim(*, user, kind: str, today: date, assignment: Assignment | None = None) -> int | None:
    """Write the log row first; a second run the same day hits the unique constraint."""
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
                user=user, assignment=assignment, kind=kind, sent_on=today
            )
            # Owed from the same transaction: a run that dies before queueing loses nothing.
            outbox.record(
                key=reminder_email_key(log.pk),
                task=send_reminder_email,
                enqueue=False,
                log_id=log.pk,
            )
    except IntegrityError:
        return None
    return log.pk


def send_reminders(*, today: date | None = None) -> dict[str, int]:
    """Email teachers whose assignment is due within 3 days (once per assignment) or overdue
    (at most once a week), and give each coach a weekly digest of overdue teachers.

    Safe to run any number of times a day, even two runs at once: each reminder's log row is
    inserted before its email is queued, and the database refuses a second row for the same
    person, assignment, kind and day.
    """
    today = today or timezone.localdate()
    week_ago = today - timedelta(days=REPEAT_EVERY_DAYS)
    assignments = list(
        Assignment.objects.filter(
            ACTIVE_ASSIGNMENT, due_on__lte=today + timedelta(days=DUE_SOON_DAYS), course__live=True
        ).select_related("course", "user")
    )
    targets = assignment_targets(assignments)
    opted_out = set(
        ReminderPreference.objects.filter(reminders_enabled=False).values_list("user_id", flat=True)
    )
    earlier = set(
        ReminderLog.objects.filter(assignment__in=assignments)
        .filter(Q(kind=ReminderKind.DUE_SOON) | Q(sent_on__gt=week_ago))
        .values_list("user_id", "assignment_id", "kind")
    )
    counts = {ReminderKind.DUE_SOON: 0, ReminderKind.OVERDUE: 0, ReminderKind.DIGEST: 0}
    claimed: list[int] = []
    for assignment in assignments:
        kind = ReminderKind.OVERDUE if assignment.due_on < today else ReminderKind.DUE_SOON
        for user in targets[assignment.pk]:
            if user.pk in opted_out or (user.pk, assignment.pk, kind) in earlier:
                continue
            log_id = _claim(user=user, kind=kind, today=today, assignment=assignment)
            if log_id:
                claimed.append(log_id)
                counts[kind] += 1

    # A cohort keeps naming a coach whose role was taken away (set_coach leaves cohorts as
    # they are), and the digest lists teachers and due dates: it goes only to people who may
    # still open those cohorts under /coach/ (can_use_coaching: coaches and PD admins).
    coaches = with_role_flags(
        get_user_model().objects.filter(coached_cohorts__isnull=False, is_active=True).distinct()
    )
    recent_digests = set(
        ReminderLog.objects.filter(kind=ReminderKind.DIGEST, sent_on__gt=week_ago).values_list(
            "user_id", flat=True
        )
    )
    for coach in coaches:
        if not can_use_coaching(coach):
            continue
        if coach.pk in opted_out or coach.pk in recent_digests:
            continue
        if not overdue_for_coach(coach, today=today):
            continue
        log_id = _claim(user=coach, kind=ReminderKind.DIGEST, today=today)
        if log_id:
            claimed.append(log_id)
            counts[ReminderKind.DIGEST] += 1

    for log_id in claimed:
        send_reminder_email.enqueue(log_id=log_id)
    return {str(kind): n for kind, n in counts.items()}

"""Emails owed, recorded with the state change that owes them (the transactional outbox).

- `record()` runs inside the transaction that makes an email due (a certificate issued, a
  credit request declined, an invitation, a reminder): the row commits with the change or
  not at all, and the task is queued once it has committed.
- The task calls `send_once()`: it claims the row (one UPDATE, so two workers cannot both
  win), builds and sends the message, and marks it sent.
- The repair sweep (pdsite.repair) calls `requeue_owed()`: a claim older than `stuck_after`
  is released (its worker died), and the task of every row not finished is queued again.
  So every email goes out at least once after the sweep, and at most once unless a worker
  dies in the instant between the mail server accepting a message and the next UPDATE;
  even then the copy carries the same Message-ID, which mail clients use to fold
  duplicates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutgoingEmail


def record(*, key: str, task, enqueue: bool = True, **kwargs) -> None:
    """Call inside the transaction that makes the email due; queues `task(**kwargs)` after
    it commits (enqueue=False: the caller queues one task for a batch of rows itself).
    `task(**kwargs)` must send this email; recording the same key twice changes nothing."""
    OutgoingEmail.objects.get_or_create(
        key=key, defaults={"task_path": task.module_path, "task_kwargs": kwargs}
    )
    if enqueue:
        transaction.on_commit(lambda: task.enqueue(**kwargs))


def claim(key: str, *, now=None) -> bool:
    """True for the one caller that may send this email now."""
    now = now or timezone.now()
    taken = OutgoingEmail.objects.filter(
        key=key, claimed_at__isnull=True, finished_at__isnull=True
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    if taken:
        return True
    if OutgoingEmail.objects.filter(key=key).exists():
        return False
    # Queued by code that recorded nothing (or before the outbox existed): claim it now.
    try:
        with transaction.atomic():
            OutgoingEmail.objects.create(key=key, task_path="", claimed_at=now, attempts=1)
    except IntegrityError:
        return False
    return True


def finish(key: str, *, outcome: str = OutgoingEmail.Outcome.SENT) -> None:
    OutgoingEmail.objects.filter(key=key, finished_at__isnull=True).update(
        finished_at=timezone.now(), outcome=outcome
    )


def skip(key: str) -> None:
    """The email is not needed any more (the certificate was revoked, the invitation
    withdrawn): nothing to send, nothing owed."""
    finish(key, outcome=OutgoingEmail.Outcome.SKIPPED)


def skip_earlier(*, prefix: str, keep: str) -> None:
    """Earlier emails of a series that one being sent now replaces (an invitation sent again
    with a new link): not needed any more."""
    OutgoingEmail.objects.filter(key__startswith=prefix, finished_at__isnull=True).exclude(
        key=keep
    ).update(finished_at=timezone.now(), outcome=OutgoingEmail.Outcome.SKIPPED)


def message_id(key: str) -> str:
    """The same Message-ID for every attempt at one email."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
    return f"<{digest}@{host}>"


def stamp(message, key: str):
    message.extra_headers["Message-ID"] = message_id(key)
    return message


def send_once(key: str, build: Callable) -> bool:
    """Claim, build (None: not needed any more), send, mark. True if this call sent it."""
    if not claim(key):
        return False
    message = build()
    if message is None:
        skip(key)
        return False
    stamp(message, key).send()
    finish(key)
    return True


def owed(*, older_than: timedelta, now=None):
    """Unfinished, unclaimed emails recorded more than `older_than` ago: their task should
    have sent them by now."""
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(
        finished_at__isnull=True, claimed_at__isnull=True, created_at__lt=now - older_than
    )


def release_abandoned(*, stuck_after: timedelta, now=None) -> int:
    """Claims older than `stuck_after` belong to a worker that died before marking the email
    sent: release them so the task may claim again."""
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(
        finished_at__isnull=True, claimed_at__lt=now - stuck_after
    ).update(claimed_at=None)


def requeue_owed(*, older_than: timedelta, stuck_after: timedelta, now=None) -> int:
    """Queue again the task of every email owed; the claim keeps a duplicate task harmless."""
    release_abandoned(stuck_after=stuck_after, now=now)
    count = 0
    for row in owed(older_than=older_than, now=now).exclude(task_path="").order_by("pk"):
        import_string(row.task_path).enqueue(**row.task_kwargs)
        count += 1
    return count

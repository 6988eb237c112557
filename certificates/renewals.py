"""Renewal reminders: a teacher whose credit expires hears about it 60 and 14 days before.

Run daily (coaching's `manage.py send_reminders` calls send_renewal_reminders with the
other reminders). Each reminder's row is written before its email is queued and the
database refuses a second one, so running twice, or twice at once, sends nothing twice. A
certificate first seen inside the 14-day window gets only the 14-day reminder.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .enums import CertificateStatus
from .models import Certificate, RenewalReminder
from .tasks import send_renewal_email

REMINDER_DAYS = (60, 14)


def reminder_due(certificate: Certificate, today: date) -> int | None:
    """Which reminder (days before) is due today, if any: the nearest window we are in."""
    if certificate.valid_until is None or certificate.valid_until < today:
        return None
    days_left = (certificate.valid_until - today).days
    windows = [days for days in REMINDER_DAYS if days_left <= days]
    return min(windows) if windows else None


def send_renewal_reminders(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    certificates = Certificate.objects.filter(
        status=CertificateStatus.VALID,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=max(REMINDER_DAYS)),
    )
    sent = set(
        RenewalReminder.objects.filter(certificate__in=certificates).values_list(
            "certificate_id", "days_before"
        )
    )
    queued = 0
    for certificate in certificates:
        days = reminder_due(certificate, today)
        if days is None or (certificate.pk, days) in sent:
            continue
        try:
            with transaction.atomic():
                reminder = RenewalReminder.objects.create(
                    certificate=certificate, days_before=days, sent_on=today
                )
        except IntegrityError:
            continue  # another run got there first
        pk = reminder.pk
        transaction.on_commit(lambda pk=pk: send_renewal_email.enqueue(reminder_id=pk))
        queued += 1
    return queued

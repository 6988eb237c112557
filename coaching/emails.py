"""Coaching's emails: core.emails with the reminder-settings link every footer carries.
Called only from coaching/tasks.py (never from a request)."""

from __future__ import annotations

from django.urls import reverse

from core import emails
from core.links import absolute_url


def build(*, to: str, subject: str, template: str, context: dict, recipient=None):
    context = {
        **context,
        "reminder_settings_url": absolute_url(reverse("coaching:reminder_settings")),
    }
    return emails.build(
        to=to,
        subject=subject,
        template=f"coaching/email/{template}",
        context=context,
        recipient=recipient,
    )


def send(*, to: str, subject: str, template: str, context: dict, recipient=None) -> None:
    build(to=to, subject=subject, template=template, context=context, recipient=recipient).send()

"""Every coaching email: plain-text and HTML bodies from templates, sent by Django's mail API.
Called only from coaching/tasks.py (never from a request)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from core.links import absolute_url
from core.models import organisation_name


def absolute(path: str) -> str:
    return absolute_url(path)  # on BASE_URL, never on the request


def reminder_settings_url() -> str:
    return absolute(reverse("coaching:reminder_settings"))


def send(*, to: str, subject: str, template: str, context: dict) -> None:
    """Render coaching/email/<template>.txt and .html and send them as one message."""
    build(to=to, subject=subject, template=template, context=context).send()


def build(*, to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """The message send() sends; callers sending many at once pass these to one connection."""
    context = {
        **context,
        "organisation_name": organisation_name(),
        "reminder_settings_url": reminder_settings_url(),
    }
    text = render_to_string(f"coaching/email/{template}.txt", context)
    html = render_to_string(f"coaching/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    return message

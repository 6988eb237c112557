"""Sending email: every message has a plain-text body and an HTML alternative, rendered from
`<template>.txt` and `<template>.html`, with the organisation's name in the context and the
recipient's language (core.languages; the site's for an address with no account). Callers
build the subject inside `languages.speaking_to(recipient)` too. Called from tasks (never
from a request); links come from core.links."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .languages import speaking_to
from .models import organisation_name


def build(
    *, to: str, subject: str, template: str, context: dict, recipient=None
) -> EmailMultiAlternatives:
    """The message `send` sends; callers sending many at once pass these to one connection.
    `template` is a path without its extension, e.g. "certificates/email/issued"."""
    context = {**context, "organisation_name": organisation_name()}
    with speaking_to(recipient):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    return message


def send(*, to: str, subject: str, template: str, context: dict, recipient=None) -> None:
    build(to=to, subject=subject, template=template, context=context, recipient=recipient).send()

"""A person's interface language: the one they chose in the header's switcher, kept on their
account (`language` on the user), else the site's. Pages for people who have not chosen
follow the language cookie and the browser (Django's LocaleMiddleware); emails, written
where no browser is asking, follow this."""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def supported(code: str | None) -> str | None:
    """`code` if the interface speaks it, else None (a stale or forged choice)."""
    return code if code and code in dict(settings.LANGUAGES) else None


def language_of(user) -> str:
    """The language to write to `user` in: their saved choice, else the site's."""
    # The site's as one of LANGUAGES ("en", not "en-us"): what PDFs and emails declare.
    return supported(getattr(user, "language", None)) or translation.get_supported_language_variant(
        settings.LANGUAGE_CODE
    )


@contextmanager
def speaking_to(user):
    """Everything rendered inside (subject, body, PDF labels) is in `user`'s language;
    `user` may be None (an invitation to an address with no account yet)."""
    with translation.override(language_of(user)):
        yield


def remember_choice(*, user, language: str) -> None:
    """Save a signed-in person's choice so their next sign-in, anywhere, opens in it."""
    code = supported(language)
    if code and getattr(user, "language", None) != code:
        user.language = code
        user.save(update_fields=["language"])

"""Absolute links for what is read outside the site (emails, CSV exports, QR codes): always
on BASE_URL (settings.WAGTAILADMIN_BASE_URL), never on the request.

The client chooses the Host header, and Django accepts any port on an allowed host
("127.0.0.1:1337" passes ALLOWED_HOSTS = ["127.0.0.1"]), so a link built with
request.build_absolute_uri() can carry a reset key to someone else's server.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings

from .models import organisation_name


def absolute_url(path: str) -> str:
    """`/dashboard/` -> `https://pd.example.org/dashboard/`."""
    return urljoin(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/", path.lstrip("/"))


def on_base_url(url: str) -> str:
    """The same path, query and fragment, on BASE_URL (for a link some library built)."""
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))


@dataclass(frozen=True)
class EmailSite:
    """What allauth's email templates read as `current_site` (its name and domain)."""

    name: str
    domain: str


def email_site() -> EmailSite:
    """The organisation's name (core.models.Organisation) and BASE_URL's host."""
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
    return EmailSite(name=organisation_name(), domain=host)

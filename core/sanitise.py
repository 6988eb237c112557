"""The one sanitiser: everything a user types that is ever shown as HTML passes through here.

This is the only module in the project that imports bleach. bleach stopped receiving
releases in June 2026; keeping it behind these few functions means a future swap to
another sanitiser (nh3, justhtml, ...) is one file, guarded by the XSS corpus test in
tests/quizzes/test_sanitise.py.

How text flows:

* On the way in, call ``clean_text(text)``. It keeps every character the user typed
  (nothing is stripped, so "x < y" or "<3" survive as text), escapes it as HTML, and
  turns http(s) URLs and e-mail addresses into links with ``rel="nofollow noopener"``.
  The result is a small HTML fragment whose only possible element is ``<a href>``.
* On the way out, templates use ``{{ value|render_text }}`` (``{% load sanitise %}``):
  it runs the stored fragment through the allow-list again (so a row written by some
  other path cannot smuggle markup in), turns line breaks into ``<br>`` and marks the
  result safe. Never use ``|safe`` on user text.
* Where plain text is needed (CSV exports, e-mails), ``to_plain_text(stored)`` gives
  back exactly what the user typed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter, build_url_re
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

# bleach's default URL pattern also links data:, javascript-free but risky schemes
# (data:, ftp:, ...); only http and https are linked here (e-mails via parse_email).
_URL_RE = build_url_re(protocols=["http", "https"])
# Control characters other than tab and newline never belong in typed text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG_RE = re.compile(r"<[^>]*>")
# bleach's LinkifyFilter resolves character references in text ("&#106;" becomes "j"), which
# would change what the user typed. Ampersands travel through it as this private-use
# character (removed from input by normalise) and become "&amp;" afterwards.
_AMP = "\ue000"


class TextTooLong(ValueError):
    """The text is longer than the caller allows; the message is safe to show the user."""


def _safe_link(attrs: dict, new: bool = False) -> dict | None:
    """bleach linkify callback: keep only http/https/mailto links, always nofollow noopener."""
    href = attrs.get((None, "href"), "")
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme not in ALLOWED_PROTOCOLS:
        return None  # drop the link, keep its text
    attrs[(None, "rel")] = LINK_REL
    for key in [key for key in attrs if key not in {(None, "href"), (None, "rel"), "_text"}]:
        del attrs[key]
    return attrs


class _NofollowLinks(bleach.html5lib_shim.Filter):
    """Output side: every surviving <a> carries rel="nofollow noopener", whoever stored it."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"} and token["name"] == "a":
                token["data"] = {
                    key: value for key, value in token["data"].items() if key == (None, "href")
                }
                token["data"][(None, "rel")] = LINK_REL
            yield token


_linkify_filter = partial(
    LinkifyFilter, callbacks=[_safe_link], parse_email=True, url_re=_URL_RE, skip_tags={"pre"}
)
# Input cleaner: no tags allowed at all (the input is escaped first anyway), links added by
# the filter after sanitising, as bleach's docs recommend.
_input_cleaner = bleach.Cleaner(
    tags=frozenset(),
    attributes={},
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
    filters=[_linkify_filter],
)
# Output cleaner: the stored fragment may contain only the links clean_text made.
_output_cleaner = bleach.Cleaner(
    tags=frozenset({"a"}),
    attributes={"a": ["href", "rel"]},
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
    filters=[_NofollowLinks],
)


def normalise(text: str | None) -> str:
    """Unify line endings, drop control characters and outer whitespace."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", text).replace(_AMP, "").strip()


def clean_text(text: str | None, max_length: int | None = None) -> str:
    """Plain text in, safe HTML fragment out (escaped text plus nofollow links).

    ``max_length`` counts the characters the user typed (after normalising line endings
    and outer whitespace); longer text raises ``TextTooLong`` rather than being cut,
    because nothing a teacher typed should be silently lost. Validate in the form first.
    """
    text = normalise(text)
    if max_length is not None and len(text) > max_length:
        raise TextTooLong(
            _("Please keep this to %(max)d characters (it has %(count)d).")
            % {"max": max_length, "count": len(text)}
        )
    if not text:
        return ""
    escaped = html.escape(text.replace("&", _AMP), quote=False)
    return _input_cleaner.clean(escaped).replace(_AMP, "&amp;")


def render_text(stored: str | None) -> SafeString:
    """Stored clean_text output as HTML: allow-listed again, line breaks kept."""
    if not stored:
        return mark_safe("")
    cleaned = _output_cleaner.clean(stored)
    lines = cleaned.split("\n")
    return mark_safe("<br>\n".join(lines))  # noqa: S308 - bleach-cleaned just above


def to_plain_text(stored: str | None) -> str:
    """What the user typed, for plain-text places (CSV, e-mail bodies, word counts)."""
    if not stored:
        return ""
    return html.unescape(_TAG_RE.sub("", stored))


def clean_name(text: str | None) -> str:
    """A person's name as it will be printed on certificates: plain text (templates, PDFs and
    credentials escape it on the way out), one space between words, composed characters
    (NFC), and no invisible format characters: a right-to-left override or a zero-width
    space would make the printed name read differently from the stored one. Joiners that
    some scripts need between letters (U+200C, U+200D) are kept."""
    text = unicodedata.normalize("NFC", normalise(text))
    text = "".join(
        char
        for char in text
        if unicodedata.category(char) not in {"Cf", "Cc"} or char in "\u200c\u200d"
    )
    return " ".join(text.split())


def word_count(text: str | None) -> int:
    return len(normalise(text).split())

"""Rendered HTML that is kept in a cache must never carry a CSRF token: the token belongs to
one session, and signing in again rotates it, so a form from a cached fragment would be
refused. A fragment is rendered with a stand-in token and each request puts its own back.
Both sides are written by Django's own {% csrf_token %} tag, so the markup always matches.
"""

from django.middleware.csrf import get_token
from django.template import Context, Engine

_TOKEN_TAG = Engine().from_string("{% csrf_token %}")
STAND_IN = "csrf-token-of-the-request"
_STAND_IN_INPUT = _TOKEN_TAG.render(Context({"csrf_token": STAND_IN}))


def with_request_token(html: str, request) -> str:
    """A cached fragment with the request's own CSRF token in its forms."""
    if _STAND_IN_INPUT not in html:
        return html  # no form: the token is neither needed nor asked for
    return html.replace(
        _STAND_IN_INPUT, _TOKEN_TAG.render(Context({"csrf_token": get_token(request)}))
    )

"""Who must use a second factor, and whether this session has passed one.

PD administrators issue credit that counts toward licence renewal and pay; coaches read
teachers' reflections. A stolen password must not be enough for either, so both need a
second factor (allauth.mfa: an authenticator app or a security key, with recovery codes).
Teachers may turn one on from their account page.

"Passed" is recorded in the session when allauth reports a completed second-factor step
(sign-in, re-authentication) or when the person proves their new authenticator by typing
its code while setting it up. The record names the user, so it cannot carry over to
someone else signing in on the same browser.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from core.roles import is_coach, is_pd_admin

SESSION_KEY = "accounts_second_factor_user"
# Types that are a second factor on their own (recovery codes only back one up).
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def second_factor_required(user) -> bool:
    return is_coach(user) or is_pd_admin(user)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).exists()


def second_factor_prompt(user) -> str:
    """The URL name of the page that asks this person for their second factor: the code page
    for those with an authenticator app, the security-key page for those with only keys (the
    code page would offer them nothing but recovery codes)."""
    kinds = set(
        Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).values_list(
            "type", flat=True
        )
    )
    if kinds == {Authenticator.Type.WEBAUTHN}:
        return "mfa_reauthenticate_webauthn"
    return "mfa_reauthenticate"


def record_second_factor(session, user) -> None:
    session[SESSION_KEY] = str(user.pk)


def passed_second_factor(request) -> bool:
    return request.session.get(SESSION_KEY) == str(request.user.pk)


def give_totp_device(user, secret: str) -> Authenticator:
    """An authenticator app with this (base32) secret, unless the user already has one.
    For the demo accounts and tests; people set theirs up on the account page."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance

"""Coaches and PD administrators pass a second factor before any other page opens.

One without an authenticator is sent to set one up; one who has an authenticator but whose
session has not used it (signed in before the device was added, or promoted to coach while
signed in) is asked for a code, or for their security key if that is all they have. Only
their own account pages (allauth's, where the setup and sign-out live) and static files stay
open, so a page added later is covered by default.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .second_factor import (
    has_second_factor,
    passed_second_factor,
    second_factor_prompt,
    second_factor_required,
)

OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and second_factor_required(user)
            and not passed_second_factor(request)
        ):
            return self._send_to_second_factor(request, user)
        return self.get_response(request)

    def _send_to_second_factor(self, request, user):
        next_query = urlencode({"next": request.get_full_path()})
        if has_second_factor(user):
            return redirect(f"{reverse(second_factor_prompt(user))}?{next_query}")
        messages.info(
            request,
            _(
                "Coaches and PD administrators sign in with a second factor. Set up an "
                "authenticator app to continue."
            ),
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{next_query}")

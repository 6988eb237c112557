"""Record in the session that its user has just passed a second factor."""

from allauth.account.signals import authentication_step_completed
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver

from .second_factor import FACTOR_TYPES, record_second_factor


@receiver(authentication_step_completed)
def second_factor_step(sender, request, user, method, **kwargs):
    # allauth calls a completed code entry (at sign-in or re-authentication) method "mfa".
    if method == "mfa":
        record_second_factor(request.session, user)


@receiver(authenticator_added)
def new_authenticator_proven(sender, request, user, authenticator, **kwargs):
    # Setting up an authenticator app means typing a code it made: that proves the device.
    if authenticator.type in FACTOR_TYPES:
        record_second_factor(request.session, user)

"""A new teacher joins the cohorts they were invited to once their address is verified."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver

from .services import accept_invitations


@receiver(email_confirmed)
def join_invited_cohorts_on_confirmation(sender, request, email_address, **kwargs):
    accept_invitations(user=email_address.user, email=email_address.email)


@receiver(user_signed_up)
def join_invited_cohorts_on_verified_signup(sender, request, user, **kwargs):
    # Signing up from the invitation link verifies the address at once (the link proves it);
    # any other sign-up waits for email_confirmed above.
    for address in EmailAddress.objects.filter(user=user, verified=True):
        accept_invitations(user=user, email=address.email)

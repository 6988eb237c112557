"""New accounts start as teachers; a language chosen before signing in is kept."""

from allauth.account.signals import user_signed_up
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from core.languages import remember_choice
from core.roles import TEACHERS


@receiver(user_signed_up)
def add_new_user_to_teachers(sender, request, user, **kwargs):
    group, _ = Group.objects.get_or_create(name=TEACHERS)
    user.groups.add(group)


@receiver(user_logged_in)
def keep_the_language_chosen_before_signing_in(sender, request, user, **kwargs):
    """Someone who switched to Spanish on the sign-in page, and never chose before, keeps
    Spanish at their next sign-in elsewhere. An earlier saved choice is not overwritten."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request else None
    if cookie and not user.language:
        remember_choice(user=user, language=cookie)

"""New accounts start as teachers."""

from allauth.account.signals import user_signed_up
from django.contrib.auth.models import Group
from django.dispatch import receiver

from core.roles import TEACHERS


@receiver(user_signed_up)
def add_new_user_to_teachers(sender, request, user, **kwargs):
    group, _ = Group.objects.get_or_create(name=TEACHERS)
    user.groups.add(group)

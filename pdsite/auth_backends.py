"""Django's and allauth's sign-in backends, loading the session's user with their roles.

Every signed-in page asks whether the viewer is a coach or a PD administrator (the header
links). Reading the flags in the same query as the user saves a query on every page.
"""

from functools import cache

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends
from django.contrib.auth import get_user_model

from core.roles import with_role_flags


@cache
def _users_with_roles():
    # Built once per process: resolving the two subqueries cost more than running them.
    return with_role_flags(get_user_model()._default_manager.all())


class _UserWithRoles:
    def get_user(self, user_id):
        user = _users_with_roles().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserWithRoles, django_backends.ModelBackend):
    pass


class AuthenticationBackend(_UserWithRoles, allauth_backends.AuthenticationBackend):
    pass

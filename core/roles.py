"""The three roles are Django groups (created by a data migration). Ask here, not inline."""

from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef

TEACHERS = "Teachers"
COACHES = "Coaches"
PD_ADMINS = "PD Administrators"
ALL_ROLES = (TEACHERS, COACHES, PD_ADMINS)


def _group_names(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    # Cached on the user object: templates and views ask several times per request.
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return user._role_names


def with_role_flags(users):
    """Users annotated with whether they are a coach and a PD administrator. The sign-in
    backends load the session's user this way, so asking about their roles costs no query."""
    memberships = get_user_model().groups.through.objects.filter(user_id=OuterRef("pk"))
    return users.annotate(
        role_is_coach=Exists(memberships.filter(group__name=COACHES)),
        role_is_pd_admin=Exists(memberships.filter(group__name=PD_ADMINS)),
    )


def _in_role(user, name: str, flag: str) -> bool:
    if not user.is_authenticated:
        return False
    known = getattr(user, flag, None)
    return known if known is not None else name in _group_names(user)


def is_coach(user) -> bool:
    return _in_role(user, COACHES, "role_is_coach")


def is_pd_admin(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or _in_role(user, PD_ADMINS, "role_is_pd_admin")
    )


def pd_admin_required(view):
    """For views inside the Wagtail admin that only PD administrators may use (403 for the
    rest: the admin's own access check has already let them in as editors)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_pd_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped

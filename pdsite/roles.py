"""The three roles are Django groups (created by a data migration). Ask here, not inline."""

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


def is_coach(user) -> bool:
    return COACHES in _group_names(user)


def is_pd_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or PD_ADMINS in _group_names(user))

from core.roles import is_coach, is_pd_admin


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_coach": False, "is_pd_admin": False}
    return {
        "is_coach": lambda: is_coach(user),
        "is_pd_admin": lambda: is_pd_admin(user),
    }

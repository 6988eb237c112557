from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .selectors import second_factor_status, sessions_for


@never_cache
@login_required
def account_home(request):
    """The signed-in person's account: sign-in security, sessions, their data."""
    return render(
        request,
        "accounts/account_home.html",
        {
            "second_factor": second_factor_status(request.user),
            "sessions": sessions_for(request.user, current_key=request.session.session_key),
        },
    )


@require_POST
@login_required
def sign_out_everywhere(request):
    """End every session of this account, on every device, then this one."""
    for user_session in UserSession.objects.filter(user_id=request.user.pk):
        user_session.end()
    get_account_adapter(request).logout(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("account_login")

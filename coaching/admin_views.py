"""A small Wagtail admin screen where PD administrators make someone a coach (or not).

Superusers can also do this in Settings > Users > Roles; PD administrators have no user-editing
permission, so this screen is how they manage the role.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.roles import COACHES, pd_admin_required

from . import invitations as coaching_invitations
from . import services


class MakeCoachForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address of an existing account"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = coaching_invitations.user_with_verified_address(email)
        if user is None:
            # An unconfirmed address is nobody's yet: whoever registered it may not own it.
            raise forms.ValidationError(
                _("No account has confirmed this address yet. Ask them to confirm it first.")
            )
        self.user = user
        return email


@pd_admin_required
def coaches(request):
    form = MakeCoachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_coach(user=form.user, is_coach=True, by=request.user)
        messages.success(request, _("%(email)s is now a coach.") % {"email": form.user.email})
        return redirect("coaching_admin_coaches")
    people = get_user_model().objects.filter(groups__name=COACHES).order_by("full_name", "email")
    return render(
        request,
        "coaching/admin/coaches.html",
        {"form": form, "coaches": people, "header_title": _("Coaches"), "page_title": _("Coaches")},
    )


@pd_admin_required
@require_POST
def remove_coach(request, user_pk):
    user = get_object_or_404(get_user_model(), pk=user_pk)
    services.set_coach(user=user, is_coach=False, by=request.user)
    messages.success(request, _("%(email)s is no longer a coach.") % {"email": user.email})
    return redirect("coaching_admin_coaches")

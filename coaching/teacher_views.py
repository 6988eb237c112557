"""The teacher's side of coaching: the invitation (consent) page, leaving a cohort, replying
to feedback and reminder settings. Each acts only on the signed-in teacher's own things."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import feedback as coaching_feedback
from . import invitations as coaching_invitations
from . import reminders as coaching_reminders
from . import services
from .forms import (
    ReminderPreferenceForm,
    ReplyForm,
)
from .models import CohortMembership, Feedback, Invitation, ReminderPreference


@never_cache
def accept_invitation(request, token):
    """The link in the invitation email: the teacher's consent page.

    It names the coach and says what they will see; only the owner of the invited (and
    verified) address can accept or decline it, by a POST. The anonymous are offered sign-up
    (following the link proves the address, so allauth treats it as verified) or sign-in,
    and come back here. Nothing about the invitee is shown to anyone else.
    """
    from allauth.account.adapter import get_adapter

    invitation = (
        Invitation.objects.select_related("cohort", "invited_by").filter(token=token).first()
    )
    if invitation is None or not invitation.is_usable:
        return render(request, "coaching/invitation_closed.html", status=404)
    context = {
        "invitation": invitation,
        "coaches": invitation.cohort.coaches.order_by("full_name", "email"),
    }
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.path)
        here = urlencode({"next": request.path})
        context["login_url"] = f"{reverse('account_login')}?{here}"
        if not get_user_model().objects.filter(email__iexact=invitation.email).exists():
            get_adapter(request).stash_verified_email(request, invitation.email)
            email = urlencode({"email": invitation.email})
            context["signup_url"] = f"{reverse('account_signup')}?{email}&{here}"
        return render(request, "coaching/invitation.html", context)
    if not coaching_invitations.owns_verified_address(request.user, invitation.email):
        return render(request, "coaching/invitation_elsewhere.html", status=403)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "accept":
                coaching_invitations.accept_invitation(invitation=invitation, user=request.user)
                messages.success(
                    request,
                    _("You joined %(cohort)s. Your coach can now follow your progress.")
                    % {"cohort": invitation.cohort.name},
                )
            else:
                coaching_invitations.decline_invitation(invitation=invitation, user=request.user)
                messages.info(
                    request,
                    _("You declined the invitation to %(cohort)s. Nothing was shared.")
                    % {"cohort": invitation.cohort.name},
                )
        except services.CoachingError as error:
            messages.error(request, str(error))
        return redirect("dashboard")
    return render(request, "coaching/invitation.html", context)


@login_required
@require_POST
def leave_cohort(request, pk):
    """The teacher takes back their consent: the cohort's coaches stop seeing their work."""
    membership = get_object_or_404(
        CohortMembership.objects.select_related("cohort"), cohort_id=pk, user=request.user
    )
    services.leave_cohort(cohort=membership.cohort, user=request.user)
    messages.success(
        request,
        _("You left %(cohort)s. Its coaches no longer see your work.")
        % {"cohort": membership.cohort.name},
    )
    return redirect("dashboard")


@login_required
@require_POST
def reply_to_feedback(request, pk):
    feedback = get_object_or_404(
        Feedback.objects.select_related("answer__attempt"),
        pk=pk,
        answer__attempt__user=request.user,
    )
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            coaching_feedback.reply_to_feedback(
                author=request.user, feedback=feedback, body=form.cleaned_data["body"]
            )
        except services.CoachingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Reply sent to your coach."))
    else:
        messages.error(request, _("Write a reply of at most 5000 characters."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("reflections")
    return redirect(target)


@login_required
def reminder_settings(request):
    preference = ReminderPreference.objects.filter(user=request.user).first()
    enabled = preference.reminders_enabled if preference else True
    form = ReminderPreferenceForm(
        request.POST if request.method == "POST" else None, initial={"reminders_enabled": enabled}
    )
    if request.method == "POST" and form.is_valid():
        coaching_reminders.set_reminders_enabled(
            user=request.user, enabled=form.cleaned_data["reminders_enabled"]
        )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("coaching:reminder_settings")
    return render(request, "coaching/reminder_settings.html", {"form": form})

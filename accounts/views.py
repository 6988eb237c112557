from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import audit, closing, services
from .forms import CloseAccountForm, NameForm
from .models import AuditAction, DataExport
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
            # Single sign-on the site offers (none configured: no link to linked accounts).
            "sso_providers": get_social_adapter(request).list_providers(request),
        },
    )


@never_cache
@login_required
def change_name(request):
    """The signed-in person's name, as printed on the certificates issued from now on."""
    form = NameForm(
        request.POST if request.method == "POST" else None,
        initial={"full_name": request.user.full_name},
    )
    if request.method == "POST" and form.is_valid():
        if services.change_name(user=request.user, full_name=form.cleaned_data["full_name"]):
            messages.success(request, _("Your name is saved."))
        return redirect("accounts:home")
    return render(request, "accounts/change_name.html", {"form": form})


@require_POST
@login_required
def sign_out_everywhere(request):
    """End every session of this account, on every device, then this one."""
    for user_session in UserSession.objects.filter(user_id=request.user.pk):
        user_session.end()
    get_account_adapter(request).logout(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("account_login")


@never_cache
@login_required
def export_data(request):
    """GET: what the export holds. POST: the ZIP now, or a note that a link will be emailed."""
    status = 200
    if request.method == "POST":
        try:
            result = services.request_export(user=request.user)
        except services.ExportInProgress as error:
            messages.warning(request, str(error))
            status = 409
        else:
            if result.content is not None:
                return _zip_response(result.content)
            messages.success(
                request,
                _(
                    "You have a lot of data, so we are preparing it in the background. We "
                    "will email you a download link when it is ready."
                ),
            )
            return redirect("accounts:export")
    ready = DataExport.objects.filter(user=request.user, finished_at__isnull=False).order_by(
        "-finished_at"
    )[:3]
    return render(request, "accounts/export.html", {"ready": ready}, status=status)


@never_cache
@login_required
def export_download(request, pk):
    job = services.downloadable_export(user=request.user, export_id=pk)
    if job is None or not job.file:
        raise Http404
    with job.file.open("rb") as handle:
        content = handle.read()
    audit.record(
        action=AuditAction.EXPORT_DOWNLOADED, user=request.user, detail=_("from the emailed link")
    )
    return _zip_response(content)


def _zip_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    name = f"my-data-{timezone.localdate().isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@login_required
@reauthentication_required
def close_account(request):
    """Close the account for good, after the password (or code) was confirmed just now."""
    reasons = closing.reasons_not_to_close(request.user)
    form = CloseAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not reasons and form.is_valid():
        user = request.user
        get_account_adapter(request).logout(request)
        kept = closing.close_account(user=user)
        messages.success(
            request,
            ngettext(
                "Your account is closed and your data erased. Your certificate stays "
                "verifiable with the name printed on it.",
                "Your account is closed and your data erased. Your %(count)d certificates "
                "stay verifiable with the name printed on them.",
                len(kept),
            )
            % {"count": len(kept)}
            if kept
            else _("Your account is closed and your data erased."),
        )
        return redirect("/")
    return render(
        request,
        "accounts/close_account.html",
        {"form": form, "reasons": reasons},
        status=409 if request.method == "POST" and reasons else 200,
    )


class RemoveSecurityKeyView(RemoveWebAuthnView):
    """allauth's page for removing a security key, which (unlike its page for the authenticator
    app) does not ask the MFA adapter first: a coach or PD administrator keeps at least one
    second factor (accounts.adapters.MFAAdapter.can_delete_authenticator)."""

    def form_valid(self, form):
        if not get_mfa_adapter().can_delete_authenticator(self.get_object()):
            messages.error(
                self.request,
                _(
                    "Coaches and PD administrators keep a second factor. Add an authenticator "
                    "app or another security key before you remove this one."
                ),
            )
            return redirect("mfa_list_webauthn")
        return super().form_valid(form)


remove_security_key = RemoveSecurityKeyView.as_view()

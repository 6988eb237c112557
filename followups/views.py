"""The teacher's follow-up page and evidence downloads. Thin: read the form, call a
service, redirect (or re-show the page with what was typed and why it failed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from modules.models import ModulePage

from . import selectors, services
from .forms import EmailPreferenceForm, EvidenceUploadForm, answers_from_post
from .models import Evidence, FollowUpEmailPreference
from .permissions import can_view_evidence


def _own_follow_up(request, pk):
    """Only the teacher answers their follow-up; everyone else gets a 404 (coaches read it
    on their own pages)."""
    follow_up = selectors.follow_up_for_page(pk)
    if follow_up is None or follow_up.user_id != request.user.pk:
        raise Http404
    return follow_up


def _page(request, follow_up, *, typed=None, errors=None, upload_error="", status=200):
    blockers = services.answer_blockers(follow_up=follow_up)
    values = typed if typed is not None else (follow_up.draft or [])
    values = list(values) + [""] * len(follow_up.prompts)
    errors = errors or {}
    fields = [
        {
            "index": index,
            "prompt": prompt,
            "value": values[index],
            "error": errors.get(index, ""),
            "answer": (follow_up.answers[index] if index < len(follow_up.answers) else ""),
        }
        for index, prompt in enumerate(follow_up.prompts)
    ]
    context = {
        "follow_up": follow_up,
        "state": selectors.follow_up_state(follow_up),
        "fields": fields,
        "blockers": blockers,
        "evidence_error": errors.get(-1, ""),
        "upload_form": EvidenceUploadForm(),
        "upload_error": upload_error,
        "reviews": list(follow_up.reviews.all()),
        "evidence": list(follow_up.evidence.all()),
    }
    return render(request, "followups/follow_up.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    follow_up = _own_follow_up(request, pk)
    if request.method == "GET":
        return _page(request, follow_up)
    typed = answers_from_post(request.POST, len(follow_up.prompts))
    action = request.POST.get("action", "submit")
    try:
        upload = request.FILES.get("file")
    except RequestDataTooBig:  # past DATA_UPLOAD_MAX_MEMORY_SIZE: keep the text, say why
        upload = None
    try:
        if upload is not None:
            services.add_evidence(user=request.user, follow_up=follow_up, upload=upload)
        if action == "draft" or action == "upload":
            services.save_draft(user=request.user, follow_up=follow_up, answers=typed)
            messages.success(
                request,
                _("File added and draft saved.")
                if upload
                else _("Draft saved. Come back to it any time."),
            )
            return redirect(reverse("followups:answer", args=[follow_up.pk]))
        services.submit_follow_up(user=request.user, follow_up=follow_up, answers=typed)
    except services.FollowUpError as error:
        follow_up = selectors.follow_up_for_page(follow_up.pk)
        if services.answer_blockers(follow_up=follow_up):  # submitted meanwhile, not open
            messages.error(request, str(error))
            return redirect(reverse("followups:answer", args=[follow_up.pk]))
        # Keep what they typed: saved as a draft too, so a closed tab loses nothing.
        try:
            services.save_draft(user=request.user, follow_up=follow_up, answers=typed)
        except services.FollowUpError:
            pass
        if error.errors:
            messages.error(request, str(error))
            return _page(request, follow_up, typed=typed, errors=error.errors, status=400)
        return _page(request, follow_up, typed=typed, upload_error=str(error), status=400)
    messages.success(
        request, _("Thank you. Your follow-up is submitted; your coach can read it now.")
    )
    return redirect(reverse("followups:answer", args=[follow_up.pk]))


@login_required
@require_POST
def remove_evidence(request, pk):
    evidence = Evidence.objects.select_related("follow_up", "module").filter(pk=pk).first()
    if evidence is None or evidence.user_id != request.user.pk:
        raise Http404
    try:
        services.remove_evidence(user=request.user, evidence=evidence)
    except services.FollowUpError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("File removed."))
    if evidence.module_id is not None:
        return redirect(evidence.module.url + "#evidence-heading")
    return redirect(reverse("followups:answer", args=[evidence.follow_up_id]))


@login_required
@require_POST
def add_module_evidence(request, module_id):
    """A file for a module's practice task. 404 unless the module is live, its practice
    asks for evidence and the teacher is enrolled (only she sees the form: anything else
    is a forged post)."""
    module = ModulePage.objects.live().filter(pk=module_id).defer("body").first()
    if module is None or services.module_evidence_blockers(user=request.user, module=module):
        raise Http404
    try:
        upload = request.FILES.get("file")
        if upload is None:
            raise services.FollowUpError(_("Choose a file first."))
        services.add_module_evidence(user=request.user, module=module, upload=upload)
    except RequestDataTooBig:  # past DATA_UPLOAD_MAX_MEMORY_SIZE
        messages.error(request, _("That file is larger than 10 MB. Try a smaller photo or a PDF."))
    except services.FollowUpError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("File added."))
    return redirect(module.url + "#evidence-heading")


@require_GET
@never_cache
def evidence_file(request, pk):
    """The file, for its owner, their coach and PD admins; 404 for everyone else, as for a
    file that does not exist. Always a download (never shown inline), and the browser is
    told not to guess its type."""
    evidence = Evidence.objects.select_related("user").filter(pk=pk).first()
    if evidence is None or not can_view_evidence(request.user, evidence):
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request):
    preference = FollowUpEmailPreference.objects.filter(user=request.user).first()
    form = EmailPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"emails_enabled": preference.emails_enabled if preference else True},
    )
    if request.method == "POST" and form.is_valid():
        services.set_follow_up_emails(
            user=request.user, enabled=form.cleaned_data["emails_enabled"]
        )
        messages.success(request, _("Your follow-up email setting is saved."))
        return redirect("followups:email_settings")
    return render(request, "followups/email_settings.html", {"form": form})

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core import csv_export

from . import badges, issuer, ratelimit, rendering, selectors, services, status_lists, verification
from .codes import normalise_code
from .forms import CredentialForm, VerifyForm
from .models import Certificate
from .permissions import can_view_certificate

VERIFY_RATE = getattr(settings, "CERTIFICATE_VERIFY_RATE", (30, 600))  # requests, seconds


@require_GET
@never_cache
def certificate_pdf(request, pk):
    """The PDF for its owner, their coach and PD admins; 404 for everyone else, as for a
    certificate that does not exist."""
    certificate = Certificate.objects.filter(pk=pk).select_related("user").first()
    if certificate is None or not can_view_certificate(request.user, certificate):
        raise Http404
    certificate = services.ensure_pdf(certificate=certificate)
    if not certificate.pdf:  # revoked while it was being rendered
        raise Http404
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"certificate-{certificate.code}.pdf",
    )
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _signed_certificate(request, pk) -> Certificate:
    """The certificate, signed, for whoever may see its PDF; 404 for everyone else."""
    certificate = Certificate.objects.filter(pk=pk).select_related("user", "course").first()
    if certificate is None or not can_view_certificate(request.user, certificate):
        raise Http404
    certificate = services.ensure_credential(certificate=certificate)
    if not certificate.credential_json:
        raise Http404
    return certificate


@require_GET
@never_cache
def credential_json(request, pk):
    """The signed Open Badges 3.0 credential, for whoever may see the certificate's PDF."""
    certificate = _signed_certificate(request, pk)
    response = HttpResponse(certificate.credential_json, content_type="application/ld+json")
    response["Content-Disposition"] = f'attachment; filename="credential-{certificate.code}.json"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@never_cache
def credential_badge(request, pk):
    """The badge image with the signed credential baked in, for wallets and backpacks."""
    certificate = _signed_certificate(request, pk)
    response = HttpResponse(badges.baked_badge(certificate), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="badge-{certificate.code}.png"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@cache_control(max_age=300, public=True)
def did_json(request):
    """The issuer's DID document: every key our credentials may be signed with."""
    return JsonResponse(issuer.did_document(), content_type="application/did+json")


@require_GET
@never_cache
def status_list(request, number):
    """The signed revocation list; no names in it, only bits."""
    if number < 1 or not status_lists.list_in_use(number):
        raise Http404
    return HttpResponse(
        status_lists.status_list_credential(number), content_type="application/vc+ld+json"
    )


def _noindex(response):
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _rate_limited(request):
    limit, window = VERIFY_RATE
    if ratelimit.hit(request, scope="verify", limit=limit, window=window):
        return None
    response = render(request, "certificates/verify_rate_limited.html", status=429)
    response.headers["Retry-After"] = str(window)
    return _noindex(response)


@require_http_methods(["GET", "POST"])
@never_cache
def verify_form(request):
    """Check a code (GET), or a credential file, badge image or pasted JSON (POST)."""
    if request.method == "POST":
        return verify_credential(request)
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    context = {"form": form, "credential_form": CredentialForm()}
    return _noindex(render(request, "certificates/verify_form.html", context))


def verify_credential(request):
    limited = _rate_limited(request)
    if limited is not None:
        return limited
    context = {"form": VerifyForm(), "credential_form": CredentialForm()}
    try:
        # A pasted credential larger than DATA_UPLOAD_MAX_MEMORY_SIZE stops here.
        form = CredentialForm(request.POST, request.FILES)
        valid = form.is_valid()
    except RequestDataTooBig:
        report = verification.Report()
        report.add(
            "format",
            verification.FAIL,
            _("What was pasted is too large; a credential is at most 2 MB."),
        )
        context["report"] = report
        return _noindex(render(request, "certificates/verify_form.html", context, status=413))
    if not valid:
        context["credential_form"] = form
        return _noindex(render(request, "certificates/verify_form.html", context, status=400))
    upload = form.cleaned_data.get("file")
    if upload is not None and upload.size > verification.MAX_BYTES:
        raw = b""
        report = verification.Report()
        report.add(
            "format",
            verification.FAIL,
            _("The file is too large (%(size)s); a credential is at most 2 MB.")
            % {"size": f"{upload.size / 1_000_000:.1f} MB"},
        )
    else:
        raw = upload.read() if upload is not None else form.cleaned_data["text"].encode("utf-8")
        report = selectors.verify_credential_bytes(raw)
    context["report"] = report
    context["certificate"] = selectors.certificate_for_credential(report)
    status = 200 if report.verdict != "invalid" else 422
    return _noindex(render(request, "certificates/verify_form.html", context, status=status))


# never_cache: no browser or proxy keeps a copy that says "valid" after a revocation, and the
# page names a person.
@require_GET
@never_cache
def verify(request, code):
    limited = _rate_limited(request)
    if limited is not None:
        return limited
    normalised = normalise_code(code)
    if normalised is not None and normalised != code:
        return redirect("certificates:verify", code=normalised)
    certificate = selectors.certificate_for_code(code) if normalised else None
    if certificate is None:
        context = {"form": VerifyForm(initial={"code": code}), "code": code}
        context["malformed"] = normalised is None
        return _noindex(render(request, "certificates/verify_not_found.html", context, status=404))
    return _noindex(render(request, "certificates/verify.html", {"certificate": certificate}))


@login_required
@never_cache
def transcript(request):
    context = {"transcript": selectors.transcript_for(user=request.user)}
    context["requests"] = selectors.open_credit_requests_for_user(user=request.user)
    return render(request, "certificates/transcript.html", context)


@login_required
@never_cache
def transcript_pdf(request):
    content = rendering.render_transcript(
        user=request.user, transcript=selectors.transcript_for(user=request.user)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="transcript.pdf"'
    return response


@login_required
@never_cache
def transcript_csv(request):
    data = selectors.transcript_for(user=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="transcript.csv"'
    writer = csv_export.writer(response)
    writer.writerow(
        [
            _("Course"),
            _("Hours"),
            _("Unit"),
            _("Credit type"),
            _("Completed"),
            _("Issued"),
            _("Certificate code"),
            _("Verification link"),
            _("Valid until"),
        ]
    )
    for certificate in data.certificates:
        writer.writerow(
            [
                certificate.course_title,
                certificate.hours,
                certificate.credit_unit,
                certificate.credit_type_name,
                timezone.localdate(certificate.completed_at).isoformat()
                if certificate.completed_at
                else "",
                timezone.localdate(certificate.issued_at).isoformat(),
                certificate.code,
                certificate.get_verify_url(),
                certificate.valid_until.isoformat() if certificate.valid_until else "",
            ]
        )
    for total in data.totals:
        writer.writerow(
            [
                _("Total: %(type)s") % {"type": total.credit_type or _("PD credit")},
                total.hours,
                total.unit,
            ]
        )
    return response

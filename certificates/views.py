from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import csv_export

from . import ratelimit, rendering, selectors, services
from .codes import normalise_code
from .forms import VerifyForm
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


@require_GET
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    return _noindex(render(request, "certificates/verify_form.html", {"form": form}))


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

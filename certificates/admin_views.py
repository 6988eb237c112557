"""PD administrators' screens inside the Wagtail admin: approval queue, certificates, exports.

Thin views: forms validate, certificates.services acts, selectors read.
"""

from __future__ import annotations

import io
import uuid
import zipfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import csv_export
from core.roles import pd_admin_required

from . import selectors, services
from .enums import CertificateStatus
from .forms import CertificateFilterForm, DeclineForm, QueueFilterForm, RevokeForm
from .models import Certificate

ZIP_LIMIT = 500


def _selected_ids(request) -> list[int]:
    return [int(pk) for pk in request.POST.getlist("selected") if pk.isdigit()]


@pd_admin_required
def approval_queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.queue_filtered(
        course_id=filters["course"].pk if filters.get("course") else None,
        cohort_id=filters["cohort"].pk if filters.get("cohort") else None,
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(queryset, 100).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "certificates/admin/queue.html",
        {
            "filter_form": form,
            "page": page,
            "decline_form": DeclineForm(),
            "query": query.urlencode(),
        },
    )


@pd_admin_required
@require_POST
def decide(request):
    ids = _selected_ids(request)
    if not ids:
        messages.error(request, _("Select at least one completion first."))
        return redirect("certificates_admin:queue")
    if request.POST.get("action") == "decline":
        form = DeclineForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the teacher a reason for declining."))
            return redirect("certificates_admin:queue")
        result = services.decline_credit_requests(
            request_ids=ids, decided_by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            ngettext(
                "Declined %(n)d completion.", "Declined %(n)d completions.", len(result.changed)
            )
            % {"n": len(result.changed)},
        )
        return redirect("certificates_admin:queue")
    result = services.approve_credit_requests(request_ids=ids, decided_by=request.user)
    if result.skipped:
        messages.info(
            request,
            ngettext(
                "%(n)d completion was already approved; nothing was issued twice.",
                "%(n)d completions were already approved; nothing was issued twice.",
                len(result.skipped),
            )
            % {"n": len(result.skipped)},
        )
    query = ",".join(str(pk) for pk in ids)
    return redirect(reverse("certificates_admin:result") + f"?ids={query}")


@pd_admin_required
def result(request):
    ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()][:ZIP_LIMIT]
    progress = selectors.batch_progress(request_ids=ids)
    return render(
        request,
        "certificates/admin/result.html",
        {"progress": progress, "done": not progress.waiting, "ids": request.GET.get("ids", "")},
    )


def _certificate_filters(request):
    form = CertificateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.certificates_filtered(
        course_id=filters["course"].pk if filters.get("course") else None,
        status=filters.get("status") or None,
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        query=(filters.get("q") or "").strip(),
    )
    return form, queryset


@pd_admin_required
def certificate_list(request):
    form, queryset = _certificate_filters(request)
    page = Paginator(queryset, 50).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "certificates/admin/certificate_list.html",
        {"filter_form": form, "page": page, "query": query.urlencode()},
    )


@pd_admin_required
def certificate_csv(request):
    _form, queryset = _certificate_filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="certificates-{stamp}.csv"'
    writer = csv_export.writer(response)
    writer.writerow(
        [
            _("Code"),
            _("Status"),
            _("Name as printed"),
            _("Email"),
            _("Educator ID"),
            _("Course"),
            _("Hours"),
            _("Unit"),
            _("Credit type"),
            _("Approvals"),
            _("Completed"),
            _("Issued"),
            _("Issued by"),
            _("Revoked"),
            _("Verification link"),
        ]
    )
    for certificate in queryset.iterator(chunk_size=500):
        writer.writerow(
            [
                certificate.code,
                certificate.get_status_display(),
                certificate.name_on_certificate,
                certificate.user.email if certificate.user else "",
                certificate.user.educator_id if certificate.user else "",
                certificate.course_title,
                certificate.hours,
                certificate.credit_unit,
                certificate.credit_type_name,
                "; ".join(f"{a['agency']} {a['approval_number']}" for a in certificate.approvals),
                timezone.localtime(certificate.completed_at).isoformat()
                if certificate.completed_at
                else "",
                timezone.localtime(certificate.issued_at).isoformat(),
                str(certificate.issued_by or _("automatic")),
                timezone.localtime(certificate.revoked_at).isoformat()
                if certificate.revoked_at
                else "",
                certificate.get_verify_url(),
            ]
        )
    return response


@pd_admin_required
@require_POST
def certificate_zip(request):
    ids = []
    for value in request.POST.getlist("selected")[:ZIP_LIMIT]:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    # Revoked certificates have no PDF any more (services.revoke_certificate).
    certificates = list(
        Certificate.objects.filter(pk__in=ids).exclude(status=CertificateStatus.REVOKED)
    )
    if not certificates:
        messages.error(
            request, _("Select at least one certificate first (revoked ones have no PDF).")
        )
        return redirect("certificates_admin:list")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            certificate = services.ensure_pdf(certificate=certificate)
            if not certificate.pdf:  # revoked while it was being rendered
                continue
            with certificate.pdf.open("rb") as handle:
                archive.writestr(f"certificate-{certificate.code}.pdf", handle.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="certificates.zip"'
    return response


@pd_admin_required
def certificate_detail(request, pk):
    certificate = get_object_or_404(
        Certificate.objects.select_related("user", "issued_by", "supersedes"), pk=pk
    )
    events = certificate.events.select_related("actor")
    return render(
        request,
        "certificates/admin/certificate_detail.html",
        {"certificate": certificate, "events": events, "revoke_form": RevokeForm()},
    )


@pd_admin_required
@require_POST
def certificate_action(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "revoke":
            form = RevokeForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.revoke_certificate(
                certificate=certificate, revoked_by=request.user, reason=reason
            )
            messages.success(request, _("Certificate revoked."))
        elif action == "regenerate":
            services.regenerate_pdf(certificate=certificate, actor=request.user)
            messages.success(request, _("The PDF is being rendered again (same code and date)."))
        elif action == "reissue":
            new = services.reissue_certificate(certificate=certificate, reissued_by=request.user)
            messages.success(
                request,
                _("Re-issued as %(code)s with the name %(name)s.")
                % {"code": new.code, "name": new.name_on_certificate},
            )
            return redirect("certificates_admin:detail", pk=new.pk)
    except services.CertificateError as error:
        messages.error(request, str(error))
    return redirect("certificates_admin:detail", pk=certificate.pk)

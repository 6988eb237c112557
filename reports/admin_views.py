"""The reports in the Wagtail admin (PD administrators only): a page per report with its
filters, chart, sentence and table, and the same table as CSV."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core import csv_export
from core.roles import pd_admin_required

from .forms import ReportFilterForm
from .selectors import REPORTS, Filters


def _filters(request) -> tuple[ReportFilterForm, Filters | None]:
    form = ReportFilterForm(request.GET or None)
    if not request.GET:
        return form, Filters()
    if not form.is_valid():
        return form, None
    return form, Filters(**form.cleaned_data)


@pd_admin_required
def index(request):
    return render(request, "reports/index.html", {"reports": REPORTS.items()})


def _report(slug: str):
    if slug not in REPORTS:
        raise Http404
    return REPORTS[slug]


@pd_admin_required
def report(request, slug: str):
    title, build = _report(slug)
    form, filters = _filters(request)
    return render(
        request,
        "reports/report.html",
        {
            "title": title,
            "slug": slug,
            "form": form,
            "report": build(filters) if filters is not None else None,
            "query": request.GET.urlencode(),
            "reports": REPORTS.items(),
        },
    )


@pd_admin_required
def report_csv(request, slug: str):
    _title, build = _report(slug)
    _form, filters = _filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="report-{slug}-{stamp}.csv"'
    if filters is None:  # a hand-typed URL with impossible dates: an empty file says so
        response.status_code = 400
        return response
    result = build(filters)
    writer = csv_export.writer(response)
    writer.writerow(result.columns)
    writer.writerows(result.rows)
    return response

"""The reports in the Wagtail admin (PD administrators only): a page per report with its
filters, chart, sentence and table (paged), and the same table as CSV. Both read the
report's kept figures (reports.snapshots)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin.paginator import WagtailPaginator

from core import csv_export
from core.roles import pd_admin_required

from . import snapshots
from .forms import ReportFilterForm
from .selectors import REPORTS, Filters


class RowPaginator(WagtailPaginator):
    """Wagtail's admin paginator (its page links and elided range), counting table rows."""

    @property
    def items_count_label(self):
        count = number_format(self.count, force_grouping=True)  # as pdsite/formats groups
        return ngettext("%(n)s row", "%(n)s rows", self.count) % {"n": count}


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


def _filter_query(request) -> str:
    """The query string without the page number: the report's other links keep the
    filters, and a new count or another report starts on page 1."""
    query = request.GET.copy()
    query.pop("p", None)
    return query.urlencode()


@pd_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request, slug: str):
    title, _build = _report(slug)
    form, filters = _filters(request)
    if request.method == "POST":  # "Count again": the figures kept for these filters go
        if filters is not None:
            snapshots.count_again(slug, filters)
        query = _filter_query(request)
        return redirect(request.path + (f"?{query}" if query else ""))
    context = {
        "title": title,
        "slug": slug,
        "form": form,
        "report": None,
        "query": _filter_query(request),
        "reports": REPORTS.items(),
    }
    if filters is not None:
        kept = snapshots.snapshot(slug, filters)
        paginator = RowPaginator(range(kept.row_count), snapshots.ROWS_PER_PAGE)
        page = paginator.get_page(request.GET.get("p"))
        kept, rows = snapshots.page(slug, filters, kept, page.number)
        context |= {
            "report": kept.report,
            "rows": rows.rows,
            "counted_at": kept.counted_at,
            "max_minutes": snapshots.max_age() // 60,
            "page": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "chart": kept.report.chart(rows.chart_items, first=max(1, page.start_index())),
        }
    return render(request, "reports/report.html", context)


@pd_admin_required
def report_csv(request, slug: str):
    _report(slug)
    _form, filters = _filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="report-{slug}-{stamp}.csv"'
    if filters is None:  # a hand-typed URL with impossible dates: an empty file says so
        response.status_code = 400
        return response
    result = snapshots.whole_table(slug, filters)
    writer = csv_export.writer(response)
    writer.writerow(result.columns)
    writer.writerows(result.rows)
    return response

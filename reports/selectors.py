"""The PD administrators' reports: each a table (also the CSV) with a chart and a sentence.

Reports only read, and read every layer below, so they sit at the top under pdsite. Each
figure comes from the function that owns its rule: completion from the enrolment
(`modules.selectors.percent_complete` for the rate), the implementation rate from
`followups.selectors.implementation_rates`, belief change from `coaching.matrix.
self_assessment_items_by_course` (which applies `quizzes.selectors.self_assessment_change`),
seat time from `modules.selectors.seat_time_by_module`. Query counts never grow with
teachers; the rates' and beliefs' neither with courses nor cohorts (grouped queries).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from certificates.enums import CertificateStatus
from certificates.models import Certificate
from coaching.matrix import self_assessment_items_by_course
from coaching.models import Cohort, CohortMembership
from core import charts
from followups.models import FollowUp
from followups.selectors import ImplementationRate, implementation_rates
from modules.models import ActiveTime, CoursePage, Enrollment
from modules.selectors import percent_complete, seat_time_by_module
from quizzes.models import Attempt


@dataclass
class Filters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    course: CoursePage | None = None
    cohort: Cohort | None = None

    def period(self, field_name: str) -> Q:
        """Rows whose `field_name` falls in the chosen days (whole days, local time)."""
        q = Q()
        zone = timezone.get_current_timezone()
        if self.date_from:
            start = datetime.datetime.combine(self.date_from, datetime.time.min, tzinfo=zone)
            q &= Q(**{f"{field_name}__gte": start})
        if self.date_to:
            end = datetime.date.fromordinal(self.date_to.toordinal() + 1)
            q &= Q(**{f"{field_name}__lt": datetime.datetime.combine(end, datetime.time.min, zone)})
        return q

    def teachers(self, user_field: str = "user") -> Q:
        """Only the chosen cohort's members (all teachers without a cohort)."""
        if self.cohort is None:
            return Q()
        members = CohortMembership.objects.filter(cohort=self.cohort).values("user_id")
        return Q(**{f"{user_field}__in": members})

    def courses(self):
        courses = CoursePage.objects.live().order_by("title")
        return courses.filter(pk=self.course.pk) if self.course else courses


@dataclass
class Report:
    slug: str
    title: str
    summary: str
    columns: list[str]
    rows: list[list]
    # The chart's bars, (label, value): one per table row, in order, unless `chart_per_row`
    # is False (then the chart sums the table up, e.g. one bar per month).
    chart_items: list[tuple] = field(default_factory=list)
    chart_kind: str = "count"  # core.charts: count_bar_chart, or change_bar_chart
    chart_options: dict = field(default_factory=dict)
    chart_per_row: bool = True
    chart_title: str = ""
    chart_desc: str = ""
    # Bars named in the chart's margin; otherwise numbered like the table's first column.
    named: bool = True
    notes: list[str] = field(default_factory=list)

    def chart(self, page_items: list | None = None, first: int = 1):
        """The chart. With a bar per row and a page of the table: the page's bars
        (`page_items`, the first numbered `first`, as the table numbers its rows) on the
        whole table's scale. Otherwise the report's own bars. None without bars."""
        items = self.chart_items
        if self.chart_per_row and page_items is not None:
            items = page_items
        else:
            first = 1
        if not items:
            return None
        if self.chart_kind == "change":
            return charts.change_bar_chart(items, first=first, **self.chart_options)
        return charts.count_bar_chart(items, first=first, **self.chart_options)


def _month_label(month) -> str:
    return date_format(month, "F Y") if month else ""


def credit_report(filters: Filters) -> Report:
    """Completions and credit hours issued per month and per credit type (two queries)."""
    completions = Enrollment.objects.filter(completed_at__isnull=False).filter(
        filters.period("completed_at"), filters.teachers()
    )
    certificates = Certificate.objects.filter(status=CertificateStatus.VALID).filter(
        filters.period("issued_at"), filters.teachers()
    )
    if filters.course:
        completions = completions.filter(course=filters.course)
        certificates = certificates.filter(course=filters.course)
    by_key: dict[tuple, list] = defaultdict(lambda: [0, 0, 0])
    for row in (
        completions.annotate(month=TruncMonth("completed_at"))
        .values("month", "course__credit_type__name")
        .annotate(n=Count("pk"))
    ):
        by_key[(row["month"].date(), row["course__credit_type__name"] or "")][0] += row["n"]
    for row in (
        certificates.annotate(month=TruncMonth("issued_at"))
        .values("month", "credit_type_name")
        .annotate(n=Count("pk"), hours=Sum("hours"))
    ):
        entry = by_key[(row["month"].date(), row["credit_type_name"] or "")]
        entry[1] += row["n"]
        entry[2] += row["hours"] or 0
    rows = [
        # Hours as a plain number whatever the database's decimal (4, 1.5): also in the CSV.
        [_month_label(month), kind or _("No credit type"), done, issued, f"{float(hours):g}"]
        for (month, kind), (done, issued, hours) in sorted(by_key.items())
    ]
    per_month: dict[str, int] = {}
    for month, _kind, done, _issued, _hours in rows:
        per_month[month] = per_month.get(month, 0) + done
    total_done = sum(row[2] for row in rows)
    total_hours = sum(hours for _done, _issued, hours in by_key.values())
    return Report(
        slug="credit",
        title=_("Completions and credit hours"),
        summary=ngettext(
            "%(n)d completion and %(hours)s credit hours issued in the period.",
            "%(n)d completions and %(hours)s credit hours issued in the period.",
            total_done,
        )
        % {"n": total_done, "hours": f"{float(total_hours):g}"},
        columns=[
            _("Month"),
            _("Credit type"),
            _("Completions"),
            _("Certificates issued"),
            _("Credit hours issued"),
        ],
        rows=rows,
        chart_items=list(per_month.items()),
        chart_options={"left": 130},
        chart_per_row=False,
        chart_title=_("Completions per month"),
        chart_desc=_(
            "One bar per month: how many teachers completed a course. The table gives the "
            "same numbers by credit type, with the certificates and credit hours issued."
        ),
    )


def _rate(value) -> str:
    return "" if value is None else f"{value}%"


def rates_report(filters: Filters) -> Report:
    """Completion and implementation rates per course, then per cohort and course. Queries:
    four at most (enrolments, then follow-ups, each grouped by course and by cohort and
    course), whatever the number of courses and cohorts."""
    courses = filters.courses()
    enrollments = Enrollment.objects.filter(course__in=courses).filter(
        filters.period("enrolled_at")
    )
    # A row's follow-ups: its course's, by the teachers it counts as enrolled in that course.
    follow_ups = FollowUp.objects.filter(course__in=courses).filter(
        Exists(enrollments.filter(user_id=OuterRef("user_id"), course_id=OuterRef("course_id")))
    )
    counts = {
        "enrolled": Count("pk"),
        "completed": Count("pk", filter=Q(completed_at__isnull=False)),
    }
    no_review = ImplementationRate(implemented=0, reviewed=0)
    rows, chart_items = [], []

    def add(group: str, title: str, enrolled: int, completed: int, implementation):
        completion = percent_complete(completed, enrolled)
        rows.append(
            [
                len(rows) + 1,
                group,
                title,
                enrolled,
                completed,
                _rate(completion),
                implementation.reviewed,
                _rate(implementation.percent),
            ]
        )
        chart_items.append((str(len(rows)), completion))

    if filters.cohort is None:
        rates = implementation_rates(rows=follow_ups, keys=["course_id"])
        for row in (
            enrollments.values("course_id", "course__title")
            .annotate(**counts)
            .order_by("course__title")
        ):
            add(
                _("All teachers"),
                row["course__title"],
                row["enrolled"],
                row["completed"],
                rates.get((row["course_id"],), no_review),
            )
    cohort_field = "user__cohort_memberships__cohort"
    # Members of any cohort, or of the chosen one. Not `cohort__in=<every cohort>`: SQLite
    # then probed each enrolment's memberships once per cohort (2 s at 100 cohorts).
    in_cohort = (
        Q(**{f"{cohort_field}__isnull": False})
        if filters.cohort is None
        else Q(**{cohort_field: filters.cohort.pk})
    )
    # A teacher in two cohorts counts in both, as in the enrolment counts below.
    rates = implementation_rates(
        rows=follow_ups.filter(in_cohort), keys=[cohort_field, "course_id"]
    )
    for row in (
        enrollments.filter(in_cohort)
        .values(cohort_field, f"{cohort_field}__name", "course_id", "course__title")
        .annotate(**counts)
        .order_by(f"{cohort_field}__name", "course__title")
    ):
        add(
            row[f"{cohort_field}__name"],
            row["course__title"],
            row["enrolled"],
            row["completed"],
            rates.get((row[cohort_field], row["course_id"]), no_review),
        )
    return Report(
        slug="rates",
        title=_("Completion and implementation rates"),
        summary=_(
            "Completion: enrolled teachers who completed the course. Implementation: of the "
            "follow-ups a coach has reviewed, the share marked tried as planned or adapted."
        ),
        columns=[
            "#",
            _("Teachers"),
            _("Course"),
            _("Enrolled"),
            _("Completed"),
            _("Completion rate"),
            _("Follow-ups reviewed"),
            _("Implementation rate"),
        ],
        rows=rows,
        chart_items=chart_items,
        chart_options={"left": 48, "top": 100},
        chart_title=_("Completion rate"),
        chart_desc=_(
            "One bar per row of the table (numbered alike): the percentage of enrolled "
            "teachers who completed the course, on a scale of 0 to 100."
        ),
        named=False,
    )


def belief_report(filters: Filters) -> Report:
    """Average change per self-assessment statement (after minus before), per course with a
    self-assessment; three queries whatever the number of courses (one without any)."""
    rows, chart_items = [], []
    # A list first: without a course that has a self-assessment, no attempts are read.
    courses = list(filters.courses().filter(self_assessment__isnull=False))
    # Each course's attempts by the teachers enrolled in it (in the period, the cohort).
    enrolled = Enrollment.objects.filter(
        filters.period("enrolled_at"),
        filters.teachers(),
        user_id=OuterRef("user_id"),
        course_id=OuterRef("course_id"),
    )
    items_by_course = (
        self_assessment_items_by_course(
            attempts=Attempt.objects.filter(course__in=courses).filter(Exists(enrolled))
        )
        if courses
        else {}
    )
    for course in courses:
        for item in items_by_course.get(course.pk, []):
            rows.append(
                [len(rows) + 1, course.title, item.text, item.average_change, item.teachers]
            )
            chart_items.append((item.text, item.average_change))
    return Report(
        slug="beliefs",
        title=_("Belief change (self-assessment)"),
        summary=_(
            "For teachers who answered both self-assessments: the average change per statement "
            "on the 1 to 5 agreement scale, after the course minus before."
        ),
        columns=["#", _("Course"), _("Statement"), _("Average change"), _("Teachers")],
        rows=rows,
        chart_items=chart_items,
        chart_kind="change",
        chart_title=_("Average change per statement"),
        chart_desc=_(
            "One bar per statement, numbered as in the table: to the right when teachers agreed "
            "more after the course, to the left when they agreed less."
        ),
        named=False,
    )


def _minutes(value) -> str:
    return "" if value is None else f"{value:g}"


def seat_time_report(filters: Filters) -> Report:
    """Active minutes per module beside its estimate (two queries)."""
    active = ActiveTime.objects.filter(filters.period("updated_at"), filters.teachers())
    modules = seat_time_by_module(courses=filters.courses(), active_time=active)
    rows, chart_items = [], []
    for entry in modules:
        under, within, over = entry.bands
        rows.append(
            [
                len(rows) + 1,
                entry.course.title,
                entry.module.title,
                entry.module.estimated_minutes,
                entry.teachers,
                _minutes(entry.median),
                f"{_minutes(entry.lower_quartile)}–{_minutes(entry.upper_quartile)}"
                if entry.teachers
                else "",
                f"{under} / {within} / {over}",
                _rate(entry.median_percent_of_estimate),
            ]
        )
        chart_items.append((str(len(rows)), entry.median_percent_of_estimate or 0))
    top = max([100] + [value for _label, value in chart_items])
    return Report(
        slug="seat-time",
        title=_("Seat time versus estimate"),
        summary=_(
            "Active time: minutes a module's page was open and in use (modules.seat_time). "
            "The median teacher's time is shown as a share of the author's estimate."
        ),
        columns=[
            "#",
            _("Course"),
            _("Module"),
            _("Estimate (minutes)"),
            _("Teachers"),
            _("Median (minutes)"),
            _("Middle half (minutes)"),
            _("Teachers under half / up to / over the estimate"),
            _("Median as share of estimate"),
        ],
        rows=rows,
        chart_items=chart_items,
        # One scale for every page of the table: the largest share of all rows.
        chart_options={"left": 48, "top": top},
        chart_title=_("Median active time as a share of the estimate"),
        chart_desc=_(
            "One bar per module, numbered as in the table: the median teacher's active time as "
            "a percentage of the module's estimated minutes (100 means as estimated)."
        ),
        named=False,
    )


REPORTS = {
    "credit": (gettext_lazy("Completions and credit hours"), credit_report),
    "rates": (gettext_lazy("Completion and implementation rates"), rates_report),
    "beliefs": (gettext_lazy("Belief change (self-assessment)"), belief_report),
    "seat-time": (gettext_lazy("Seat time versus estimate"), seat_time_report),
}

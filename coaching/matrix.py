"""The coach's progress matrix: one row per cohort member, one cell per live module. A fixed
number of queries whatever the cohort size or module count (tests pin them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from statistics import mean

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import BarChart, change_bar_chart, count_bar_chart, progress_distribution
from followups.selectors import FollowUpSummary, follow_up_summaries
from modules.enums import ModuleState
from modules.models import CoursePage, Enrollment, ModulePage, ModuleProgress
from modules.selectors import (
    live_module_headings,
    module_state,
    percent_complete,
)
from quizzes.models import Answer, Attempt, AttemptKind
from quizzes.selectors import self_assessment_change

from .models import Assignment, Cohort, CohortMembership


@dataclass
class Cell:
    module: ModulePage
    state: str

    @property
    def label(self) -> str:
        return ModuleState(self.state).label


@dataclass
class TeacherRow:
    user: object
    cells: list[Cell]
    percent: int
    complete: bool
    last_activity: datetime | None
    due_on: date | None
    overdue: bool
    self_assessment_change: float | None = None
    follow_ups: FollowUpSummary | None = None

    @property
    def not_started(self) -> bool:
        return all(cell.state == ModuleState.NOT_STARTED for cell in self.cells)


@dataclass
class SelfAssessmentItem:
    question_id: str
    text: str
    average_change: float | None
    teachers: int


@dataclass
class ProgressMatrix:
    cohort: Cohort
    assignment: Assignment
    modules: list[ModulePage]
    rows: list[TeacherRow]  # the page's rows when paged, else every matching teacher's
    total_members: int
    shown: int  # teachers matching the filter, on every page
    page: Page | None
    sort: str
    show: str
    self_assessment: list[SelfAssessmentItem] = field(default_factory=list)

    @property
    def course(self) -> CoursePage:
        return self.assignment.course


# The sort orders, done by the database: (annotation, descending?). Ties go by name, so the
# order is total and consecutive pages never repeat or skip a teacher.
SORTS = {
    "name": ("name_key", False),
    "-name": ("name_key", True),
    "percent": ("done", False),
    "-percent": ("done", True),
    "activity": ("activity_key", False),
    "-activity": ("activity_key", True),
}
FILTERS = ("all", "overdue", "not_started")
# Never-active teachers sort as the oldest activity.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _newest(rows: QuerySet, field_name: str) -> Subquery:
    return Subquery(rows.order_by(F(field_name).desc(nulls_last=True)).values(field_name)[:1])


def _self_assessment(course, member_ids) -> tuple[dict[int, float], list[SelfAssessmentItem]]:
    """Each teacher's mean change (post - pre) across agreement items, and each item's cohort
    mean change, from the latest pre and post attempt per teacher (two queries)."""
    attempts = Attempt.objects.filter(course=course, user_id__in=member_ids)
    return _self_assessments(attempts).get(course.pk, ({}, []))


def _self_assessments(attempts) -> dict[int, tuple[dict[int, float], list[SelfAssessmentItem]]]:
    """`_self_assessment` per course for these attempts (any filter), in two queries
    whatever the number of courses; courses without an answer are left out."""
    latest: dict[tuple[int, int, str], int] = {}
    for attempt_id, course_id, user_id, kind in (
        attempts.filter(kind__in=[AttemptKind.PRE, AttemptKind.POST])
        .order_by("submitted_at", "pk")
        .values_list("pk", "course_id", "user_id", "kind")
    ):
        latest[(course_id, user_id, kind)] = attempt_id  # later rows overwrite: the newest wins
    if not latest:
        return {}
    kind_of = {attempt_id: key for key, attempt_id in latest.items()}
    # course -> (user, question) -> kind -> value
    values: dict[int, dict[tuple[int, str], dict[str, int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    texts: dict[int, dict[str, str]] = defaultdict(dict)
    for attempt_id, question_id, text, value in Answer.objects.filter(
        attempt_id__in=list(kind_of), scale_value__isnull=False
    ).values_list("attempt_id", "question_id", "question_text", "scale_value"):
        course_id, user_id, kind = kind_of[attempt_id]
        values[course_id][(user_id, question_id)][kind] = value
        texts[course_id].setdefault(question_id, text)
    return {
        course_id: _changes(values[course_id], course_texts)
        for course_id, course_texts in texts.items()
    }


def _changes(values, texts) -> tuple[dict[int, float], list[SelfAssessmentItem]]:
    """One course's pre and post answers per (teacher, question) as mean changes."""
    by_teacher: dict[int, list[int]] = defaultdict(list)
    by_item: dict[str, list[int]] = defaultdict(list)
    for (user_id, question_id), pair in values.items():
        change = self_assessment_change(pair.get(AttemptKind.PRE), pair.get(AttemptKind.POST))
        if change is not None:
            by_teacher[user_id].append(change)
            by_item[question_id].append(change)
    items = [
        SelfAssessmentItem(
            question_id=question_id,
            text=text,
            average_change=round(mean(by_item[question_id]), 2) if by_item[question_id] else None,
            teachers=len(by_item[question_id]),
        )
        for question_id, text in texts.items()
    ]
    return {user_id: round(mean(c), 2) for user_id, c in by_teacher.items()}, items


def self_assessment_items_by_course(*, attempts) -> dict[int, list[SelfAssessmentItem]]:
    """Each agreement statement's mean change, per course of these attempts (any filter,
    e.g. the teachers enrolled in each course): the cohort chart's numbers for many courses,
    and the PD administrators' belief-change report (two queries whatever the courses)."""
    by_course = _self_assessments(attempts)
    return {course_id: items for course_id, (_teachers, items) in by_course.items()}


def _members(*, cohort, course, assignment, modules, sort, show, today) -> QuerySet:
    """The cohort's teachers, each with what the sort, the filters and their row need
    (required modules done, latest activity, completion, personal due date), filtered and
    ordered by the database: a page of 50 costs the same in a cohort of 25 or of 500."""
    module_ids = [module.pk for module in modules]
    required_ids = [module.pk for module in modules if module.required]
    progress = ModuleProgress.objects.filter(user=OuterRef("pk"), course=course)
    attempts = Attempt.objects.filter(
        user=OuterRef("pk"), kind=AttemptKind.MODULE, module_id__in=module_ids
    )
    done = (
        progress.filter(module_id__in=required_ids, completed_at__isnull=False)
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A row's last_seen_at is never empty; completed_at is, until the module is done.
    last_progress = (
        progress.values("user")
        .annotate(at=Max(Greatest("last_seen_at", Coalesce("completed_at", "last_seen_at"))))
        .values("at")
    )
    members = (
        get_user_model()
        .objects.filter(cohort_memberships__cohort=cohort)
        .only("pk", "email", "full_name")
        .annotate(
            done=Coalesce(Subquery(done), 0),
            completed=Subquery(
                Enrollment.objects.filter(user=OuterRef("pk"), course=course).values(
                    "completed_at"
                )[:1]
            ),
            personal_due=Subquery(
                Assignment.objects.filter(user=OuterRef("pk"), course=course).values("due_on")[:1]
            ),
            name_key=Lower(Case(When(full_name="", then="email"), default="full_name")),
            # Latest activity: opened or finished a module, or submitted its quiz. One
            # subquery per table, and only this column holds them, so neither the select
            # nor the sort evaluates them twice.
            activity_key=Greatest(
                Coalesce(Subquery(last_progress), Value(NEVER)),
                Coalesce(_newest(attempts, "submitted_at"), Value(NEVER)),
            ),
        )
    )
    if show == "overdue":
        # Due is the earlier of the cohort's date and a personal one.
        late = Q() if assignment.due_on < today else Q(personal_due__lt=today)
        members = members.filter(late, completed__isnull=True)
    elif show == "not_started":
        # "Not started" as module_state says it: no progress row on any module.
        members = members.exclude(Exists(progress.filter(module_id__in=module_ids)))
    key, descending = SORTS[sort]
    tie = "name_key" if key != "name_key" else "email"
    order = [F(key).desc() if descending else F(key).asc()]
    order.append(F(tie).desc() if descending and key == "done" else F(tie).asc())
    return members.order_by(*order, "pk")


def progress_matrix(
    *,
    cohort: Cohort,
    assignment: Assignment,
    sort: str = "name",
    show: str = "all",
    today: date | None = None,
    page_number=None,
    per_page: int | None = None,
) -> ProgressMatrix:
    """One row per cohort member (or per member on the page asked for, with `per_page`),
    one cell per live module of the assigned course.

    A fixed number of queries whatever the cohort size or module count: modules, members
    (counted, then the page), the page's progress rows and module attempts (+1 for the
    cohort's size when filtered, +2 with a self-assessment).
    """
    today = today or timezone.localdate()
    sort = sort if sort in SORTS else "name"
    show = show if show in FILTERS else "all"
    course = assignment.course
    modules = live_module_headings(course)
    members = _members(
        cohort=cohort,
        course=course,
        assignment=assignment,
        modules=modules,
        sort=sort,
        show=show,
        today=today,
    )
    page = None
    if per_page:
        # The page's teachers are chosen by their ids alone (only what the filter and the
        # sort need is computed for the whole cohort: nothing more for the default sort by
        # name), then the row's subqueries run for those teachers only, in the same
        # statement. Annotating the whole cohort cost a subquery per column per member:
        # ~9 ms for 500 on SQLite, most of what the page grew by from 25 to 500.
        page = Paginator(members.values_list("pk", flat=True), per_page).get_page(page_number)
        teachers = list(members.filter(pk__in=page.object_list))
        shown = page.paginator.count
    else:
        teachers = list(members)
        shown = len(teachers)
    total_members = shown if show == "all" else cohort.memberships.count()
    teacher_ids = [teacher.pk for teacher in teachers]
    module_ids = [module.pk for module in modules]

    finished = set()
    started = set()
    for user_id, module_id, completed in ModuleProgress.objects.filter(
        course=course, user_id__in=teacher_ids
    ).values_list("user_id", "module_id", Q(completed_at__isnull=False)):
        (finished if completed else started).add((user_id, module_id))
    last_passed: dict[tuple[int, int], bool] = {}
    for user_id, module_id, passed in (
        Attempt.objects.filter(
            kind=AttemptKind.MODULE, module_id__in=module_ids, user_id__in=teacher_ids
        )
        .order_by("submitted_at", "pk")
        .values_list("user_id", "module_id", "passed")
    ):
        last_passed[(user_id, module_id)] = passed  # later rows overwrite: the newest wins
    changes, items = ({}, [])
    if course.self_assessment_id:
        member_ids = CohortMembership.objects.filter(cohort=cohort).values("user_id")
        changes, items = _self_assessment(course, member_ids)

    follow_ups = follow_up_summaries(user_ids=teacher_ids, course=course)

    required_total = sum(1 for module in modules if module.required)
    rows = []
    for user in teachers:
        cells = []
        for module in modules:
            key = (user.pk, module.pk)
            state = module_state(
                started=key in started or key in finished,
                completed=key in finished,
                last_attempt_passed=last_passed.get(key),
            )
            cells.append(Cell(module=module, state=state))
        due_on = min((d for d in (assignment.due_on, user.personal_due) if d), default=None)
        complete = bool(user.completed)
        rows.append(
            TeacherRow(
                user=user,
                cells=cells,
                percent=percent_complete(user.done, required_total),
                complete=complete,
                last_activity=None if user.activity_key == NEVER else user.activity_key,
                due_on=due_on,
                overdue=bool(due_on and due_on < today and not complete),
                self_assessment_change=changes.get(user.pk),
                follow_ups=follow_ups.get(user.pk),
            )
        )
    return ProgressMatrix(
        cohort=cohort,
        assignment=assignment,
        modules=modules,
        rows=rows,
        total_members=total_members,
        shown=shown,
        page=page,
        sort=sort,
        show=show,
        self_assessment=items,
    )


# --- the cohort page: every teacher's progress in every assigned course ----------------------


@dataclass
class CourseProgressCell:
    """One teacher in one assigned course, read off that course's matrix row."""

    assignment: Assignment
    row: TeacherRow

    @property
    def status(self) -> str:
        if self.row.complete:
            return "complete"
        if self.row.overdue:
            return "overdue"
        return "not_started" if self.row.not_started else "in_progress"

    @property
    def status_label(self) -> str:
        return {
            "complete": _("Complete"),
            "overdue": _("Overdue"),
            "not_started": _("Not started"),
            "in_progress": _("In progress"),
        }[self.status]


@dataclass
class MemberProgress:
    user: object
    courses: list[CourseProgressCell]

    @property
    def overdue(self) -> int:
        return sum(1 for cell in self.courses if cell.row.overdue)


@dataclass
class CourseCharts:
    """The cohort page's pictures of one assigned course, with the numbers they draw."""

    matrix: ProgressMatrix
    distribution: list[tuple[str, int]]  # (progress band, teachers)
    distribution_chart: BarChart
    change_chart: BarChart | None  # per-item average self-assessment change, if any

    # Ids for the charts' <title> and <desc>: unique on a page with several courses.
    @property
    def distribution_id(self) -> str:
        return f"distribution-chart-{self.matrix.assignment.pk}"

    @property
    def change_id(self) -> str:
        return f"change-chart-{self.matrix.assignment.pk}"

    @classmethod
    def for_matrix(cls, matrix: ProgressMatrix) -> CourseCharts:
        distribution = progress_distribution(row.percent for row in matrix.rows)
        change = None
        if matrix.self_assessment:
            change = change_bar_chart(
                [(item.text, item.average_change) for item in matrix.self_assessment]
            )
        return cls(
            matrix=matrix,
            distribution=distribution,
            distribution_chart=count_bar_chart(distribution),
            change_chart=change,
        )


@dataclass
class CohortOverview:
    assignments: list[Assignment]
    matrices: list[ProgressMatrix]
    members: list[MemberProgress]

    @property
    def charts(self) -> list[CourseCharts]:
        return [CourseCharts.for_matrix(matrix) for matrix in self.matrices]

    @property
    def overdue_teachers(self) -> int:
        """Teachers with at least one overdue course."""
        return sum(1 for member in self.members if member.overdue)

    @property
    def overdue_assignments(self) -> int:
        """Overdue (teacher, course) pairs."""
        return sum(member.overdue for member in self.members)


def cohort_overview(*, cohort: Cohort, today: date | None = None) -> CohortOverview:
    """Each member's percent and status in each course assigned to the cohort, from the same
    progress_matrix the matrix page shows (so the two always agree). Queries grow with the
    number of assigned courses (a handful), never with the number of teachers."""
    today = today or timezone.localdate()
    assignments = list(cohort.assignments.select_related("course").filter(course__live=True))
    matrices = [
        progress_matrix(cohort=cohort, assignment=assignment, today=today)
        for assignment in assignments
    ]
    members = [
        MemberProgress(user=user, courses=[])
        for user in get_user_model()
        .objects.filter(cohort_memberships__cohort=cohort)
        .order_by("full_name", "email")
    ]
    by_user = {member.user.pk: member for member in members}
    for matrix in matrices:
        for row in matrix.rows:
            if row.user.pk in by_user:  # someone who joined between the two reads waits
                by_user[row.user.pk].courses.append(
                    CourseProgressCell(assignment=matrix.assignment, row=row)
                )
    return CohortOverview(assignments=assignments, matrices=matrices, members=members)

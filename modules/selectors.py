"""Reads about courses and a teacher's progress. Query counts here do not grow with modules."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.db.models import OuterRef, Q, Subquery, Sum
from wagtail import hooks

from .enums import ModuleState
from .models import ActiveTime, CoursePage, Enrollment, ModulePage, ModuleProgress


@dataclass
class ModuleStatus:
    module: ModulePage
    number: int
    state: str = ModuleState.NOT_STARTED
    locked: bool = False
    last_seen_at: datetime | None = None
    completed_at: datetime | None = None
    # The teacher's latest quiz attempt on this module and their saved draft, read in the
    # same query as the progress row (subqueries), so the page cost stays flat.
    last_attempt_id: int | None = None
    last_attempt_passed: bool | None = None
    draft_data: dict | None = None
    # Why the module is locked: "sequence" (an earlier module first) or "pre_assessment".
    locked_reason: str = ""
    # For a "sequence" lock: the first earlier required module not yet complete, the one
    # the teacher has to finish before this one opens.
    locked_by: ModuleStatus | None = None
    # Honest seat time on this module (modules.seat_time), read with the progress row.
    active_seconds: int = 0

    @property
    def has_quiz(self) -> bool:
        return self.module.quiz_id is not None

    @property
    def is_complete(self) -> bool:
        return self.state == ModuleState.COMPLETE

    @property
    def state_label(self) -> str:
        return ModuleState(self.state).label


@dataclass
class CourseProgress:
    course: CoursePage
    enrollment: Enrollment | None
    modules: list[ModuleStatus] = field(default_factory=list)

    @property
    def has_self_assessment(self) -> bool:
        return self.course.self_assessment_id is not None

    @property
    def pre_attempt_id(self) -> int | None:
        return getattr(self.enrollment, "pre_attempt_id", None)

    @property
    def post_attempt_id(self) -> int | None:
        return getattr(self.enrollment, "post_attempt_id", None)

    @property
    def awaiting_pre_assessment(self) -> bool:
        """Enrolled in a course with a self-assessment not yet taken: modules wait for it."""
        return bool(self.enrollment and self.has_self_assessment and not self.pre_attempt_id)

    @property
    def modules_done(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def post_assessment_open(self) -> bool:
        """The closing self-assessment opens once every required module is complete."""
        return bool(self.enrollment and self.has_self_assessment and self.modules_done)

    @property
    def awaiting_post_assessment(self) -> bool:
        return self.post_assessment_open and not self.post_attempt_id

    @property
    def requirements_met(self) -> bool:
        """The course completion rule: every required module, then the post self-assessment
        when the course has one. modules.services.course_requirements_met asks this."""
        if not self.modules_done:
            return False
        return not self.has_self_assessment or self.post_attempt_id is not None

    @property
    def required(self) -> list[ModuleStatus]:
        return [status for status in self.modules if status.module.required]

    @property
    def done(self) -> int:
        return sum(1 for status in self.required if status.is_complete)

    @property
    def total(self) -> int:
        return len(self.required)

    @property
    def percent(self) -> int:
        return percent_complete(self.done, self.total)

    @property
    def is_complete(self) -> bool:
        return bool(self.enrollment and self.enrollment.completed_at)

    @property
    def resume(self) -> ModuleStatus | None:
        """Where "Continue" leads: the module opened last, unless it is done; then the first
        open module not yet complete; then the first module."""
        open_modules = [status for status in self.modules if not status.locked]
        seen = [s for s in open_modules if s.last_seen_at and not s.is_complete]
        if seen:
            return max(seen, key=lambda s: s.last_seen_at)
        for status in open_modules:
            if not status.is_complete:
                return status
        return self.modules[0] if self.modules else None

    @property
    def active_seconds(self) -> int:
        return sum(status.active_seconds for status in self.modules)

    @property
    def active_seconds_missing(self) -> int:
        """What the course's minimum active time for credit still asks (0: nothing)."""
        return seconds_short_of_minimum(self.course, self.active_seconds)

    def status_for(self, module) -> ModuleStatus | None:
        for status in self.modules:
            if status.module.pk == module.pk:
                return status
        return None


@dataclass
class ModulePager:
    """Previous and Next for one module page, in course order.

    Locked modules are skipped; `skipped` holds the ones passed over on the way forward
    (or, when nothing after this module is open, the first of those still locked), so the
    page can say why Next does not lead to them.
    """

    previous: ModuleStatus | None
    next: ModuleStatus | None
    skipped: list[ModuleStatus] = field(default_factory=list)


def module_pager(progress: CourseProgress, status: ModuleStatus) -> ModulePager:
    """Previous/Next follow the course order, not the "Continue" target; no queries."""
    index = progress.modules.index(status)
    before = progress.modules[:index]
    after = progress.modules[index + 1 :]
    previous = next((s for s in reversed(before) if not s.locked), None)
    skipped = []
    following = None
    for candidate in after:
        if candidate.locked:
            skipped.append(candidate)
            continue
        following = candidate
        break
    # Every later module locked: name only the first; the rest are locked for the same reason.
    if following is None:
        skipped = skipped[:1]
    return ModulePager(previous=previous, next=following, skipped=skipped)


def module_listing():
    """Live modules for lists and progress: without their bodies, which only the module's
    own page shows (it has its own copy). A body is about 1,500 words of JSON; a dashboard
    of ten courses would otherwise read and parse 80 of them."""
    return ModulePage.objects.live().defer("body").order_by("path")


@cache
def _modules_with_quiz():
    # The quiz comes along so the module page can show it without another query.
    return module_listing().select_related("quiz")


def live_modules(course: CoursePage) -> list[ModulePage]:
    return list(_modules_with_quiz().child_of(course))


def live_module_headings(course: CoursePage) -> list[ModulePage]:
    """The live modules of a course with their title and whether they are required, and
    nothing else: for tables of many teachers' progress (the coach's matrix), which name
    the modules (whole page rows and their quizzes cost it about twice as much to read).
    Anything else read off these modules costs a query each."""
    return list(module_listing().child_of(course).only("title", "required"))


def live_module_ids_of(course_ids) -> list[int]:
    """The ids of the live modules of these courses (two queries), as live_modules counts
    them: the coach's view of a teacher's reflections reads the same modules as the pages."""
    courses = list(CoursePage.objects.filter(pk__in=course_ids).only("path", "depth"))
    if not courses:
        return []
    in_any = Q()
    for course in courses:
        in_any |= Q(path__startswith=course.path, depth=course.depth + 1)
    return list(module_listing().filter(in_any).values_list("pk", flat=True))


# Quizzes sit above modules (core -> modules -> quizzes), so what a module's quiz says about
# progress -- the latest attempt and the saved draft per progress row, the self-assessment
# attempts per enrolment -- comes in through these Wagtail hooks (quizzes/wagtail_hooks.py),
# each returning {annotation name: expression}. ModuleStatus and CourseProgress read them.
PROGRESS_ANNOTATIONS_HOOK = "modules_progress_annotations"
ENROLLMENT_ANNOTATIONS_HOOK = "modules_enrollment_annotations"


def _annotations(hook_name: str) -> dict:
    found = {}
    for provide in hooks.get_hooks(hook_name):
        found.update(provide())
    return found


# The annotated querysets below are built once per process and only filtered per request:
# resolving their subqueries took longer than running them (~1.5 ms a page each).
# Filtering clones a queryset, so the shared base is never evaluated or changed.


def _active_ms():
    return Subquery(
        ActiveTime.objects.filter(user=OuterRef("user"), module=OuterRef("module")).values(
            "active_ms"
        )[:1]
    )


@cache
def _progress_base():
    return ModuleProgress.objects.annotate(
        active_ms=_active_ms(), **_annotations(PROGRESS_ANNOTATIONS_HOOK)
    )


@cache
def _enrollment_base():
    return Enrollment.objects.annotate(**_annotations(ENROLLMENT_ANNOTATIONS_HOOK))


def progress_rows(**filters):
    """ModuleProgress rows with the latest attempt and the draft of each module attached."""
    return _progress_base().filter(**filters)


def enrollments_with_self_assessments(**filters):
    """Enrollment rows with the ids of the teacher's pre and post self-assessment attempts."""
    return _enrollment_base().filter(**filters)


def module_state(*, started: bool, completed: bool, last_attempt_passed: bool | None) -> str:
    """The one rule for a module's state, read by the teacher's pages and the coach's matrix.

    `started`: the teacher has a progress row on the module (opening it, or submitting its
    quiz, writes one). The latest quiz attempt only refines a started, unfinished module.
    """
    if not started:
        return ModuleState.NOT_STARTED
    if completed:
        return ModuleState.COMPLETE
    if last_attempt_passed is False:
        return ModuleState.QUIZ_FAILED
    return ModuleState.IN_PROGRESS


def mark_opened(status: ModuleStatus) -> None:
    """The module page has just recorded the teacher's visit: show the module as started
    (by the same rule) without reading the progress again."""
    if status.state == ModuleState.NOT_STARTED:
        status.state = module_state(started=True, completed=False, last_attempt_passed=None)


def seconds_short_of_minimum(course, active_seconds: int) -> int:
    """The one rule for a course's minimum active time for credit: the seconds still missing
    (0 when met, or when the course sets no minimum)."""
    if not course.min_active_minutes:
        return 0
    return max(0, course.min_active_minutes * 60 - active_seconds)


def course_active_seconds(*, user_id: int, course_id: int) -> int:
    """A teacher's active time across a course's modules, fresh from the database (one
    query); the pages read the same figure from their snapshot (CourseProgress)."""
    total = ActiveTime.objects.filter(user_id=user_id, course_id=course_id).aggregate(
        total=Sum("active_ms")
    )["total"]
    return (total or 0) // 1000


def percent_complete(done: int, total: int) -> int:
    """Required modules done, as a whole percent (0 for a course without required modules)."""
    return round(100 * done / total) if total else 0


def _build_statuses(
    modules: list[ModulePage],
    progress_by_module: dict[int, ModuleProgress],
    sequential: bool,
    awaiting_pre: bool = False,
) -> list[ModuleStatus]:
    statuses = []
    blocker = None  # the first required module not yet complete
    for number, module in enumerate(modules, start=1):
        row = progress_by_module.get(module.pk)
        status = ModuleStatus(module=module, number=number, locked=sequential and bool(blocker))
        if status.locked:
            status.locked_reason = "sequence"
            status.locked_by = blocker
        if row is not None:
            status.last_seen_at = row.last_seen_at
            status.completed_at = row.completed_at
            status.last_attempt_id = getattr(row, "last_attempt_id", None)
            status.last_attempt_passed = getattr(row, "last_attempt_passed", None)
            status.draft_data = getattr(row, "draft_data", None)
            status.active_seconds = (getattr(row, "active_ms", None) or 0) // 1000
            if isinstance(status.draft_data, str):  # a backend that hands back raw JSON text
                status.draft_data = json.loads(status.draft_data)
            status.state = module_state(
                started=True,
                completed=bool(row.completed_at),
                last_attempt_passed=status.last_attempt_passed if status.last_attempt_id else None,
            )
        # Before the opening self-assessment, nothing new opens (finished work stays open).
        if awaiting_pre and not status.is_complete:
            status.locked = True
            status.locked_reason = "pre_assessment"
        if module.required and not status.is_complete and blocker is None:
            blocker = status
        statuses.append(status)
    return statuses


def course_progress(*, user, course: CoursePage, modules: list[ModulePage] | None = None):
    """The viewer's progress through one course (three queries; anonymous users: one)."""
    if modules is None:
        modules = live_modules(course)
    enrollment = None
    progress_by_module = {}
    if user.is_authenticated:
        # The self-assessment attempts are looked up only for a course that has one.
        enrollments = (
            enrollments_with_self_assessments(user=user, course=course)
            if course.self_assessment_id
            else Enrollment.objects.filter(user=user, course=course)
        )
        enrollment = enrollments.first()
        if enrollment is not None:
            progress_by_module = {
                row.module_id: row for row in progress_rows(user=user, course=course)
            }
    progress = CourseProgress(course=course, enrollment=enrollment)
    progress.modules = _build_statuses(
        modules, progress_by_module, course.sequential, progress.awaiting_pre_assessment
    )
    return progress


def dashboard_progress(*, user) -> list[CourseProgress]:
    """All of a teacher's courses with progress, in a fixed number of queries."""
    enrollments = list(
        enrollments_with_self_assessments(user=user, course__live=True)
        .select_related("course")
        .order_by("completed_at", "-enrolled_at")
    )
    if not enrollments:
        return []
    courses = [enrollment.course for enrollment in enrollments]
    in_any_course = Q()
    for course in courses:
        in_any_course |= Q(path__startswith=course.path, depth=course.depth + 1)
    modules_by_course: dict[int, list[ModulePage]] = {course.pk: [] for course in courses}
    parent_by_path = {course.path: course.pk for course in courses}
    for module in module_listing().filter(in_any_course):
        parent_path = module.path[: -ModulePage.steplen]
        modules_by_course[parent_by_path[parent_path]].append(module)
    rows = progress_rows(user=user, course__in=courses)
    progress_by_module = {row.module_id: row for row in rows}
    result = []
    for enrollment in enrollments:
        progress = CourseProgress(course=enrollment.course, enrollment=enrollment)
        progress.modules = _build_statuses(
            modules_by_course[enrollment.course_id],
            progress_by_module,
            enrollment.course.sequential,
            progress.awaiting_pre_assessment,
        )
        result.append(progress)
    return result


@dataclass
class ModuleSeatTime:
    """Active time on one module across teachers, beside the author's estimate."""

    module: ModulePage
    course: CoursePage
    minutes: list[float]  # each teacher's active minutes, sorted

    @property
    def teachers(self) -> int:
        return len(self.minutes)

    def _quartiles(self) -> tuple:
        if len(self.minutes) < 2:
            return tuple(round(self.minutes[0], 1) if self.minutes else None for _ in range(3))
        found = statistics.quantiles(self.minutes, n=4, method="inclusive")
        return tuple(round(value, 1) for value in found)

    @property
    def lower_quartile(self) -> float | None:
        return self._quartiles()[0]

    @property
    def median(self) -> float | None:
        return self._quartiles()[1]

    @property
    def upper_quartile(self) -> float | None:
        return self._quartiles()[2]

    @property
    def bands(self) -> list[int]:
        """Teachers by share of the estimate: under half, half to all, more than the estimate."""
        estimate = self.module.estimated_minutes or 0
        counts = [0, 0, 0]
        for minutes in self.minutes:
            if estimate and minutes < estimate / 2:
                counts[0] += 1
            elif not estimate or minutes <= estimate:
                counts[1] += 1
            else:
                counts[2] += 1
        return counts

    @property
    def median_percent_of_estimate(self) -> int | None:
        if self.median is None or not self.module.estimated_minutes:
            return None
        return round(100 * self.median / self.module.estimated_minutes)


def seat_time_by_module(*, courses, active_time=None) -> list[ModuleSeatTime]:
    """Each live module of these courses with its teachers' active minutes (two queries,
    whatever the number of teachers). `active_time`: ActiveTime rows already filtered (by
    cohort, by period); all rows of these courses when None."""
    courses = list(courses)
    if not courses:
        return []
    rows = active_time if active_time is not None else ActiveTime.objects.all()
    minutes_by_module: dict[int, list[float]] = {}
    for module_id, active_ms in rows.filter(course__in=courses).values_list(
        "module_id", "active_ms"
    ):
        minutes_by_module.setdefault(module_id, []).append(active_ms / 60_000)
    in_any = Q()
    by_path = {course.path: course for course in courses}
    for course in courses:
        in_any |= Q(path__startswith=course.path, depth=course.depth + 1)
    return [
        ModuleSeatTime(
            module=module,
            course=by_path[module.path[: -ModulePage.steplen]],
            minutes=sorted(minutes_by_module.get(module.pk, [])),
        )
        for module in module_listing().filter(in_any)
    ]

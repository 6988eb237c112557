"""Reads about courses and a teacher's progress. Query counts here do not grow with modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from .enums import ModuleState
from .models import CoursePage, Enrollment, ModulePage, ModuleProgress


@dataclass
class ModuleStatus:
    module: ModulePage
    number: int
    state: str = ModuleState.NOT_STARTED
    locked: bool = False
    last_seen_at: datetime | None = None
    completed_at: datetime | None = None

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
        return round(100 * self.done / self.total) if self.total else 0

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

    def status_for(self, module) -> ModuleStatus | None:
        for status in self.modules:
            if status.module.pk == module.pk:
                return status
        return None


def live_modules(course: CoursePage) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(course).live().order_by("path"))


def _build_statuses(
    modules: list[ModulePage], progress_by_module: dict[int, ModuleProgress], sequential: bool
) -> list[ModuleStatus]:
    statuses = []
    blocked = False
    for number, module in enumerate(modules, start=1):
        row = progress_by_module.get(module.pk)
        status = ModuleStatus(module=module, number=number, locked=sequential and blocked)
        if row is not None:
            status.last_seen_at = row.last_seen_at
            status.completed_at = row.completed_at
            status.state = ModuleState.COMPLETE if row.completed_at else ModuleState.IN_PROGRESS
        if module.required and not status.is_complete:
            blocked = True
        statuses.append(status)
    return statuses


def course_progress(*, user, course: CoursePage, modules: list[ModulePage] | None = None):
    """The viewer's progress through one course (three queries; anonymous users: one)."""
    if modules is None:
        modules = live_modules(course)
    enrollment = None
    progress_by_module = {}
    if user.is_authenticated:
        enrollment = Enrollment.objects.filter(user=user, course=course).first()
        if enrollment is not None:
            progress_by_module = {
                row.module_id: row
                for row in ModuleProgress.objects.filter(user=user, course=course)
            }
    statuses = _build_statuses(modules, progress_by_module, course.sequential)
    return CourseProgress(course=course, enrollment=enrollment, modules=statuses)


def dashboard_progress(*, user) -> list[CourseProgress]:
    """All of a teacher's courses with progress, in a fixed number of queries."""
    enrollments = list(
        Enrollment.objects.filter(user=user, course__live=True)
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
    for module in ModulePage.objects.live().filter(in_any_course).order_by("path"):
        parent_path = module.path[: -ModulePage.steplen]
        modules_by_course[parent_by_path[parent_path]].append(module)
    rows = ModuleProgress.objects.filter(user=user, course__in=courses)
    progress_by_module = {row.module_id: row for row in rows}
    return [
        CourseProgress(
            course=enrollment.course,
            enrollment=enrollment,
            modules=_build_statuses(
                modules_by_course[enrollment.course_id],
                progress_by_module,
                enrollment.course.sequential,
            ),
        )
        for enrollment in enrollments
    ]

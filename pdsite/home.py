"""What the home page shows beyond its own fields: the featured courses that are live, the
verify box's form, and for a signed-in teacher their next step (from the same selectors as
My learning, so the two always agree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from certificates.forms import VerifyForm
from coaching.selectors import AssignedCourse, assignments_for_teacher
from modules.selectors import CourseProgress, dashboard_progress


@dataclass
class NextStep:
    course: CourseProgress | None  # the course to continue, if any is unfinished
    assigned_open: list[AssignedCourse]  # assigned and not complete, soonest due first

    @property
    def next_due(self) -> date | None:
        return self.assigned_open[0].due_on if self.assigned_open else None

    @property
    def overdue(self) -> int:
        return sum(1 for assigned in self.assigned_open if assigned.overdue)


def next_step(user) -> NextStep:
    unfinished = [p for p in dashboard_progress(user=user) if not p.is_complete]
    # The course the teacher worked in last (else the one they enrolled in last).
    course = max(unfinished, key=_last_touched, default=None)
    assigned = [a for a in assignments_for_teacher(user) if not a.complete]
    return NextStep(course=course, assigned_open=assigned)


def _last_touched(progress: CourseProgress):
    seen = [s.last_seen_at for s in progress.modules if s.last_seen_at]
    return max([progress.enrollment.enrolled_at, *seen])


def featured_courses(page) -> list:
    """The courses the editor chose, in their order, published ones only (one query)."""
    return [block.value for block in page.featured_courses if block.value and block.value.live]


def home_page_context(request, page) -> dict:
    context = {"featured": featured_courses(page), "verify_form": VerifyForm()}
    if request.user.is_authenticated:
        context["next_step"] = next_step(request.user)
    return context

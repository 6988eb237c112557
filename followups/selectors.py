"""Reads about follow-ups: the teacher's list, what credit waits for, and the numbers the
coach's pages show. Each is one function that every page showing the fact calls."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import IMPLEMENTED, Rubric
from .models import Evidence, FollowUp, FollowUpReview


def _with_details(queryset):
    return queryset.select_related("course", "enrollment").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")),
        Prefetch(
            "reviews",
            queryset=FollowUpReview.objects.select_related("coach").order_by("-reviewed_at"),
        ),
    )


def follow_up_state(follow_up, *, today=None) -> str:
    """ "upcoming", "due", "submitted" or "reviewed": the words the teacher's and the coach's
    pages both use."""
    today = today or timezone.localdate()
    if follow_up.submitted_at is not None:
        return "reviewed" if follow_up.reviews.all() else "submitted"
    return "due" if follow_up.due_on <= today else "upcoming"


def latest_review(follow_up):
    reviews = list(follow_up.reviews.all())
    return reviews[0] if reviews else None


def holds_credit(follow_up) -> bool:
    """The course's credit waits for this follow-up (the first one, not yet submitted, in a
    course with "credit requires the first follow-up")."""
    return (
        follow_up.step == 1
        and follow_up.submitted_at is None
        and follow_up.course.credit_requires_follow_up
    )


@dataclass
class FollowUpCard:
    follow_up: FollowUp
    state: str
    review: FollowUpReview | None

    @property
    def holds_credit(self) -> bool:
        return holds_credit(self.follow_up)


def follow_ups_for_user(*, user, today=None) -> list[FollowUpCard]:
    """The teacher's follow-ups for My learning: due first, then upcoming, then done."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    rows = _with_details(FollowUp.objects.filter(user=user, enrollment__completed_at__isnull=False))
    cards = [
        FollowUpCard(
            follow_up=row, state=follow_up_state(row, today=today), review=latest_review(row)
        )
        for row in rows
    ]
    order = {"due": 0, "upcoming": 1, "submitted": 2, "reviewed": 3}
    return sorted(cards, key=lambda card: (order[card.state], card.follow_up.due_on))


def follow_up_for_page(pk: int):
    return _with_details(FollowUp.objects.select_related("user")).filter(pk=pk).first()


def follow_ups_of_teacher(*, teacher) -> list[FollowUpCard]:
    """A teacher's submitted follow-ups, for the coach's page beside the reflections."""
    rows = _with_details(FollowUp.objects.filter(user=teacher, submitted_at__isnull=False))
    return [
        FollowUpCard(follow_up=row, state=follow_up_state(row), review=latest_review(row))
        for row in rows.order_by("-submitted_at")
    ]


def module_evidence_of(*, user, module) -> list[Evidence]:
    """The files a teacher added to one module's practice task (the module page)."""
    return list(Evidence.objects.filter(user=user, module=module).order_by("uploaded_at"))


def module_evidence_of_teacher(*, teacher) -> list[Evidence]:
    """All a teacher's module evidence, newest first, with the module's title (the coach's
    page beside her reflections)."""
    return list(
        Evidence.objects.filter(user=teacher, module__isnull=False)
        .select_related("module")
        .order_by("-uploaded_at")
    )


def first_follow_up_missing(*, enrollment) -> bool:
    """The course wants its first follow-up for credit and it is not submitted yet."""
    course = enrollment.course.specific
    if not course.credit_requires_follow_up or not len(course.follow_ups):
        return False
    first = FollowUp.objects.filter(enrollment=enrollment, step=1).select_related("course").first()
    return first is None or holds_credit(first)


def credit_wait_reasons(*, enrollment) -> list[str]:
    """The sentence the teacher reads about what is left (certificates' hook and My
    learning both use it)."""
    if enrollment.completed_at is None or not first_follow_up_missing(enrollment=enrollment):
        return []
    first = FollowUp.objects.filter(enrollment=enrollment, step=1).first()
    if first is None:
        return [_("Your certificate waits for your first follow-up.")]
    return [
        _("Your certificate waits for your first follow-up, which opens on %(date)s.")
        % {"date": first.due_on.strftime("%-d %B %Y")}
    ]


@dataclass
class FollowUpSummary:
    """One teacher's follow-ups in one course, for the progress matrix's column."""

    submitted: int = 0
    total: int = 0
    due: int = 0
    rubric: str = ""  # the latest review's rubric value, if any
    rubric_label: str = ""


def _latest_rubric() -> Subquery:
    return Subquery(
        FollowUpReview.objects.filter(follow_up=OuterRef("pk"))
        .order_by("-reviewed_at", "-pk")
        .values("rubric")[:1]
    )


def follow_up_summaries(*, user_ids, course) -> dict[int, FollowUpSummary]:
    """Per teacher: how many follow-ups are submitted, due, and the latest rubric mark.
    One query whatever the number of teachers."""
    today = timezone.localdate()
    labels = dict(Rubric.choices)
    summaries: dict[int, FollowUpSummary] = {}
    rows = (
        FollowUp.objects.filter(user_id__in=list(user_ids), course=course)
        .annotate(latest_rubric=_latest_rubric())
        .order_by("user_id", "step")
        .values_list("user_id", "submitted_at", "due_on", "latest_rubric")
    )
    for user_id, submitted_at, due_on, rubric in rows:
        summary = summaries.setdefault(user_id, FollowUpSummary())
        summary.total += 1
        if submitted_at is not None:
            summary.submitted += 1
        elif due_on <= today:
            summary.due += 1
        if rubric:
            summary.rubric = rubric
            summary.rubric_label = str(labels[rubric])
    return summaries


@dataclass
class ImplementationRate:
    implemented: int
    reviewed: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.implemented / self.reviewed) if self.reviewed else None


def _rate_of(rubrics) -> ImplementationRate:
    """The rule: of the reviewed follow-ups (a latest rubric), those marked implemented."""
    reviewed = [rubric for rubric in rubrics if rubric]
    implemented = sum(1 for rubric in reviewed if rubric in IMPLEMENTED)
    return ImplementationRate(implemented=implemented, reviewed=len(reviewed))


def _submitted_with_rubric(rows):
    return rows.filter(submitted_at__isnull=False).annotate(latest_rubric=_latest_rubric())


def implementation_rate(*, user_ids, course=None) -> ImplementationRate:
    """Submitted follow-ups whose latest review says "tried as planned" or "adapted", out
    of those reviewed at all (follow-ups not yet reviewed are not counted either way)."""
    rows = FollowUp.objects.filter(user_id__in=user_ids)
    if course is not None:
        rows = rows.filter(course=course)
    return _rate_of(_submitted_with_rubric(rows).values_list("latest_rubric", flat=True))


def implementation_rates(*, rows, keys: list[str]) -> dict[tuple, ImplementationRate]:
    """`implementation_rate` for many groups at once, in one query: `rows` are the FollowUp
    rows to count (any filter; a join may list a follow-up once per group it belongs to),
    `keys` the fields naming a group. Groups without a submitted follow-up are left out."""
    rubrics: dict[tuple, list] = defaultdict(list)
    for *key, rubric in _submitted_with_rubric(rows).values_list(*keys, "latest_rubric"):
        rubrics[tuple(key)].append(rubric)
    return {key: _rate_of(group) for key, group in rubrics.items()}

"""Who may see what. Every coaching view, export and email asks here; a "no" becomes a 404."""

from __future__ import annotations

from core.roles import is_coach, is_pd_admin

from .selectors import cohorts_for_coach, reflection_answers_for_coach, teachers_for_coach


def can_use_coaching(user) -> bool:
    """The /coach/ pages are for coaches and PD administrators."""
    return bool(user.is_authenticated and (is_coach(user) or is_pd_admin(user)))


def can_view_cohort(user, cohort) -> bool:
    """The same rule the /coach/ views apply through selectors.cohorts_for_coach."""
    return cohorts_for_coach(user).filter(pk=cohort.pk).exists()


def can_view_teacher(coach, teacher) -> bool:
    """A coach sees a teacher only while that teacher is in one of the coach's cohorts, that
    is, after the teacher accepted an invitation to it (a membership is that consent)."""
    if not coach.is_authenticated:
        return False
    return teachers_for_coach(coach).filter(pk=teacher.pk).exists()


def can_view_answer(coach, answer) -> bool:
    """A coach may read (and comment on) an answer given in a course assigned in one of
    their cohorts, by a teacher in that cohort."""
    if not coach.is_authenticated:
        return False
    teacher = answer.attempt.user
    return reflection_answers_for_coach(coach, teacher).filter(pk=answer.pk).exists()

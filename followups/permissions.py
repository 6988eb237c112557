"""Who may see a follow-up and its evidence, and who may review it. Every view asks here;
a "no" becomes a 404."""

from __future__ import annotations

from certificates.permissions import coaches_teacher
from core.roles import is_coach, is_pd_admin


def can_view_teachers_work(user, teacher) -> bool:
    """The teacher, their coach (coaching.permissions.can_view_teacher, through the
    certificates hook it already answers) and PD administrators. The one rule for a
    follow-up and for every evidence file, whether it belongs to a follow-up or a module."""
    if not user.is_authenticated:
        return False
    if teacher.pk == user.pk or is_pd_admin(user):
        return True
    return coaches_teacher(user, teacher)


def can_view_follow_up(user, follow_up) -> bool:
    return can_view_teachers_work(user, follow_up.user)


def can_view_evidence(user, evidence) -> bool:
    return can_view_teachers_work(user, evidence.user)


def can_review_follow_up(user, follow_up) -> bool:
    """A coach or PD administrator who may see the teacher, once the follow-up is submitted.
    The teacher never reviews their own."""
    if not user.is_authenticated or follow_up.user_id == user.pk:
        return False
    if follow_up.submitted_at is None:
        return False
    if is_pd_admin(user):
        return True
    return is_coach(user) and coaches_teacher(user, follow_up.user)

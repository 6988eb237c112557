"""Who may see a certificate's PDF. Every view asks here; nobody decides inline."""

from __future__ import annotations

from wagtail import hooks

from core.roles import is_pd_admin

from .enums import CertificateStatus

# Whether a coach may see a teacher is coaching's rule (the teacher accepted their invitation),
# and coaching sits above certificates in the layers: it answers through this Wagtail hook
# (coaching/wagtail_hooks.py). With no answer, nobody coaches anybody.
COACH_MAY_SEE_TEACHER_HOOK = "coach_may_see_teacher"


def coaches_teacher(coach, teacher) -> bool:
    """Coaching's answer to "does this coach see this teacher?" (False without coaching)."""
    return any(rule(coach, teacher) for rule in hooks.get_hooks(COACH_MAY_SEE_TEACHER_HOOK))


def can_view_certificate(user, certificate) -> bool:
    if not user.is_authenticated:
        return False
    # A revoked certificate's PDF is gone (services.revoke_certificate) and must not be
    # rendered again for anyone; the public verify page still tells that it was revoked.
    if certificate.status == CertificateStatus.REVOKED:
        return False
    if certificate.user_id == user.pk or is_pd_admin(user):
        return True
    return coaches_teacher(user, certificate.user)

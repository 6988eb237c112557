"""Who may see a certificate's PDF. Every view asks here; nobody decides inline."""

from __future__ import annotations

from pdsite.roles import is_coach, is_pd_admin

from .enums import CertificateStatus


def _coaches_teacher(coach, teacher) -> bool:
    # The coaching app is written in parallel; until it lands there are no cohorts, so
    # nobody coaches anybody. Once coaching.selectors.teachers_for_coach exists this
    # lookup starts answering without a change here.
    try:
        from coaching.selectors import teachers_for_coach
    except ImportError:
        return False
    return teachers_for_coach(coach).filter(pk=teacher.pk).exists()


def can_view_certificate(user, certificate) -> bool:
    if not user.is_authenticated:
        return False
    # A revoked certificate's PDF is gone (services.revoke_certificate) and must not be
    # rendered again for anyone; the public verify page still tells that it was revoked.
    if certificate.status == CertificateStatus.REVOKED:
        return False
    if certificate.user_id == user.pk or is_pd_admin(user):
        return True
    return is_coach(user) and _coaches_teacher(user, certificate.user)

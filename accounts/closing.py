"""Closing an account: erase the person, keep the certificates a district relies on.

Deleting the User row erases everything that hangs on it (enrolments, progress, attempts
and reflections with the feedback on them, follow-ups with their evidence and the coaches'
marks, cohort memberships, email addresses, the second factor, sessions); the evidence files
are deleted from storage once that commits. Certificates are kept, detached from the
account, with the name as printed, so /verify/ still answers for them and says the account
was closed.
"""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from certificates.models import Certificate
from coaching.models import Cohort, CohortMembership, Invitation
from core.roles import is_pd_admin
from followups import services as followups

from . import audit
from .models import AuditAction


class CannotClose(Exception):
    """Why this account cannot be closed from its own page (shown to the person)."""


def reasons_not_to_close(user) -> list[str]:
    reasons = []
    if is_pd_admin(user):
        reasons.append(
            _(
                "PD administrators cannot close their own account here. Ask another "
                "administrator to remove the role first."
            )
        )
    for cohort in sole_coach_of(user):
        reasons.append(
            _(
                "You are the only coach of “%(cohort)s”. Ask a PD administrator to add "
                "another coach to it first, so its teachers keep their coach."
            )
            % {"cohort": cohort.name}
        )
    return reasons


def sole_coach_of(user) -> list[Cohort]:
    """Cohorts that would be left without a coach (and still have teachers or invitations)."""
    return list(
        # Counted before filtering on this coach, so the count sees every coach.
        Cohort.objects.annotate(coach_count=Count("coaches", distinct=True))
        .filter(coaches=user, coach_count=1)
        .filter(
            Exists(CohortMembership.objects.filter(cohort=OuterRef("pk")))
            | Exists(
                Invitation.objects.filter(
                    cohort=OuterRef("pk"), accepted_at=None, withdrawn_at=None, declined_at=None
                )
            )
        )
        .order_by("name")
    )


@transaction.atomic
def close_account(*, user) -> list[str]:
    """Erase the account; return the codes of the certificates kept for verification."""
    reasons = reasons_not_to_close(user)
    if reasons:
        raise CannotClose(" ".join(reasons))
    kept = list(Certificate.objects.filter(user=user).values_list("code", flat=True))
    audit.record(
        action=AuditAction.ACCOUNT_CLOSED,
        user=user,
        detail=_("%(count)s certificate(s) kept for verification: %(codes)s")
        % {"count": len(kept), "codes": ", ".join(kept) or "-"},
    )
    # Invitations name the person by email: they go too.
    Invitation.objects.filter(email__iexact=user.email).delete()
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
    # Follow-ups and their evidence rows go with the user; the uploaded files too.
    followups.erase_evidence_files(user=user)
    user.delete()
    return kept

"""Invitations, the only way into a cohort, and the teacher's consent.

Adding an address always invites it (account or not); the owner of the confirmed address
accepts or declines; a membership exists only through accept_invitation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from modules import services as progress_services
from modules.enums import EnrollmentSource

from .models import (
    INVITATION_LIFETIME,
    Cohort,
    CohortMembership,
    Invitation,
    InvitationSend,
    new_token,
)
from .services import CoachingError, normalise_email
from .tasks import invitation_email_key, send_invitation_emails


def _enroll_in_assignments(*, user, cohort: Cohort) -> None:
    for assignment in cohort.assignments.select_related("course"):
        if assignment.course.live:
            progress_services.enroll(
                user=user, course=assignment.course, source=EnrollmentSource.ASSIGNED
            )


def _join_cohort(*, cohort: Cohort, user) -> CohortMembership:
    """Only accept_invitation calls this: a membership is the teacher's consent."""
    try:
        with transaction.atomic():
            membership, _created = CohortMembership.objects.get_or_create(cohort=cohort, user=user)
    except IntegrityError:  # a parallel request added them first: same outcome
        membership = CohortMembership.objects.get(cohort=cohort, user=user)
    _enroll_in_assignments(user=user, cohort=cohort)
    return membership


@dataclass
class AddResult:
    outcome: str  # "invited", "already_member", "already_invited"
    email: str

    @property
    def message(self) -> str:
        # One message whether or not the address has an account: the form must not tell a
        # coach who is registered here.
        return {
            "already_member": _("%(email)s is already in the cohort."),
            "invited": _("An invitation was sent to %(email)s."),
            "already_invited": _("%(email)s has already been invited."),
        }[self.outcome] % {"email": self.email}


def owns_verified_address(user, email: str) -> bool:
    """An address is someone's identity only once they have confirmed it."""
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def user_with_verified_address(email: str):
    address = (
        EmailAddress.objects.filter(email__iexact=normalise_email(email), verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


def _open_invitation(*, cohort: Cohort, email: str) -> Invitation | None:
    return (
        Invitation.objects.select_for_update()
        .filter(
            cohort=cohort,
            email=email,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            declined_at__isnull=True,
        )
        .first()
    )


def invite(*, cohort: Cohort, email: str, added_by, full_name: str) -> tuple[str, int | None]:
    """The outcome, and the id of an invitation whose email should go out (or None)."""
    email = normalise_email(email)
    validate_email(email)
    if CohortMembership.objects.filter(cohort=cohort, user__email__iexact=email).exists():
        return "already_member", None
    invitation = _open_invitation(cohort=cohort, email=email)
    if invitation is not None:
        if invitation.is_usable:
            return "already_invited", None
        _renew(invitation, by=added_by)  # expired: adding again sends a fresh link
        return "invited", invitation.pk
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                cohort=cohort, email=email, full_name=full_name.strip()[:150], invited_by=added_by
            )
    except IntegrityError:
        return "already_invited", None
    InvitationSend.objects.create(invitation=invitation, sent_by=added_by)
    return "invited", invitation.pk


@transaction.atomic
def add_member(*, cohort: Cohort, email: str, added_by, full_name: str = "") -> AddResult:
    """Invite an address to the cohort, whether or not it has an account. Nobody joins until
    they accept (accept_invitation)."""
    outcome, to_send = invite(cohort=cohort, email=email, added_by=added_by, full_name=full_name)
    if to_send:
        queue_invitation_emails([to_send])
    return AddResult(outcome, normalise_email(email))


def queue_invitation_emails(invitation_ids: list[int]) -> None:
    """One task sends them all, in batches, after the transaction commits. Each email is
    recorded as owed first (core.outbox), so a lost task loses none of them."""
    Invitation.objects.filter(pk__in=invitation_ids).update(sent_at=timezone.now())
    sends = Invitation.objects.filter(pk__in=invitation_ids).annotate(n=Count("sends"))
    for invitation_id, n in sends.values_list("pk", "n"):
        outbox.record(
            key=invitation_email_key(invitation_id, n),
            task=send_invitation_emails,
            enqueue=False,
            invitation_ids=[invitation_id],
        )
    transaction.on_commit(lambda: send_invitation_emails.enqueue(invitation_ids=invitation_ids))


MAX_SENDS_PER_INVITATION = 3
MAX_RESENDS_PER_COACH_PER_DAY = 30


def _renew(invitation: Invitation, *, by) -> None:
    """A new link (the old one stops working) valid for another full period, within limits."""
    if invitation.sends.count() >= MAX_SENDS_PER_INVITATION:
        raise CoachingError(
            _(
                "This invitation has been sent %(n)d times already. Ask the teacher to check "
                "their spam folder, or withdraw it and add them again later."
            )
            % {"n": MAX_SENDS_PER_INVITATION}
        )
    since = timezone.now() - timedelta(days=1)
    if (
        by is not None
        and InvitationSend.objects.filter(sent_by=by, is_resend=True, sent_at__gte=since).count()
        >= MAX_RESENDS_PER_COACH_PER_DAY
    ):
        raise CoachingError(
            _("You have sent %(n)d invitations again today. Try again tomorrow.")
            % {"n": MAX_RESENDS_PER_COACH_PER_DAY}
        )
    invitation.token = new_token()
    invitation.expires_at = timezone.now() + INVITATION_LIFETIME
    invitation.save(update_fields=["token", "expires_at"])
    InvitationSend.objects.create(invitation=invitation, sent_by=by, is_resend=True)


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by) -> Invitation:
    """Send a new link, valid for another full period from now; the old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_closed:
        raise CoachingError(_("This invitation is closed; add the teacher again instead."))
    _renew(invitation, by=by)
    queue_invitation_emails([invitation.pk])
    return invitation


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise CoachingError(_("This invitation was already accepted."))
    if invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
    return invitation


def _invitation_for(invitation: Invitation, user) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().select_related("cohort").get(pk=invitation.pk)
    )
    if not invitation.is_usable:
        raise CoachingError(
            _("This invitation has expired, was withdrawn or was already answered.")
        )
    if not owns_verified_address(user, invitation.email):
        raise CoachingError(_("This invitation was sent to a different email address."))
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> CohortMembership:
    """The teacher's consent: they join, and the cohort's coaches may see their work."""
    invitation = _invitation_for(invitation, user)
    membership = _join_cohort(cohort=invitation.cohort, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def decline_invitation(*, invitation: Invitation, user) -> Invitation:
    invitation = _invitation_for(invitation, user)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    return invitation

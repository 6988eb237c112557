"""Invitations, the only way into a cohort: sent to anyone, accepted only by the owner of the
confirmed address, limited, rotated on resend."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from coaching import invitations as coaching_invitations
from coaching import services
from coaching.models import CohortMembership, Invitation
from modules.enums import EnrollmentSource
from modules.models import Enrollment
from tests import factories

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = datetime.date.today() + datetime.timedelta(days=14)


def accept(cohort, user):
    return factories.invited_and_accepted(cohort=cohort, teacher=user)


def test_an_existing_account_is_invited_like_anyone_else_and_joins_only_on_accepting(
    coach, teacher, committed
):
    cohort = factories.cohort(coaches=[coach])
    with committed():
        first = coaching_invitations.add_member(
            cohort=cohort, email=teacher.email.upper(), added_by=coach
        )
    second = coaching_invitations.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    assert (first.outcome, second.outcome) == ("invited", "already_invited")
    assert first.message == f"An invitation was sent to {teacher.email}."
    assert not CohortMembership.objects.exists()
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    accept(cohort, teacher)
    third = coaching_invitations.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    assert third.outcome == "already_member"
    assert CohortMembership.objects.filter(cohort=cohort).count() == 1


def test_the_coach_cannot_tell_whether_an_address_has_an_account(coach, teacher):
    cohort = factories.cohort(coaches=[coach])
    known = coaching_invitations.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    unknown = coaching_invitations.add_member(
        cohort=cohort, email="nobody@example.org", added_by=coach
    )
    assert known.outcome == unknown.outcome == "invited"
    assert known.message.replace(teacher.email, "X") == unknown.message.replace(
        "nobody@example.org", "X"
    )


def test_a_new_address_gets_one_invitation_with_a_link_to_the_consent_page(coach, committed):
    cohort = factories.cohort(coaches=[coach], name="Spring 2027")
    with committed():
        first = coaching_invitations.add_member(
            cohort=cohort, email="New.Teacher@Example.org", full_name="Ana Ruiz", added_by=coach
        )
    with committed():
        second = coaching_invitations.add_member(
            cohort=cohort, email="new.teacher@example.org", added_by=coach
        )
    assert (first.outcome, second.outcome) == ("invited", "already_invited")
    invitation = Invitation.objects.get()
    assert invitation.email == "new.teacher@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.teacher@example.org"]
    assert "Spring 2027" in message.body
    assert f"/invitations/{invitation.token}/" in message.body
    html = message.alternatives[0][0]
    assert f"/invitations/{invitation.token}/" in html
    assert "/account/reminders/" in message.body


def test_coach_chosen_names_in_the_invitation_email_stay_short_and_out_of_the_subject(
    coach, committed
):
    long_name = "Click here to claim your prize " * 6  # 186 characters: the column holds 200
    cohort = factories.cohort(coaches=[coach], name=long_name)
    with committed():
        coaching_invitations.add_member(cohort=cohort, email="target@example.org", added_by=coach)
    message = mail.outbox[0]
    assert "prize" not in message.subject
    assert long_name.strip() not in message.body
    assert "Click here to claim your prize Click here" in message.body  # the first 80 chars


def test_resending_gives_a_new_link_and_the_old_one_stops_working(coach, committed):
    cohort = factories.cohort(coaches=[coach])
    with committed():
        coaching_invitations.add_member(cohort=cohort, email="late@example.org", added_by=coach)
    invitation = Invitation.objects.get()
    old_token = invitation.token
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    invitation.refresh_from_db()
    assert invitation.status == "expired"
    with committed():
        coaching_invitations.resend_invitation(invitation=invitation, by=coach)
    invitation.refresh_from_db()
    assert invitation.status == "open"
    assert invitation.token != old_token
    assert not Invitation.objects.filter(token=old_token).exists()
    assert len(mail.outbox) == 2
    assert invitation.token in mail.outbox[1].body
    assert old_token not in mail.outbox[1].body


def test_an_invitation_is_sent_at_most_three_times(coach, committed):
    cohort = factories.cohort(coaches=[coach])
    with committed():
        coaching_invitations.add_member(cohort=cohort, email="spam.me@example.org", added_by=coach)
    invitation = Invitation.objects.get()
    for _ in range(2):
        with committed():
            coaching_invitations.resend_invitation(invitation=invitation, by=coach)
    with pytest.raises(services.CoachingError, match="sent 3 times"):
        for _ in range(7):
            with committed():
                coaching_invitations.resend_invitation(invitation=invitation, by=coach)
    assert len(mail.outbox) == 3


def test_a_coach_resends_at_most_thirty_invitations_a_day(coach):
    cohort = factories.cohort(coaches=[coach])
    for number in range(coaching_invitations.MAX_RESENDS_PER_COACH_PER_DAY + 1):
        coaching_invitations.add_member(
            cohort=cohort, email=f"t{number}@example.org", added_by=coach
        )
    invitations = list(Invitation.objects.order_by("pk"))
    for invitation in invitations[:-1]:
        coaching_invitations.resend_invitation(invitation=invitation, by=coach)
    with pytest.raises(services.CoachingError, match="Try again tomorrow"):
        coaching_invitations.resend_invitation(invitation=invitations[-1], by=coach)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        coaching_invitations.resend_invitation(invitation=invitations[-1], by=coach)


def test_a_withdrawn_invitation_cannot_be_accepted_or_sent_again(coach):
    cohort = factories.cohort(coaches=[coach])
    coaching_invitations.add_member(cohort=cohort, email="maybe@example.org", added_by=coach)
    invitation = Invitation.objects.get()
    coaching_invitations.withdraw_invitation(invitation=invitation, by=coach)
    user = factories.teacher(email="maybe@example.org")
    with pytest.raises(services.CoachingError):
        coaching_invitations.accept_invitation(invitation=invitation, user=user)
    with pytest.raises(services.CoachingError):
        coaching_invitations.resend_invitation(invitation=invitation, by=coach)
    assert not CohortMembership.objects.exists()


def test_accepting_joins_the_cohort_and_enrols_in_its_courses(coach, course):
    first = factories.cohort(coaches=[coach], name="A")
    second = factories.cohort(coaches=[coach], name="B")
    services.assign_course(cohort=first, course=course, due_on=IN_TWO_WEEKS, assigned_by=coach)
    for cohort in (first, second):
        coaching_invitations.add_member(cohort=cohort, email="joiner@example.org", added_by=coach)
    user = factories.teacher(email="joiner@example.org")
    accept(first, user)
    assert list(user.cohorts.values_list("name", flat=True)) == ["A"]
    assert Enrollment.objects.get(user=user, course=course).source == EnrollmentSource.ASSIGNED
    assert Invitation.objects.get(cohort=second).status == "open"


def test_declining_shares_nothing_and_closes_the_invitation(coach, teacher):
    cohort = factories.cohort(coaches=[coach])
    coaching_invitations.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    invitation = Invitation.objects.get()
    coaching_invitations.decline_invitation(invitation=invitation, user=teacher)
    assert Invitation.objects.get().status == "declined"
    assert not CohortMembership.objects.exists()
    with pytest.raises(services.CoachingError):
        coaching_invitations.accept_invitation(invitation=invitation, user=teacher)
    again = coaching_invitations.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    assert again.outcome == "invited"  # the coach may ask once more, with a new invitation


def test_an_unverified_address_cannot_accept(coach):
    """Someone who registered a colleague's address without confirming it is not them."""
    cohort = factories.cohort(coaches=[coach])
    coaching_invitations.add_member(cohort=cohort, email="colleague@example.org", added_by=coach)
    impostor = factories.teacher(email="colleague@example.org", verified=False)
    with pytest.raises(services.CoachingError, match="different email address"):
        accept(cohort, impostor)
    assert not CohortMembership.objects.exists()


def test_someone_else_cannot_accept_an_invitation(coach, teacher):
    cohort = factories.cohort(coaches=[coach])
    coaching_invitations.add_member(cohort=cohort, email="invitee@example.org", added_by=coach)
    invitation = Invitation.objects.get()
    with pytest.raises(services.CoachingError):
        coaching_invitations.accept_invitation(invitation=invitation, user=teacher)
    assert not CohortMembership.objects.exists()


def test_an_expired_invitation_is_not_accepted(coach):
    cohort = factories.cohort(coaches=[coach])
    coaching_invitations.add_member(cohort=cohort, email="slow@example.org", added_by=coach)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    user = factories.teacher(email="slow@example.org")
    with pytest.raises(services.CoachingError):
        accept(cohort, user)
    assert not CohortMembership.objects.filter(user=user).exists()


def test_an_invitation_to_an_account_is_written_in_its_language(coach, committed):
    # The same cohort invites a Spanish-speaking teacher with an account and a new address.
    rosa = factories.teacher(email="rosa@example.org", language="es")
    cohort = factories.cohort(coaches=[coach])
    with committed():
        coaching_invitations.add_member(cohort=cohort, email=rosa.email, added_by=coach)
        coaching_invitations.add_member(cohort=cohort, email="new@example.org", added_by=coach)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[rosa.email].subject.startswith("Una invitación para unirse a una cohorte")
    assert "Abra la invitación" in by_address[rosa.email].body
    assert by_address["new@example.org"].subject.startswith("An invitation to join a cohort")

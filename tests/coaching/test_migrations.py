"""Memberships made before consent existed (a coach added an account directly) give no
consent: the migration turns them into open invitations the teacher can accept."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("coaching", "0001_initial")]
AFTER = [("coaching", "0002_invitation_consent")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_memberships_without_an_accepted_invitation_become_invitations():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("pdsite", "User")
    Cohort = old.get_model("coaching", "Cohort")
    Membership = old.get_model("coaching", "CohortMembership")
    Invitation = old.get_model("coaching", "Invitation")
    cohort = Cohort.objects.create(name="Legacy")
    pulled_in = User.objects.create(email="pulled.in@example.org", full_name="Pulled In")
    consented = User.objects.create(email="said.yes@example.org", full_name="Said Yes")
    Membership.objects.create(cohort=cohort, user=pulled_in)
    Membership.objects.create(cohort=cohort, user=consented)
    Invitation.objects.create(
        cohort=cohort,
        email=consented.email,
        token="t1",
        accepted_by=consented,
        accepted_at="2026-01-01T00:00Z",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Membership = new.get_model("coaching", "CohortMembership")
    Invitation = new.get_model("coaching", "Invitation")
    assert list(Membership.objects.values_list("user__email", flat=True)) == [consented.email]
    waiting = Invitation.objects.get(email=pulled_in.email)
    assert waiting.accepted_at is None and waiting.withdrawn_at is None
    assert waiting.full_name == "Pulled In"

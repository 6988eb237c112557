"""Memberships made before consent existed (a coach added an account directly) give no
consent: migration 0002 turns them into open invitations the teacher can accept."""

import importlib

import pytest
from django.apps import apps

from coaching.models import CohortMembership, Invitation
from tests import factories

pytestmark = pytest.mark.django_db

consent = importlib.import_module("coaching.migrations.0002_invitation_consent")


def test_memberships_without_an_accepted_invitation_become_invitations(coach):
    pulled_in = factories.teacher(email="pulled.in@example.org", full_name="Pulled In")
    said_yes = factories.teacher(email="said.yes@example.org", full_name="Said Yes")
    cohort = factories.cohort(coaches=[coach], members=[pulled_in, said_yes], name="Legacy")
    Invitation.objects.create(
        cohort=cohort,
        email=said_yes.email,
        accepted_by=said_yes,
        accepted_at="2026-01-01T00:00Z",
    )

    consent.memberships_without_consent_become_invitations(apps, None)

    assert list(CohortMembership.objects.values_list("user__email", flat=True)) == [said_yes.email]
    waiting = Invitation.objects.get(email=pulled_in.email)
    assert waiting.status == "open"
    assert waiting.full_name == "Pulled In"

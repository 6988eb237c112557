"""/account/delete/: erase the person, keep their certificates verifiable."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from certificates.models import Certificate
from coaching import services as coaching
from coaching.models import Feedback
from quizzes.models import Answer, Attempt
from tests import factories

pytestmark = pytest.mark.django_db
CLOSE = "/account/delete/"


def confirmed(client):
    """Signed in, and the password typed again just now (allauth's re-authentication)."""
    client.post("/accounts/reauthenticate/", {"password": factories.PASSWORD})
    return client


def test_closing_asks_for_the_password_again_first(client, history):
    client.force_login(history["tess"])
    response = client.get(CLOSE)
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(CLOSE, {"confirm": "on"})
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert get_user_model().objects.filter(pk=history["tess"].pk).exists()


def test_without_the_tick_nothing_is_erased(client, history):
    client.force_login(history["tess"])
    response = confirmed(client).post(CLOSE, {})
    assert "Tick the box to confirm" in response.text
    assert get_user_model().objects.filter(pk=history["tess"].pk).exists()


def test_closing_erases_her_data_and_keeps_the_certificate_verifiable(client, history):
    tess, certificate = history["tess"], history["certificate"]
    number = tess.pk
    client.force_login(tess)
    page = confirmed(client).get(CLOSE)
    assert "Certificates you were issued stay on record" in page.text
    response = client.post(CLOSE, {"confirm": "on"}, follow=True)
    assert "Your account is closed and your data erased." in response.text

    assert not get_user_model().objects.filter(email="tess@example.org").exists()
    assert not Attempt.objects.filter(user_id=number).exists()
    assert not Answer.objects.exists() and not Feedback.objects.exists()
    kept = Certificate.objects.get(pk=certificate.pk)
    assert (kept.user_id, kept.name_on_certificate) == (None, certificate.name_on_certificate)

    verify = client.get(reverse("certificates:verify", args=[certificate.code]))
    assert verify.status_code == 200
    assert certificate.name_on_certificate in verify.text
    assert "The holder has since closed their account" in verify.text
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")  # signed out

    event = AuditEvent.objects.get()
    assert (event.action, event.account_number, event.user) == (
        AuditAction.ACCOUNT_CLOSED, number, None
    )
    assert certificate.code in event.detail and "tess" not in event.detail.lower()


def test_her_coach_no_longer_sees_her(client, history):
    client.force_login(history["tess"])
    confirmed(client).post(CLOSE, {"confirm": "on"})
    coach = factories.Client()
    coach.force_login(history["ana"])
    matrix = coach.get(
        reverse("coaching:matrix", args=[history["cohort"].pk, history["assignment"].pk])
    )
    assert matrix.status_code == 200
    assert "Tess Teacher" not in matrix.text


def test_the_only_coach_of_a_cohort_is_told_to_hand_it_over_first(client, history):
    ana = history["ana"]
    client.force_login(ana)
    page = confirmed(client).get(CLOSE)
    assert "You are the only coach of “Cohort A”" in page.text
    response = client.post(CLOSE, {"confirm": "on"})
    assert response.status_code == 409
    assert get_user_model().objects.filter(pk=ana.pk).exists()


def test_a_coach_with_a_co_coach_may_close_and_the_cohort_stays_with_the_other(
    client, history
):
    ana, cohort = history["ana"], history["cohort"]
    bo = factories.coach(full_name="Bo Coach")
    cohort.coaches.add(bo)
    client.force_login(ana)
    confirmed(client).post(CLOSE, {"confirm": "on"})
    assert not get_user_model().objects.filter(pk=ana.pk).exists()
    assert list(cohort.coaches.all()) == [bo]
    assert cohort.memberships.filter(user=history["tess"]).exists()


def test_an_empty_cohort_does_not_stop_its_coach_from_leaving(client, catalogue):
    coach = factories.coach()
    coaching.create_cohort(coach=coach, name="Never used")
    client.force_login(coach)
    confirmed(client).post(CLOSE, {"confirm": "on"})
    assert not get_user_model().objects.filter(pk=coach.pk).exists()


def test_a_pd_administrator_is_told_to_ask_another_admin(client, catalogue):
    admin = factories.pd_admin()
    client.force_login(admin)
    page = confirmed(client).get(CLOSE)
    assert "PD administrators cannot close their own account here" in page.text
    assert client.post(CLOSE, {"confirm": "on"}).status_code == 409


def test_pd_admins_read_the_audit_log_in_the_wagtail_admin(client, history):
    client.force_login(history["tess"])
    confirmed(client).post(CLOSE, {"confirm": "on"})
    admin = factories.Client()
    admin.force_login(factories.superuser())
    page = admin.get("/admin/account-audit-log/")
    assert page.status_code == 200
    assert "Account closed" in page.text and history["certificate"].code in page.text

    coach = factories.Client()
    coach.force_login(history["ana"])
    assert coach.get("/admin/account-audit-log/").status_code in {302, 403}


def test_closing_deletes_her_evidence_files_from_storage(
    client, history, follow_up_with_evidence, django_capture_on_commit_callbacks
):
    evidence = follow_up_with_evidence["evidence"]
    name, storage = evidence.file.name, evidence.file.storage
    assert storage.exists(name)
    client.force_login(history["tess"])
    with django_capture_on_commit_callbacks(execute=True):
        confirmed(client).post(CLOSE, {"confirm": "on"})
    assert not get_user_model().objects.filter(pk=history["tess"].pk).exists()
    assert not storage.exists(name)

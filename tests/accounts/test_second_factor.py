"""Two-factor sign-in: required for coaches and PD administrators, offered to teachers.

Codes are computed from the authenticator's secret, as a phone app would."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.core.management import call_command

from core.roles import COACHES
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/2fa/authenticate/"


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def sign_in_with_password(client, user):
    return client.post(LOGIN, {"login": user.email, "password": factories.PASSWORD})


@pytest.mark.parametrize("make", [factories.coach, factories.pd_admin])
@pytest.mark.parametrize("path", ["/coach/", "/admin/", "/dashboard/", "/transcript/"])
def test_a_coach_or_admin_without_a_device_is_sent_to_set_one_up(client, make, path):
    client.force_login(make(second_factor=False))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/2fa/totp/activate/?next={path.replace('/', '%2F')}"


def test_their_own_account_pages_stay_open_so_they_can_set_it_up_or_leave(client):
    client.force_login(factories.coach(second_factor=False))
    assert client.get("/accounts/email/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert not signed_in(client)


def test_a_session_that_has_not_typed_a_code_is_asked_for_one(client):
    coach = factories.coach()
    client.force_login(coach, second_factor=False)  # e.g. signed in before adding the app
    response = client.get("/coach/")
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fcoach%2F"
    response = client.post(response["Location"], {"code": factories.totp_code()})
    assert response["Location"] == "/coach/"
    assert client.get("/coach/").status_code == 200


def test_a_teacher_made_coach_while_signed_in_must_set_up_a_second_factor(client):
    teacher = factories.teacher()
    client.force_login(teacher)
    assert client.get("/dashboard/").status_code == 200
    Group.objects.get(name=COACHES).user_set.add(teacher)
    assert client.get("/dashboard/")["Location"].startswith("/accounts/2fa/totp/activate/")


def test_teachers_are_not_required_to_use_one(teacher_client):
    assert teacher_client.get("/dashboard/").status_code == 200


def test_the_password_alone_does_not_sign_a_coach_in(client):
    coach = factories.coach()
    response = sign_in_with_password(client, coach)
    assert response["Location"] == CODE
    assert not signed_in(client)
    assert client.get("/coach/")["Location"].startswith(LOGIN)


def test_password_then_code_signs_a_coach_in_and_opens_the_coach_pages(client):
    coach = factories.coach()
    sign_in_with_password(client, coach)
    response = client.post(CODE, {"code": factories.totp_code()})
    assert response.status_code == 302
    assert signed_in(client)
    assert client.get("/coach/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_error(client):
    coach = factories.coach()
    sign_in_with_password(client, coach)
    wrong = f"{(int(factories.totp_code()) + 1) % 1_000_000:06d}"
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code." in response.text
    assert not signed_in(client)


def test_an_old_code_is_refused(client):
    coach = factories.coach()
    sign_in_with_password(client, coach)
    response = client.post(CODE, {"code": factories.totp_code(at=time.time() - 90)})
    assert "Incorrect code." in response.text
    assert not signed_in(client)


def test_a_code_works_once(client):
    coach = factories.coach()
    code = factories.totp_code()
    sign_in_with_password(client, coach)
    client.post(CODE, {"code": code})
    assert signed_in(client)

    thief = factories.Client()  # someone who saw the code and knows the password
    sign_in_with_password(thief, coach)
    response = thief.post(CODE, {"code": code})
    assert "Incorrect code." in response.text
    assert not signed_in(thief)


def test_code_entry_is_rate_limited_per_account(client):
    coach = factories.coach()
    sign_in_with_password(client, coach)
    for _ in range(5):
        client.post(CODE, {"code": "000000"})
    response = client.post(CODE, {"code": factories.totp_code()})
    assert "Too many failed login attempts" in response.text
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client):
    coach = factories.coach()
    codes = _recovery_codes(coach)
    sign_in_with_password(client, coach)
    client.post(CODE, {"code": codes[0]})
    assert signed_in(client)

    again = factories.Client()
    sign_in_with_password(again, coach)
    response = again.post(CODE, {"code": codes[0]})
    assert "Incorrect code." in response.text
    assert not signed_in(again)


def _recovery_codes(user) -> list[str]:
    return RecoveryCodes.activate(user).get_unused_codes()


def test_a_teacher_turns_it_on_from_the_account_page_and_sees_the_codes_once(client):
    teacher = factories.teacher()
    client.force_login(teacher)
    page = client.get("/account/")
    assert "Turn on two-factor authentication" in page.text

    # Turning it on asks for the password first (allauth re-authenticates).
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": factories.PASSWORD})
    form = client.get("/accounts/2fa/totp/activate/")
    assert form.status_code == 200
    assert "<svg" not in form.text  # the QR code is an image (data: URI), not inline markup
    secret = client.session[SECRET_SESSION_KEY]

    bad = client.post("/accounts/2fa/totp/activate/", {"code": "123"})
    assert bad.status_code == 200 and "Incorrect code." in bad.text

    done = client.post("/accounts/2fa/totp/activate/", {"code": factories.totp_code(secret=secret)})
    assert done["Location"] == "/accounts/2fa/recovery-codes/"
    first_view = client.get(done["Location"]).text
    codes = Authenticator.objects.get(user=teacher, type="recovery_codes").wrap()
    assert codes.get_unused_codes()[0] in first_view
    assert codes.get_unused_codes()[0] not in client.get(done["Location"]).text  # shown once
    assert "On." in client.get("/account/").text


def test_a_teacher_turns_it_off_again(client):
    teacher = factories.teacher()
    factories.give_totp_device(teacher, factories.TOTP_SECRET)
    client.force_login(teacher)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")  # password first
    client.post(response["Location"], {"password": factories.PASSWORD})
    client.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=teacher).exists()
    assert "Turn on two-factor authentication" in client.get("/account/").text


def test_a_coach_cannot_turn_it_off(client):
    coach = factories.coach()
    client.force_login(coach)
    client.post("/accounts/reauthenticate/", {"password": factories.PASSWORD})
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert "You cannot deactivate two-factor authentication." in response.text
    assert Authenticator.objects.filter(user=coach, type="totp").exists()


def test_reset_second_factor_sends_a_coach_to_set_up_a_new_app(client):
    coach = factories.coach(email="lost.phone@example.org")
    call_command("reset_second_factor", "Lost.Phone@example.org", stdout=None)
    assert not Authenticator.objects.filter(user=coach).exists()
    client.force_login(coach)
    assert client.get("/coach/")["Location"].startswith("/accounts/2fa/totp/activate/")

"""Security keys (WebAuthn) as a second factor: a coach with only a key passes the rule, signs in
with password + key, and cannot remove her last one. The key is tests.security_key: real
signatures over allauth's challenges, posted as the browser would."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY

from accounts.second_factor import has_second_factor, second_factor_prompt
from tests import factories
from tests.security_key import SecurityKey

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/2fa/authenticate/"
ADD_KEY = "/accounts/2fa/webauthn/add/"
KEY_PROMPT = "/accounts/2fa/webauthn/reauthenticate/"


def confirm_password(client):
    # allauth asks for the password again before a key is added or removed.
    response = client.post("/accounts/reauthenticate/", {"password": factories.PASSWORD})
    assert response.status_code == 302


def add_key(client, key: SecurityKey, name="Blue key"):
    confirm_password(client)
    page = client.get(ADD_KEY)
    credential = key.register(page.context["js_data"]["creation_options"])
    return client.post(ADD_KEY, {"name": name, "credential": json.dumps(credential)})


def coach_with_only_a_key():
    coach = factories.coach(second_factor=False)
    key = SecurityKey()
    client = factories.Client()
    client.force_login(coach)
    add_key(client, key)
    return coach, key


def test_a_coach_without_a_factor_adds_a_key_and_her_pages_open():
    coach = factories.coach(second_factor=False)
    client = factories.Client()
    client.force_login(coach)
    assert client.get("/coach/").status_code == 302
    response = add_key(client, SecurityKey())
    assert response.status_code == 302
    assert has_second_factor(coach)
    assert client.get("/coach/").status_code == 200
    assert Authenticator.objects.get(user=coach, type="webauthn").wrap().name == "Blue key"


def test_a_key_that_signs_the_wrong_challenge_is_not_added():
    coach = factories.coach(second_factor=False)
    client = factories.Client()
    client.force_login(coach)
    confirm_password(client)
    client.get(ADD_KEY)
    stale = SecurityKey().register({"publicKey": {"challenge": "AAAAAAAAAAAAAAAAAAAAAA"}})
    client.post(ADD_KEY, {"name": "Replayed", "credential": json.dumps(stale)})
    assert not has_second_factor(coach)


def test_a_coach_signs_in_with_her_password_and_her_key():
    coach, key = coach_with_only_a_key()
    client = factories.Client()
    response = client.post(LOGIN, {"login": coach.email, "password": factories.PASSWORD})
    assert response["Location"] == CODE
    assert SESSION_KEY not in client.session
    page = client.get(CODE)
    credential = key.sign(page.context["js_data"]["request_options"])
    client.post(CODE, {"credential": json.dumps(credential)})
    assert SESSION_KEY in client.session
    assert client.get("/coach/").status_code == 200


def test_someone_elses_key_does_not_sign_her_in():
    coach, _key = coach_with_only_a_key()
    client = factories.Client()
    client.post(LOGIN, {"login": coach.email, "password": factories.PASSWORD})
    page = client.get(CODE)
    credential = SecurityKey().sign(page.context["js_data"]["request_options"])
    client.post(CODE, {"credential": json.dumps(credential)})
    assert SESSION_KEY not in client.session


def test_a_session_that_has_not_used_her_only_key_is_asked_for_the_key():
    coach, key = coach_with_only_a_key()
    assert second_factor_prompt(coach) == "mfa_reauthenticate_webauthn"
    client = factories.Client()
    client.force_login(coach, second_factor=False)
    response = client.get("/coach/")
    assert response["Location"] == f"{KEY_PROMPT}?next=%2Fcoach%2F"
    page = client.get(response["Location"])
    credential = key.sign(page.context["js_data"]["request_options"])
    response = client.post(KEY_PROMPT, {"credential": json.dumps(credential), "next": "/coach/"})
    assert response["Location"] == "/coach/"
    assert client.get("/coach/").status_code == 200


def test_someone_with_an_authenticator_app_is_asked_for_its_code():
    assert second_factor_prompt(factories.coach()) == "mfa_reauthenticate"


def test_a_coach_cannot_remove_her_only_key_but_can_once_she_has_an_app():
    coach, _key = coach_with_only_a_key()
    client = factories.Client()
    client.force_login(coach)
    confirm_password(client)
    pk = Authenticator.objects.get(user=coach, type="webauthn").pk
    remove = f"/accounts/2fa/webauthn/keys/{pk}/remove/"
    response = client.post(remove, follow=True)
    assert "Coaches and PD administrators keep a second factor" in response.content.decode()
    assert has_second_factor(coach)
    factories.give_totp_device(coach, factories.TOTP_SECRET)
    client.post(remove)
    assert not Authenticator.objects.filter(user=coach, type="webauthn").exists()


def test_a_teacher_may_remove_her_only_key():
    teacher = factories.teacher()
    client = factories.Client()
    client.force_login(teacher)
    add_key(client, SecurityKey())
    pk = Authenticator.objects.get(user=teacher, type="webauthn").pk
    client.post(f"/accounts/2fa/webauthn/keys/{pk}/remove/")
    assert not has_second_factor(teacher)


def test_the_account_page_lists_her_keys():
    teacher = factories.teacher()
    client = factories.Client()
    client.force_login(teacher)
    add_key(client, SecurityKey(), name="Desk key")
    page = client.get("/account/").content.decode()
    assert "Desk key" in page
    assert "/accounts/2fa/webauthn/" in page

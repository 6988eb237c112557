"""Every sign-in goes through allauth: the old doors (Wagtail's and Django's admin login
pages) neither sign anyone in nor let a locked-out or unverified account past."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache

from tests import factories

pytestmark = pytest.mark.django_db

OLD_DOORS = ["/admin/login/", "/django-admin/login/"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_user(db):
    user = factories.pd_admin(email="admin@example.org")
    user.is_superuser = True
    user.save()
    return user


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.parametrize("door", OLD_DOORS)
def test_the_old_login_doors_sign_nobody_in(client, admin_user, door):
    response = client.post(door, {"username": admin_user.email, "password": factories.PASSWORD})
    assert response.status_code in (302, 404)
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302


def test_wagtails_login_page_sends_people_to_the_real_sign_in(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"


def test_wagtails_login_page_ignores_a_next_pointing_elsewhere(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_django_admin_is_not_routed(client, admin_user):
    assert client.get("/django-admin/").status_code == 404
    client.force_login(admin_user)
    assert client.get("/django-admin/").status_code == 404


def test_wagtails_password_reset_is_allauths(client, admin_user):
    response = client.post("/admin/password_reset/", {"email": admin_user.email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/"


def test_a_locked_out_admin_stays_locked_out_on_every_door(client, admin_user):
    for _ in range(6):
        client.post("/accounts/login/", {"login": admin_user.email, "password": "wrong"})
    locked = client.post(
        "/accounts/login/", {"login": admin_user.email, "password": factories.PASSWORD}
    )
    assert not signed_in(client)
    assert "Too many failed login attempts" in locked.text
    for door in OLD_DOORS:
        for _ in range(25):
            client.post(door, {"username": admin_user.email, "password": "wrong"})
        client.post(door, {"username": admin_user.email, "password": factories.PASSWORD})
        assert not signed_in(client)


def test_an_unverified_account_cannot_sign_in_through_the_admin(client, catalogue):
    user = factories.teacher(email="unconfirmed@example.org", verified=False)
    client.post("/admin/login/", {"username": user.email, "password": factories.PASSWORD})
    assert not signed_in(client)
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_signed_in_teacher_opening_the_admin_is_told_no_without_a_loop(teacher_client):
    response = teacher_client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "You do not have access to this page" in response.text
    assert [url for url, _status in response.redirect_chain] == ["/admin/login/?next=/admin/"]


def test_an_admin_still_reaches_the_admin_after_signing_in_with_allauth(client, admin_user):
    client.post("/accounts/login/", {"login": admin_user.email, "password": factories.PASSWORD})
    assert not signed_in(client)  # the password alone is not enough for a PD administrator
    client.post("/accounts/2fa/authenticate/", {"code": factories.totp_code()})
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200

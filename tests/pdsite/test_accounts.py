import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from core.roles import TEACHERS

pytestmark = pytest.mark.django_db


def sign_up(client, email="new.teacher@example.org", name="Maya  Chen"):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "full_name": name,
            "password1": "kind-words-2026!",
            "password2": "kind-words-2026!",
        },
    )


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(/accounts/confirm-email/[^\s]+)", message.body).group(1)


def test_sign_up_verifies_email_then_lands_on_dashboard(client, catalogue):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get(email="new.teacher@example.org")
    assert user.full_name == "Maya Chen"
    assert list(user.groups.values_list("name", flat=True)) == [TEACHERS]
    assert len(mail.outbox) == 1
    link = confirmation_link(mail.outbox[0])
    assert "Confirm" in client.get(link).text
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_unverified_account_cannot_sign_in(client, catalogue):
    sign_up(client)
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "new.teacher@example.org", "password": "kind-words-2026!"}
    )
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/dashboard/").status_code == 302


def test_sign_up_without_a_name_keeps_what_was_typed(client, catalogue):
    response = sign_up(client, name="   ")
    assert response.status_code == 200
    assert 'value="new.teacher@example.org"' in response.text
    assert not get_user_model().objects.exists()


def test_wagtail_admin_login_goes_through_allauth(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"

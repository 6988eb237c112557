"""Sessions: listed on the account page, signed out everywhere, and by a password change."""

import pytest
from django.contrib.auth import SESSION_KEY

from tests import factories

pytestmark = pytest.mark.django_db


def signed_in_browser(user, agent):
    browser = factories.Client(HTTP_USER_AGENT=agent)
    browser.post("/accounts/login/", {"login": user.email, "password": factories.PASSWORD})
    assert SESSION_KEY in browser.session
    return browser


def test_the_account_page_lists_each_signed_in_browser(client):
    teacher = factories.teacher()
    laptop = signed_in_browser(teacher, "Laptop Firefox")
    signed_in_browser(teacher, "Phone Safari")
    page = laptop.get("/account/").text
    assert "Laptop Firefox" in page and "Phone Safari" in page
    assert "This browser" in page
    assert "Sign out other sessions" in page


def test_sign_out_everywhere_ends_every_session(client):
    teacher = factories.teacher()
    laptop = signed_in_browser(teacher, "Laptop")
    phone = signed_in_browser(teacher, "Phone")
    response = laptop.post("/account/sign-out-everywhere/")
    assert response["Location"] == "/accounts/login/"
    assert laptop.get("/dashboard/")["Location"].startswith("/accounts/login/")
    assert phone.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_sign_out_other_sessions_keeps_this_one(client):
    teacher = factories.teacher()
    laptop = signed_in_browser(teacher, "Laptop")
    phone = signed_in_browser(teacher, "Phone")
    laptop.post("/accounts/sessions/")
    assert laptop.get("/dashboard/").status_code == 200
    assert phone.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_sign_out_everywhere_is_a_post(client):
    teacher = factories.teacher()
    laptop = signed_in_browser(teacher, "Laptop")
    assert laptop.get("/account/sign-out-everywhere/").status_code == 405
    assert laptop.get("/dashboard/").status_code == 200


def test_a_password_change_signs_out_the_other_sessions(client):
    teacher = factories.teacher()
    laptop = signed_in_browser(teacher, "Laptop")
    phone = signed_in_browser(teacher, "Phone")
    new = "a-brand-new-password-2027"
    laptop.post(
        "/accounts/password/change/",
        {"oldpassword": factories.PASSWORD, "password1": new, "password2": new},
    )
    assert laptop.get("/dashboard/").status_code == 200
    assert phone.get("/dashboard/")["Location"].startswith("/accounts/login/")
    assert "Phone" not in laptop.get("/account/").text

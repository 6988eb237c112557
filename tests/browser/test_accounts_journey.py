"""Accounts in the browser: signing in with a second factor, being sent to set one up,
a teacher turning it on and off."""

import json
import re
import zipfile

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from modules.models import ModuleProgress
from quizzes.models import Attempt
from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, check_accessibility, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_signs_in_with_password_and_authenticator_code(page, live_server, catalogue):
    admin = factories.pd_admin(full_name="Alex Morgan", email="alex@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    check_accessibility(page, "accounts-01-code-page")

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign In").click()
    assert page.get_by_text("Incorrect code.").is_visible()

    page.get_by_label("Code").fill(factories.totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    page.goto("/account/")
    assert page.get_by_text("Coaches and PD administrators must keep").is_visible()
    check_accessibility(page, "accounts-02-account-page-admin")


def test_a_coach_without_a_device_is_sent_to_set_one_up(page, live_server, catalogue):
    coach = factories.coach(second_factor=False, email="new.coach@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coach.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # /dashboard/ sends her on to the setup, which first asks for her password again.
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    assert page.get_by_text("Coaches and PD administrators sign in with a second").is_visible()
    check_accessibility(page, "accounts-03-set-up-authenticator")

    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(factories.totp_code(secret=secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    codes = Authenticator.objects.get(user=coach, type="recovery_codes").wrap().get_unused_codes()
    assert codes[0] in page.get_by_label("Unused codes").input_value()
    check_accessibility(page, "accounts-04-recovery-codes")

    page.goto("/coach/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert "/coach/" in page.url


def test_a_teacher_turns_two_factor_on_and_off(phone, live_server, catalogue):
    teacher = factories.teacher(email="tess@example.org")
    sign_in(phone, teacher)
    phone.goto("/account/")
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "accounts-05-account-page-phone")
    phone.get_by_role("link", name="Turn on two-factor authentication").click()
    phone.get_by_label("Password").fill(factories.PASSWORD)
    phone.get_by_role("button", name="Confirm").click()
    phone.wait_for_url("**/accounts/2fa/totp/activate/**")
    assert_no_sideways_scroll(phone)
    secret = phone.get_by_label("Authenticator secret").input_value()
    phone.get_by_label("Authenticator code").fill(factories.totp_code(secret=secret))
    phone.get_by_role("button", name="Activate").click()
    phone.wait_for_url("**/accounts/2fa/recovery-codes/")

    phone.goto("/account/")
    assert phone.get_by_text(re.compile(r"^On\.")).is_visible()
    phone.get_by_role("link", name="Manage two-factor authentication").click()
    phone.get_by_role("link", name="Deactivate").click()
    phone.get_by_role("button", name="Deactivate").click()
    phone.goto("/account/")
    assert phone.get_by_role("link", name="Turn on two-factor authentication").is_visible()
    assert not Authenticator.objects.filter(user=teacher).exists()


def test_a_teacher_downloads_her_data_then_closes_her_account(page, live_server, course):
    tess = factories.teacher(full_name="Tess Teacher", email="tess@example.org")
    module = course.get_children().first().specific
    answer = factories.reflection(user=tess, module=module, text="My questions went to a few.")
    certificate = factories.certificate(course, user=tess)
    sign_in(page, tess)
    page.goto("/account/")
    page.get_by_role("link", name="Download your data").click()
    check_accessibility(page, "accounts-06-export")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    archive = zipfile.ZipFile(download_info.value.path())
    answers = json.loads(archive.read("answers.json"))
    assert [a["text"] for a in answers] == [answer.text]
    certificates = json.loads(archive.read("certificates.json"))
    assert [c["code"] for c in certificates] == [certificate.code]
    [profile] = json.loads(archive.read("profile.json"))
    assert (profile["email"], profile["full_name"]) == (tess.email, tess.full_name)
    enrollments = json.loads(archive.read("enrollments.json"))
    assert [e["course"] for e in enrollments] == [course.title]
    progress = json.loads(archive.read("module_progress.json"))
    assert sorted(p["module"] for p in progress) == sorted(
        ModuleProgress.objects.filter(user=tess).values_list("module__title", flat=True)
    )
    attempts = json.loads(archive.read("attempts.json"))
    assert [a["attempt"] for a in attempts] == list(
        Attempt.objects.filter(user=tess).order_by("pk").values_list("pk", flat=True)
    )

    page.goto("/account/")
    page.get_by_role("link", name="Close your account").click()
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/delete/")
    check_accessibility(page, "accounts-07-close-account")
    page.get_by_role("button", name="Close my account").click()
    assert page.get_by_text("Tick the box to confirm").is_visible()
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Close my account").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("Your account is closed and your data erased.").is_visible()
    assert not get_user_model().objects.filter(email="tess@example.org").exists()

    page.goto(f"/verify/{certificate.code}/")
    assert page.get_by_text("Valid: this certificate was issued by us").is_visible()
    assert page.get_by_text("closed their account").is_visible()
    check_accessibility(page, "accounts-08-verify-closed-account")


def test_a_teacher_changes_her_name_for_the_certificates_to_come(phone, live_server, catalogue):
    first = factories.course_with_modules(catalogue, modules=1, slug="first")
    second = factories.course_with_modules(catalogue, modules=1, slug="second")
    tess = factories.teacher(full_name="Tess Teacher", email="tess@example.org")
    issued = factories.certificate(first, user=tess)
    sign_in(phone, tess)
    phone.goto("/account/")
    phone.get_by_role("link", name="Your name on certificates").click()
    assert phone.get_by_label("Your name").input_value() == "Tess Teacher"
    phone.get_by_label("Your name").fill("   ")
    phone.get_by_role("button", name="Save my name").click()
    assert phone.get_by_text("This field is required.").is_visible()
    phone.get_by_label("Your name").fill("Tess  Okafor")
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "accounts-09-change-name-phone")
    phone.get_by_role("button", name="Save my name").click()
    phone.wait_for_url("**/account/")
    assert phone.get_by_text("Your name is saved.").is_visible()
    assert phone.get_by_text("Signed in as Tess Okafor (tess@example.org).").is_visible()

    later = factories.certificate(second, user=get_user_model().objects.get(pk=tess.pk))
    phone.goto(f"/verify/{issued.code}/")
    assert phone.get_by_text("Tess Teacher").first.is_visible()
    phone.goto(f"/verify/{later.code}/")
    assert phone.get_by_text("Tess Okafor").first.is_visible()

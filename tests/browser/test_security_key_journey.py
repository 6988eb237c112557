"""A coach adds a security key and signs in with password + key, in Chromium with its virtual
authenticator (DevTools' WebAuthn domain) standing in for a USB key.

WebAuthn needs a secure context and a relying-party id that is a domain name: Chromium
refuses an IP address such as 127.0.0.1 as the id, but treats http://localhost as secure. So
this journey browses the live server as localhost (the same 127.0.0.1 socket), and the test
settings accept its http origin (MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN; production needs HTTPS)."""

from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "webauthn"


def localhost_page(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url.replace("127.0.0.1", "localhost"), **options
    )
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return page


@pytest.fixture
def key_page(browser, live_server):
    page = localhost_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


def snap(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    check_accessibility(page, f"webauthn-{name}")


def password_step(page, coach):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coach.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def confirm_password(page):
    # Setting up a second factor asks for the password again (allauth's re-authentication).
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_a_coach_adds_a_security_key_and_signs_in_with_it(key_page, live_server, catalogue):
    page = key_page
    coach = factories.coach(second_factor=False, full_name="Kim Key", email="kim@example.org")

    password_step(page, coach)
    confirm_password(page)
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    page.get_by_role("link", name="Use a security key instead").click()
    page.wait_for_url("**/accounts/2fa/webauthn/add/**")
    snap(page, "01-add-key")
    page.get_by_label("Name").fill("Blue key")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert Authenticator.objects.filter(user=coach, type="webauthn").count() == 1

    page.goto("/account/")
    expect(page.get_by_text("Blue key")).to_be_visible()
    snap(page, "02-account-page")
    page.goto("/accounts/2fa/webauthn/")
    expect(page.get_by_role("cell", name="Blue key", exact=True)).to_be_visible()
    snap(page, "03-key-list")

    page.context.clear_cookies()
    password_step(page, coach)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    snap(page, "04-second-step")
    page.get_by_role("button", name="Use a security key").click()
    page.wait_for_url("**/dashboard/")
    page.goto("/coach/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/coach/" in page.url
    assert Authenticator.objects.get(user=coach, type="webauthn").last_used_at is not None


def test_the_key_pages_fit_a_phone(browser, live_server, catalogue):
    page = localhost_page(
        browser, live_server, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    teacher = factories.teacher(full_name="Pia Phone")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(teacher.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    page.goto("/account/")
    page.get_by_role("link", name="Add a security key").click()
    confirm_password(page)
    page.get_by_label("Name").fill("Phone passkey")
    assert_no_sideways_scroll(page)
    snap(page, "05-add-key-phone")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    page.goto("/accounts/2fa/webauthn/")
    expect(page.get_by_role("cell", name="Phone passkey", exact=True)).to_be_visible()
    assert_no_sideways_scroll(page)
    snap(page, "06-key-list-phone")
    page.goto("/accounts/2fa/")
    assert_no_sideways_scroll(page)
    snap(page, "07-two-factor-overview-phone")
    page.goto("/accounts/2fa/webauthn/")
    page.get_by_role("link", name="Remove Phone passkey").click()
    snap(page, "08-remove-key-phone")
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("You have not added a security key.")).to_be_visible()
    assert not Authenticator.objects.filter(user=teacher, type="webauthn").exists()
    page.context.close()


def test_a_session_that_has_not_used_the_key_is_asked_for_it(key_page, live_server, catalogue):
    page = key_page
    coach = factories.coach(second_factor=False, full_name="Kim Key", email="kim@example.org")
    password_step(page, coach)
    confirm_password(page)
    page.goto("/accounts/2fa/webauthn/add/")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")

    # As if signed in before the key was added elsewhere: password only, no key yet.
    client = factories.Client()
    client.force_login(coach, second_factor=False)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.evaluate("location.origin"),
            }
        ]
    )
    page.goto("/coach/")
    page.wait_for_url("**/accounts/2fa/webauthn/reauthenticate/**")
    snap(page, "09-asked-for-the-key")
    page.get_by_role("button", name="Use a security key").click()
    page.wait_for_url("**/coach/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

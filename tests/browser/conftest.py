"""Browser journeys: Playwright drives Debian's Chromium (headless) against pytest-django's
live server on 127.0.0.1. Every page visited is checked with axe-core; screenshots are
saved under test-artifacts/screenshots/ for a person to look at."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from accounts.second_factor import has_second_factor
from tests import factories
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# test itself (reading the outbox, creating data) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


def check_accessibility(page, name: str) -> None:
    """Fail on serious or critical axe-core violations; keep a screenshot either way."""
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    assert not serious, f"{name}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in serious
    )


def assert_no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"page scrolls sideways: {width}px content in {viewport}px"


def sign_in(page, user, *, password=PASSWORD) -> None:
    """Sign in through allauth's pages as a person does: email and password, then, for an
    account with an authenticator app, the code it shows now. A code works once, so a test
    that signs the same person in again within 30 seconds uses start_signed_in instead."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    if has_second_factor(user):
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.get_by_label("Code").fill(factories.totp_code())
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def start_signed_in(page, user) -> None:
    """Give the browser the session a completed sign-in (password and, where the account has
    one, second factor) leaves, for journeys that are not about signing in. The session is
    made by the test client's force_login (tests/factories.Client), so every page still runs
    every check on it."""
    client = factories.Client()
    client.force_login(user)
    page.goto("/accounts/login/")
    origin = page.evaluate("location.origin")
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": origin,
            }
        ]
    )
    page.goto("/dashboard/")


@pytest.fixture
def equity_course(transactional_db):
    """A two-module course on a fresh site tree (the follow-through journeys)."""
    return factories.course_with_modules(factories.site_tree(), modules=2, slug="equity")


@pytest.fixture
def coach_and_teacher(transactional_db):
    """Sam coaches Rosa: she accepted his invitation into his cohort (so he may see her work)."""
    from coaching import services as coaching

    coach = factories.coach(full_name="Sam Okafor", email="sam@example.org")
    teacher = factories.teacher(full_name="Rosa Diaz", email="rosa@example.org")
    cohort = coaching.create_cohort(coach=coach, name="Spring cohort")
    factories.invited_and_accepted(cohort=cohort, coach=coach, teacher=teacher)
    return coach, teacher

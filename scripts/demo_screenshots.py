"""Walk the running demo site (make run) in headless Chromium and save screenshots.

    .venv/bin/python scripts/demo_screenshots.py [http://127.0.0.1:8000]

Screenshots go to test-artifacts/demo/ (git-ignored). For looking at, not for asserting.
"""

import base64
import hashlib
import hmac
import struct
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parents[1] / "test-artifacts" / "demo"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
# The demo coach's and admin's published authenticator secret (seed_demo prints it).
DEMO_TOTP_SECRET = "PDDEMOSECRETFORTHEDEMOSITEONLY23"


def totp_code(secret: str = DEMO_TOTP_SECRET) -> str:
    """What an authenticator app with the demo secret shows now (RFC 6238: SHA-1, 6 digits,
    30 seconds), so the script runs without the site's code on its path."""
    digest = hmac.new(
        base64.b32decode(secret), struct.pack(">Q", int(time.time()) // 30), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def sign_in(page, email):
    page.context.clear_cookies()
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", "pd-demo-2026")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:  # the coach and the admin: their code
        page.fill("#id_code", totp_code())
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()


def shoot(page, name, path, width=1280):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{BASE}{path}")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    print(f"{name}: {page.url} ({page.title()})")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        shoot(page, "home", "/")
        shoot(page, "catalogue", "/courses/")
        course = "/courses/closing-the-achievement-gap/"
        shoot(page, "course-anonymous", course)
        sign_in(page, "teacher@example.com")
        shoot(page, "teacher-dashboard", "/dashboard/")
        shoot(page, "teacher-course", course)
        page.goto(f"{BASE}{course}")
        modules = page.locator(".module-list a").evaluate_all("els => els.map(e => e.pathname)")
        for number, path in enumerate(modules, start=1):
            shoot(page, f"module-{number}", path)
        shoot(page, "module-1-phone", modules[0], width=360)
        for path, name in [("/reflections/", "reflections"), ("/transcript/", "transcript")]:
            shoot(page, f"teacher-{name}", path)
        page.goto(f"{BASE}/dashboard/")
        pdf_links = page.locator("a[href*='/certificates/']").evaluate_all(
            "els => els.map(e => e.pathname)"
        )
        print("certificate links:", pdf_links)
        sign_in(page, "coach@example.com")
        shoot(page, "coach-home", "/coach/")
        cohort = page.locator("main a[href*='/coach/cohorts/']").first
        if cohort.count():
            path = cohort.evaluate("e => e.pathname")
            shoot(page, "coach-cohort", path)
            matrix = page.locator("main a[href*='/matrix']").first
            if matrix.count():
                shoot(page, "coach-matrix", matrix.evaluate("e => e.pathname"))
        sign_in(page, "admin@example.com")
        shoot(page, "admin-home", "/admin/")
        page.context.clear_cookies()
        shoot(page, "verify-form", "/verify/")
        browser.close()


if __name__ == "__main__":
    main()

"""Production settings refuse to start wrong, and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# What the test run itself sets must not reach the production process: the browser tests'
# conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which check --deploy rightly refuses.
NOT_INHERITED = {
    "BASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_manage(*args, **env):
    environ = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    environ.update(DJANGO_SETTINGS_MODULE="pdsite.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def long_key():
    return secrets.token_urlsafe(64)


def test_check_deploy_reports_no_warning():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=long_key(),
        BASE_URL="https://pd.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "base_url", ["", "http://pd.example.org", "pd.example.org", "https://"], ids=repr
)
def test_production_refuses_to_start_without_an_https_base_url(base_url):
    result = run_manage("check", SECRET_KEY=long_key(), BASE_URL=base_url)
    assert result.returncode != 0
    assert "Set BASE_URL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", BASE_URL="https://pd.example.org")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_the_site_address_is_the_allowed_host_and_the_base_of_every_link():
    script = (
        "from django.conf import settings as s; "
        "print(s.ALLOWED_HOSTS, s.WAGTAILADMIN_BASE_URL, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS)"
    )
    result = run_manage(
        "shell", "-v", "0", "-c", script, SECRET_KEY=long_key(), BASE_URL="https://pd.example.org/"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "['pd.example.org']",
        "https://pd.example.org",
        "True",
        "True",
        "True",
        "DENY",
    ]


def test_production_accepts_security_keys_only_over_https():
    # The dev and test settings let WebAuthn run on http://localhost; production must not.
    script = "from django.conf import settings as s; print(s.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN)"
    result = run_manage("shell", "-v", "0", "-c", script, SECRET_KEY=long_key(),
                        BASE_URL="https://pd.example.org/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "certificates": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Static files come from the finders in tests; WhiteNoise serves collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# A key ring of its own for each test run (certificates/issuer.py makes the key on first use).
ISSUER_KEY_DIR = Path(tempfile.mkdtemp(prefix="pdsite-issuer-keys-"))
ISSUER_PRIVATE_KEY = ""
ISSUER_PREVIOUS_KEYS = []
# The single sign-on tests run a district's OpenID Connect provider beside the site
# (tests/idp.py, django-oauth-toolkit from the [test] extra). Its tables exist in every test
# database; its URLs and signing key exist only inside those tests (their fixture).
INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]  # noqa: F405
# WebAuthn over http://localhost (the live server, runserver); production keeps it off (HTTPS).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

"""Production: refuses to start without the values a wrong default would silently break.

`manage.py check --deploy` with these settings reports no warning
(tests/pdsite/test_production_settings.py, run by CI).
"""

from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import SECRET_KEY, STORAGES
from .env import env_bool, env_list, env_str

if not SECRET_KEY:
    raise RuntimeError("Set SECRET_KEY in the environment to run with production settings.")

# Every certificate PDF prints (and keeps for good) a QR code and a verify URL built from
# BASE_URL, and every email links to it: a missing or plain-http value would be stored in
# documents that are never re-issued, so production does not start without an https one.
BASE_URL = env_str("BASE_URL").rstrip("/")
if urlsplit(BASE_URL).scheme != "https" or not urlsplit(BASE_URL).hostname:
    raise RuntimeError(
        "Set BASE_URL in the environment to the site's https address as users type it, "
        "e.g. BASE_URL=https://pd.example.org (certificates and emails link to it)."
    )
WAGTAILADMIN_BASE_URL = BASE_URL
# The address users type is the host to accept, unless ALLOWED_HOSTS says more.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [urlsplit(BASE_URL).hostname]

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# HTTPS only. The proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite a
# value sent by the client, as deploy/nginx.conf does). /healthz stays reachable over plain
# http for a load balancer's probe.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS for a year. includeSubDomains covers hosts *under* BASE_URL's host only (not the
# district's other sites); preload only consents to a browser list, joining it is a separate
# submission. Lower SECURE_HSTS_SECONDS for a first rollout if unsure (docs/deploy.md).
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

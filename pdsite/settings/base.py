"""Settings shared by every environment. Values that differ come from the environment."""

from pathlib import Path

import dj_database_url

from .env import email_settings, env_bool, env_list, env_str, social_providers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "pdsite",
    "accounts",
    "demo",
    "modules",
    "quizzes",
    "certificates",
    "followups",
    "coaching",
    "reports",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "pdsite.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pdsite.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: a signed-in person's saved language wins over cookie and browser.
    "pdsite.languages.UserLanguageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # After allauth's: coaches and PD administrators pass a second factor first.
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it sees the view's exception first: a database or Redis outage is a 503.
    "pdsite.unavailable.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "pdsite.urls"
WSGI_APPLICATION = "pdsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "pdsite.context_processors.roles",
            ],
        },
    },
]

# Database: DATABASE_URL, defaulting to a SQLite file in the project folder.
# PostgreSQL keeps connections open between requests (measured: ~28% more
# throughput on module pages than reconnecting each time).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite: no persistent connections across threads; wait for the task worker's writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "pdsite.User"

# Cache: always shared between processes (allauth's rate limits and the verify
# page's limit live here; a per-process cache lets two workers double a limit).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pdsite_cache",
        }
    }

# Background work: Django's Tasks API. A database queue by default (a worker runs
# with `manage.py db_worker`); RQ on Redis when REDIS_URL is set.
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    # Workers must load jobs with django-tasks-rq's class, which records each task's result;
    # with RQ's plain Job every task failed with "'Task' object is not callable".
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Django's and allauth's backends, each loading the signed-in user with their role flags.
AUTHENTICATION_BACKENDS = [
    "pdsite.auth_backends.ModelBackend",
    "pdsite.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): email is the login, verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "/dashboard/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "pdsite.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "pdsite.forms.SignupForm"}
# Sign-in limits. A school signs in from one network address, so the lockout is per account
# (5 failures in 5 minutes; the key is the typed email, see AccountAdapter) and the per-address
# limit is only a ceiling against one machine guessing across many accounts. Failures refused
# by a limit hash no password, so the per-request limit can let a room sign in at once.
# docs/security.md, "Sign-in rate limits".
ACCOUNT_RATE_LIMITS = {"login_failed": "50/5m/ip,5/5m/key", "login": "120/m/ip"}
# Behind reverse proxies, how many of ours append to X-Forwarded-For: otherwise every visitor
# has the proxy's address and shares one per-address allowance (sign-in, /verify/). Read by
# core.clients.client_ip, which allauth (pdsite.adapters) and the verify limiter both call.
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))
# Second factor (allauth.mfa): an authenticator app or a security key (WebAuthn), with recovery
# codes. Required for coaches and PD administrators (accounts.middleware), offered to teachers.
# Code entry shares the "login_failed" limit above: 5 wrong codes per account in 5 minutes,
# and a code works once.
# docs/accounts.md.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# Security keys are a second factor after the password; signing in with a passkey alone is
# not offered (docs/accounts.md says why). WebAuthn needs HTTPS: only the dev and test
# settings accept http://localhost.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
MFA_RECOVERY_CODES_SHOW_ONCE = True
# Sessions are listed on the account page; "sign out everywhere" ends them (allauth.usersessions),
# Activity tracking (last seen, per request) stays off: it writes on every page view.
# Changing the password keeps this session signed in; Django's session hash signs out every
# other one (tests/accounts/test_sessions.py).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Single sign-on (allauth.socialaccount): Google, Microsoft and a district's OpenID Connect
# provider, each shown only when its variables are set (env.social_providers; no provider =
# no button). A first SSO sign-in joins an existing account only when the provider says the
# email is verified; otherwise allauth asks the person to sign in with their password first.
# Coaches and PD admins still type their own second factor after SSO. docs/accounts.md.
SOCIALACCOUNT_PROVIDERS = social_providers()
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_STORE_TOKENS = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/dashboard/"

LANGUAGE_CODE = "en-us"
# Each language named in itself: the header's switcher lists them as a reader of that
# language would look for them. locale/<code>/LC_MESSAGES/django.po holds our catalogue;
# the .mo files are built by `make run` / `make test` (compilemessages), not committed.
LANGUAGES = [("en", "English"), ("es", "Español")]
# Dates and numbers follow the active language (always on since Django 5.0); Spanish numbers
# as US Spanish writes them (pdsite/formats/es/formats.py says why).
FORMAT_MODULE_PATH = ["pdsite.formats"]
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# The interface speaks Spanish; course content stays English until an author translates it
# (Wagtail's localisation stays off, its content languages just English).
WAGTAIL_CONTENT_LANGUAGES = [("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Certificate PDFs: outside MEDIA_ROOT, which is served to anyone; they are handed out only
# by the permission-checked download view (certificates/storage.py, docs/security.md).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "certificates": {
        "BACKEND": "certificates.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    # A teacher's large data exports (accounts.models.DataExport): private, like certificates.
    "exports": {
        "BACKEND": "certificates.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT / "exports"},
    },
    # Teachers' evidence of practice: private too, in its own folder (followups/storage.py).
    "evidence": {
        "BACKEND": "certificates.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT / "evidence"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Up to this many rows (attempts, answers, enrolments...) an export is built while the person
# waits; above it, in the background, with a link emailed when it is ready.
ACCOUNT_EXPORT_INLINE_ROWS = int(env_str("ACCOUNT_EXPORT_INLINE_ROWS", "5000"))

# The Open Badges issuer's Ed25519 key (certificates/issuer.py, docs/certificates.md): a
# key ring in a folder outside the project (current private key + earlier public keys), or
# the current private key in the environment (multibase, "z3u2...").
ISSUER_KEY_DIR = Path(
    env_str("ISSUER_KEY_DIR", str(Path.home() / ".local" / "share" / "pdsite" / "issuer-keys"))
)
ISSUER_PRIVATE_KEY = env_str("ISSUER_PRIVATE_KEY")
ISSUER_PREVIOUS_KEYS = env_list("ISSUER_PREVIOUS_KEYS")
# The certificate that signs certificate PDFs (PAdES, certificates/pdf_signing.py): PEM
# files; unset, a self-signed one is made in ISSUER_KEY_DIR.
PDF_SIGNING_KEY = env_str("PDF_SIGNING_KEY")
PDF_SIGNING_CERT = env_str("PDF_SIGNING_CERT")
PDF_SIGNING_CHAIN = env_list("PDF_SIGNING_CHAIN")

globals().update(email_settings(env_str("EMAIL_URL")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PD Courses <no-reply@localhost>")

WAGTAIL_SITE_NAME = "PD Courses"
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")
# Our /admin/login/ (pdsite.views.admin_login): sends the anonymous to allauth and tells a
# signed-in user without admin access so, rather than looping through the sign-in page.
WAGTAILADMIN_LOGIN_URL = "/admin/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# The admin calls no third party: no Gravatar images (an MD5 of each user's email sent to
# gravatar.com on every page; uploaded avatars still work) and no browser-side check for a
# newer Wagtail release. Upgrades are tracked through constraints.txt instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Sessions are read from the shared cache first (one less query per page on Redis).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
# Nothing of ours is framed by another page (Wagtail's preview panel sets its own
# same-origin exception on its views).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Logs: one JSON object a line on stderr (LOG_FORMAT=text for people reading a terminal),
# each with the request id (pdsite/requestid.py) that the proxy's access log and the
# response's X-Request-ID header carry too. LOG_LEVEL=INFO adds one line per request.
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pdsite.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"pdsite.access": {"level": env_str("ACCESS_LOG_LEVEL", "WARNING")}},
}

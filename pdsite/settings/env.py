"""Small readers for configuration that comes from the environment (12-factor)."""

import os
from urllib.parse import unquote, urlsplit


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def email_settings(url: str) -> dict:
    """Turn EMAIL_URL (smtp://user:pass@host:587, smtps://..., console:, file:///dir) into
    settings. file:// writes each message to a file in that folder (the fault and load tests
    count what was sent there)."""
    if not url or url.startswith("console:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.startswith("file://"):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(urlsplit(url).path),
        }
    parts = urlsplit(url)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp" and (parts.port or 587) == 587,
    }


def social_providers(environ=os.environ) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for the single sign-on a district configured.

    A provider appears (a button on the sign-in page) only when its client id and secret are
    set; with none set there is no button and no SSO. docs/accounts.md lists the variables.
    """
    providers = {}
    if environ.get("GOOGLE_CLIENT_ID") and environ.get("GOOGLE_CLIENT_SECRET"):
        providers["google"] = {
            "APPS": [
                {
                    "client_id": environ["GOOGLE_CLIENT_ID"],
                    "secret": environ["GOOGLE_CLIENT_SECRET"],
                    # A Workspace domain limits the Google chooser to the district's accounts.
                    "settings": {"hd": environ.get("GOOGLE_WORKSPACE_DOMAIN", "")}
                    if environ.get("GOOGLE_WORKSPACE_DOMAIN")
                    else {},
                }
            ],
            "SCOPE": ["openid", "profile", "email"],
            "AUTH_PARAMS": {"prompt": "select_account"},
        }
    if environ.get("MICROSOFT_CLIENT_ID") and environ.get("MICROSOFT_CLIENT_SECRET"):
        providers["microsoft"] = {
            "APPS": [
                {
                    "client_id": environ["MICROSOFT_CLIENT_ID"],
                    "secret": environ["MICROSOFT_CLIENT_SECRET"],
                    # The district's tenant id; "organizations" takes any work account.
                    "settings": {"tenant": environ.get("MICROSOFT_TENANT", "organizations")},
                }
            ]
        }
    if environ.get("OIDC_SERVER_URL") and environ.get("OIDC_CLIENT_ID"):
        providers["openid_connect"] = {
            "APPS": [
                {
                    "provider_id": environ.get("OIDC_PROVIDER_ID", "district"),
                    "name": environ.get("OIDC_PROVIDER_NAME", "District sign-in"),
                    "client_id": environ["OIDC_CLIENT_ID"],
                    "secret": environ.get("OIDC_CLIENT_SECRET", ""),
                    "settings": {
                        "server_url": environ["OIDC_SERVER_URL"],
                        # PKCE binds the code to this browser's sign-in; a provider that
                        # does not know it ignores the parameters (RFC 7636, section 5).
                        "oauth_pkce_enabled": True,
                    },
                }
            ]
        }
    return providers

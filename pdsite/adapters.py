from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation

from core.clients import client_ip
from core.languages import supported
from core.links import absolute_url, email_site, on_base_url


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.full_name = form.cleaned_data.get("full_name", "")
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        # Every allauth email passes here. allauth built its links (activate_url,
        # password_reset_url, signup_url) and `current_site` from the request's Host header,
        # which the client chooses: put them on BASE_URL (core/links.py says why).
        context = {
            key: on_base_url(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        context["current_site"] = email_site()
        if template_prefix == "account/email/account_already_exists":
            # Also the answer to an SSO sign-in whose unverified address is an account's:
            # the owner links the provider herself, from this page, once signed in.
            context["connections_url"] = absolute_url(reverse("socialaccount_connections"))
        # In the account's saved language; without one, in the page's that asked for it.
        saved = supported(getattr(context.get("user"), "language", None))
        with translation.override(saved or translation.get_language()):
            return super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request):
        # allauth's sign-in limits count per address: the same address the /verify/ limiter
        # uses, from the one TRUSTED_PROXY_COUNT setting.
        return client_ip(request)

    def format_email_subject(self, subject):
        # allauth's default prefix is the request's site name, i.e. its Host header.
        if app_settings.EMAIL_SUBJECT_PREFIX is not None:
            return super().format_email_subject(subject)
        return f"[{email_site().name}] {subject}"

    def _get_login_attempts_cache_key(self, request, **credentials):
        # The per-account sign-in lockout ("login_failed" .../key) counts under this key, and
        # a password reset clears it. allauth prefixes the site's domain, which without
        # django.contrib.sites is the request's Host header: any port on an allowed host
        # ("127.0.0.1:1337") started a fresh count of five guesses. One site here, so the
        # account's email alone. tests/pdsite/test_sign_in_limits.py notices if allauth
        # stops calling this.
        login = credentials.get("email") or credentials.get("username") or ""
        return "login:" + login.strip().lower()

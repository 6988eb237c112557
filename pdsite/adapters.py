from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.full_name = form.cleaned_data.get("full_name", "")
        return super().save_user(request, user, form, commit=commit)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # The per-account sign-in lockout ("login_failed" .../key) counts under this key, and
        # a password reset clears it. allauth prefixes the site's domain, which without
        # django.contrib.sites is the request's Host header: any port on an allowed host
        # ("127.0.0.1:1337") started a fresh count of five guesses. One site here, so the
        # account's email alone. tests/pdsite/test_sign_in_limits.py notices if allauth
        # stops calling this.
        login = credentials.get("email") or credentials.get("username") or ""
        return "login:" + login.strip().lower()

"""Single sign-on configuration: a provider appears only when its variables are set, and a
callback that does not belong to a sign-in this browser started signs nobody in.

The OpenID Connect provider here is a loopback address nothing listens on (127.0.0.1:9):
the refusals below must happen before any call to it."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import RequestFactory

from accounts.adapters import SocialAccountAdapter
from pdsite.settings.env import social_providers
from tests import factories

pytestmark = pytest.mark.django_db

DISTRICT = {
    "OIDC_SERVER_URL": "http://127.0.0.1:9/realms/district",
    "OIDC_CLIENT_ID": "pd-courses",
    "OIDC_CLIENT_SECRET": "not-a-real-secret",
    "OIDC_PROVIDER_NAME": "Springfield Schools",
}


@pytest.fixture
def district_sso(settings):
    settings.SOCIALACCOUNT_PROVIDERS = social_providers(DISTRICT)


def test_no_variables_no_providers():
    assert social_providers({}) == {}
    assert social_providers({"GOOGLE_CLIENT_ID": "only-half"}) == {}


def test_each_provider_comes_from_its_variables():
    providers = social_providers(
        {
            "GOOGLE_CLIENT_ID": "g-id",
            "GOOGLE_CLIENT_SECRET": "g-secret",
            "GOOGLE_WORKSPACE_DOMAIN": "springfield.k12.example",
            "MICROSOFT_CLIENT_ID": "m-id",
            "MICROSOFT_CLIENT_SECRET": "m-secret",
            "MICROSOFT_TENANT": "0000-tenant",
            **DISTRICT,
        }
    )
    assert providers["google"]["APPS"][0]["client_id"] == "g-id"
    assert providers["google"]["APPS"][0]["settings"] == {"hd": "springfield.k12.example"}
    assert providers["microsoft"]["APPS"][0]["settings"] == {"tenant": "0000-tenant"}
    district = providers["openid_connect"]["APPS"][0]
    assert (district["provider_id"], district["name"]) == ("district", "Springfield Schools")
    assert district["settings"] == {
        "server_url": "http://127.0.0.1:9/realms/district",
        "oauth_pkce_enabled": True,
    }


def test_the_sign_in_page_has_no_sso_button_when_none_is_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get("/accounts/login/").text
    assert "/accounts/oidc/" not in page and "/accounts/google/" not in page


def test_a_configured_district_provider_gets_a_button(client, district_sso):
    page = client.get("/accounts/login/").text
    assert "Springfield Schools" in page
    assert "/accounts/oidc/district/login/" in page


def test_a_callback_with_a_forged_state_signs_nobody_in(client, district_sso):
    factories.teacher(email="tess@example.org")
    response = client.get(
        "/accounts/oidc/district/login/callback/", {"code": "stolen", "state": "forged"}
    )
    assert response.status_code == 401
    assert "Third-Party Login Failure" in response.text
    assert SESSION_KEY not in client.session


def test_a_callback_for_a_sign_in_this_browser_never_started_signs_nobody_in(
    client, district_sso
):
    """The state lives in the session that started the sign-in: a callback URL replayed in
    another browser (or after the state was used up) finds none and stops there."""
    other = factories.Client()
    for browser in (client, other):
        response = browser.get(
            "/accounts/oidc/district/login/callback/", {"code": "abc", "state": "a" * 12}
        )
        assert response.status_code == 401
        assert SESSION_KEY not in browser.session


def test_a_new_sso_account_gets_its_name_from_the_provider():
    login = SocialLogin(user=get_user_model()(), account=SocialAccount(provider="google"))
    user = SocialAccountAdapter(RequestFactory().get("/")).populate_user(
        RequestFactory().get("/"),
        login,
        {"email": "new@example.org", "first_name": "Ada", "last_name": "  Lovelace "},
    )
    assert (user.email, user.full_name) == ("new@example.org", "Ada Lovelace")

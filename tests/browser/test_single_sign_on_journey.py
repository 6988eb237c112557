"""Single sign-on in the browser, through a real OpenID Connect provider on 127.0.0.1
(tests/idp.py: django-oauth-toolkit beside the site on the live server), configured the way
production configures a district's provider: from the OIDC_* variables."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from oauth2_provider.models import Application

from pdsite.settings.env import social_providers
from tests import factories
from tests.browser.conftest import check_accessibility, sign_in
from tests.idp import DIRECTORY, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIENT_ID = "pd-courses"
CLIENT_SECRET = "district-client-secret"
CALLBACK = "/accounts/oidc/district/login/callback/"


@pytest.fixture(scope="session")
def idp_signing_key() -> str:
    """The provider's RSA key, made for this test session (it signs the ID tokens)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture
def district(settings, live_server, idp_signing_key):
    """Springfield Schools' provider at /test-idp/o/, registered with the site as production
    does it (social_providers reads the same variables), and the site registered with it."""
    settings.ROOT_URLCONF = "tests.idp"
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": idp_signing_key,
        "OAUTH2_VALIDATOR_CLASS": "tests.idp.DirectoryValidator",
        "SCOPES": {"openid": "OpenID Connect", "profile": "Name", "email": "Email address"},
    }
    Application.objects.create(
        name="PD courses",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{live_server.url}{CALLBACK}",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,  # the district approved the site for its staff
    )
    settings.SOCIALACCOUNT_PROVIDERS = social_providers(
        {
            "OIDC_SERVER_URL": f"{live_server.url}/test-idp/o",
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_PROVIDER_NAME": "Springfield Schools",
        }
    )
    DIRECTORY.clear()
    yield DIRECTORY
    DIRECTORY.clear()


def enrol_in_directory(person: Person) -> Person:
    DIRECTORY[person.username] = person
    return person


def sign_in_with_district(page, person: Person) -> None:
    """From the site's sign-in page, through the provider's, back to the site."""
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Springfield Schools").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/test-idp/sign-in/**")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign in to Springfield Schools").click()


def test_sso_signs_a_new_teacher_in(page, live_server, catalogue, district):
    nia = enrol_in_directory(
        Person("nia", "idp-pass-1", email="nia.new@springfield.example", name="Nia Okafor")
    )
    sign_in_with_district(page, nia)
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", level=1).is_visible()
    user = get_user_model().objects.get(email="nia.new@springfield.example")
    assert user.full_name == "Nia Okafor"
    assert SocialAccount.objects.get(user=user).uid == nia.sub
    assert EmailAddress.objects.get(user=user).verified
    check_accessibility(page, "sso-01-new-teacher-dashboard")


def test_sso_links_an_existing_teacher_when_the_provider_vouches_for_her_email(
    page, live_server, catalogue, district
):
    tess = factories.teacher(full_name="Tess Teacher", email="tess@springfield.example")
    person = enrol_in_directory(
        Person("tess", "idp-pass-2", email="tess@springfield.example", name="T. Teacher")
    )
    sign_in_with_district(page, person)
    page.wait_for_url("**/dashboard/")
    assert SocialAccount.objects.get(uid=person.sub).user == tess
    assert get_user_model().objects.filter(email="tess@springfield.example").count() == 1
    page.goto("/account/")
    assert page.get_by_text("tess@springfield.example").first.is_visible()
    # Her name stays hers: the provider's spelling does not overwrite what she chose.
    tess.refresh_from_db()
    assert tess.full_name == "Tess Teacher"


def test_sso_does_not_link_an_existing_teacher_when_the_email_is_not_verified(
    page, live_server, catalogue, district, mailoutbox
):
    """The provider does not vouch for the address: nothing is linked and nobody is signed
    in. The browser is told to check the mailbox (as for any sign-up, so it learns nothing
    about who has an account); the mailbox's owner is asked to confirm it is her by signing
    in with her password and linking the district account herself."""
    tess = factories.teacher(full_name="Tess Teacher", email="tess@springfield.example")
    person = enrol_in_directory(
        Person(
            "tess",
            "idp-pass-3",
            email="tess@springfield.example",
            name="Tess Teacher",
            email_verified=False,
        )
    )
    sign_in_with_district(page, person)
    page.wait_for_url("**/accounts/confirm-email/")
    check_accessibility(page, "sso-02-unverified-email-check-your-mailbox")
    assert not SocialAccount.objects.exists()
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url
    [mail] = mailoutbox
    assert mail.to == ["tess@springfield.example"]
    assert "already have an account" in mail.body
    assert "/accounts/3rdparty/" in mail.body

    # She confirms: her password, then she links the district account from her account.
    sign_in(page, tess)
    page.goto("/account/")
    page.get_by_role("link", name="Linked sign-in accounts").click()
    page.get_by_role("link", name="Springfield Schools").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/3rdparty/")
    check_accessibility(page, "sso-03-linked-accounts")
    assert SocialAccount.objects.get(uid=person.sub).user == tess


@pytest.mark.parametrize(
    "broken_token",
    [{"aud": "another-district-app"}, {"iss": "http://127.0.0.1:9/not-springfield"}],
    ids=["for another audience", "from another issuer"],
)
def test_sso_refuses_an_id_token_meant_for_someone_else(
    page, live_server, catalogue, district, broken_token
):
    person = enrol_in_directory(
        Person("mal", "idp-pass-4", email="mal@springfield.example", name="Mal Lory")
    )
    person.id_token_overrides = broken_token
    sign_in_with_district(page, person)
    page.wait_for_url(f"**{CALLBACK}**")
    assert page.get_by_role("heading", name="Third-Party Login Failure").is_visible()
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url
    assert not get_user_model().objects.filter(email="mal@springfield.example").exists()


def test_sso_refuses_a_replayed_callback(browser, page, live_server, catalogue, district):
    """The callback URL (code and state) works once, in the browser that started the
    sign-in. Used again, there or in another browser, it signs nobody in."""
    person = enrol_in_directory(
        Person("nia", "idp-pass-5", email="nia@springfield.example", name="Nia Okafor")
    )
    callbacks = []
    page.on("request", lambda r: callbacks.append(r.url) if CALLBACK in r.url else None)
    sign_in_with_district(page, person)
    page.wait_for_url("**/dashboard/")
    [callback_url] = callbacks
    assert "state=" in callback_url and "code=" in callback_url

    page.get_by_role("button", name="Sign out").click()
    page.goto(callback_url)
    assert page.get_by_role("heading", name="Third-Party Login Failure").is_visible()
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url

    other = browser.new_context(base_url=live_server.url).new_page()
    other.goto(callback_url)
    assert other.get_by_role("heading", name="Third-Party Login Failure").is_visible()
    other.goto("/dashboard/")
    assert "/accounts/login/" in other.url
    other.context.close()


def test_a_coach_still_types_her_code_after_sso_even_when_the_provider_used_mfa(
    page, live_server, catalogue, district
):
    """Our choice (docs/accounts.md): the provider's `amr` is not trusted to stand in for
    the coach's own second factor."""
    coach = factories.coach(full_name="Cora Coach", email="cora@springfield.example")
    person = enrol_in_directory(
        Person("cora", "idp-pass-6", email=coach.email, name="Cora Coach", amr=["pwd", "mfa"])
    )
    sign_in_with_district(page, person)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(factories.totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    page.goto("/coach/")
    assert "/coach/" in page.url
    assert SocialAccount.objects.get(uid=person.sub).user == coach

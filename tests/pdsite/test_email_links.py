"""Links in account emails point at BASE_URL, whatever Host header the request carried
(issue 19, item 8). Django accepts any port on an allowed host: "127.0.0.1:1337" passes
ALLOWED_HOSTS = ["127.0.0.1"], so a reset link built from the request could send a teacher,
and their reset key, to another server."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from core.models import Organisation
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("catalogue"),
]

SITE = "https://pd.example.org"
FORGED = "127.0.0.1:1337"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE
    cache.clear()  # sign-up and reset requests are rate limited per address


@pytest.fixture
def forged():
    return Client(HTTP_HOST=FORGED)


def assert_only_site_links(message):
    text = f"{message.subject}\n{message.body}"
    for _body, _type in getattr(message, "alternatives", []):
        text += "\n" + _body
    assert "1337" not in text
    assert "127.0.0.1" not in text
    links = URL.findall(message.body)
    assert links, message.body
    assert all(link.startswith(SITE + "/") for link in links), links
    return links


def test_a_password_reset_link_uses_base_url_and_still_works(forged, client):
    teacher = factories.teacher()
    forged.post("/accounts/password/reset/", {"email": teacher.email})
    [message] = mail.outbox
    [link] = assert_only_site_links(message)
    assert link.startswith(f"{SITE}/accounts/password/reset/key/")
    response = client.get(link.removeprefix(SITE))
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in response["Location"]


def test_the_sign_up_confirmation_link_uses_base_url_and_still_works(forged):
    forged.post(
        "/accounts/signup/",
        {
            "email": "new.teacher@example.org",
            "full_name": "Maya Chen",
            "password1": "kind-words-2026!",
            "password2": "kind-words-2026!",
        },
    )
    [message] = mail.outbox
    [link] = assert_only_site_links(message)
    assert link.startswith(f"{SITE}/accounts/confirm-email/")
    assert "Confirm" in Client().get(link.removeprefix(SITE)).text


def test_a_sign_up_with_a_taken_address_mails_links_to_base_url(forged):
    teacher = factories.teacher()
    forged.post(
        "/accounts/signup/",
        {
            "email": teacher.email,
            "full_name": "Someone Else",
            "password1": "kind-words-2026!",
            "password2": "kind-words-2026!",
        },
    )
    [message] = mail.outbox
    # Where to link a district account (the same email answers an SSO sign-in), and reset.
    assert assert_only_site_links(message) == [
        f"{SITE}/accounts/3rdparty/",
        f"{SITE}/accounts/password/reset/",
    ]


def test_a_reset_for_an_unknown_address_mails_the_sign_up_link_on_base_url(forged):
    forged.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    [message] = mail.outbox
    assert assert_only_site_links(message) == [f"{SITE}/accounts/signup/"]


@override_settings(ALLOWED_HOSTS=["pd.example.org", "localhost"])
def test_the_greeting_and_subject_name_the_organisation_not_the_request_host(catalogue):
    organisation = Organisation.for_site(catalogue.get_site())
    organisation.name = "Lakeside Unified"
    organisation.save()
    teacher = factories.teacher()
    Client(HTTP_HOST="localhost:8443").post("/accounts/password/reset/", {"email": teacher.email})
    [message] = mail.outbox
    assert message.subject.startswith("[Lakeside Unified]")
    assert "localhost" not in message.subject + message.body
    assert "Hello from Lakeside Unified!" in message.body

"""Sign-in limits as a teacher meets them: a school shares one network address, so five wrong
passwords lock one account, not everyone in the building (issue 19, item 7)."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from tests import factories

pytestmark = pytest.mark.django_db

SCHOOL = "203.0.113.7"  # one address for the whole building (NAT)
HOME = "198.51.100.20"
LOCKED = "Too many failed login attempts"
WRONG = "are not correct"


@pytest.fixture(autouse=True)
def empty_cache():
    """The limits live in the cache, which the test settings keep in memory per process."""
    cache.clear()
    yield
    cache.clear()


def sign_in(email, password, *, ip=SCHOOL, host="testserver"):
    """A fresh browser each time, as each teacher signs in on their own device."""
    return Client(REMOTE_ADDR=ip, HTTP_HOST=host).post(
        "/accounts/login/", {"login": email, "password": password}
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/dashboard/"


def test_five_wrong_passwords_lock_that_account_and_not_the_rest_of_the_school():
    ana, ben = factories.teacher(), factories.teacher()
    for _ in range(5):
        assert WRONG in sign_in(ana.email, "not-her-password").text
    # Ana is locked out, even with her right password...
    assert LOCKED in sign_in(ana.email, factories.PASSWORD).text
    assert LOCKED in sign_in(ana.email, factories.PASSWORD, ip=HOME).text
    # ...but Ben, at the next desk, signs in.
    assert signed_in(sign_in(ben.email, factories.PASSWORD))


def test_the_lockout_ends_after_five_minutes():
    ana = factories.teacher()
    start = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            sign_in(ana.email, "not-her-password")
        assert LOCKED in sign_in(ana.email, factories.PASSWORD).text
        clock.shift(datetime.timedelta(minutes=4))
        assert LOCKED in sign_in(ana.email, factories.PASSWORD).text
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        assert signed_in(sign_in(ana.email, factories.PASSWORD))


def test_another_spelling_of_the_host_or_the_address_does_not_reset_the_lockout():
    """allauth counts per site domain and address; the domain came from the Host header, so
    a port added to it (127.0.0.1:1337 passes ALLOWED_HOSTS) gave five more guesses."""
    ana = factories.teacher()
    for _ in range(5):
        sign_in(ana.email, "not-her-password", host="127.0.0.1")
    # From other addresses too, so that only the per-account count can refuse them.
    for n, host in enumerate(["127.0.0.1:1337", "127.0.0.1:1338", "localhost", "testserver"]):
        response = sign_in(ana.email, factories.PASSWORD, host=host, ip=f"192.0.2.{n + 1}")
        assert LOCKED in response.text
    assert LOCKED in sign_in(ana.email.upper(), factories.PASSWORD, ip="192.0.2.9").text


def test_one_address_guessing_across_many_accounts_hits_a_ceiling():
    """Credential stuffing from one machine: 50 failed sign-ins in 5 minutes, whoever for."""
    cleo = factories.teacher()
    for n in range(50):
        assert WRONG in sign_in(f"guess{n}@example.org", "password123").text
    assert LOCKED in sign_in(cleo.email, factories.PASSWORD).text
    # The ceiling is that address's alone.
    assert signed_in(sign_in(cleo.email, factories.PASSWORD, ip=HOME))


def test_a_room_of_teachers_can_sign_in_in_the_same_minute():
    """A PD session: forty teachers on the school network sign in at the start."""
    teachers = [factories.teacher() for _ in range(40)]
    start = datetime.datetime(2027, 3, 1, 15, 30, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        refused = [t.email for t in teachers if not signed_in(sign_in(t.email, factories.PASSWORD))]
    assert refused == []


def test_a_few_typos_in_the_room_do_not_stop_the_others():
    """Ten teachers mistype once each; everyone then signs in, from the same address."""
    teachers = [factories.teacher() for _ in range(10)]
    for teacher in teachers:
        assert WRONG in sign_in(teacher.email, "typo").text
    assert all(signed_in(sign_in(t.email, factories.PASSWORD)) for t in teachers)


def test_resetting_the_password_ends_the_lockout(client):
    ana = factories.teacher()
    for _ in range(5):
        sign_in(ana.email, "not-her-password")
    client.post("/accounts/password/reset/", {"email": ana.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_url = client.get(link.group(1))["Location"]
    new_password = "a-new-and-longer-password-2027"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert signed_in(sign_in(ana.email, new_password))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_visitor_has_their_own_ceiling():
    """With TRUSTED_PROXY_COUNT set, the address the proxy saw counts, not the proxy's own."""
    cleo = factories.teacher()

    def through_proxy(email, password, visitor):
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=visitor).post(
            "/accounts/login/", {"login": email, "password": password}
        )

    for n in range(50):
        through_proxy(f"guess{n}@example.org", "password123", SCHOOL)
    assert LOCKED in through_proxy(cleo.email, factories.PASSWORD, SCHOOL).text
    assert signed_in(through_proxy(cleo.email, factories.PASSWORD, HOME))

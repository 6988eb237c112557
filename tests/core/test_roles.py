"""The roles are read with the signed-in user (one query) and follow changes at once."""

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.models import Group
from django.test import RequestFactory

from accounts.second_factor import give_totp_device
from core.roles import COACHES, PD_ADMINS, is_coach, is_pd_admin
from tests import factories

pytestmark = pytest.mark.django_db


def _session_user(client):
    """The user as the auth middleware would load them for the client's next request."""
    request = RequestFactory().get("/")
    request.session = client.session
    return get_user(request)


@pytest.mark.parametrize(
    "make, coach, pd_admin",
    [
        (factories.teacher, False, False),
        (factories.coach, True, False),
        (factories.pd_admin, False, True),
    ],
)
def test_role_checks_on_the_signed_in_user_cost_no_extra_query(
    client, make, coach, pd_admin, django_assert_num_queries
):
    client.force_login(make())
    with django_assert_num_queries(1):  # the user, with both role flags
        user = _session_user(client)
        assert (is_coach(user), is_pd_admin(user)) == (coach, pd_admin)


def test_a_teacher_made_coach_sees_the_coaching_link_on_the_next_page(client):
    # A teacher who already signs in with a second factor, so the coach's policy
    # (tests/accounts/test_second_factor.py) lets the next page open.
    teacher = factories.teacher()
    give_totp_device(teacher, factories.TOTP_SECRET)
    client.force_login(teacher)
    assert 'href="/coach/"' not in client.get("/dashboard/").text
    Group.objects.get(name=COACHES).user_set.add(teacher)
    assert 'href="/coach/"' in client.get("/dashboard/").text


def test_a_pd_admin_removed_from_the_role_loses_the_admin_link(client):
    admin = factories.pd_admin()
    client.force_login(admin)
    assert 'href="/admin/"' in client.get("/dashboard/").text
    Group.objects.get(name=PD_ADMINS).user_set.remove(admin)
    assert 'href="/admin/"' not in client.get("/dashboard/").text


def test_users_loaded_elsewhere_still_answer_from_their_groups():
    coach = factories.coach()
    fresh = type(coach).objects.get(pk=coach.pk)  # no role flags on this one
    assert is_coach(fresh) and not is_pd_admin(fresh)

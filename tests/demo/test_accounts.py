import pytest
from allauth.account.models import EmailAddress

from core.roles import is_coach, is_pd_admin
from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, ensure_demo_accounts

pytestmark = pytest.mark.django_db


def test_the_demo_accounts_have_their_roles_a_verified_address_and_the_demo_password():
    ensure_demo_accounts()
    accounts = ensure_demo_accounts()  # idempotent
    assert set(accounts) == {email for email, *_rest in DEMO_ACCOUNTS}
    for email, name, roles, superuser in DEMO_ACCOUNTS:
        user = accounts[email]
        assert user.full_name == name and user.check_password(DEMO_PASSWORD)
        assert set(roles) <= set(user.groups.values_list("name", flat=True))
        assert user.is_superuser == superuser
        address = EmailAddress.objects.get(user=user)
        assert (address.email, address.verified, address.primary) == (email, True, True)
    assert is_coach(accounts["coach@example.com"])
    assert is_pd_admin(accounts["admin@example.com"])
    assert not is_coach(accounts["teacher@example.com"])

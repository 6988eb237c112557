"""The demo accounts. Their password is published (README, seed_demo's output): demo sites only."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.second_factor import give_totp_device
from coaching import services as coaching_services
from core.roles import COACHES, PD_ADMINS, TEACHERS

DEMO_PASSWORD = "pd-demo-2026"
# The demo coach's and admin's authenticator app: published (README, seed_demo's output) so a
# person can add it to any authenticator app and try the second factor. Demo sites only.
DEMO_TOTP_SECRET = "PDDEMOSECRETFORTHEDEMOSITEONLY23"
DEMO_ACCOUNTS = [
    # email, full name, roles, superuser
    ("teacher@example.com", "Jordan Rivera", [TEACHERS], False),
    ("coach@example.com", "Sam Okafor", [COACHES], False),
    ("admin@example.com", "Alex Morgan", [PD_ADMINS], True),
]


def ensure_account(email: str, full_name: str, roles: list[str], superuser: bool):
    """The account with a verified address and its roles (the coach role through
    coaching.services.set_coach, as the PD admin's screen gives it)."""
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            is_staff=superuser,
            is_superuser=superuser,
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    for role in roles:
        if role == COACHES:
            coaching_services.set_coach(user=user, is_coach=True, by=None)
        else:
            user.groups.add(Group.objects.get(name=role))
    return user


def ensure_demo_accounts(*, second_factor: bool = True) -> dict:
    """The demo accounts; the coach and the admin get the published demo authenticator
    unless `second_factor` is off (then they set up their own at their first sign-in)."""
    accounts = {
        email: ensure_account(email, name, roles, su) for email, name, roles, su in DEMO_ACCOUNTS
    }
    if second_factor:
        for email, _name, roles, _superuser in DEMO_ACCOUNTS:
            if COACHES in roles or PD_ADMINS in roles:
                give_totp_device(accounts[email], DEMO_TOTP_SECRET)
    return accounts


def ensure_teacher(email: str, full_name: str):
    return ensure_account(email, full_name, [TEACHERS], False)

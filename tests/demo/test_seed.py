import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests import factories

pytestmark = pytest.mark.django_db


def every_row() -> dict[str, list[dict]]:
    """Every row of every table the project's models own, as values."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def run_seed_demo(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_twice_changes_nothing_the_second_time(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first_output = run_seed_demo("--force")
    after_first = every_row()
    emails = len(mailoutbox)
    assert emails  # the first run did send the invitations, the certificate, the feedback

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second_output = run_seed_demo("--force")

    assert callbacks == []  # no email, no PDF, no credit request queued
    assert len(mailoutbox) == emails
    assert every_row() == after_first  # no new or changed row anywhere
    assert second_output == first_output


def test_seed_demo_prints_the_course_and_the_demo_accounts():
    output = run_seed_demo("--force")
    assert "Starter course ready: " in output
    assert f"Demo accounts (password: {DEMO_PASSWORD}):" in output
    for email, name, roles, _superuser in DEMO_ACCOUNTS:
        assert f"  {email:<22} {name} ({', '.join(roles)})" in output


def test_seed_demo_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        run_seed_demo()
    assert not apps.get_model("pdsite", "User").objects.exists()


def test_seed_demo_runs_without_force_when_debug_is_on(settings):
    settings.DEBUG = True
    assert "Starter course ready" in run_seed_demo()


def test_seed_demo_gives_the_coach_and_admin_the_published_authenticator(settings):
    settings.DEBUG = True
    output = run_seed_demo()
    assert "add the secret PDDEMOSECRETFORTHEDEMOSITEONLY23" in output
    User = apps.get_model("pdsite", "User")
    with_device = set(
        User.objects.filter(authenticator__type="totp").values_list("email", flat=True)
    )
    assert with_device == {"coach@example.com", "admin@example.com"}
    secret = Authenticator.objects.get(user__email="coach@example.com", type="totp")
    assert TOTP(secret).validate_code(factories.totp_code(secret=DEMO_TOTP_SECRET))


def test_seed_demo_forced_without_debug_installs_no_published_second_factor(settings):
    settings.DEBUG = False
    output = run_seed_demo("--force")
    assert "was NOT installed" in output
    assert "PDDEMOSECRETFORTHEDEMOSITEONLY23" not in output
    assert not Authenticator.objects.exists()


def test_seed_demo_installs_it_without_debug_only_when_asked_by_name(settings):
    settings.DEBUG = False
    output = run_seed_demo("--force", "--demo-second-factor")
    assert "add the secret PDDEMOSECRETFORTHEDEMOSITEONLY23" in output
    assert Authenticator.objects.filter(type="totp").count() == 2

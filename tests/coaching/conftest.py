import pytest

from tests import factories


@pytest.fixture
def coach(db):
    return factories.coach(full_name="Sam Okafor", email="sam.coach@example.org")


@pytest.fixture
def other_coach(db):
    return factories.coach(full_name="Other Coach", email="other.coach@example.org")


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the code queued for after the commit (emails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)

import pytest

from tests import factories


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the code queued for after the commit (emails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def coach(db):
    return factories.coach(full_name="Sam Okafor", email="sam.coach@example.org")


@pytest.fixture
def coached(coach, teacher, course):
    """The teacher accepted the coach's invitation into a cohort with the course assigned."""
    from coaching import services as coaching

    cohort = coaching.create_cohort(coach=coach, name="Spring")
    factories.invited_and_accepted(cohort=cohort, coach=coach, teacher=teacher)
    return cohort

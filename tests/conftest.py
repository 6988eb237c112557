import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache, as a site does after a restart, so what a
    test counts or shows never depends on which tests ran before it in the process."""
    cache.clear()


@pytest.fixture
def client():
    """pytest-django's client, signing coaches and PD admins in with their second factor
    (factories.Client says how)."""
    return factories.Client()


@pytest.fixture
def catalogue(db):
    return factories.site_tree()


@pytest.fixture
def course(catalogue):
    return factories.course_with_modules(catalogue, modules=3)


@pytest.fixture
def teacher(db):
    return factories.teacher()


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def organisation_name_cached(db):
    """The organisation's name as a running site holds it: in the shared cache once any
    page has shown it. Page query budgets count what one teacher's visit costs; the single
    query that fills the cache is counted in tests/core/test_organisation.py."""
    from core.models import organisation_name

    organisation_name()

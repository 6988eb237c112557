import pytest

from tests import factories


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

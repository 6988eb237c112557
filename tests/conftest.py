import pytest

from tests import factories


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

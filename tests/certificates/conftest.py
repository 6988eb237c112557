import socket

import pytest
from django.core.cache import cache
from pyld import jsonld

from certificates.models import CourseApproval
from tests import factories


@pytest.fixture
def credit_course(course):
    course.credit_type = factories.credit_type()
    course.credit_hours = 6
    course.save()
    CourseApproval.objects.create(
        course=course, agency="Texas Education Agency", approval_number="TEA-902-114"
    )
    return course


@pytest.fixture
def approval_course(credit_course):
    credit_course.requires_approval = True
    credit_course.save()
    return credit_course


@pytest.fixture(autouse=True)
def own_key_ring(tmp_path, settings):
    """Each test signs with a key ring of its own (made on first use), and no status list
    signed in another test is served from the cache."""
    settings.ISSUER_KEY_DIR = tmp_path / "keys"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test; pyld's cache of processed contexts
    is emptied so every context really goes through our frozen loader again. (PostgreSQL's
    client opens its sockets in C, below this, so the test database still works.)"""

    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    jsonld._resolved_context_cache.clear()

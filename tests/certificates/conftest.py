import pytest
from django.core.cache import cache

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

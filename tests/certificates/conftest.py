import pytest

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

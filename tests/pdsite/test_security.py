import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from modules.models import Enrollment

pytestmark = pytest.mark.django_db


def test_public_pages_carry_a_content_security_policy_without_inline_scripts(client, course):
    policy = client.get(course.url)["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_enrol_without_the_csrf_token_is_refused(teacher, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    response = client.post(course.url + "enroll/")
    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_a_restriction_on_an_ancestor_still_guards_its_pages(client, course):
    """Our single-query view-restriction check honours restrictions set higher in the tree."""
    catalogue = course.get_parent()
    PageViewRestriction.objects.create(page=catalogue, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(course.url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={course.url}"

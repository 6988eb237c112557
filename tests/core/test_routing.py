"""Routing from the cache (core.routing, core.serving): a page a teacher has opened is
found without the page-tree queries, and every change an editor makes shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from modules import services
from tests.factories import modules_of

pytestmark = pytest.mark.django_db


def _page_tree_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [
        q["sql"]
        for q in captured.captured_queries
        if '"wagtailcore_site"' in q["sql"]
        or '"wagtailcore_pageviewrestriction"' in q["sql"]
        or 'FROM "wagtailcore_page"' in q["sql"]
    ]


def test_a_repeat_visit_reads_no_site_route_or_restriction(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    teacher_client.get(module.url)
    assert _page_tree_queries(teacher_client, module.url) == []


def test_unpublishing_and_publishing_a_visited_module_show_at_once(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    assert teacher_client.get(module.url).status_code == 200
    module.unpublish()
    assert teacher_client.get(module.url).status_code == 404
    module.save_revision().publish()
    assert teacher_client.get(module.url).status_code == 200


def test_a_moved_or_renamed_module_answers_at_its_new_address_at_once(
    teacher_client, teacher, course
):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    old_url = module.url
    assert teacher_client.get(old_url).status_code == 200
    module.slug = "families-first"
    module.save_revision().publish()
    module.refresh_from_db()
    assert teacher_client.get(old_url).status_code == 404
    assert teacher_client.get(module.url).status_code == 200


def test_a_new_view_restriction_applies_at_once(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    assert teacher_client.get(module.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = teacher_client.get(module.url)
    assert response.status_code == 200 and 'name="password"' in response.text
    restriction.delete()
    assert 'name="password"' not in teacher_client.get(module.url).text

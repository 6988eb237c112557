import re

import pytest
from django.core import mail

from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, check_accessibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_course(transactional_db):
    index = factories.site_tree()
    return factories.course_with_modules(index, modules=3, slug="equity")


def test_teacher_signs_up_enrols_and_completes_a_module(page, live_server, demo_course):
    page.goto("/")
    check_accessibility(page, "01-home")
    page.get_by_role("link", name="Browse the courses").click()
    check_accessibility(page, "02-catalogue")
    page.get_by_role("link", name=demo_course.title).click()
    check_accessibility(page, "03-course-anonymous")

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("maya@example.org")
    page.get_by_label("Full name").fill("Maya Chen")
    page.get_by_label("Password:", exact=True).fill("kind-words-2026!")
    page.get_by_label("Password (again)").fill("kind-words-2026!")
    check_accessibility(page, "04-signup")
    page.get_by_role("button", name="Sign Up").click()
    check_accessibility(page, "05-verify-sent")

    link = re.search(r"http://[^/]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    check_accessibility(page, "06-confirm")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/dashboard/")
    check_accessibility(page, "07-dashboard-empty")

    page.goto(demo_course.url)
    page.get_by_role("button", name="Enrol in this course").click()
    page.wait_for_url("**/module-1/")
    check_accessibility(page, "08-module-1")
    page.get_by_role("button", name="Mark this module complete").click()
    page.wait_for_url("**/module-2/")

    page.get_by_role("link", name="My learning").click()
    assert page.get_by_text("1 of 3 modules complete (33%)").is_visible()
    check_accessibility(page, "09-dashboard-progress")


def test_module_page_reads_well_on_a_phone(phone, live_server, demo_course):
    teacher = factories.teacher()
    from modules import services

    services.enroll(user=teacher, course=demo_course)
    phone.goto("/accounts/login/")
    phone.get_by_label("Email").fill(teacher.email)
    phone.get_by_label("Password").fill(factories.PASSWORD)
    phone.get_by_role("button", name="Sign In").click()
    phone.wait_for_url("**/dashboard/")
    module = demo_course.get_children().first()
    phone.goto(module.url)
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "10-module-phone")

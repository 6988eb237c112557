"""The self-assessment charts at desktop and phone width: drawn, readable by axe, and no
sideways scrolling."""

import uuid

import pytest

from modules import services as progress
from quizzes import services
from quizzes.grading import quiz_questions
from quizzes.models import AttemptKind
from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, check_accessibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_teacher_reads_their_before_and_after_chart_on_desktop_and_phone(page, phone):
    index = factories.site_tree()
    course = factories.course_with_modules(index, modules=2, slug="equity")
    sa = factories.self_assessment()
    course.self_assessment = sa
    course.save(update_fields=["self_assessment"])
    teacher = factories.teacher(full_name="Rosa Diaz", email="rosa@example.org")
    progress.enroll(user=teacher, course=course)
    for kind, value in ((AttemptKind.PRE, "2"), (AttemptKind.POST, "4")):
        if kind == AttemptKind.POST:
            for module in course.get_children().specific():
                progress.complete_module(user=teacher, module=module)
        services.submit_attempt(
            user=teacher,
            quiz=sa,
            kind=kind,
            course=course,
            answers={q.id: [value] for q in quiz_questions(sa)},
            idempotency_key=uuid.uuid4(),
        )
    for browser_page, width in ((page, "desktop"), (phone, "phone")):
        browser_page.goto("/accounts/login/")
        browser_page.get_by_label("Email").fill(teacher.email)
        browser_page.get_by_label("Password").fill(factories.PASSWORD)
        browser_page.get_by_role("button", name="Sign In").click()
        browser_page.wait_for_url("**/dashboard/")
        for path, name in ((course.url, "course"), ("/reflections/", "reflections")):
            browser_page.goto(path)
            chart = browser_page.get_by_role("img", name="Your ratings before and after the course")
            assert chart.is_visible()
            assert chart.bounding_box()["width"] > 200
            assert_no_sideways_scroll(browser_page)
            check_accessibility(browser_page, f"chart-{name}-{width}")

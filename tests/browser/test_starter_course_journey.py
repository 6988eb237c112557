"""The shipped starter course, end to end in the browser: a new teacher takes the opening
self-assessment, passes all six module quizzes, takes the closing self-assessment and
finishes the course. Screenshots of every module for a person to read."""

import pytest

from modules import services as progress_services
from modules.models import CoursePage, Enrollment
from modules.starter_content import load_course, read_course_data
from quizzes.grading import quiz_questions
from quizzes.starter import attach_starter_quizzes
from tests import factories
from tests.browser.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFLECTION = " ".join(
    ["This week I will plan one lesson where every student works on the grade-level task,"]
    + ["with a short warm-up, a worked example and a check-in with the students I worry about."]
    * 10
)


@pytest.fixture
def starter_course(transactional_db) -> CoursePage:
    index = factories.site_tree()
    data = read_course_data()
    course, _changed = load_course(index=index, data=data)
    attach_starter_quizzes(course=course, course_data=data)
    return CoursePage.objects.get(pk=course.pk)


def rate_every_statement(page, quiz, rating: int) -> None:
    for question in quiz_questions(quiz):
        page.locator(f"#q-{question.id}-{rating}").check()
    page.get_by_role("button", name="Submit answers").click()


def test_a_teacher_completes_the_starter_course_in_the_browser(page, live_server, starter_course):
    course = starter_course
    teacher = factories.teacher(full_name="Ana Torres")
    progress_services.enroll(user=teacher, course=course)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(teacher.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")

    page.goto(course.url)
    check_accessibility(page, "starter-00-course")
    page.get_by_role("link", name="Start the self-assessment").click()
    rate_every_statement(page, course.self_assessment, 2)

    modules = list(course.get_children().specific().order_by("path"))
    assert len(modules) == 6
    for number, module in enumerate(modules, start=1):
        page.goto(module.url)
        assert page.get_by_role("heading", level=1, name=module.title).is_visible()
        check_accessibility(page, f"starter-{number:02d}-module")
        for question in quiz_questions(module.quiz):
            if question.type == "multiple_choice":
                for choice in question.choices:
                    if choice.correct:
                        page.locator(f"#q-{question.id}-{choice.id}").check()
            elif question.type == "reflection":
                page.locator(f"#q-{question.id}").fill(REFLECTION)
        page.get_by_role("button", name="Submit answers").click()
        page.wait_for_url("**#quiz-results")
        assert page.get_by_text(f"{number} of 6 modules complete").first.is_visible()

    page.goto(course.url)
    page.get_by_role("link", name="Take the closing self-assessment").click()
    rate_every_statement(page, course.self_assessment, 4)
    page.wait_for_url("**#self-assessment")
    check_accessibility(page, "starter-07-comparison")
    assert Enrollment.objects.get(user=teacher, course=course).completed_at is not None

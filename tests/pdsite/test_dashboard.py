import pytest

from modules import services
from tests import factories
from tests.factories import modules_of

pytestmark = pytest.mark.django_db


def test_dashboard_requires_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dashboard_shows_progress_and_continue_link(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    first, second, _third = modules_of(course)
    services.complete_module(user=teacher, module=first)
    services.record_module_visit(user=teacher, module=second, course=course)
    response = teacher_client.get("/dashboard/")
    assert "1 of 3 modules complete (33%)" in response.text
    assert 'value="33"' in response.text
    assert f'href="{second.url}"' in response.text


def test_dashboard_shows_the_completion_date(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    for module in modules_of(course):
        services.complete_module(user=teacher, module=module)
    response = teacher_client.get("/dashboard/")
    assert "3 of 3 modules complete (100%)" in response.text
    assert "Completed on" in response.text


def test_dashboard_shows_only_the_viewers_courses(teacher_client, teacher, catalogue):
    mine = factories.course_with_modules(catalogue, slug="mine")
    theirs = factories.course_with_modules(catalogue, slug="theirs")
    services.enroll(user=factories.teacher(), course=theirs)
    services.enroll(user=teacher, course=mine)
    response = teacher_client.get("/dashboard/")
    assert mine.title in response.text
    assert theirs.title not in response.text


@pytest.mark.parametrize("course_count", [1, 6])
def test_dashboard_query_count_does_not_grow_with_courses(
    course_count,
    teacher_client,
    teacher,
    catalogue,
    django_assert_max_num_queries,
    organisation_name_cached,
):
    for number in range(course_count):
        course = factories.course_with_modules(catalogue, modules=4, slug=f"c{number}")
        services.enroll(user=teacher, course=course)
        services.complete_module(user=teacher, module=modules_of(course)[0])
    # 10: session user (with roles), enrolments, modules, progress, site (x2 on a cold
    # cache), certificates, assignments, open cohort invitations, the teacher's cohorts and
    # follow-ups: one query each however many courses.
    with django_assert_max_num_queries(11):
        response = teacher_client.get("/dashboard/")
    assert response.text.count("1 of 4 modules complete") == course_count


def test_continue_leads_to_the_opening_self_assessment_when_it_is_due(
    teacher_client, teacher, course
):
    course.self_assessment = factories.quiz(
        title="Beliefs", questions=[factories.agreement_question("I expect every student to grow.")]
    )
    course.save_revision().publish()
    services.enroll(user=teacher, course=course)
    response = teacher_client.get("/dashboard/")
    assert f'href="/courses/{course.slug}/self-assessment/pre/"' in response.text
    assert "Next up: the self-assessment that opens the course" in response.text


def test_the_dashboard_does_not_read_module_bodies(teacher_client, teacher, course):
    # A body is ~1,500 words of JSON; a dashboard of ten courses would parse 80 of them.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.enroll(user=teacher, course=course)
    with CaptureQueriesContext(connection) as captured:
        assert "0 of 3 modules complete" in teacher_client.get("/dashboard/").text
    assert not [q for q in captured.captured_queries if '"modules_modulepage"."body"' in q["sql"]]


def test_a_completed_course_short_of_its_minimum_time_says_what_credit_waits_for(
    teacher_client, teacher, course
):
    course.min_active_minutes = 30
    course.save_revision().publish()
    services.enroll(user=teacher, course=course)
    for module in modules_of(course):
        services.complete_module(user=teacher, module=module)
    page = teacher_client.get("/dashboard/").text
    assert "Your certificate waits for 30 minutes more of active time" in page
    course.min_active_minutes = None
    course.save_revision().publish()
    assert "Your certificate waits" not in teacher_client.get("/dashboard/").text

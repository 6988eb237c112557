"""The teacher's cached course state can never show stale progress: after each write, the
very next page shows it (modules.course_state; runs on SQLite and on PostgreSQL)."""

import uuid
from datetime import date, timedelta

import pytest

from certificates.services import revoke_certificate
from coaching.services import assign_course
from modules import services
from modules.course_state import cached_course_progress
from quizzes import services as quiz_services
from tests import factories
from tests.factories import modules_of

pytestmark = pytest.mark.django_db


def _warm(client, *urls):
    """Load the pages once, so their snapshots are cached before the write."""
    for url in urls:
        assert client.get(url).status_code in (200, 302)


def test_completing_a_module_shows_on_the_next_page_at_once(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    first, second, _third = modules_of(course)
    _warm(teacher_client, first.url, course.url)
    assert "Mark this module complete" in teacher_client.get(first.url).text

    teacher_client.post(first.url + "complete/")

    page = teacher_client.get(first.url).text
    assert "Complete: you finished this module on" in page
    assert "Mark this module complete" not in page
    assert "1 of 3 modules complete" in teacher_client.get(course.url).text


def test_passing_a_quiz_shows_on_the_next_page_at_once(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    quiz = factories.quiz()
    factories.attach_quiz(module, quiz)
    _warm(teacher_client, module.url, course.url)
    assert "Answer the quiz" in teacher_client.get(module.url).text

    quiz_services.submit_attempt(
        user=teacher,
        quiz=quiz,
        module=module,
        answers=factories.right_answers(quiz),
        idempotency_key=uuid.uuid4(),
    )

    page = teacher_client.get(module.url).text
    assert "Complete: you passed this module" in page
    assert "Your latest attempt" in page and "Passed" in page
    assert "Answer the quiz" not in page


def test_a_failed_attempt_and_a_saved_draft_show_at_once(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    quiz = factories.quiz()
    factories.attach_quiz(module, quiz)
    _warm(teacher_client, module.url)

    quiz_services.submit_attempt(
        user=teacher,
        quiz=quiz,
        module=module,
        answers=factories.wrong_answers(quiz),
        idempotency_key=uuid.uuid4(),
    )
    assert "Not passed yet" in teacher_client.get(module.url).text

    answers = factories.wrong_answers(quiz, text="A draft about weekly check-ins with families.")
    quiz_services.save_draft(user=teacher, quiz=quiz, module=module, data=answers)
    assert "A draft about weekly check-ins with families." in teacher_client.get(module.url).text


def test_being_assigned_a_course_opens_its_modules_at_once(teacher_client, teacher, course):
    coach = factories.coach()
    module = modules_of(course)[0]
    response = teacher_client.get(module.url)
    assert response.status_code == 302  # not enrolled: sent to the course page
    _warm(teacher_client, course.url)

    due = date.today() + timedelta(days=30)
    assign_course(course=course, due_on=due, assigned_by=coach, user=teacher)

    assert teacher_client.get(module.url).status_code == 200
    assert "0 of 3 modules complete" in teacher_client.get(course.url).text


def test_a_revoked_certificate_disappears_at_once(teacher_client, teacher, course):
    certificate = factories.certificate(course, user=teacher)
    admin = factories.pd_admin()
    _warm(teacher_client, course.url, "/dashboard/", modules_of(course)[0].url)
    assert "Download certificate (PDF)" in teacher_client.get("/dashboard/").text

    revoke_certificate(certificate=certificate, revoked_by=admin, reason="Issued in error.")

    assert "Download certificate (PDF)" not in teacher_client.get("/dashboard/").text
    assert teacher_client.get(certificate.get_absolute_url()).status_code == 404


def test_publishing_and_unpublishing_a_module_show_at_once(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    first, _second, third = modules_of(course)
    _warm(teacher_client, first.url, course.url)
    assert "Module 1 of 3" in teacher_client.get(first.url).text

    third.unpublish()
    assert "Module 1 of 2" in teacher_client.get(first.url).text
    assert third.title not in teacher_client.get(course.url).text

    third.save_revision().publish()
    assert "Module 1 of 3" in teacher_client.get(first.url).text


def test_editing_a_quiz_shows_its_new_question_at_once(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    quiz = factories.quiz()
    factories.attach_quiz(module, quiz)
    _warm(teacher_client, module.url)

    quiz.questions = [factories.reflection_question("Which family will you call first?")]
    quiz.save()

    assert "Which family will you call first?" in teacher_client.get(module.url).text


def test_one_teachers_snapshot_is_never_anothers(client, teacher, course):
    other = factories.teacher()
    services.enroll(user=teacher, course=course)
    services.mark_module_complete(user=teacher, module=modules_of(course)[0], course=course)
    assert cached_course_progress(user=teacher, course=course).done == 1
    assert cached_course_progress(user=other, course=course).enrollment is None

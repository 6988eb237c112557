import threading
import uuid

import pytest
from django.db import connection

from modules import services as progress_services
from modules.enums import ModuleState
from modules.models import ModuleProgress
from modules.selectors import course_progress
from quizzes import services
from quizzes.grading import quiz_questions
from quizzes.models import Answer, Attempt, AttemptKind, Draft
from quizzes.selectors import load_draft
from tests import factories
from tests.factories import modules_of

pytestmark = pytest.mark.django_db


def submit(teacher, quiz, module, answers, key=None):
    return services.submit_attempt(
        user=teacher, quiz=quiz, module=module, answers=answers, idempotency_key=key or uuid.uuid4()
    )


def test_passing_the_quiz_completes_the_module_and_stores_every_answer(teacher, quiz, module):
    attempt = submit(teacher, quiz, module, factories.right_answers(quiz))
    assert (attempt.passed, attempt.score, attempt.kind) == (True, 100, AttemptKind.MODULE)
    assert attempt.answers.count() == 4
    assert ModuleProgress.objects.get(user=teacher, module=module).completed_at is not None


def test_failing_keeps_the_module_open_and_shows_quiz_failed(teacher, quiz, module, course):
    attempt = submit(teacher, quiz, module, factories.wrong_answers(quiz))
    assert attempt.passed is False
    status = course_progress(user=teacher, course=course).status_for(module)
    assert status.state == ModuleState.QUIZ_FAILED
    assert status.completed_at is None


def test_retaking_after_failing_and_passing_completes_the_module(teacher, quiz, module, course):
    submit(teacher, quiz, module, factories.wrong_answers(quiz))
    submit(teacher, quiz, module, factories.right_answers(quiz))
    status = course_progress(user=teacher, course=course).status_for(module)
    assert status.state == ModuleState.COMPLETE
    assert Attempt.objects.filter(user=teacher).count() == 2


def test_failing_a_retake_after_passing_keeps_the_module_complete(teacher, quiz, module, course):
    submit(teacher, quiz, module, factories.right_answers(quiz))
    submit(teacher, quiz, module, factories.wrong_answers(quiz))
    assert course_progress(user=teacher, course=course).status_for(module).is_complete


def test_bad_input_stores_nothing(teacher, quiz, module):
    with pytest.raises(services.QuizValidationError):
        submit(teacher, quiz, module, {})
    assert not Attempt.objects.exists() and not Answer.objects.exists()


def test_a_quiz_from_another_module_is_rejected(teacher, quiz, module, course):
    other = modules_of(course)[1]
    with pytest.raises(services.QuizValidationError) as raised:
        submit(teacher, quiz, other, factories.right_answers(quiz))
    assert raised.value.general == ["This quiz does not belong to this module."]
    assert not Attempt.objects.exists()


def test_a_teacher_not_enrolled_cannot_submit(quiz, module):
    stranger = factories.teacher()
    with pytest.raises(services.QuizValidationError) as raised:
        submit(stranger, quiz, module, factories.right_answers(quiz))
    assert raised.value.general == ["Enrol in the course first."]


def test_a_tampered_token_is_refused_with_a_clear_message(teacher, quiz, module):
    with pytest.raises(services.QuizValidationError) as raised:
        submit(teacher, quiz, module, factories.right_answers(quiz), key="not-a-uuid")
    assert "expired" in raised.value.general[0]


def test_the_same_token_twice_makes_one_attempt(teacher, quiz, module):
    key = uuid.uuid4()
    first = submit(teacher, quiz, module, factories.right_answers(quiz), key=key)
    second = submit(teacher, quiz, module, factories.wrong_answers(quiz), key=key)
    assert first.pk == second.pk
    assert Attempt.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_submissions_with_one_token_make_one_attempt(course, quiz, teacher):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writes, so two requests cannot race; run on PostgreSQL")
    module = factories.attach_quiz(modules_of(course)[0], quiz)
    progress_services.enroll(user=teacher, course=course)
    key = uuid.uuid4()
    answers = factories.right_answers(quiz)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            results.append(submit(teacher, quiz, module, answers, key=key).pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Attempt.objects.count() == 1
    assert Answer.objects.count() == 4


def test_a_module_with_a_quiz_cannot_be_marked_complete_by_hand(teacher, module):
    with pytest.raises(progress_services.ProgressError) as raised:
        progress_services.complete_module(user=teacher, module=module)
    assert str(raised.value) == "This module completes when you pass its quiz."


def test_a_draft_is_saved_restored_and_replaced(teacher, quiz, module):
    *_, reflection = quiz_questions(quiz)
    services.save_draft(user=teacher, quiz=quiz, module=module, data={reflection.id: ["half"]})
    services.save_draft(user=teacher, quiz=quiz, module=module, data={reflection.id: ["more"]})
    assert load_draft(user=teacher, quiz=quiz, module=module) == {reflection.id: ["more"]}
    assert Draft.objects.count() == 1


def test_a_draft_keeps_only_answers_to_the_quizs_own_questions(teacher, quiz, module):
    services.save_draft(user=teacher, quiz=quiz, module=module, data={"made-up": ["x"]})
    assert load_draft(user=teacher, quiz=quiz, module=module) == {}


def test_submitting_clears_the_draft(teacher, quiz, module):
    services.save_draft(user=teacher, quiz=quiz, module=module, data={})
    submit(teacher, quiz, module, factories.right_answers(quiz))
    assert not Draft.objects.exists()


def test_self_assessment_drafts_stay_one_row_without_a_module(teacher, course):
    sa = factories.self_assessment()
    course.self_assessment = sa
    course.save(update_fields=["self_assessment"])
    progress_services.enroll(user=teacher, course=course)
    first = quiz_questions(sa)[0]
    for value in ("2", "3"):
        services.save_draft(
            user=teacher, quiz=sa, kind=AttemptKind.PRE, course=course, data={first.id: [value]}
        )
    assert Draft.objects.filter(kind=AttemptKind.PRE).count() == 1
    assert load_draft(user=teacher, quiz=sa, kind=AttemptKind.PRE) == {first.id: ["3"]}


class TestSelfAssessment:
    @pytest.fixture
    def sa(self, course, teacher):
        sa = factories.self_assessment()
        course.self_assessment = sa
        course.save(update_fields=["self_assessment"])
        progress_services.enroll(user=teacher, course=course)
        return sa

    def take(self, teacher, sa, course, kind, value="3"):
        return services.submit_attempt(
            user=teacher,
            quiz=sa,
            kind=kind,
            course=course,
            answers={q.id: [value] for q in quiz_questions(sa)},
            idempotency_key=uuid.uuid4(),
        )

    def test_modules_stay_locked_until_the_pre_self_assessment(self, teacher, sa, course):
        progress = course_progress(user=teacher, course=course)
        assert all(s.locked and s.locked_reason == "pre_assessment" for s in progress.modules)
        with pytest.raises(progress_services.ProgressError) as raised:
            progress_services.complete_module(user=teacher, module=modules_of(course)[0])
        assert "self-assessment first" in str(raised.value)
        self.take(teacher, sa, course, AttemptKind.PRE)
        assert not any(s.locked for s in course_progress(user=teacher, course=course).modules)

    def test_the_post_opens_only_when_every_required_module_is_done(self, teacher, sa, course):
        self.take(teacher, sa, course, AttemptKind.PRE)
        with pytest.raises(services.QuizValidationError) as raised:
            self.take(teacher, sa, course, AttemptKind.POST)
        assert "opens when every required module is done" in raised.value.general[0]
        for module in modules_of(course):
            progress_services.complete_module(user=teacher, module=module)
        progress = course_progress(user=teacher, course=course)
        assert progress.post_assessment_open and not progress.is_complete

    def test_course_completion_waits_for_the_post_self_assessment(self, teacher, sa, course):
        self.take(teacher, sa, course, AttemptKind.PRE)
        for module in modules_of(course):
            progress_services.complete_module(user=teacher, module=module)
        assert not course_progress(user=teacher, course=course).is_complete
        self.take(teacher, sa, course, AttemptKind.POST, value="5")
        assert course_progress(user=teacher, course=course).is_complete

    def test_each_self_assessment_is_taken_once(self, teacher, sa, course):
        self.take(teacher, sa, course, AttemptKind.PRE)
        with pytest.raises(services.QuizValidationError) as raised:
            self.take(teacher, sa, course, AttemptKind.PRE)
        assert raised.value.general == ["You have already taken the opening self-assessment."]

    def test_a_quiz_that_is_not_the_courses_self_assessment_is_rejected(self, teacher, sa, course):
        other = factories.self_assessment()
        with pytest.raises(services.QuizValidationError) as raised:
            self.take(teacher, other, course, AttemptKind.PRE)
        assert raised.value.general == ["This self-assessment does not belong to this course."]

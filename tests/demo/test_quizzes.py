from decimal import Decimal

import pytest

from core import sanitise
from demo.quizzes import DEMO_REFLECTION, POST_RATINGS, PRE_RATINGS, take_course
from demo.seed import seed
from modules.models import Enrollment, ModulePage
from modules.selectors import course_progress
from quizzes.grading import AGREEMENT, MULTIPLE_CHOICE, REFLECTION, SCALE, quiz_questions
from quizzes.models import Attempt, AttemptKind
from tests import factories

pytestmark = pytest.mark.django_db


def test_seed_attaches_quizzes_and_the_demo_teacher_has_taken_them_all_once():
    result = seed()
    seed()  # idempotent: nothing doubles
    course = result["course"]
    course.refresh_from_db()
    teacher = result["accounts"]["teacher@example.com"]
    modules = list(ModulePage.objects.child_of(course).select_related("quiz"))
    assert modules and all(module.quiz_id for module in modules)
    assert course.self_assessment_id
    types = [{q.type for q in quiz_questions(module.quiz)} for module in modules]
    assert {"multiple_choice", "agreement", "reflection"} in types
    attempts = Attempt.objects.filter(user=teacher)
    assert attempts.filter(kind=AttemptKind.MODULE, passed=True).count() == len(modules)
    assert attempts.filter(kind=AttemptKind.PRE).count() == 1
    assert attempts.filter(kind=AttemptKind.POST).count() == 1
    assert attempts.count() == len(modules) + 2
    progress = course_progress(user=teacher, course=course)
    assert progress.is_complete and progress.pre_attempt_id and progress.post_attempt_id
    assert Enrollment.objects.get(user=teacher, course=course).completed_at is not None


def test_the_demo_teachers_attempts_were_graded_by_the_real_grader():
    result = seed()
    teacher = result["accounts"]["teacher@example.com"]
    attempts = Attempt.objects.filter(user=teacher).select_related("quiz")
    for attempt in attempts.filter(kind=AttemptKind.MODULE):
        questions = {q.id: q for q in quiz_questions(attempt.quiz)}
        answers = list(attempt.answers.all())
        assert {a.question_id for a in answers} == set(questions)
        graded = [a for a in answers if a.question_type == MULTIPLE_CHOICE]
        assert graded  # every starter quiz has multiple-choice questions: a score
        assert attempt.score == Decimal("100.00") and attempt.passed
        for answer in graded:
            assert answer.correct is True
            assert set(answer.choice_ids) == questions[answer.question_id].correct_ids
        for answer in answers:
            if answer.question_type == REFLECTION:
                assert answer.text == sanitise.clean_text(DEMO_REFLECTION)
                assert answer.correct is None
            elif answer.question_type == AGREEMENT:
                assert answer.scale_value in SCALE and answer.correct is None
    for kind, ratings in ((AttemptKind.PRE, PRE_RATINGS), (AttemptKind.POST, POST_RATINGS)):
        attempt = attempts.get(kind=kind)
        assert attempt.score is None and attempt.passed  # nothing graded in a self-assessment
        values = [a.scale_value for a in attempt.answers.order_by("pk")]
        assert values == list(ratings[: len(values)])


def test_take_course_goes_through_the_grader_and_the_sanitiser(catalogue):
    course = factories.course_with_modules(catalogue, modules=2, sequential=True)
    first, second = factories.modules_of(course)
    factories.attach_quiz(first, factories.quiz(pass_mark=100))
    teacher = factories.teacher()
    typed = "I will <b>call on</b> every student & wait https://example.org/wait"

    take_course(user=teacher, course=course, modules=1, reflection=typed)

    attempt = Attempt.objects.get(user=teacher, module=first)
    assert attempt.passed and attempt.score == Decimal("100.00")
    reflection = attempt.answers.get(question_type=REFLECTION)
    assert reflection.text == sanitise.clean_text(typed)
    assert "<b>" not in reflection.text and "&lt;b&gt;call on&lt;/b&gt;" in reflection.text
    assert 'rel="nofollow noopener"' in reflection.text
    progress = course_progress(user=teacher, course=course)
    assert [status.is_complete for status in progress.modules] == [True, False]

    take_course(user=teacher, course=course)  # the rest: the quiz-less module by hand
    take_course(user=teacher, course=course)  # and again: nothing more
    assert Attempt.objects.filter(user=teacher).count() == 1
    assert course_progress(user=teacher, course=course).is_complete

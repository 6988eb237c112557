import pytest

from demo.seed import seed
from modules.models import Enrollment, ModulePage
from modules.selectors import course_progress
from quizzes.grading import quiz_questions
from quizzes.models import Attempt, AttemptKind

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

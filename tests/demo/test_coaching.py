from decimal import Decimal

import pytest

from coaching import matrix as coaching_matrix
from coaching.enums import FeedbackKind
from coaching.models import Assignment, Cohort, Feedback
from core import sanitise
from demo.coaching import COACHING_DEMO_REFLECTION
from demo.seed import seed
from quizzes.grading import REFLECTION, quiz_questions
from quizzes.models import Attempt, AttemptKind
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_coach_has_a_cohort_at_different_stages_and_seeding_twice_adds_nothing():
    factories.site_tree()
    seed()
    seed()
    cohort = Cohort.objects.get(name="Spring 2027 student teachers")
    assert [c.email for c in cohort.coaches.all()] == ["coach@example.com"]
    assignment = Assignment.objects.get(cohort=cohort)
    matrix = coaching_matrix.progress_matrix(cohort=cohort, assignment=assignment)
    percents = {row.user.email: row.percent for row in matrix.rows}
    assert percents["teacher@example.com"] == 100
    assert percents["maya.chen@example.com"] == 0
    assert 0 < percents["luis.ortega@example.com"] < 100
    assert [row.user.email for row in matrix.rows if row.overdue] == ["dev.patel@example.com"]
    assert Assignment.objects.count() == 2


def test_one_reflection_has_the_coachs_feedback_on_a_graded_attempt(
    mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(2):  # idempotent
        with django_capture_on_commit_callbacks(execute=True):
            seed()
    feedback = Feedback.objects.select_related("answer__attempt__module").get()
    assert feedback.coach.email == "coach@example.com"
    assert feedback.kind == FeedbackKind.STRENGTH
    answer = feedback.answer
    attempt = answer.attempt
    assert attempt.user.email == "luis.ortega@example.com"
    assert answer.question_type == REFLECTION
    assert answer.text == sanitise.clean_text(COACHING_DEMO_REFLECTION)
    # A real submission of the first module's own quiz, graded by the grader.
    assert attempt.kind == AttemptKind.MODULE and attempt.quiz_id == attempt.module.quiz_id
    assert attempt.module.slug == "what-the-achievement-gap-is"
    assert attempt.passed and attempt.score == Decimal("100.00")
    assert answer.question_id in {q.id for q in quiz_questions(attempt.quiz)}
    to_luis = [m.subject for m in mailoutbox if m.to == ["luis.ortega@example.com"]]
    assert to_luis.count("New feedback on your reflection") == 1  # though seeded twice
    # Teachers at different stages: those who started took the opening self-assessment and
    # passed the quizzes of the modules they finished; nobody but the demo teacher finished.
    passed = Attempt.objects.filter(kind=AttemptKind.MODULE, passed=True)
    assert not Attempt.objects.filter(user__email="maya.chen@example.com").exists()
    assert passed.filter(user__email="dev.patel@example.com").count() == 1
    assert passed.filter(user__email="luis.ortega@example.com").count() == 2
    for email in ("dev.patel@example.com", "luis.ortega@example.com"):
        assert Attempt.objects.filter(user__email=email, kind=AttemptKind.PRE).count() == 1
        assert not Attempt.objects.filter(user__email=email, kind=AttemptKind.POST).exists()

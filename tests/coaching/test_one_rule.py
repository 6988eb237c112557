"""The teacher's pages and the coach's matrix read the same rules: for the same teacher and
the same data they show the same module states, the same percent and the same change."""

import datetime

import pytest

from coaching import matrix as coaching_matrix
from coaching import services as coaching
from modules import services as progress
from modules.selectors import course_progress
from quizzes.models import AttemptKind
from quizzes.selectors import self_assessment_comparison
from tests import factories

pytestmark = pytest.mark.django_db


def test_module_states_and_percent_agree_between_the_teacher_and_the_coach(coach, teacher):
    index = factories.site_tree()
    course = factories.course_with_modules(index, modules=4, slug="agree")
    modules = factories.modules_of(course)
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    assignment = coaching.assign_course(
        cohort=cohort,
        course=course,
        due_on=datetime.date.today() + datetime.timedelta(days=7),
        assigned_by=coach,
    )
    progress.mark_module_complete(user=teacher, module=modules[0], course=course)
    progress.record_module_visit(user=teacher, module=modules[1], course=course)
    factories.attempt(user=teacher, module=modules[1], passed=False)
    # An attempt with no progress row (the services always write one; old data may not):
    # this is where the two copies of the rule used to disagree.
    factories.attempt(user=teacher, module=modules[2], passed=False)

    mine = course_progress(user=teacher, course=course)
    matrix = coaching_matrix.progress_matrix(cohort=cohort, assignment=assignment)
    row = matrix.rows[0]
    assert [status.state for status in mine.modules] == [cell.state for cell in row.cells]
    assert [cell.state for cell in row.cells] == [
        "complete",
        "quiz_failed",
        "not_started",
        "not_started",
    ]
    assert mine.percent == row.percent == 25


def test_the_self_assessment_change_agrees_between_the_teacher_and_the_coach(coach, teacher):
    index = factories.site_tree()
    course = factories.course_with_modules(index, modules=1, slug="sa")
    survey = factories.self_assessment(statements=("I believe every student can learn.",))
    course.self_assessment = survey
    course.save_revision().publish()
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    assignment = coaching.assign_course(
        cohort=cohort,
        course=course,
        due_on=datetime.date.today() + datetime.timedelta(days=7),
        assigned_by=coach,
    )
    question_id = survey.questions[0].id
    for kind, value in ((AttemptKind.PRE, 2), (AttemptKind.POST, 5)):
        factories.attempt(
            user=teacher,
            quiz=survey,
            course=course,
            kind=kind,
            answers=[
                {
                    "question_id": question_id,
                    "question_type": "agreement",
                    "question_text": "I believe every student can learn.",
                    "scale_value": value,
                }
            ],
        )
    mine = self_assessment_comparison(
        user=teacher, progress=course_progress(user=teacher, course=course)
    )
    matrix = coaching_matrix.progress_matrix(cohort=cohort, assignment=assignment)
    assert [row.change for row in mine] == [3]
    assert matrix.rows[0].self_assessment_change == 3

import datetime

import pytest

from coaching import feedback as coaching_feedback
from coaching import selectors, services
from coaching.permissions import can_view_answer, can_view_cohort, can_view_teacher
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def other_world(other_coach, course):
    """Another coach's cohort, teacher and reflection, made FIRST so a leak would show."""
    stranger = factories.teacher(full_name="Stranger Teacher")
    cohort = factories.cohort(coaches=[other_coach], members=[stranger], name="Not yours")
    services.assign_course(cohort=cohort, course=course, due_on=TODAY, assigned_by=other_coach)
    module = course.get_children().first().specific
    answer = factories.reflection(user=stranger, module=module, text="Private thoughts")
    return {"cohort": cohort, "teacher": stranger, "answer": answer}


def test_a_coach_sees_only_their_own_cohorts_and_teachers(other_world, coach, teacher):
    mine = factories.cohort(coaches=[coach], members=[teacher], name="Mine")
    assert list(selectors.cohorts_for_coach(coach)) == [mine]
    assert list(selectors.teachers_for_coach(coach)) == [teacher]
    assert not can_view_cohort(coach, other_world["cohort"])
    assert not can_view_teacher(coach, other_world["teacher"])
    assert can_view_cohort(coach, mine) and can_view_teacher(coach, teacher)


def test_a_coach_cannot_read_another_coachs_reflections(other_world, coach, teacher):
    factories.cohort(coaches=[coach], members=[teacher])
    assert not can_view_answer(coach, other_world["answer"])
    assert list(selectors.reflection_answers_for_coach(coach, other_world["teacher"])) == []


def test_a_teacher_in_two_cohorts_shows_only_the_courses_this_coach_assigned(
    other_world, coach, catalogue
):
    shared = other_world["teacher"]
    mine = factories.cohort(coaches=[coach], members=[shared])
    my_course = factories.course_with_modules(catalogue, modules=1, slug="mine")
    services.assign_course(cohort=mine, course=my_course, due_on=TODAY, assigned_by=coach)
    visible = factories.reflection(
        user=shared, module=my_course.get_children().first().specific, text="For my coach"
    )
    assert list(selectors.reflection_answers_for_coach(coach, shared)) == [visible]
    assert not can_view_answer(coach, other_world["answer"])


def test_pd_admins_see_every_cohort(other_world):
    admin = factories.pd_admin()
    assert list(selectors.cohorts_for_coach(admin)) == [other_world["cohort"]]
    assert can_view_teacher(admin, other_world["teacher"])


def test_teachers_see_no_cohorts(other_world):
    assert list(selectors.cohorts_for_coach(other_world["teacher"])) == []


def test_leaving_the_cohort_ends_the_coachs_view(coach, teacher):
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    services.remove_member(cohort=cohort, user=teacher)
    assert not can_view_teacher(coach, teacher)


def test_feedback_for_answers_groups_by_answer_in_one_query(
    coach, course, teacher, django_assert_num_queries
):
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    services.assign_course(cohort=cohort, course=course, due_on=TODAY, assigned_by=coach)
    modules = [m.specific for m in course.get_children()]
    first = factories.reflection(user=teacher, module=modules[0])
    second = factories.reflection(user=teacher, module=modules[1])
    coaching_feedback.leave_feedback(coach=coach, answer=first, kind="strength", body="One")
    coaching_feedback.leave_feedback(coach=coach, answer=first, kind="question", body="Two")
    with django_assert_num_queries(1):
        grouped = selectors.feedback_for_answers([first.pk, second.pk])
        bodies = [f.body for f in grouped[first.pk]]
    assert bodies == ["One", "Two"]
    assert second.pk not in grouped


def test_assignments_on_the_dashboard_are_sorted_by_due_date_with_overdue_marked(
    coach, catalogue, teacher
):
    soon = factories.course_with_modules(catalogue, modules=1, slug="soon")
    late = factories.course_with_modules(catalogue, modules=1, slug="late")
    past = factories.course_with_modules(catalogue, modules=1, slug="past")
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    services.assign_course(
        cohort=cohort, course=late, due_on=TODAY.replace(day=20), assigned_by=coach
    )
    services.assign_course(
        user=teacher, course=soon, due_on=TODAY.replace(day=5), assigned_by=coach
    )
    services.assign_course(
        cohort=cohort, course=past, due_on=TODAY.replace(day=1), assigned_by=coach
    )
    items = selectors.assignments_for_teacher(teacher, today=TODAY.replace(day=2))
    assert [(i.course.slug, i.overdue) for i in items] == [
        ("past", True),
        ("soon", False),
        ("late", False),
    ]

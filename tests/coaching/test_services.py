import datetime

import pytest
from django.db import IntegrityError

from coaching import invitations as coaching_invitations
from coaching import selectors, services
from coaching.models import Assignment
from modules.enums import EnrollmentSource
from modules.models import Enrollment
from tests import factories

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = datetime.date.today() + datetime.timedelta(days=14)


def test_creating_a_cohort_makes_the_creator_its_coach(coach):
    cohort = services.create_cohort(
        coach=coach, name="  Spring 2027 student teachers ", program="Elementary"
    )
    assert cohort.name == "Spring 2027 student teachers"
    assert list(cohort.coaches.all()) == [coach]


def test_a_teacher_who_leaves_is_no_longer_seen_by_the_coach(coach, teacher):
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    assert teacher in selectors.teachers_for_coach(coach)
    services.leave_cohort(cohort=cohort, user=teacher)
    assert teacher not in selectors.teachers_for_coach(coach)


def test_assigning_a_course_enrols_every_member_now_and_later(coach, course):
    first, second, later = factories.teacher(), factories.teacher(), factories.teacher()
    cohort = factories.cohort(coaches=[coach], members=[first, second])
    services.assign_course(cohort=cohort, course=course, due_on=IN_TWO_WEEKS, assigned_by=coach)
    coaching_invitations.add_member(cohort=cohort, email=later.email, added_by=coach)
    factories.invited_and_accepted(cohort=cohort, teacher=later)
    enrolled = Enrollment.objects.filter(course=course, source=EnrollmentSource.ASSIGNED)
    assert set(enrolled.values_list("user_id", flat=True)) == {first.pk, second.pk, later.pk}


def test_assigning_the_same_course_twice_keeps_one_assignment_with_the_new_date(coach, course):
    cohort = factories.cohort(coaches=[coach], members=[factories.teacher()])
    services.assign_course(cohort=cohort, course=course, due_on=IN_TWO_WEEKS, assigned_by=coach)
    later = IN_TWO_WEEKS + datetime.timedelta(days=7)
    services.assign_course(cohort=cohort, course=course, due_on=later, assigned_by=coach)
    assert list(Assignment.objects.values_list("due_on", flat=True)) == [later]
    assert Enrollment.objects.count() == 1


def test_assigning_to_one_teacher_enrols_only_them(coach, course, teacher):
    factories.cohort(coaches=[coach], members=[teacher, factories.teacher()])
    services.assign_course(user=teacher, course=course, due_on=IN_TWO_WEEKS, assigned_by=coach)
    assert list(Enrollment.objects.values_list("user_id", flat=True)) == [teacher.pk]


def test_an_assignment_is_for_a_cohort_or_a_teacher_never_both(coach, course, teacher):
    cohort = factories.cohort(coaches=[coach])
    with pytest.raises(IntegrityError):
        Assignment.objects.create(course=course, cohort=cohort, user=teacher, due_on=IN_TWO_WEEKS)


def test_a_self_enrolled_teacher_keeps_their_enrolment_when_assigned(coach, course, teacher):
    from modules import services as progress

    progress.enroll(user=teacher, course=course)
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    services.assign_course(cohort=cohort, course=course, due_on=IN_TWO_WEEKS, assigned_by=coach)
    assert Enrollment.objects.get().source == EnrollmentSource.SELF


# --- feedback ---------------------------------------------------------------------------------

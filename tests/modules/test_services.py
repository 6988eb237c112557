import pytest
from django.db import IntegrityError

from modules import services
from modules.enums import EnrollmentSource
from modules.models import Enrollment, ModuleProgress
from modules.selectors import course_progress
from tests import factories
from tests.factories import modules_of

pytestmark = pytest.mark.django_db


def test_enrolling_twice_keeps_one_enrollment(course, teacher):
    first = services.enroll(user=teacher, course=course)
    second = services.enroll(user=teacher, course=course, source=EnrollmentSource.ASSIGNED)
    assert first.pk == second.pk
    assert Enrollment.objects.filter(user=teacher, course=course).count() == 1


def test_database_refuses_a_duplicate_enrollment(course, teacher):
    Enrollment.objects.create(user=teacher, course=course)
    with pytest.raises(IntegrityError):
        Enrollment.objects.create(user=teacher, course=course)


def test_cannot_enrol_in_an_unpublished_course(course, teacher):
    course.unpublish()
    with pytest.raises(services.ProgressError):
        services.enroll(user=teacher, course=course)


def test_completing_a_module_twice_keeps_the_first_completion_time(course, teacher):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    first = services.complete_module(user=teacher, module=module)
    second = services.complete_module(user=teacher, module=module)
    assert first.completed_at == second.completed_at
    assert ModuleProgress.objects.filter(user=teacher, module=module).count() == 1


def test_completing_every_required_module_completes_the_course(course, teacher):
    services.enroll(user=teacher, course=course)
    *first_two, last = modules_of(course)
    for module in first_two:
        services.complete_module(user=teacher, module=module)
    assert Enrollment.objects.get(user=teacher).completed_at is None
    services.complete_module(user=teacher, module=last)
    assert Enrollment.objects.get(user=teacher).completed_at is not None


def test_optional_modules_do_not_hold_up_course_completion(catalogue, teacher):
    course = factories.course_with_modules(catalogue, modules=3, optional=(3,), slug="opt")
    services.enroll(user=teacher, course=course)
    for module in modules_of(course)[:2]:
        services.complete_module(user=teacher, module=module)
    progress = course_progress(user=teacher, course=course)
    assert (progress.done, progress.total, progress.is_complete) == (2, 2, True)


def test_course_completion_signal_is_sent_once(course, teacher, django_capture_on_commit_callbacks):
    received = []
    services.course_completed.connect(lambda **kw: received.append(kw["enrollment"]), weak=False)
    services.enroll(user=teacher, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for module in modules_of(course):
            services.complete_module(user=teacher, module=module)
        services.complete_module(user=teacher, module=modules_of(course)[0])
    assert [enrollment.user for enrollment in received] == [teacher]


def test_cannot_complete_a_module_without_enrolling(course, teacher):
    with pytest.raises(services.ProgressError, match="Enrol"):
        services.complete_module(user=teacher, module=modules_of(course)[0])
    assert not ModuleProgress.objects.exists()


def test_sequential_course_refuses_to_complete_module_two_before_one(catalogue, teacher):
    course = factories.course_with_modules(catalogue, modules=3, sequential=True, slug="seq")
    services.enroll(user=teacher, course=course)
    first, second, _third = modules_of(course)
    with pytest.raises(services.ProgressError, match="before this one"):
        services.complete_module(user=teacher, module=second)
    services.complete_module(user=teacher, module=first)
    services.complete_module(user=teacher, module=second)
    assert course_progress(user=teacher, course=course).done == 2


def test_enrolment_in_one_course_does_not_open_another(catalogue, teacher):
    course_a = factories.course_with_modules(catalogue, modules=2, slug="a")
    course_b = factories.course_with_modules(catalogue, modules=2, slug="b")
    services.enroll(user=teacher, course=course_a)
    with pytest.raises(services.ProgressError):
        services.complete_module(user=teacher, module=modules_of(course_b)[0])


def test_unpublished_module_cannot_be_completed(course, teacher):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    module.unpublish()
    with pytest.raises(services.ProgressError, match="not part of the course"):
        services.complete_module(user=teacher, module=module)


def test_resume_points_at_the_last_opened_unfinished_module(course, teacher):
    services.enroll(user=teacher, course=course)
    first, second, third = modules_of(course)
    services.record_module_visit(user=teacher, module=third, course=course)
    services.record_module_visit(user=teacher, module=second, course=course)
    assert course_progress(user=teacher, course=course).resume.module.pk == second.pk
    services.complete_module(user=teacher, module=second)
    # The last opened one is done: "Continue" goes to the other one opened and unfinished.
    assert course_progress(user=teacher, course=course).resume.module.pk == third.pk
    services.complete_module(user=teacher, module=third)
    # Nothing opened is unfinished: the first module not yet done.
    assert course_progress(user=teacher, course=course).resume.module.pk == first.pk

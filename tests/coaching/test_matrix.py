"""The coach's progress matrix (coaching/matrix.py)."""

import datetime

import pytest
from django.utils import timezone

from coaching import matrix as coaching_matrix
from coaching import services
from coaching.models import Assignment
from modules import services as progress
from modules.enums import EnrollmentSource, ModuleState
from modules.models import Enrollment, ModuleProgress
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)


def _matrix_world(catalogue, coach, *, teachers: int, modules: int, slug="matrix"):
    course = factories.course_with_modules(catalogue, modules=modules, slug=slug)
    members = factories.UserFactory.create_batch(teachers, verified=False, role=None)
    cohort = factories.cohort(coaches=[coach], members=members, name=f"{teachers} teachers")
    assignment = Assignment.objects.create(
        course=course, cohort=cohort, due_on=TODAY, assigned_by=coach
    )
    Enrollment.objects.bulk_create(
        [Enrollment(user=m, course=course, source=EnrollmentSource.ASSIGNED) for m in members]
    )
    now = timezone.now()
    module_pages = [m.specific for m in course.get_children()]
    ModuleProgress.objects.bulk_create(
        [
            ModuleProgress(user=m, module=page, course=course, completed_at=now)
            for m in members[::2]
            for page in module_pages[:2]
        ]
    )
    for member in members[:3]:
        factories.attempt(user=member, module=module_pages[-1], passed=False)
    return cohort, assignment


def _count_queries(cohort, assignment, **paging):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        matrix = coaching_matrix.progress_matrix(
            cohort=cohort, assignment=assignment, sort="-percent", today=TODAY, **paging
        )
        assert matrix.rows
    return len(captured.captured_queries)


def test_matrix_query_count_does_not_grow_with_cohort_size(catalogue, coach):
    small = _matrix_world(catalogue, coach, teachers=10, modules=3)
    large = _matrix_world(catalogue, coach, teachers=300, modules=3, slug="big")
    # modules, members, the members' progress rows, their module attempts and their
    # follow-ups (each with its latest review's rubric)
    assert _count_queries(*small) == _count_queries(*large) == 5
    # paged: the members are counted, then only the page's are read
    paged = {"page_number": 2, "per_page": 50}
    assert _count_queries(*small, **paged) == _count_queries(*large, **paged) == 6


def test_a_page_of_the_matrix_is_the_same_as_that_slice_of_the_whole(catalogue, coach):
    cohort, assignment = _matrix_world(catalogue, coach, teachers=23, modules=3)
    for sort in coaching_matrix.SORTS:
        for show in coaching_matrix.FILTERS:
            whole = coaching_matrix.progress_matrix(
                cohort=cohort, assignment=assignment, sort=sort, show=show, today=TODAY
            )
            pages = [
                coaching_matrix.progress_matrix(
                    cohort=cohort,
                    assignment=assignment,
                    sort=sort,
                    show=show,
                    today=TODAY,
                    page_number=number,
                    per_page=10,
                )
                for number in range(1, max(1, -(-whole.shown // 10)) + 1)
            ]
            assert [r.user.pk for p in pages for r in p.rows] == [r.user.pk for r in whole.rows]
            assert [(r.percent, r.overdue, r.last_activity) for p in pages for r in p.rows] == [
                (r.percent, r.overdue, r.last_activity) for r in whole.rows
            ]
            assert {p.shown for p in pages} == {whole.shown} and whole.total_members == 23


def test_matrix_query_count_does_not_grow_with_module_count(catalogue, coach):
    two = _count_queries(*_matrix_world(catalogue, coach, teachers=10, modules=2))
    eight = _count_queries(
        *_matrix_world(catalogue, coach, teachers=10, modules=8, slug="eight"),
    )
    assert two == eight == 5  # the four above and the follow-ups


def _named_cohort(coach, course, *names):
    """Teachers with these names in one cohort, the course assigned to it, due TODAY."""
    teachers = [factories.teacher(full_name=name) for name in names]
    cohort = factories.cohort(coaches=[coach], members=teachers)
    assignment = services.assign_course(
        cohort=cohort, course=course, due_on=TODAY, assigned_by=coach
    )
    return cohort, assignment, teachers


def test_matrix_shows_each_module_state_percent_and_overdue(coach, course):
    cohort, assignment, (fresh, partway, done, failing) = _named_cohort(
        coach, course, "Ann Fresh", "Bea Partway", "Cal Done", "Dee Failing"
    )
    modules = [m.specific for m in course.get_children()]
    progress.record_module_visit(user=partway, module=modules[0], course=course)
    progress.mark_module_complete(user=partway, module=modules[1], course=course)
    for module in modules:
        progress.mark_module_complete(user=done, module=module, course=course)
    progress.mark_module_complete(user=failing, module=modules[0], course=course)
    # Submitting a quiz records the visit first (quizzes.services.submit_attempt).
    progress.record_module_visit(user=failing, module=modules[1], course=course)
    factories.attempt(user=failing, module=modules[1], passed=True)
    factories.attempt(user=failing, module=modules[1], passed=False)  # latest: failed

    matrix = coaching_matrix.progress_matrix(
        cohort=cohort, assignment=assignment, today=TODAY + datetime.timedelta(days=1)
    )
    states = {row.user.full_name: [c.state for c in row.cells] for row in matrix.rows}
    N, P, C, F = (
        ModuleState.NOT_STARTED,
        ModuleState.IN_PROGRESS,
        ModuleState.COMPLETE,
        ModuleState.QUIZ_FAILED,
    )
    assert states == {
        "Ann Fresh": [N, N, N],
        "Bea Partway": [P, C, N],
        "Cal Done": [C, C, C],
        "Dee Failing": [C, F, N],
    }
    summary = {row.user.full_name: (row.percent, row.overdue) for row in matrix.rows}
    assert summary == {
        "Ann Fresh": (0, True),
        "Bea Partway": (33, True),
        "Cal Done": (100, False),
        "Dee Failing": (33, True),
    }


def test_matrix_sorts_and_filters(coach, course):
    idle, busy = factories.teacher(full_name="Zed Idle"), factories.teacher(full_name="Amy Busy")
    cohort = factories.cohort(coaches=[coach], members=[idle, busy])
    assignment = services.assign_course(
        cohort=cohort, course=course, due_on=TODAY, assigned_by=coach
    )
    progress.mark_module_complete(
        user=busy, module=course.get_children().first().specific, course=course
    )
    names = lambda **kw: [  # noqa: E731
        r.user.full_name
        for r in coaching_matrix.progress_matrix(cohort=cohort, assignment=assignment, **kw).rows
    ]
    assert names(sort="name") == ["Amy Busy", "Zed Idle"]
    assert names(sort="-name") == ["Zed Idle", "Amy Busy"]
    assert names(sort="-percent") == ["Amy Busy", "Zed Idle"]
    assert names(sort="percent") == ["Zed Idle", "Amy Busy"]
    assert names(sort="-activity") == ["Amy Busy", "Zed Idle"]
    assert names(show="not_started") == ["Zed Idle"]
    assert names(show="overdue", today=TODAY) == []
    assert names(show="overdue", today=TODAY + datetime.timedelta(days=1)) == [
        "Amy Busy",
        "Zed Idle",
    ]
    # a personal due date earlier than the cohort's makes only that teacher overdue
    services.assign_course(
        user=idle, course=course, due_on=TODAY - datetime.timedelta(days=2), assigned_by=coach
    )
    assert names(show="overdue", today=TODAY) == ["Zed Idle"]
    assert names(show="overdue", today=TODAY, sort="-name", page_number=1, per_page=1) == [
        "Zed Idle"
    ]
    assert names(sort="nonsense", show="nonsense") == ["Amy Busy", "Zed Idle"]


def test_self_assessment_change_per_teacher_and_per_item(coach, course):
    survey = factories.quiz(title="Self-assessment")
    course.self_assessment = survey
    course.save_revision().publish()
    course.refresh_from_db()
    grower, steady, only_pre = (
        factories.teacher(full_name=n) for n in ("Gia Grower", "Sol Steady", "Pat Pre")
    )
    cohort = factories.cohort(coaches=[coach], members=[grower, steady, only_pre])
    assignment = services.assign_course(
        cohort=cohort, course=course, due_on=TODAY, assigned_by=coach
    )

    def rate(user, kind, high, listen):
        factories.attempt(
            user=user,
            quiz=survey,
            course=course,
            kind=kind,
            answers=[
                {
                    "question_id": "hi",
                    "question_type": "agreement",
                    "question_text": "I hold high expectations",
                    "scale_value": high,
                },
                {
                    "question_id": "ls",
                    "question_type": "agreement",
                    "question_text": "I listen to families",
                    "scale_value": listen,
                },
            ],
        )

    rate(grower, "pre", 2, 3)
    rate(grower, "post", 4, 4)
    rate(steady, "pre", 3, 3)
    rate(steady, "post", 3, 4)
    rate(only_pre, "pre", 1, 1)
    matrix = coaching_matrix.progress_matrix(cohort=cohort, assignment=assignment, today=TODAY)
    per_teacher = {r.user.full_name: r.self_assessment_change for r in matrix.rows}
    assert per_teacher == {"Gia Grower": 1.5, "Sol Steady": 0.5, "Pat Pre": None}
    per_item = {i.text: (i.average_change, i.teachers) for i in matrix.self_assessment}
    assert per_item == {"I hold high expectations": (1.0, 2), "I listen to families": (1.0, 2)}


def test_last_activity_is_the_latest_of_opening_finishing_and_a_quiz(coach, course):
    cohort, assignment, (reader, finisher, quizzer, idle) = _named_cohort(
        coach, course, "Ada Reader", "Bo Finisher", "Cy Quizzer", "Di Idle"
    )
    first, second, _ = (m.specific for m in course.get_children())
    at = lambda day: datetime.datetime(2027, 2, day, 9, tzinfo=datetime.UTC)  # noqa: E731
    for teacher in (reader, finisher, quizzer):
        progress.record_module_visit(user=teacher, module=first, course=course)
    ModuleProgress.objects.filter(user=reader).update(last_seen_at=at(10))
    # Finished after it was last opened (the visit is written at most once a minute).
    ModuleProgress.objects.filter(user=finisher).update(last_seen_at=at(2), completed_at=at(12))
    ModuleProgress.objects.filter(user=quizzer).update(last_seen_at=at(3))
    factories.attempt(user=quizzer, module=second, passed=False)
    quizzer.quiz_attempts.update(submitted_at=at(11))

    matrix = coaching_matrix.progress_matrix(
        cohort=cohort, assignment=assignment, sort="-activity", today=TODAY
    )
    assert [(row.user.full_name, row.last_activity) for row in matrix.rows] == [
        ("Bo Finisher", at(12)),
        ("Cy Quizzer", at(11)),
        ("Ada Reader", at(10)),
        ("Di Idle", None),
    ]
    paged = coaching_matrix.progress_matrix(
        cohort=cohort, assignment=assignment, sort="-activity", today=TODAY, per_page=2
    )
    assert [row.user.full_name for row in paged.rows] == ["Bo Finisher", "Cy Quizzer"]

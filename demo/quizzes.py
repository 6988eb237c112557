"""Quizzes: the starter quizzes and self-assessment, and teachers working through the course
the way the site's forms do it, through quizzes.services.submit_attempt (validated, sanitised
and graded by the real grader; passing a module quiz is what completes the module)."""

from __future__ import annotations

import uuid

from modules import services as progress_services
from modules.models import CoursePage
from modules.selectors import course_progress
from modules.starter_content import read_course_data
from quizzes import grading
from quizzes import services as quiz_services
from quizzes.models import AttemptKind
from quizzes.starter import attach_starter_quizzes

DEMO_AGREEMENT_ITEM = {
    "type": grading.AGREEMENT,
    "statement": "I could explain the difference between an achievement gap and an "
    "opportunity gap to a colleague.",
}
# Where the demo teacher started and ended on each self-assessment statement.
PRE_RATINGS = (4, 2, 3, 2, 3, 3, 2, 2, 4, 3)
POST_RATINGS = (5, 4, 4, 3, 4, 4, 4, 4, 4, 5)
MODULE_RATINGS = (4,)
DEMO_REFLECTION = (
    "In my grade seven mathematics class there is a group of students who arrive with gaps "
    "from earlier years, and for a long time I gave them easier worksheets while the rest of "
    "the class worked on grade-level problems. After this module I can see that this choice "
    "was cutting their opportunity to learn the very content they are tested on. This term I "
    "will keep every student on the shared grade-level task, add a worked example and a "
    "short warm-up that reviews the skills they need, and check in with each of them twice "
    "a week. I will know it is helping if their exit tickets improve over six weeks and if "
    "they start asking questions in front of their classmates."
)


def demo_extra_questions(data) -> dict:
    """The first module's quiz gets an agreement item, so one quiz shows every type."""
    return {data.modules[0]["slug"]: [DEMO_AGREEMENT_ITEM]}


def attach_quizzes(course: CoursePage) -> CoursePage:
    """Each module's quiz and the course's self-assessment, where missing."""
    data = read_course_data()
    attach_starter_quizzes(
        course=course, course_data=data, extra_questions=demo_extra_questions(data)
    )
    course.refresh_from_db()
    return course


def attach_course_quizzes(course: CoursePage, directory) -> CoursePage:
    """The module quizzes (and self-assessment, if any) of a course kept in `directory`."""
    attach_starter_quizzes(course=course, course_data=read_course_data(directory))
    course.refresh_from_db()
    return course


def passing_answers(quiz, *, ratings: tuple[int, ...], reflection: str) -> dict:
    """What a teacher who knows the material types: every correct choice (and only those),
    a rating for each agreement item, the reflection for each reflection prompt."""
    answers = {}
    for number, question in enumerate(grading.quiz_questions(quiz)):
        if question.type == grading.MULTIPLE_CHOICE:
            answers[question.id] = sorted(question.correct_ids)
        elif question.type == grading.AGREEMENT:
            answers[question.id] = [str(ratings[number % len(ratings)])]
        elif question.type == grading.REFLECTION:
            answers[question.id] = [reflection]
    return answers


def _key(*parts) -> uuid.UUID:
    # The same key every run: submitting again returns the first attempt, stores nothing.
    return uuid.uuid5(uuid.NAMESPACE_URL, "pd-demo:" + ":".join(str(p) for p in parts))


def take_course(
    *, user, course: CoursePage, modules: int | None = None, reflection: str = DEMO_REFLECTION
) -> None:
    """Enrol, take the opening self-assessment, pass the quizzes of the first `modules`
    modules (all when None) and, once every module is done, the closing self-assessment.

    Everything goes through the services the views call; a step already taken is skipped."""
    if modules == 0:
        return
    progress_services.enroll(user=user, course=course)
    sa = course.self_assessment
    progress = course_progress(user=user, course=course)
    if sa is not None and not progress.pre_attempt_id:
        quiz_services.submit_attempt(
            user=user,
            quiz=sa,
            kind=AttemptKind.PRE,
            course=course,
            answers=passing_answers(sa, ratings=PRE_RATINGS, reflection=reflection),
            idempotency_key=_key(user.pk, sa.pk, AttemptKind.PRE),
        )
    for status in progress.modules[:modules]:
        module = status.module
        if status.is_complete:
            continue
        if module.quiz_id is None:
            progress_services.complete_module(user=user, module=module)
            continue
        attempt = quiz_services.submit_attempt(
            user=user,
            quiz=module.quiz,
            module=module,
            answers=passing_answers(module.quiz, ratings=MODULE_RATINGS, reflection=reflection),
            idempotency_key=_key(user.pk, module.pk),
        )
        if not attempt.passed:
            raise RuntimeError(f"The demo answers do not pass the quiz of {module.title!r}.")
    progress = course_progress(user=user, course=course)
    if sa is not None and not progress.post_attempt_id and progress.post_assessment_open:
        quiz_services.submit_attempt(
            user=user,
            quiz=sa,
            kind=AttemptKind.POST,
            course=course,
            answers=passing_answers(sa, ratings=POST_RATINGS, reflection=reflection),
            idempotency_key=_key(user.pk, sa.pk, AttemptKind.POST),
        )

"""Every write about quiz attempts and drafts goes through these functions.

Views, the demo seeder and tests call them; nobody saves Attempt, Answer or Draft
directly. Grading happens here, on the server, from the stored quiz definition.
"""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from modules import services as progress_services
from modules.course_state import course_state_changed
from modules.models import CoursePage, ModulePage

from . import grading, retakes, versions
from .grading import QuizValidationError
from .models import Answer, Attempt, AttemptKind, Draft, Quiz

__all__ = ["QuizValidationError", "save_draft", "submit_attempt", "discard_draft"]


def _as_uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise QuizValidationError(
            general=[_("This form has expired. Please check your answers and submit again.")]
        ) from None


def _check_context(*, user, quiz: Quiz, kind: str, module, course) -> CoursePage:
    """The quiz belongs where it is being answered, and the teacher may answer it now."""
    if kind == AttemptKind.MODULE:
        if module is None or module.quiz_id != quiz.pk:
            raise QuizValidationError(general=[_("This quiz does not belong to this module.")])
        course = module.get_course()
        blockers = progress_services.module_access_blockers(user=user, module=module, course=course)
        if not blockers:
            blocker = retakes.module_retake_blocker(user=user, module=module, course=course)
            blockers = [blocker] if blocker else []
    elif kind in (AttemptKind.PRE, AttemptKind.POST):
        if course is None or course.self_assessment_id != quiz.pk:
            raise QuizValidationError(
                general=[_("This self-assessment does not belong to this course.")]
            )
        blockers = progress_services.self_assessment_blockers(user=user, course=course, kind=kind)
    else:
        raise QuizValidationError(general=[_("Unknown kind of quiz.")])
    if blockers:
        raise QuizValidationError(general=blockers)
    return course


def submit_attempt(
    *,
    user,
    quiz: Quiz,
    kind: str = AttemptKind.MODULE,
    answers,
    idempotency_key,
    module: ModulePage | None = None,
    course: CoursePage | None = None,
) -> Attempt:
    """Validate, grade and store one submission; passing a module quiz completes the module.

    `answers` is {question_id: [values]} or [(question_id, [values]), ...]: choice ids
    for multiple choice, "1".."5" for agreement, the typed text for reflections.
    Raises QuizValidationError (messages per question id) and stores nothing on bad
    input. Submitting the same idempotency_key again returns the first attempt.
    """
    key = _as_uuid(idempotency_key)
    existing = Attempt.objects.filter(user=user, idempotency_key=key).first()
    if existing is not None:
        return existing
    course = _check_context(user=user, quiz=quiz, kind=kind, module=module, course=course)
    result = grading.check_and_grade(quiz, answers)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user,
                quiz=quiz,
                kind=kind,
                module=module if kind == AttemptKind.MODULE else None,
                course=course,
                score=result.score,
                passed=result.passed,
                quiz_version=versions.current_version(quiz),
                idempotency_key=key,
            )
            Answer.objects.bulk_create(
                [
                    Answer(
                        attempt=attempt,
                        question_id=answer.question.id,
                        question_type=answer.question.type,
                        question_text=answer.question.text,
                        choice_ids=answer.choice_ids,
                        scale_value=answer.scale_value,
                        text=answer.text,
                        correct=answer.correct,
                    )
                    for answer in result.answers
                ]
            )
            _after_submit(
                user=user, quiz=quiz, kind=kind, module=module, course=course, attempt=attempt
            )
    except IntegrityError:
        # A parallel request with the same token won the race: same outcome, one attempt.
        existing = Attempt.objects.filter(user=user, idempotency_key=key).first()
        if existing is None:
            raise
        return existing
    return attempt


def _after_submit(*, user, quiz, kind, module, course, attempt) -> None:
    course_state_changed(user_id=user.pk, course_id=course.pk)  # the attempt, the draft gone
    Draft.objects.filter(
        user=user, quiz=quiz, kind=kind, **_draft_place(kind=kind, module=module)
    ).delete()
    if kind == AttemptKind.MODULE:
        progress_services.record_module_visit(user=user, module=module, course=course)
        if attempt.passed:
            progress_services.mark_module_complete(user=user, module=module, course=course)
    elif kind == AttemptKind.POST:
        progress_services.refresh_course_completion(user=user, course=course)


def _draft_place(*, kind: str, module) -> dict:
    # Draft's unique constraint includes a nullable module; NULLs never collide in SQL, so
    # the self-assessment drafts (module NULL) are kept unique by the lock in save_draft.
    if kind == AttemptKind.MODULE:
        return {"module": module}
    return {"module__isnull": True}


def save_draft(
    *,
    user,
    quiz: Quiz,
    kind: str = AttemptKind.MODULE,
    data,
    module: ModulePage | None = None,
    course: CoursePage | None = None,
) -> Draft:
    """Keep what the teacher typed so far, server-side (survives logout and timeouts).

    Only answers to the quiz's own questions are kept, as typed (they are shown again
    in form fields, escaped, never as HTML); nothing is graded or validated beyond size.
    """
    course = _check_context(user=user, quiz=quiz, kind=kind, module=module, course=course)
    questions = {question.id: question for question in grading.quiz_questions(quiz)}
    kept = {}
    for question_id, values in grading.normalise_answers(data):
        if question_id in questions:
            kept[question_id] = [value[: grading.HARD_TEXT_LIMIT] for value in values][:20]
    with transaction.atomic():
        # One row per (user, quiz, place): lock the user row so two saves of a
        # self-assessment draft (module NULL, which the constraint cannot see) queue up.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        place = _draft_place(kind=kind, module=module)
        draft = (
            Draft.objects.select_for_update()
            .filter(user=user, quiz=quiz, kind=kind, **place)
            .order_by("pk")
            .first()
        )
        if draft is None:
            draft = Draft.objects.create(
                user=user,
                quiz=quiz,
                kind=kind,
                module=module if kind == AttemptKind.MODULE else None,
                data=kept,
            )
        else:
            draft.data = kept
            draft.save(update_fields=["data", "updated_at"])
    course_state_changed(user_id=user.pk, course_id=course.pk)  # the form shows the draft
    return draft


def discard_draft(*, user, quiz: Quiz, kind: str = AttemptKind.MODULE, module=None) -> None:
    Draft.objects.filter(
        user=user, quiz=quiz, kind=kind, **_draft_place(kind=kind, module=module)
    ).delete()
    if module is not None:  # a module's draft is part of the teacher's course snapshot
        course_state_changed(user_id=user.pk, course_id=module.get_course().pk)

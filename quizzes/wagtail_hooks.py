"""What quizzes add to the layers below: the quiz-derived columns of a teacher's progress
(modules.selectors reads them through these hooks; modules cannot import quizzes)."""

from django.db.models import JSONField, OuterRef, Subquery
from wagtail import hooks

from modules.selectors import ENROLLMENT_ANNOTATIONS_HOOK, PROGRESS_ANNOTATIONS_HOOK

from .models import Attempt, AttemptKind, Draft


def _latest_module_attempt(field_name: str):
    return Subquery(
        Attempt.objects.filter(
            user=OuterRef("user"), module=OuterRef("module"), kind=AttemptKind.MODULE
        )
        .order_by("-submitted_at", "-pk")
        .values(field_name)[:1]
    )


def _self_assessment_attempt(kind: str):
    return Subquery(
        Attempt.objects.filter(user=OuterRef("user"), course=OuterRef("course"), kind=kind)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )


@hooks.register(PROGRESS_ANNOTATIONS_HOOK)
def latest_attempt_and_draft():
    """Per progress row: the latest attempt at the module's quiz and the saved draft."""
    return {
        "last_attempt_id": _latest_module_attempt("pk"),
        "last_attempt_passed": _latest_module_attempt("passed"),
        "draft_data": Subquery(
            Draft.objects.filter(
                user=OuterRef("user"), module=OuterRef("module"), kind=AttemptKind.MODULE
            )
            .order_by("-updated_at")
            .values("data")[:1],
            output_field=JSONField(),
        ),
    }


@hooks.register(ENROLLMENT_ANNOTATIONS_HOOK)
def self_assessment_attempts():
    """Per enrolment: the teacher's opening and closing self-assessment attempts."""
    return {
        "pre_attempt_id": _self_assessment_attempt(AttemptKind.PRE),
        "post_attempt_id": _self_assessment_attempt(AttemptKind.POST),
    }

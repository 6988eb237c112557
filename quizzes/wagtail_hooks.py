"""What quizzes add to the layer below: the quiz-derived columns of a teacher's progress
(modules.selectors reads them) and the quiz parts of the course and module pages (their
views gather them). modules cannot import quizzes, so it asks through these hooks."""

from django.db.models import JSONField, OuterRef, Subquery
from django.urls import reverse
from wagtail import hooks

from core.charts import dumbbell_chart
from modules.page_hooks import COURSE_PAGE_CONTEXT_HOOK, MODULE_PAGE_CONTEXT_HOOK
from modules.selectors import ENROLLMENT_ANNOTATIONS_HOOK, PROGRESS_ANNOTATIONS_HOOK

from . import forms, retakes, selectors
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


@hooks.register(MODULE_PAGE_CONTEXT_HOOK)
def module_quiz(request, context):
    """The module's quiz: last results (if any), then the form (new, retake, or re-shown).
    The last attempt, its result and the draft come with the teacher's course snapshot."""
    status = context.get("status")
    if status is None or not status.has_quiz:
        return {}
    quiz = status.module.quiz  # select_related by modules.selectors.live_modules
    form = context.get("quiz_form")  # set when a submission came back with errors
    result = None
    if status.last_attempt_id:
        result = selectors.module_page_result(
            user=request.user,
            course_id=context["course"].pk,
            attempt_id=status.last_attempt_id,
            quiz=quiz,
        )
    retake = request.GET.get("retake") == "1"
    retake_blocker = ""
    if form is None and result is not None:
        # No query unless the course sets a retake policy.
        course = context.get("course") or status.module.get_course()
        retake_blocker = retakes.module_retake_blocker(
            user=request.user, module=status.module, course=course
        )
    if (
        form is None
        and not retake_blocker
        and (result is None or not result.attempt.passed or retake)
    ):
        form = forms.build_form(
            quiz,
            action=reverse("quizzes:answer_module_quiz", args=[status.module.pk]),
            values=status.draft_data or {},
            has_draft=bool(status.draft_data),
            order_key=forms.choice_order_key(
                user_id=request.user.pk, quiz_id=quiz.pk, attempt_id=status.last_attempt_id
            ),
        )
    return {
        "quiz": quiz,
        "quiz_result": result,
        "quiz_form": form,
        "quiz_retake_blocker": retake_blocker,
    }


@hooks.register(COURSE_PAGE_CONTEXT_HOOK)
def course_self_assessment(request, context):
    """On the course page: take the pre/post self-assessment, or compare the two."""
    progress = context["progress"]
    course = progress.course
    rows = []
    if progress.enrollment and (progress.pre_attempt_id or progress.post_attempt_id):
        rows = selectors.self_assessment_comparison(user=request.user, progress=progress)
    return {
        "self_assessment_rows": rows,
        "self_assessment_chart": dumbbell_chart([(r.statement, r.before, r.after) for r in rows]),
        "pre_url": reverse("quizzes:self_assessment", args=[course.slug, "pre"]),
        "post_url": reverse("quizzes:self_assessment", args=[course.slug, "post"]),
    }

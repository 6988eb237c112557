"""Quiz parts of the module and course pages (whose views live in modules/).

These tags only read, through quizzes.selectors; the data they need about the teacher's
last attempt and draft already came with the page's progress query.
"""

from django import template
from django.urls import reverse

from quizzes import forms, selectors

register = template.Library()


@register.inclusion_tag("quizzes/includes/module_quiz.html", takes_context=True)
def module_quiz(context):
    """The module's quiz: last results (if any), then the form (new, retake, or re-shown)."""
    request = context["request"]
    status = context["status"]
    quiz = status.module.quiz  # select_related by modules.selectors.live_modules
    form = context.get("quiz_form")  # set when a submission came back with errors
    result = None
    if status.last_attempt_id:
        result = selectors.attempt_result(
            user=request.user, attempt_id=status.last_attempt_id, quiz=quiz
        )
    retake = request.GET.get("retake") == "1"
    if form is None and (result is None or not result.attempt.passed or retake):
        form = forms.build_form(
            quiz,
            action=reverse("quizzes:answer_module_quiz", args=[status.module.pk]),
            values=status.draft_data or {},
            has_draft=bool(status.draft_data),
        )
    return {
        "quiz": quiz,
        "status": status,
        "result": result,
        "quiz_form": form,
        "page_url": status.module.url,
        "request": request,
    }


@register.inclusion_tag("quizzes/includes/course_self_assessment.html", takes_context=True)
def course_self_assessment(context):
    """On the course page: take the pre/post self-assessment, or compare the two."""
    request = context["request"]
    progress = context["progress"]
    course = progress.course
    rows = []
    if progress.enrollment and (progress.pre_attempt_id or progress.post_attempt_id):
        rows = selectors.self_assessment_comparison(user=request.user, progress=progress)
    return {
        "progress": progress,
        "rows": rows,
        "pre_url": reverse("quizzes:self_assessment", args=[course.slug, "pre"]),
        "post_url": reverse("quizzes:self_assessment", args=[course.slug, "post"]),
    }


@register.simple_tag
def self_assessment_url(course, kind):
    return reverse("quizzes:self_assessment", args=[course.slug, kind])

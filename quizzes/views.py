"""Thin views: read the form, call a service, redirect (or re-show the form with messages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from modules import services as progress_services
from modules.models import CoursePage, ModulePage
from modules.selectors import course_progress
from modules.views import render_module

from . import forms, selectors, services
from .models import AttemptKind

SELF_ASSESSMENT_KINDS = {"pre": AttemptKind.PRE, "post": AttemptKind.POST}


def _module_quiz_url(module) -> str:
    return reverse("quizzes:answer_module_quiz", args=[module.pk])


@require_http_methods(["GET", "POST"])
@login_required
def answer_module_quiz(request, module_id: int):
    module = get_object_or_404(ModulePage.objects.live().select_related("quiz"), pk=module_id)
    if module.quiz is None:
        raise Http404
    if request.method == "GET":
        # e.g. back from signing in again after a session ran out: the quiz is on the page
        return redirect(module.url + "#quiz")
    pairs = forms.answers_from_post(request.POST)
    try:
        if request.POST.get("action") == "draft":
            services.save_draft(user=request.user, quiz=module.quiz, module=module, data=pairs)
            messages.success(request, _("Draft saved. You can come back to it any time."))
            return redirect(module.url + "#quiz")
        attempt = services.submit_attempt(
            user=request.user,
            quiz=module.quiz,
            module=module,
            answers=pairs,
            idempotency_key=request.POST.get(forms.TOKEN_FIELD),
        )
    except services.QuizValidationError as error:
        return _module_page_with_errors(request, module, pairs, error)
    if attempt.passed:
        messages.success(request, _("You passed the quiz. This module is complete."))
    else:
        messages.info(request, _("Not passed yet. Read the feedback, then try again."))
    return redirect(module.url + "#quiz-results")


def _module_page_with_errors(request, module, pairs, error):
    course = module.get_course()
    progress = course_progress(user=request.user, course=course)
    status = progress.status_for(module)
    blockers = progress_services.module_access_blockers(
        user=request.user, module=module, course=course, progress=progress
    )
    if status is None or blockers:
        messages.error(request, " ".join(blockers or error.general))
        return redirect(course.url)
    form = forms.build_form(
        module.quiz,
        action=_module_quiz_url(module),
        values=forms.values_from_pairs(pairs),
        errors=error.errors,
        general=error.general or [_("Please fix the problems marked below.")],
        order_key=forms.choice_order_key(
            user_id=request.user.pk, quiz_id=module.quiz_id, attempt_id=status.last_attempt_id
        ),
    )
    context = {"course": course, "progress": progress, "status": status, "quiz_form": form}
    return render_module(request, module, context)


def _live_course(slug: str) -> CoursePage:
    course = CoursePage.objects.live().filter(slug=slug).select_related("self_assessment").first()
    if course is None or course.self_assessment is None:
        raise Http404
    return course


@require_http_methods(["GET", "POST"])
@login_required
def self_assessment(request, course_slug: str, kind: str):
    if kind not in SELF_ASSESSMENT_KINDS:
        raise Http404
    course = _live_course(course_slug)
    quiz = course.self_assessment
    attempt_kind = SELF_ASSESSMENT_KINDS[kind]
    progress = course_progress(user=request.user, course=course)
    action = request.path
    taken_id = progress.pre_attempt_id if kind == "pre" else progress.post_attempt_id
    context = {"course": course, "quiz": quiz, "kind": kind, "progress": progress}
    if taken_id:
        context["result"] = selectors.attempt_result(
            user=request.user, attempt_id=taken_id, quiz=quiz
        )
        return render(request, "quizzes/self_assessment.html", context)
    blockers = progress_services.self_assessment_blockers(
        user=request.user, course=course, kind=kind, progress=progress
    )
    if blockers:
        context["blockers"] = blockers
        return render(request, "quizzes/self_assessment.html", context, status=403)
    if request.method == "GET":
        draft = selectors.load_draft(user=request.user, quiz=quiz, kind=attempt_kind)
        context["quiz_form"] = forms.build_form(
            quiz, action=action, values=draft, has_draft=bool(draft)
        )
        return render(request, "quizzes/self_assessment.html", context)
    pairs = forms.answers_from_post(request.POST)
    try:
        if request.POST.get("action") == "draft":
            services.save_draft(
                user=request.user, quiz=quiz, kind=attempt_kind, course=course, data=pairs
            )
            messages.success(request, _("Draft saved. You can come back to it any time."))
            return redirect(action + "#quiz-form")
        services.submit_attempt(
            user=request.user,
            quiz=quiz,
            kind=attempt_kind,
            course=course,
            answers=pairs,
            idempotency_key=request.POST.get(forms.TOKEN_FIELD),
        )
    except services.QuizValidationError as error:
        context["quiz_form"] = forms.build_form(
            quiz,
            action=action,
            values=forms.values_from_pairs(pairs),
            errors=error.errors,
            general=error.general or [_("Please fix the problems marked below.")],
        )
        return render(request, "quizzes/self_assessment.html", context)
    progress = course_progress(user=request.user, course=course)
    if kind == "pre":
        messages.success(request, _("Thank you. The first module is open."))
        first = progress.resume
        # an explicit fragment: the form's action carries #quiz-errors, which a redirect
        # without a fragment would otherwise keep
        return redirect((first.module.url if first else course.url) + "#main")
    if progress.is_complete:
        messages.success(request, _("Thank you. You have finished the course!"))
    else:
        messages.success(request, _("Thank you. See how your answers moved below."))
    return redirect(course.url + "#self-assessment")

"""Thin views behind the course and module pages' sub-URLs: check, call a service, redirect."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import seat_time, services
from .course_state import cached_course_progress, course_of
from .page_hooks import MODULE_PAGE_CONTEXT_HOOK, extend_context
from .selectors import mark_opened, module_pager


def render_module(request, module, context: dict):
    """The module page with what other apps add to it (the quiz, through the hook), and its
    Previous/Next, worked out from the progress already in the context (no queries)."""
    progress, status = context["progress"], context["status"]
    context = {**context, "pager": module_pager(progress, status)}
    if not context.get("preview"):
        context["active_time_token"] = seat_time.page_view_token(
            user=request.user,
            module=module,
            course=progress.course,
            # A completed course still short of its minimum: batches ask whether it is met.
            watch_minimum=progress.is_complete and bool(progress.active_seconds_missing),
        )
    return module.render(
        request, context_overrides=extend_context(MODULE_PAGE_CONTEXT_HOOK, request, context)
    )


def enroll(request, *, course):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    try:
        services.enroll(user=request.user, course=course)
    except services.ProgressError as error:
        messages.error(request, str(error))
        return redirect(course.url)
    messages.success(request, _("You are enrolled. Welcome to the course!"))
    progress = cached_course_progress(user=request.user, course=course)
    first = progress.resume
    return redirect(first.module.url if first else course.url)


def module_page(request, *, module):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    course = course_of(module)
    progress = cached_course_progress(user=request.user, course=course)
    if progress.enrollment is None:
        messages.info(request, _("Enrol in this course to open its modules."))
        return redirect(course.url)
    status = progress.status_for(module)
    if status is None:
        raise Http404
    context = {"course": course, "progress": progress, "status": status}
    if status.locked:
        # Say why rather than show a bare error: the earlier module is linked.
        response = module.render(
            request, template="modules/module_locked.html", context_overrides=context
        )
        response.status_code = 403
        return response
    services.record_module_visit(
        user=request.user, module=module, course=course, last_seen_at=status.last_seen_at
    )
    mark_opened(status)
    return render_module(request, module, context)


def complete_module(request, *, module):
    if not request.user.is_authenticated:
        return redirect_to_login(module.url)
    try:
        services.complete_module(user=request.user, module=module)
    except services.ProgressError as error:
        messages.error(request, str(error))
        return redirect(module.url)
    course = course_of(module)
    progress = cached_course_progress(user=request.user, course=course)
    if progress.is_complete:
        messages.success(request, _("Module complete. You have finished the course!"))
        return redirect(course.url)
    messages.success(request, _("Module complete. Nice work."))
    following = progress.resume
    return redirect(following.module.url if following else course.url)


def _int(value, default=0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@require_POST
def active_time(request, module_id: int):
    """A batch of active time from static/js/active_time.js. Always 204: the script never
    waits for an answer, and a forged, replayed or capped batch is ignored, not refused."""
    if request.user.is_authenticated:
        seat_time.record_batch(
            user=request.user,
            module_id=module_id,
            token=request.POST.get("token", "")[:1000],
            seq=_int(request.POST.get("seq")),
            active_ms=_int(request.POST.get("ms")),
        )
    return HttpResponse(status=204)

import hashlib
import sys

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from certificates.selectors import certificates_for_user
from coaching.selectors import (
    assignments_for_teacher,
    cohorts_of_teacher,
    feedback_for_answers,
    invitations_for_teacher,
)
from core import fragments
from core.charts import dumbbell_chart
from core.serving import find_site
from followups.selectors import follow_ups_for_user
from modules import seat_time
from modules.selectors import (
    CourseProgress,
    dashboard_progress,
    enrollments_with_self_assessments,
)
from quizzes.reflections_state import cached_reflections
from quizzes.selectors import reflection_history, self_assessment_comparison

from . import queues, unavailable
from .requestid import request_id


@login_required
@never_cache
def dashboard(request):
    return render(
        request,
        "pdsite/dashboard.html",
        {
            "courses": [
                (progress, _credit_waits_for_time(progress))
                for progress in dashboard_progress(user=request.user)
            ],
            "assignments": assignments_for_teacher(request.user),
            "certificates": list(certificates_for_user(user=request.user)),
            "cohort_invitations": invitations_for_teacher(request.user),
            "my_cohorts": cohorts_of_teacher(request.user),
            "follow_ups": follow_ups_for_user(user=request.user),
        },
    )


def _credit_waits_for_time(progress) -> str:
    """A completed course still short of its minimum active time: what its credit waits for
    (the same sentence certificates.services.credit_waits_for gives, read from the snapshot
    so My learning adds no query per course). The follow-up reason shows on its own card."""
    missing = progress.active_seconds_missing if progress.is_complete else 0
    return seat_time.minimum_wait_reason(progress.course, missing) if missing else ""


@never_cache
@login_required
def reflections(request):
    """The teacher's own reflections and quiz results, with their coaches' feedback beside
    each answer. The site layer joins the two apps: quizzes keeps the answers, coaching the
    feedback (one query for the whole page). The body is kept rendered per teacher until a
    write that shows on it (quizzes.reflections_state), without the request's CSRF token."""
    site = find_site(request)  # its course links ({% pageurl %}) then skip the site query
    path = request.get_full_path()  # the page of the history, and the reply forms' `next`
    variant = ":".join(
        [
            translation.get_language(),
            timezone.get_current_timezone_name(),
            str(site.pk if site else ""),
            hashlib.sha256(path.encode()).hexdigest()[:32],
        ]
    )
    body = cached_reflections(
        user=request.user, variant=variant, build=lambda: _reflections_body(request)
    )
    return render(
        request,
        "quizzes/reflections.html",
        {"body": mark_safe(fragments.with_request_token(body, request))},
    )


def _reflections_body(request) -> str:
    history = reflection_history(user=request.user, page_number=request.GET.get("page"))
    answer_ids = [
        item.answer.pk
        for course in history.courses
        for group in course.groups
        for result in group.attempts
        for item in result.answers
    ]
    return str(
        render_to_string(
            "quizzes/includes/reflections_body.html",
            {
                "history": history,
                "feedback_by_answer": feedback_for_answers(answer_ids),
                "self_assessments": _self_assessments(request.user),
                "csrf_token": fragments.STAND_IN,  # core.fragments: no token in the cache
            },
            request=request,
        )
    )


def _self_assessments(user) -> list[dict]:
    """Each course where the teacher took both self-assessments, with the comparison and
    its chart (the same rows as the course page): one query, plus one per such course."""
    enrollments = enrollments_with_self_assessments(
        user=user, course__live=True, course__self_assessment__isnull=False
    ).select_related("course")
    found = []
    for enrollment in enrollments:
        progress = CourseProgress(course=enrollment.course, enrollment=enrollment)
        if not (progress.pre_attempt_id and progress.post_attempt_id):
            continue
        rows = self_assessment_comparison(user=user, progress=progress)
        if rows:
            found.append(
                {
                    "course": enrollment.course,
                    "rows": rows,
                    "chart": dumbbell_chart([(r.statement, r.before, r.after) for r in rows]),
                    "chart_id": f"self-assessment-chart-{enrollment.course_id}",
                }
            )
    return found


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@never_cache
def admin_login(request):
    """Wagtail's login URL (WAGTAILADMIN_LOGIN_URL points here too).

    Nobody signs in here, whatever the method: the anonymous go to allauth's sign-in and
    come back; someone signed in who lacks admin access lands here from Wagtail's refusal
    and is told so, instead of bouncing between /admin/ and the sign-in page forever.
    """
    if request.user.is_authenticated:
        return render(request, "pdsite/no_access.html", status=403)
    target = _safe_next(request) or reverse("wagtailadmin_home")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


def admin_password_reset(request):
    """Wagtail's password reset would bypass allauth's rate limits: send people to allauth's."""
    return redirect("account_reset_password")


@never_cache
@require_GET
def healthz(request):
    """200 when the database, the cache and the task queue answer; 503 otherwise. Also says
    how many tasks wait and how long the oldest has waited (a stalled worker shows here)."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        checks["database"] = "unreachable"
    try:
        cache.set("healthz", "1", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "unreachable"
    except Exception:  # noqa: BLE001
        checks["cache"] = "unreachable"
    try:
        stats = queues.ready_stats()
        checks["queue"] = "ok"
    except Exception:  # noqa: BLE001
        stats = {"depth": None, "oldest_ready_age_seconds": None}
        checks["queue"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks, "queue_stats": stats},
        status=200 if healthy else 503,
    )


def server_error(request):
    """The 500 page, rendered without the request (its context processors may be what
    failed), with the request id to quote. A database or Redis outage that surfaced outside
    a view (while a page's template rendered) is a 503 like any other (pdsite.unavailable)."""
    error = sys.exc_info()[1]
    if isinstance(error, unavailable.OUTAGES):
        return unavailable.response(request)
    return HttpResponseServerError(render_to_string("500.html", {"request_id": request_id.get()}))

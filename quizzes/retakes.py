"""The course's retake policy for module quizzes (docs/quizzes.md, "Retake policy").

One rule, read by the module page (to show the form or say when it opens) and by
services.submit_attempt (to refuse a submission the page would not have offered).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Attempt, AttemptKind


def retake_blocker(*, course, attempts_so_far: int, last_submitted_at: datetime | None, now) -> str:
    """Why the teacher may not submit another attempt now; "" when they may."""
    limit = course.quiz_attempt_limit
    if limit and attempts_so_far >= limit:
        return ngettext(
            "You have used the %(limit)d attempt this course allows at this quiz. Your PD "
            "administrator can help if you need another.",
            "You have used all %(limit)d attempts this course allows at this quiz. Your PD "
            "administrator can help if you need another.",
            limit,
        ) % {"limit": limit}
    wait = course.quiz_retake_wait_hours
    if wait and last_submitted_at is not None:
        opens_at = last_submitted_at + timedelta(hours=wait)
        if now < opens_at:
            when = date_format(timezone.localtime(opens_at), "DATETIME_FORMAT")
            return _(
                "You can try this quiz again from %(when)s. Until then, review the module "
                "and the feedback on your answers."
            ) % {"when": when}
    return ""


def module_retake_blocker(*, user, module, course, now=None) -> str:
    """retake_blocker for this teacher's attempts at the module's quiz (no query when the
    course sets no policy)."""
    if not course.quiz_attempt_limit and not course.quiz_retake_wait_hours:
        return ""
    attempts = Attempt.objects.filter(
        user=user, module=module, quiz_id=module.quiz_id, kind=AttemptKind.MODULE
    )
    latest = attempts.order_by("-submitted_at", "-pk").values_list("submitted_at", flat=True)
    return retake_blocker(
        course=course,
        attempts_so_far=attempts.count(),
        last_submitted_at=latest.first(),
        now=now or timezone.now(),
    )

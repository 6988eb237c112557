"""Honest seat time: active minutes per teacher per module, and the course's minimum for credit.

The module page hands its script a signed page-view token (`page_view_token`): who, which
module and course, a random page-view id and when the page was served. The script
(static/js/active_time.js) counts time while the page is visible and the teacher has used
it in the last IDLE_SECONDS, and sends it in numbered batches. `record_batch` counts a batch
only if the token is ours, for this teacher and this module, and it never lets a teacher's
time on a module grow faster than the clock: one batch adds at most the wall-clock time
since the last one counted (so at most a minute per minute, whatever is claimed, however
many tabs), and a batch already counted adds nothing. Anything else is ignored silently.

Cost per batch: one UPDATE; the first batch on a module (or one that adds nothing) also an
INSERT that a conflict turns into nothing. No read. With the session's user: three queries.
"""

from __future__ import annotations

import secrets
import time

from django.core import signing
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.functions import Least
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .course_state import course_state_changed
from .models import ActiveTime
from .selectors import course_active_seconds, seconds_short_of_minimum

SALT = "modules.active-time"
# A page left open longer than this stops counting (its token expires); reloading starts anew.
PAGE_VIEW_MAX_AGE = 12 * 60 * 60
# The most one batch may claim; the script sends every 30 seconds of active time.
MAX_BATCH_MS = 2 * 60 * 1000
# Sent when a completed course with a minimum may just have reached it: certificates listen
# and request the credit (the same way they do on completion).
active_time_reached = Signal()


def _now_ms() -> int:
    return int(time.time() * 1000)


def page_view_token(*, user, module, course, watch_minimum: bool = False, now_ms=None) -> str:
    """Signed claim for one page view. `watch_minimum`: the teacher completed this course and
    has not yet reached its minimum active time, so a batch asks whether they have now."""
    payload = {
        "u": user.pk,
        "m": module.pk,
        "c": course.pk,
        "v": secrets.token_hex(8),
        "t": now_ms if now_ms is not None else _now_ms(),
        "w": int(watch_minimum),
    }
    return signing.dumps(payload, salt=SALT)


def _claim(token: str, *, user, module_id: int) -> dict | None:
    try:
        claim = signing.loads(token, salt=SALT, max_age=PAGE_VIEW_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(claim, dict) or claim.get("u") != user.pk or claim.get("m") != module_id:
        return None
    return claim


def _insert_if_missing(**values) -> None:
    """INSERT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike) as one statement:
    bulk_create(ignore_conflicts=True) wraps it in a transaction, which on SQLite adds a
    BEGIN and a COMMIT to every replayed batch, and a save() that hits the unique constraint
    would need a savepoint. Neither fits the budget of three queries a batch."""
    now_ms = values.pop("now_ms")
    row = {
        "user_id": values["user_id"],
        "module_id": values["module_id"],
        "course_id": values["course_id"],
        "active_ms": values["active_ms"],
        "counted_until_ms": now_ms,
        "view": values["view"],
        "seq": values["seq"],
        "updated_at": connection.ops.adapt_datetimefield_value(timezone.now()),
    }
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in row)
    placeholders = ", ".join(["%s"] * len(row))
    sql = (
        f"INSERT INTO {quote(ActiveTime._meta.db_table)} ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT ({quote('user_id')}, {quote('module_id')}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(row.values()))


def record_batch(*, user, module_id: int, token: str, seq: int, active_ms: int, now_ms=None) -> int:
    """Count one batch of active time; returns the milliseconds added where it knows (0 when
    nothing was, or when only the first-batch insert was tried)."""
    claim = _claim(token, user=user, module_id=module_id)
    if claim is None or seq < 1:
        return 0
    now_ms = now_ms if now_ms is not None else _now_ms()
    # Never more than the page has been open, nor than one batch may hold.
    claimed = min(active_ms, MAX_BATCH_MS, now_ms - int(claim["t"]))
    if claimed <= 0:
        return 0
    view = str(claim["v"])[:32]
    updated = (
        ActiveTime.objects.filter(user=user, module_id=module_id, counted_until_ms__lt=now_ms)
        .filter(~Q(view=view) | Q(seq__lt=seq))
        .update(
            active_ms=F("active_ms") + Least(Value(claimed), Value(now_ms) - F("counted_until_ms")),
            counted_until_ms=now_ms,
            view=view,
            seq=seq,
        )
    )
    if not updated:
        # The module's first batch; if the row exists (a replay, or a batch the clock caps),
        # the conflict makes this a no-op.
        _insert_if_missing(
            user_id=user.pk,
            module_id=module_id,
            course_id=int(claim["c"]),
            active_ms=claimed,
            now_ms=now_ms,
            view=view,
            seq=seq,
        )
        return 0
    # The teacher's pages show their time from the course snapshot: rebuild it.
    course_state_changed(user_id=user.pk, course_id=claim["c"])
    if claim.get("w"):
        active_time_reached.send(sender=ActiveTime, user_id=user.pk, course_id=claim["c"])
    return claimed


def about_minutes(seconds: int) -> str:
    """How the pages say a time: "about 12 minutes", "less than a minute"."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return _("less than a minute")
    return ngettext("about %(n)d minute", "about %(n)d minutes", minutes) % {"n": minutes}


def credit_wait_reasons(*, enrollment) -> list[str]:
    """What the course's minimum active time still asks of the teacher (certificates' hook)."""
    course = enrollment.course
    if enrollment.completed_at is None or not course.min_active_minutes:
        return []
    missing = seconds_short_of_minimum(
        course, course_active_seconds(user_id=enrollment.user_id, course_id=course.pk)
    )
    return [minimum_wait_reason(course, missing)] if missing else []


def minimum_wait_reason(course, missing_seconds: int) -> str:
    """The sentence for credit waiting on active time: the hook above and My learning (which
    reads the missing seconds from its snapshot, CourseProgress.active_seconds_missing)."""
    return _(
        "Your certificate waits for %(left)s more of active time in this course's modules "
        "(the course asks for %(minimum)d minutes)."
    ) % {"left": minutes_left(missing_seconds), "minimum": course.min_active_minutes}


def minutes_left(seconds: int) -> str:
    """Time still missing, rounded up: "1 minute" left is never a moment already passed."""
    minutes = max(1, -(-seconds // 60))
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}

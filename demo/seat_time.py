"""Active time for the demo's teachers, so the seat-time report and the teachers' pages have
something real to show. Written through modules.seat_time as the module page's script would
send it: two-minute batches on a page opened a few hours ago (the clock cap allows them)."""

from __future__ import annotations

import time

from modules import seat_time
from modules.models import ActiveTime, CoursePage, ModuleProgress

BATCH_MS = 2 * 60 * 1000
# The share of a module's estimate each demo teacher spends, in turn: some quicker, some slower.
PACES = (0.9, 0.55, 1.2, 0.75, 1.05, 1.4)


def seed_active_time(course: CoursePage) -> None:
    done = set(ActiveTime.objects.filter(course=course).values_list("user_id", "module_id"))
    rows = (
        ModuleProgress.objects.filter(course=course)
        .select_related("user", "module")
        .order_by("user_id", "module__path")
    )
    opened = int(time.time() * 1000) - 4 * 60 * 60 * 1000
    for number, row in enumerate(rows):
        if (row.user_id, row.module_id) in done:
            continue  # seeded before: nothing twice
        module = row.module
        minutes = round(module.estimated_minutes * PACES[number % len(PACES)])
        token = seat_time.page_view_token(
            user=row.user, module=module, course=course, now_ms=opened
        )
        for batch in range(1, max(1, minutes // 2) + 1):
            seat_time.record_batch(
                user=row.user,
                module_id=module.pk,
                token=token,
                seq=batch,
                active_ms=BATCH_MS,
                now_ms=opened + batch * BATCH_MS,
            )

"""What the task queue holds, read the same way by /healthz, the repair sweep's reports and
the fault and load scenarios: tasks waiting, the oldest one's age, tasks marked running."""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.utils import timezone


def _backend() -> str:
    return settings.TASKS["default"]["BACKEND"]


def ready_stats() -> dict:
    """{"depth": tasks waiting to run, "oldest_ready_age_seconds": how long the oldest waited}"""
    now = timezone.now()
    oldest = None
    if _backend() == "django_tasks_db.DatabaseBackend":
        # django-tasks-db is only installed with the database queue.
        from django.db.models import Min
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.ready()
        found = ready.aggregate(n=Min("enqueued_at"))["n"]
        depth = ready.count()
        oldest = found
    elif _backend() == "django_tasks_rq.RQBackend":
        import django_rq  # only installed with REDIS_URL

        queue = django_rq.get_queue("default")
        depth = queue.count
        first = queue.get_job_ids(0, 0)
        job = queue.fetch_job(first[0]) if first else None
        if job is not None and job.enqueued_at is not None:
            oldest = job.enqueued_at
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=UTC)
    else:
        depth = 0  # the immediate backend: nothing ever waits
    age = round((now - oldest).total_seconds(), 1) if oldest else 0.0
    return {"depth": depth, "oldest_ready_age_seconds": age}


def running_count() -> int:
    """Tasks marked running. With every worker stopped, these were abandoned."""
    if _backend() == "django_tasks_db.DatabaseBackend":
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    if _backend() == "django_tasks_rq.RQBackend":
        import django_rq
        from rq.registry import StartedJobRegistry

        return StartedJobRegistry(queue=django_rq.get_queue("default")).count
    return 0

"""The repair sweep: nothing a state change owes is lost when a process dies.

Everything that must follow a state change is recoverable from the database alone: an
approved request owes a certificate, a certificate owes a PDF and an email, a decline, an
invitation, feedback, a reminder, a due follow-up and a coach's follow-up review each owe an
email, and a large data export owes its ZIP and an email (core.outbox). The sweep finds what is
owed and older than `older_than` (so it does not race the queue in normal running), queues
exactly those tasks again, and puts back on the queue tasks a dead worker left running for
longer than `stuck_after`, on the database queue and on RQ. Run it with
`manage.py repair` (once) or `manage.py repair --every 60` (the scheduler process of
`make serve-prod`; docs/deploy.md has a systemd timer), or queue `repair_sweep`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from certificates import repair as certificate_repair
from core import outbox

logger = logging.getLogger(__name__)

OLDER_THAN = timedelta(minutes=2)
STUCK_AFTER = timedelta(minutes=10)


def sweep(*, older_than=OLDER_THAN, stuck_after=STUCK_AFTER, now=None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"tasks_stuck_running": requeue_stuck_tasks(stuck_after=stuck_after, now=now)}
    counts.update(certificate_repair.requeue_missing(older_than=older_than, now=now))
    counts["emails_queued_again"] = outbox.requeue_owed(
        older_than=older_than, stuck_after=stuck_after, now=now
    )
    if any(counts.values()):
        logger.warning("repair sweep queued work again", extra={"counts": counts})
    return counts


def requeue_stuck_tasks(*, stuck_after: timedelta, now=None) -> int:
    """Tasks marked running for longer than `stuck_after`: their worker died. Back to ready."""
    now = now or timezone.now()
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_db.DatabaseBackend":
        return _requeue_stuck_db(cutoff=now - stuck_after)
    if backend == "django_tasks_rq.RQBackend":
        return _requeue_stuck_rq(cutoff=now - stuck_after)
    return 0  # the immediate backend runs nothing in the background


def _requeue_stuck_db(*, cutoff) -> int:
    # django-tasks-db is only installed with the database queue, so imported here.
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)


def _requeue_stuck_rq(*, cutoff) -> int:
    """RQ keeps a running job in the queue's started registry, with an execution whose
    heartbeat the worker renews while it lives. No heartbeat since `cutoff`: the worker died
    (possibly before it even marked the job started). Such a job goes back on the queue."""
    # RQ is only installed with REDIS_URL, so imported here.
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.exceptions import NoSuchJobError
    from rq.executions import Execution
    from rq.job import JobStatus
    from rq.registry import StartedJobRegistry

    count = 0
    for name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(name, job_class=Job)
        registry = StartedJobRegistry(queue=queue)
        for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
            try:
                beat = Execution.fetch(execution_id, job_id, registry.connection).last_heartbeat
            except (NoSuchJobError, KeyError, TypeError, ValueError):
                beat = None  # its record expired with its worker
            if beat is not None and beat >= cutoff:
                continue
            # Take it out of the started registry first, so only one sweep requeues it.
            if not registry.connection.zrem(registry.key, f"{job_id}:{execution_id}"):
                continue
            job = queue.fetch_job(job_id)
            if job is not None and job.get_status() not in (
                JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELED, JobStatus.STOPPED
            ):
                queue.enqueue_job(job)
                count += 1
    return count

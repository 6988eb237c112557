"""Bulk issue through the real task worker: certificates per second with one worker and two.

Runs on the database the bench has already built (bench/__main__.py). Each measurement
gives fresh teachers a completed enrolment, issues their certificates with the real
`certificates.services.bulk_issue` in this process, then starts `manage.py db_worker
--batch` processes, which render every PDF, send every email (to the test settings' mail
outbox) and exit when the queue is empty. Nothing is reported unless every task
succeeded and every PDF is in storage.

Throughput comes from the task results' own timestamps (first task started to last task
finished), so it leaves out process start-up, which costs the same for one worker or two;
the wall-clock time including start-up is reported beside it.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from itertools import pairwise

COMPLETIONS = {"small": 200, "medium": 1000, "large": 1000}
# Seconds a worker pool may take before we call the run broken: start-up plus a second per
# certificate, several times the ~0.15 s a render takes on one worker.
TIMEOUT_BASE = 60
TIMEOUT_PER_CERTIFICATE = 1.0


class BenchError(RuntimeError):
    """The work did not happen as it should: no figure is reported for it."""


def run(size: str) -> dict:
    """Rows for one bench size: one worker, two workers, the speed-up between them, and
    the speed-up this machine gave plain CPU work in the same run (its floor)."""
    completions = COMPLETIONS[size]
    one = measure_bulk_issue(completions=completions, workers=1)
    two = measure_bulk_issue(completions=completions, workers=2)
    return {
        "bulk_issue_1_worker": one,
        "bulk_issue_2_workers": two,
        "speedup": round(two["certificates_per_second"] / one["certificates_per_second"], 2),
        "cpu_floor": parallel_floor(),
    }


# Pure-Python work, about a third of a second; prints how long it took.
_SPIN = (
    "import time; t = time.perf_counter(); sum(i * i for i in range(3_000_000)); "
    "print(time.perf_counter() - t)"
)


def parallel_floor() -> dict:
    """How much faster the machine does the same CPU work in two processes than in one.

    The ceiling for the workers' speed-up: a shared CI runner, or one whose two CPUs are
    the two threads of one core, gives less than two, whatever the task queue does.
    """

    def spin(processes: int) -> float:
        children = [
            subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True)
            for _ in range(processes)
        ]
        return max(float(child.communicate()[0]) for child in children)

    one = min(spin(1) for _ in range(2))
    two = min(spin(2) for _ in range(2))
    return {
        "one_process_seconds": round(one, 3),
        "two_processes_seconds": round(two, 3),
        "speedup": round(2 * one / two, 2),
    }


def measure_bulk_issue(*, completions: int, workers: int) -> dict:
    """Issue `completions` certificates and time `workers` db_worker processes doing the
    background work. Leaves the database and storage as it found them, bar running what
    was already queued."""
    from certificates.services import bulk_issue
    from modules.models import CoursePage

    course = CoursePage.objects.live().first()
    if course is None:
        raise BenchError("No live course page: build the bench data set first.")
    # Anything already queued would be run by our workers and counted in our time.
    drain_queue()

    label = uuid.uuid4().hex[:8]
    admin, enrollments = _completions(course=course, count=completions, label=label)
    certificate_ids: list[str] = []
    try:
        started = time.perf_counter()
        result = bulk_issue(enrollments=enrollments, issued_by=admin)
        issue_seconds = time.perf_counter() - started
        if result.failed or len(result.issued) != completions:
            raise BenchError(
                f"bulk_issue issued {len(result.issued)} of {completions}: {result.failed[:3]}"
            )
        certificate_ids = [str(certificate.pk) for certificate in result.issued]

        timeout = TIMEOUT_BASE + TIMEOUT_PER_CERTIFICATE * completions
        wall_seconds, worker_cpu, other_cpu = _run_workers(workers=workers, timeout=timeout)
        tasks = _check_done(certificate_ids)
    finally:
        _clean_up(label=label, certificate_ids=certificate_ids)

    first_started = min(task.started_at for task in tasks)
    last_finished = max(task.finished_at for task in tasks)
    seconds = (last_finished - first_started).total_seconds()
    return {
        "completions": completions,
        "workers": workers,
        "issue_seconds": round(issue_seconds, 2),
        "tasks": len(tasks),
        "tasks_per_worker": sorted(Counter(task.worker_ids[-1] for task in tasks).values()),
        "render_median_ms": _median_ms(t for t in tasks if t.task_path.endswith("_pdf")),
        "email_median_ms": _median_ms(t for t in tasks if t.task_path.endswith("_email")),
        # From one task's end to the same worker's next start: saving the result and
        # claiming the next task. Waiting for the other worker's lock shows here.
        **_gaps(tasks),
        "work_seconds": round(seconds, 2),
        "certificates_per_second": round(completions / seconds, 2),
        "wall_seconds": round(wall_seconds, 2),
        "wall_certificates_per_second": round(completions / wall_seconds, 2),
        # Share of their wall-clock time the workers spent on a CPU: well under 1 means
        # they waited, for each other, the database, or the other programs below.
        "worker_cpu_share": round(worker_cpu / (wall_seconds * workers), 2),
        # CPUs' worth of time other programs took meanwhile (None off Linux): a figure
        # taken while the machine was busy with something else says little.
        "other_programs_cpus": None if other_cpu is None else round(other_cpu / wall_seconds, 2),
    }


def _median_ms(tasks) -> float:
    return round(
        statistics.median((t.finished_at - t.started_at).total_seconds() * 1000 for t in tasks), 1
    )


def _gaps(tasks) -> dict:
    by_worker: dict[str, list] = {}
    for task in sorted(tasks, key=lambda task: task.started_at):
        by_worker.setdefault(task.worker_ids[-1], []).append(task)
    gaps = [
        (later.started_at - earlier.finished_at).total_seconds() * 1000
        for own in by_worker.values()
        for earlier, later in pairwise(own)
    ]
    if not gaps:  # no worker ran two tasks
        return {"gap_median_ms": None, "gap_max_ms": None}
    return {
        "gap_median_ms": round(statistics.median(gaps), 1),
        "gap_max_ms": round(max(gaps), 1),
    }


def _completions(*, course, count: int, label: str):
    """A PD admin and `count` new teachers who have each completed `course`."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from modules.models import Enrollment

    User = get_user_model()
    # A domain of their own, outside the data set's "@bench.example" teachers.
    domain = f"{label}.bulk.bench.example"
    admin = User.objects.create(email=f"admin@{domain}", full_name="Bulk Admin", is_staff=True)
    User.objects.bulk_create(
        # An unusable password: hashing 1,000 real ones would dominate the set-up.
        [User(email=f"t{n}@{domain}", full_name=f"Bulk Teacher {n}") for n in range(count)],
        batch_size=2000,
    )
    teachers = User.objects.filter(email__endswith=f"@{domain}").exclude(pk=admin.pk)
    now = timezone.now()
    Enrollment.objects.bulk_create(
        [Enrollment(user=teacher, course=course, completed_at=now) for teacher in teachers],
        batch_size=5000,
    )
    enrollments = list(
        Enrollment.objects.filter(user__email__endswith=f"@{domain}")
        .select_related("user", "course")
        .order_by("pk")
    )
    return admin, enrollments


def drain_queue() -> int:
    """Run what is already queued, as a production worker would have; how many tasks that was.

    Publishing pages queues Wagtail's own tasks (reference index, search index), so a
    freshly built data set leaves some behind. They run here, in this process, with
    db_worker's own loop: not timed, so not worth a worker process's start-up.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().count()
    if waiting:
        Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="bench-drain",
        ).run()
    failed = DBTaskResult.objects.failed().count()
    if failed:
        raise BenchError(f"{failed} queued tasks failed; the data set is not as built.")
    return waiting


def _run_workers(*, workers: int, timeout: float) -> tuple[float, float, float | None]:
    """Start the worker processes and wait for them to empty the queue. Returns the
    wall-clock time, the CPU time they used and the CPU time the rest of the machine used."""
    from django.conf import settings
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pdsite.settings.bench",
        # The test database the bench built, which the workers must open, not create.
        "BENCH_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "BENCH_DIR": str(settings.BENCH_DIR),
    }
    command = [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "db_worker",
        "--batch",  # exit once the queue is empty
        "--no-startup-delay",
        "--verbosity=0",
    ]
    logs = [tempfile.TemporaryFile(mode="w+") for _ in range(workers)]
    worker_cpu_before, machine_cpu_before = _children_cpu_seconds(), _machine_cpu_seconds()
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            # A readable id in each task result: tasks_per_worker shows both worked.
            [*command, f"--worker-id=bench-{number}"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for number, log in enumerate(logs, start=1)
    ]
    try:
        for process in processes:
            remaining = timeout - (time.perf_counter() - started)
            process.wait(timeout=max(remaining, 0))
        wall_seconds = time.perf_counter() - started
    except subprocess.TimeoutExpired:
        raise BenchError(
            f"{workers} db_worker process(es) still running after {timeout:.0f} s."
        ) from None
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    for process, log in zip(processes, logs, strict=True):
        log.seek(0)
        output = log.read()
        log.close()
        if process.returncode != 0:
            raise BenchError(f"db_worker exited with {process.returncode}:\n{output[-2000:]}")
    worker_cpu = _children_cpu_seconds() - worker_cpu_before
    machine_cpu_after = _machine_cpu_seconds()
    if machine_cpu_before is None or machine_cpu_after is None:
        return wall_seconds, worker_cpu, None
    # This process only waits meanwhile; its share is noise.
    return wall_seconds, worker_cpu, machine_cpu_after - machine_cpu_before - worker_cpu


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _machine_cpu_seconds() -> float | None:
    """CPU time every program on the machine has used since boot (Linux; else None)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal ...: all but idle and iowait are busy.
    busy = sum(fields[:3]) + sum(fields[5:8])
    return busy / os.sysconf("SC_CLK_TCK")


def _check_done(certificate_ids: list[str]) -> list:
    """Every task for these certificates succeeded and every PDF is stored, or BenchError."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from certificates.models import Certificate
    from certificates.storage import certificate_storage

    tasks = list(
        DBTaskResult.objects.filter(args_kwargs__kwargs__certificate_id__in=certificate_ids)
    )
    expected = 2 * len(certificate_ids)  # the PDF and the email
    failed = [task for task in tasks if task.status != TaskResultStatus.SUCCESSFUL]
    if len(tasks) != expected or failed:
        detail = failed[0].traceback[-2000:] if failed and failed[0].traceback else ""
        raise BenchError(
            f"{len(tasks)} of {expected} tasks found, {len(failed)} not successful "
            f"({Counter(task.status for task in failed)}).\n{detail}"
        )
    names = Certificate.objects.filter(pk__in=certificate_ids).values_list("pdf", flat=True)
    missing = [name for name in names if not name or not certificate_storage.exists(name)]
    if missing or len(names) != len(certificate_ids):
        raise BenchError(f"{len(missing)} of {len(certificate_ids)} certificates have no PDF.")
    return tasks


def _clean_up(*, label: str, certificate_ids: list[str]) -> None:
    """Remove what the measurement made, so the next one (and any page timed after it)
    sees the data set as built."""
    from django.contrib.auth import get_user_model
    from django_tasks_db.models import DBTaskResult

    from certificates.models import Certificate
    from certificates.storage import certificate_storage

    for name in Certificate.objects.filter(pk__in=certificate_ids).values_list("pdf", flat=True):
        if name:
            certificate_storage.delete(name)
    DBTaskResult.objects.filter(args_kwargs__kwargs__certificate_id__in=certificate_ids).delete()
    # Enrolments, certificates and their events go with the teachers.
    get_user_model().objects.filter(email__endswith=f"@{label}.bulk.bench.example").delete()

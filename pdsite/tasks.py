"""Site-wide background work."""

from django_tasks import task

from . import repair


@task()
def repair_sweep() -> dict[str, int]:
    """The repair sweep as a task, for a scheduler that queues tasks (pdsite.repair)."""
    return repair.sweep()

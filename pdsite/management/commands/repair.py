"""`manage.py repair`: queue again whatever a dead process left owed (pdsite.repair)."""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand

from pdsite import repair


class Command(BaseCommand):
    help = (
        "Queue again the certificates, PDFs and emails a dead process left owed, and put back "
        "tasks stuck running. --every N repeats it every N seconds (a scheduler process)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="repeat every N seconds")
        parser.add_argument(
            "--older-than",
            type=float,
            default=repair.OLDER_THAN.total_seconds(),
            help="seconds a piece of owed work must be old before it is queued again",
        )
        parser.add_argument(
            "--stuck-after",
            type=float,
            default=repair.STUCK_AFTER.total_seconds(),
            help="seconds after which a running task counts as abandoned",
        )

    def handle(self, *args, every, older_than, stuck_after, **options):
        while True:
            counts = repair.sweep(
                older_than=timedelta(seconds=older_than),
                stuck_after=timedelta(seconds=stuck_after),
            )
            self.stdout.write(" ".join(f"{name}={n}" for name, n in counts.items()))
            if not every:
                return
            time.sleep(every)

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from certificates.renewals import send_renewal_reminders
from coaching.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email due-soon and overdue reminders, coaches' weekly digests and credit renewal "
        "reminders. Run it once a day "
        "(cron); running it again the same day sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is YYYY-MM-DD (for testing).")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError("--today must be YYYY-MM-DD") from error
        counts = send_reminders(today=day)
        counts["renewal"] = send_renewal_reminders(today=day)
        self.stdout.write(
            "Reminders queued: {due_soon} due soon, {overdue} overdue, {digest} digests, "
            "{renewal} credit renewals.".format(**counts)
        )

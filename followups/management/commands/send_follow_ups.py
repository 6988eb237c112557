from django.core.management.base import BaseCommand

from followups.prompts import send_follow_up_prompts


class Command(BaseCommand):
    help = "Email teachers whose follow-ups have fallen due (run daily; safe to repeat)."

    def handle(self, *args, **options):
        sent = send_follow_up_prompts()
        self.stdout.write(f"Follow-up emails queued: {sent}")

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates import issuer
from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "Load the starter course and the demo accounts (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (not for real sites).",
        )
        parser.add_argument(
            "--reset-content",
            action="store_true",
            help="Overwrite the starter course with the shipped content (drops editors' edits).",
        )

    def handle(self, *args, force=False, reset_content=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; DEBUG is off, so it will "
                "not run. Use --force if this really is a demo site."
            )
        result = seed(reset_content=reset_content)
        self.stdout.write(self.style.SUCCESS(f"Starter course ready: {result['course'].url}"))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for email, name, roles, _superuser in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<22} {name} ({', '.join(roles)})")
        # The demo's credential-signing key: made on first use if the key ring is empty.
        key = issuer.signing_key()
        where = "ISSUER_PRIVATE_KEY" if settings.ISSUER_PRIVATE_KEY else settings.ISSUER_KEY_DIR
        self.stdout.write(f"Credentials are signed by {key.verification_method} (key: {where})")

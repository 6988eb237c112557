from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates import issuer
from core.roles import COACHES, PD_ADMINS
from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, seed


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
        parser.add_argument(
            "--demo-second-factor",
            action="store_true",
            help=(
                "With --force on a site whose DEBUG is off: give the demo coach and admin the "
                "published authenticator secret anyway."
            ),
        )

    def handle(self, *args, force=False, reset_content=False, demo_second_factor=False, **kw):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; DEBUG is off, so it will "
                "not run. Use --force if this really is a demo site."
            )
        # A published second factor on a site that is not in DEBUG is one more published key
        # to a coach's or admin's account: only when asked for by name.
        with_totp = settings.DEBUG or demo_second_factor
        result = seed(reset_content=reset_content, demo_second_factor=with_totp)
        self.stdout.write(self.style.SUCCESS(f"Starter course ready: {result['course'].url}"))
        self.stdout.write(self.style.SUCCESS(f"Short course ready: {result['short_course'].url}"))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for email, name, roles, _superuser in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<22} {name} ({', '.join(roles)})")
        staff = [e for e, _name, roles, _su in DEMO_ACCOUNTS if {COACHES, PD_ADMINS} & {*roles}]
        if with_totp:
            self.stdout.write(
                f"Two-factor code for {' and '.join(staff)}: add the secret {DEMO_TOTP_SECRET} "
                "to any authenticator app (time-based, 6 digits, 30 seconds)."
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG is off: the demo authenticator secret was NOT installed. "
                    f"{' and '.join(staff)} set up their own at their first sign-in "
                    "(or run again with --demo-second-factor)."
                )
            )
        # The demo's credential-signing key: made on first use if the key ring is empty.
        key = issuer.signing_key()
        where = "ISSUER_PRIVATE_KEY" if settings.ISSUER_PRIVATE_KEY else settings.ISSUER_KEY_DIR
        self.stdout.write(f"Credentials are signed by {key.verification_method} (key: {where})")

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Remove a person's authenticator app and recovery codes (a lost phone). A coach or "
        "PD administrator is sent to set up a new one at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the email address {email}.")
        deleted, _ = Authenticator.objects.filter(user=user).delete()
        self.stdout.write(f"Removed {deleted} authenticator(s) from {user.email}.")

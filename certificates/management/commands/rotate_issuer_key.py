"""Start signing credentials with a new issuer key; the old public key stays in did.json."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand, CommandError

from certificates import issuer
from certificates.vc.multikey import private_key_multibase, public_key_multibase


class Command(BaseCommand):
    help = (
        "Make a new Ed25519 issuer key in ISSUER_KEY_DIR. Credentials signed before keep "
        "verifying: the old public key stays published in /.well-known/did.json."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--print",
            action="store_true",
            help="Only print a new key pair (for ISSUER_PRIVATE_KEY); change nothing.",
        )

    def handle(self, *args, **options):
        if options["print"]:
            key = Ed25519PrivateKey.generate()
            self.stdout.write(f"ISSUER_PRIVATE_KEY={private_key_multibase(key)}")
            self.stdout.write(f"public key: {public_key_multibase(key.public_key())}")
            return
        try:
            old, new = issuer.rotate()
        except issuer.IssuerKeyError as error:
            raise CommandError(str(error)) from error
        if old:
            self.stdout.write(f"Retired {old} (still published in did.json).")
        self.stdout.write(
            self.style.SUCCESS(f"New signing key {issuer.verification_method_id(new)}")
        )

"""Check a credential file (JSON, a baked PNG or a certificate PDF) the way /verify/ does,
without a database.

Trusted keys come from this site's key configuration, or from a did.json file (--did), and
a PDF's signing certificate from the site's PDF signing configuration;
the revocation status from a status list file downloaded from the site (--status-list),
or it is reported as not checked. Exit status 0 when every check passed, 1 otherwise.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certificates import issuer, pdf_signing, verification

SYMBOLS = {verification.PASS: "PASS", verification.FAIL: "FAIL", verification.SKIP: "SKIP"}


class Command(BaseCommand):
    help = (
        "Verify an Open Badges credential file (JSON, baked PNG or certificate PDF): "
        "proof, key, status, expiry."
    )
    requires_system_checks = []  # no database needed, none touched

    def add_arguments(self, parser):
        parser.add_argument("file", help="credential.json, a baked badge PNG or a certificate PDF")
        parser.add_argument("--did", help="did.json to trust (default: this site's keys)")
        parser.add_argument(
            "--status-list", help="the status list credential file the credential names"
        )

    def _read_json(self, path: str) -> dict:
        try:
            data = json.loads(Path(path).read_bytes()[: verification.MAX_BYTES + 1])
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from error
        if not isinstance(data, dict):
            raise CommandError(f"{path}: not a JSON object")
        return data

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                raw = handle.read(verification.MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        if options["did"]:
            did_document = self._read_json(options["did"])
        else:
            did_document = issuer.did_document(make_missing=False)
        check_status = None
        if options["status_list"]:
            status_list = self._read_json(options["status_list"])

            def check_status(entry):
                return verification.status_from_list(entry, status_list, did_document)

        report = verification.verify(
            raw,
            did_document=did_document,
            check_status=check_status,
            now=timezone.now(),
            pdf_signers=pdf_signing.signing_certificates(),
        )
        for check in report.checks:
            self.stdout.write(f"{SYMBOLS[check.state]}  {check.name}: {check.message}")
        verdict = {"valid": "VALID", "unchecked": "NOT FULLY CHECKED", "invalid": "NOT VALID"}
        self.stdout.write(verdict[report.verdict])
        if report.verdict != "valid":
            raise SystemExit(1)

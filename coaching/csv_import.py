"""Adding many teachers from a CSV file: check every row first, then invite the good ones."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from .invitations import invite, queue_invitation_emails
from .models import (
    Cohort,
)
from .services import normalise_email

# --- CSV import -----------------------------------------------------------------------------

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 500  # one import sends at most this many invitations
HEADER_WORDS = {"email", "e-mail", "email address"}
# Never part of a name or an address (a NUL, an escape, a line break inside a quoted cell),
# and PostgreSQL refuses to store a NUL: such a row is refused, naming the character.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class CsvRow:
    line: int
    email: str
    full_name: str
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class CsvReport:
    rows: list[CsvRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def good_rows(self) -> list[CsvRow]:
        return [] if self.file_errors else [row for row in self.rows if row.ok]

    @property
    def bad_rows(self) -> list[CsvRow]:
        return [row for row in self.rows if not row.ok]


def parse_csv(data: bytes) -> CsvReport:
    """Check the whole file before anything is imported: every problem, row by row.

    Rejected: an empty file, one over 5 MB or with more than 500 rows, one not in UTF-8
    (UTF-8 with a byte-order mark is fine), and rows with a bad email address, a repeated
    address, more than two columns or a control character (a NUL byte, say) in a cell.
    A first row that names the columns ("email, full name") is skipped.
    """
    report = CsvReport()
    if len(data) > MAX_CSV_BYTES:
        report.file_errors.append(_("The file is larger than 5 MB. Split it and try again."))
        return report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.file_errors.append(
            _("The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”.")
        )
        return report
    if not text.strip():
        report.file_errors.append(_("The file is empty."))
        return report
    seen: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            line = reader.line_num
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            if not report.rows and not seen and cells[0].lower() in HEADER_WORDS:
                continue
            if len(report.rows) == MAX_IMPORT_ROWS:
                report.file_errors.append(
                    _(
                        "The file has more than %(n)d teachers. Split it into files of %(n)d "
                        "rows or fewer and import them one after another."
                    )
                    % {"n": MAX_IMPORT_ROWS}
                )
                break
            email = normalise_email(cells[0])
            full_name = cells[1] if len(cells) > 1 else ""
            row = CsvRow(line=line, email=email, full_name=full_name)
            if len(cells) > 2:
                row.errors.append(
                    _("Too many columns (%(n)d): expected email and full name.") % {"n": len(cells)}
                )
            email_control = CONTROL_CHARACTER.search(email)
            name_control = CONTROL_CHARACTER.search(full_name)
            if email_control:
                row.errors.append(
                    _(
                        "The email address contains an invisible control character (%(code)s). "
                        "Retype it and upload the file again."
                    )
                    % {"code": f"U+{ord(email_control.group()):04X}"}
                )
            if name_control:
                row.errors.append(
                    _(
                        "The name contains an invisible control character (%(code)s). "
                        "Retype it and upload the file again."
                    )
                    % {"code": f"U+{ord(name_control.group()):04X}"}
                )
            try:
                validate_email(email)
            except ValidationError:
                if not email_control:  # already said why
                    row.errors.append(
                        _("“%(value)s” is not a valid email address.") % {"value": email}
                    )
            else:
                if email in seen:
                    row.errors.append(
                        _("Repeats the address on line %(line)d.") % {"line": seen[email]}
                    )
                else:
                    seen[email] = line
            if len(full_name) > 150:
                row.errors.append(_("The name is longer than 150 characters."))
            report.rows.append(row)
    except csv.Error as error:
        report.file_errors.append(_("The file is not valid CSV: %(error)s") % {"error": error})
    if not report.rows and not report.file_errors:
        report.file_errors.append(_("The file has no rows to import."))
    return report


@transaction.atomic
def import_rows(*, cohort: Cohort, rows: list[dict], added_by) -> dict[str, int]:
    """Invite the checked rows (from parse_csv's good rows); all or nothing. The emails go
    out from one task after the commit, not one by one inside the transaction."""
    counts: dict[str, int] = {}
    to_send: list[int] = []
    for row in rows:
        outcome, invitation_id = invite(
            cohort=cohort,
            email=row["email"],
            full_name=row.get("full_name", ""),
            added_by=added_by,
        )
        counts[outcome] = counts.get(outcome, 0) + 1
        if invitation_id:
            to_send.append(invitation_id)
    if to_send:
        queue_invitation_emails(to_send)
    return counts

"""Every write about cohorts, invitations, assignments, feedback and reminders.

Views, the CSV import, the Wagtail admin, signal receivers and the reminder command call
these; nobody saves coaching models directly. Each is idempotent: adding the same teacher or
assigning the same course twice changes nothing more.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import with_role_flags
from core.sanitise import clean_text
from modules import services as progress_services
from modules.enums import EnrollmentSource

from .enums import FeedbackKind, ReminderKind
from .models import (
    INVITATION_LIFETIME,
    Assignment,
    Cohort,
    CohortMembership,
    Feedback,
    FeedbackReply,
    Invitation,
    InvitationSend,
    ReminderLog,
    ReminderPreference,
    new_token,
)
from .permissions import can_use_coaching, can_view_answer

MAX_FEEDBACK_CHARS = 5000


class CoachingError(Exception):
    """A rule stopped the action; the message is safe to show."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# --- the coach role -------------------------------------------------------------------------


@transaction.atomic
def set_coach(*, user, is_coach: bool, by) -> None:
    """Give or take away the Coaches role (a Django group). Cohorts they coach stay as they
    are; without the role they simply cannot open /coach/ nor get the weekly digest."""
    from django.contrib.auth.models import Group

    from core.roles import COACHES

    group, _created = Group.objects.get_or_create(name=COACHES)
    if is_coach:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    if hasattr(user, "_role_names"):
        del user._role_names


# --- cohorts and members ---------------------------------------------------------------------


@transaction.atomic
def create_cohort(*, coach, name: str, description: str = "", program: str = "") -> Cohort:
    cohort = Cohort(name=name.strip(), description=description.strip(), program=program.strip())
    cohort.full_clean()
    cohort.save()
    cohort.coaches.add(coach)
    return cohort


def _enroll_in_assignments(*, user, cohort: Cohort) -> None:
    for assignment in cohort.assignments.select_related("course"):
        if assignment.course.live:
            progress_services.enroll(
                user=user, course=assignment.course, source=EnrollmentSource.ASSIGNED
            )


def _join_cohort(*, cohort: Cohort, user) -> CohortMembership:
    """Only accept_invitation calls this: a membership is the teacher's consent."""
    try:
        with transaction.atomic():
            membership, _created = CohortMembership.objects.get_or_create(cohort=cohort, user=user)
    except IntegrityError:  # a parallel request added them first: same outcome
        membership = CohortMembership.objects.get(cohort=cohort, user=user)
    _enroll_in_assignments(user=user, cohort=cohort)
    return membership


@transaction.atomic
def remove_member(*, cohort: Cohort, user) -> None:
    """Take a teacher out of a cohort. Their enrolments and progress stay theirs."""
    CohortMembership.objects.filter(cohort=cohort, user=user).delete()


@transaction.atomic
def leave_cohort(*, cohort: Cohort, user) -> None:
    """The teacher withdraws their consent: the cohort's coaches stop seeing their work."""
    remove_member(cohort=cohort, user=user)


@dataclass
class AddResult:
    outcome: str  # "invited", "already_member", "already_invited"
    email: str

    @property
    def message(self) -> str:
        # One message whether or not the address has an account: the form must not tell a
        # coach who is registered here.
        return {
            "already_member": _("%(email)s is already in the cohort."),
            "invited": _("An invitation was sent to %(email)s."),
            "already_invited": _("%(email)s has already been invited."),
        }[self.outcome] % {"email": self.email}


def owns_verified_address(user, email: str) -> bool:
    """An address is someone's identity only once they have confirmed it."""
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def user_with_verified_address(email: str):
    address = (
        EmailAddress.objects.filter(email__iexact=normalise_email(email), verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


def _open_invitation(*, cohort: Cohort, email: str) -> Invitation | None:
    return (
        Invitation.objects.select_for_update()
        .filter(
            cohort=cohort,
            email=email,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            declined_at__isnull=True,
        )
        .first()
    )


def _invite(*, cohort: Cohort, email: str, added_by, full_name: str) -> tuple[str, int | None]:
    """The outcome, and the id of an invitation whose email should go out (or None)."""
    email = normalise_email(email)
    validate_email(email)
    if CohortMembership.objects.filter(cohort=cohort, user__email__iexact=email).exists():
        return "already_member", None
    invitation = _open_invitation(cohort=cohort, email=email)
    if invitation is not None:
        if invitation.is_usable:
            return "already_invited", None
        _renew(invitation, by=added_by)  # expired: adding again sends a fresh link
        return "invited", invitation.pk
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                cohort=cohort, email=email, full_name=full_name.strip()[:150], invited_by=added_by
            )
    except IntegrityError:
        return "already_invited", None
    InvitationSend.objects.create(invitation=invitation, sent_by=added_by)
    return "invited", invitation.pk


@transaction.atomic
def add_member(*, cohort: Cohort, email: str, added_by, full_name: str = "") -> AddResult:
    """Invite an address to the cohort, whether or not it has an account. Nobody joins until
    they accept (accept_invitation)."""
    outcome, to_send = _invite(cohort=cohort, email=email, added_by=added_by, full_name=full_name)
    if to_send:
        _send_invitations([to_send])
    return AddResult(outcome, normalise_email(email))


def _send_invitations(invitation_ids: list[int]) -> None:
    """One task sends them all, in batches, after the transaction commits."""
    from .tasks import send_invitation_emails

    Invitation.objects.filter(pk__in=invitation_ids).update(sent_at=timezone.now())
    transaction.on_commit(lambda: send_invitation_emails.enqueue(invitation_ids=invitation_ids))


MAX_SENDS_PER_INVITATION = 3
MAX_RESENDS_PER_COACH_PER_DAY = 30


def _renew(invitation: Invitation, *, by) -> None:
    """A new link (the old one stops working) valid for another full period, within limits."""
    if invitation.sends.count() >= MAX_SENDS_PER_INVITATION:
        raise CoachingError(
            _(
                "This invitation has been sent %(n)d times already. Ask the teacher to check "
                "their spam folder, or withdraw it and add them again later."
            )
            % {"n": MAX_SENDS_PER_INVITATION}
        )
    since = timezone.now() - timedelta(days=1)
    if (
        by is not None
        and InvitationSend.objects.filter(sent_by=by, is_resend=True, sent_at__gte=since).count()
        >= MAX_RESENDS_PER_COACH_PER_DAY
    ):
        raise CoachingError(
            _("You have sent %(n)d invitations again today. Try again tomorrow.")
            % {"n": MAX_RESENDS_PER_COACH_PER_DAY}
        )
    invitation.token = new_token()
    invitation.expires_at = timezone.now() + INVITATION_LIFETIME
    invitation.save(update_fields=["token", "expires_at"])
    InvitationSend.objects.create(invitation=invitation, sent_by=by, is_resend=True)


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by) -> Invitation:
    """Send a new link, valid for another full period from now; the old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_closed:
        raise CoachingError(_("This invitation is closed; add the teacher again instead."))
    _renew(invitation, by=by)
    _send_invitations([invitation.pk])
    return invitation


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise CoachingError(_("This invitation was already accepted."))
    if invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
    return invitation


def _invitation_for(invitation: Invitation, user) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().select_related("cohort").get(pk=invitation.pk)
    )
    if not invitation.is_usable:
        raise CoachingError(
            _("This invitation has expired, was withdrawn or was already answered.")
        )
    if not owns_verified_address(user, invitation.email):
        raise CoachingError(_("This invitation was sent to a different email address."))
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> CohortMembership:
    """The teacher's consent: they join, and the cohort's coaches may see their work."""
    invitation = _invitation_for(invitation, user)
    membership = _join_cohort(cohort=invitation.cohort, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def decline_invitation(*, invitation: Invitation, user) -> Invitation:
    invitation = _invitation_for(invitation, user)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    return invitation


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
        outcome, invitation_id = _invite(
            cohort=cohort,
            email=row["email"],
            full_name=row.get("full_name", ""),
            added_by=added_by,
        )
        counts[outcome] = counts.get(outcome, 0) + 1
        if invitation_id:
            to_send.append(invitation_id)
    if to_send:
        _send_invitations(to_send)
    return counts


# --- assignments ----------------------------------------------------------------------------


@transaction.atomic
def assign_course(
    *, course, due_on: date, assigned_by, cohort: Cohort | None = None, user=None
) -> Assignment:
    """Assign a course to a cohort (every member) or to one teacher, and enrol them.

    Assigning again updates the due date and enrols anyone not yet enrolled.
    """
    if (cohort is None) == (user is None):
        raise CoachingError(_("Assign to a cohort or to one teacher."))
    if not course.live:
        raise CoachingError(_("This course is not published."))
    target = {"cohort": cohort} if cohort is not None else {"user": user}
    try:
        with transaction.atomic():
            assignment, created = Assignment.objects.get_or_create(
                course=course, **target, defaults={"due_on": due_on, "assigned_by": assigned_by}
            )
    except IntegrityError:
        assignment, created = Assignment.objects.get(course=course, **target), False
    if not created and assignment.due_on != due_on:
        assignment.due_on = due_on
        assignment.save(update_fields=["due_on"])
    people = (
        [user] if user is not None else [m.user for m in cohort.memberships.select_related("user")]
    )
    for person in people:
        progress_services.enroll(user=person, course=course, source=EnrollmentSource.ASSIGNED)
    return assignment


# --- feedback -------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CoachingError(_("Write something first."))
    if len(body) > MAX_FEEDBACK_CHARS:
        raise CoachingError(_("Keep it under %(n)d characters.") % {"n": MAX_FEEDBACK_CHARS})
    return clean_text(body)


@transaction.atomic
def leave_feedback(*, coach, answer, kind: str, body: str) -> Feedback:
    if not can_view_answer(coach, answer):
        raise CoachingError(_("You can only comment on reflections of teachers you coach."))
    if kind not in FeedbackKind.values:
        raise CoachingError(_("Choose strength, suggestion or question."))
    feedback = Feedback.objects.create(
        answer=answer, coach=coach, kind=kind, body=_clean_body(body)
    )
    from .tasks import send_feedback_email

    transaction.on_commit(lambda: send_feedback_email.enqueue(feedback_id=feedback.pk))
    return feedback


@transaction.atomic
def reply_to_feedback(*, author, feedback: Feedback, body: str) -> FeedbackReply:
    """The teacher who wrote the reflection may reply once."""
    if feedback.answer.attempt.user_id != author.pk:
        raise CoachingError(_("Only the teacher who wrote the reflection can reply."))
    if FeedbackReply.objects.filter(feedback=feedback).exists():
        raise CoachingError(_("You have already replied to this feedback."))
    try:
        with transaction.atomic():
            reply = FeedbackReply.objects.create(
                feedback=feedback, author=author, body=_clean_body(body)
            )
    except IntegrityError as error:  # a double click: the first reply stands
        raise CoachingError(_("You have already replied to this feedback.")) from error
    from .tasks import send_reply_email

    transaction.on_commit(lambda: send_reply_email.enqueue(reply_id=reply.pk))
    return reply


# --- reminders ------------------------------------------------------------------------------

DUE_SOON_DAYS = 3
REPEAT_EVERY_DAYS = 7


def set_reminders_enabled(*, user, enabled: bool) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"reminders_enabled": enabled}
    )
    return preference


def _claim(*, user, kind: str, today: date, assignment: Assignment | None = None) -> int | None:
    """Write the log row first; a second run the same day hits the unique constraint."""
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
                user=user, assignment=assignment, kind=kind, sent_on=today
            )
    except IntegrityError:
        return None
    return log.pk


def send_reminders(*, today: date | None = None) -> dict[str, int]:
    """Email teachers whose assignment is due within 3 days (once per assignment) or overdue
    (at most once a week), and give each coach a weekly digest of overdue teachers.

    Safe to run any number of times a day, even two runs at once: each reminder's log row is
    inserted before its email is queued, and the database refuses a second row for the same
    person, assignment, kind and day.
    """
    from .selectors import assignment_targets, overdue_for_coach
    from .tasks import send_reminder_email

    today = today or timezone.localdate()
    week_ago = today - timedelta(days=REPEAT_EVERY_DAYS)
    assignments = list(
        Assignment.objects.filter(
            due_on__lte=today + timedelta(days=DUE_SOON_DAYS), course__live=True
        ).select_related("course", "user")
    )
    targets = assignment_targets(assignments)
    opted_out = set(
        ReminderPreference.objects.filter(reminders_enabled=False).values_list("user_id", flat=True)
    )
    earlier = set(
        ReminderLog.objects.filter(assignment__in=assignments)
        .filter(Q(kind=ReminderKind.DUE_SOON) | Q(sent_on__gt=week_ago))
        .values_list("user_id", "assignment_id", "kind")
    )
    counts = {ReminderKind.DUE_SOON: 0, ReminderKind.OVERDUE: 0, ReminderKind.DIGEST: 0}
    claimed: list[int] = []
    for assignment in assignments:
        kind = ReminderKind.OVERDUE if assignment.due_on < today else ReminderKind.DUE_SOON
        for user in targets[assignment.pk]:
            if user.pk in opted_out or (user.pk, assignment.pk, kind) in earlier:
                continue
            log_id = _claim(user=user, kind=kind, today=today, assignment=assignment)
            if log_id:
                claimed.append(log_id)
                counts[kind] += 1

    # A cohort keeps naming a coach whose role was taken away (set_coach leaves cohorts as
    # they are), and the digest lists teachers and due dates: it goes only to people who may
    # still open those cohorts under /coach/ (can_use_coaching: coaches and PD admins).
    coaches = with_role_flags(
        get_user_model().objects.filter(coached_cohorts__isnull=False, is_active=True).distinct()
    )
    recent_digests = set(
        ReminderLog.objects.filter(kind=ReminderKind.DIGEST, sent_on__gt=week_ago).values_list(
            "user_id", flat=True
        )
    )
    for coach in coaches:
        if not can_use_coaching(coach):
            continue
        if coach.pk in opted_out or coach.pk in recent_digests:
            continue
        if not overdue_for_coach(coach, today=today):
            continue
        log_id = _claim(user=coach, kind=ReminderKind.DIGEST, today=today)
        if log_id:
            claimed.append(log_id)
            counts[ReminderKind.DIGEST] += 1

    for log_id in claimed:
        send_reminder_email.enqueue(log_id=log_id)
    return {str(kind): n for kind, n in counts.items()}

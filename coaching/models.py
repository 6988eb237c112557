"""What coaches do: cohorts, invitations, assignments, feedback and reminder bookkeeping.

Models hold fields and constraints only; every write goes through coaching/services.py.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import FeedbackKind, InvitationStatus, ReminderKind

INVITATION_LIFETIME = timedelta(days=14)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry():
    return timezone.now() + INVITATION_LIFETIME


class Cohort(models.Model):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    program = models.CharField(
        _("program"),
        max_length=200,
        blank=True,
        help_text=_("For example: Elementary certification, district induction."),
    )
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coached_cohorts", verbose_name=_("coaches")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CohortMembership",
        related_name="cohorts",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Archived: kept with its history, but out of the coach's lists and its reminders stop.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class CohortMembership(models.Model):
    """A teacher in a cohort. Made only when the teacher accepts an invitation (consent):
    its existence is what lets the cohort's coaches see their progress, reflections and
    certificates. The teacher can leave, which deletes it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_membership_per_cohort")
        ]

    def __str__(self):
        return f"{self.user} in {self.cohort}"


class Invitation(models.Model):
    """The only way into a cohort, for new and existing accounts alike: the teacher who owns
    the (verified) address accepts it on a page that says what the coaches will see.
    Open = not accepted, declined or withdrawn. A resend gives it a new token."""

    email = models.EmailField(_("email"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "cohort"],
                condition=Q(
                    accepted_at__isnull=True, withdrawn_at__isnull=True, declined_at__isnull=True
                ),
                name="one_open_invitation_per_email_and_cohort",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} to {self.cohort}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.withdrawn_at:
            return InvitationStatus.WITHDRAWN
        if self.declined_at:
            return InvitationStatus.DECLINED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.OPEN

    @property
    def status_label(self) -> str:
        return InvitationStatus(self.status).label

    @property
    def is_usable(self) -> bool:
        return self.status == InvitationStatus.OPEN

    @property
    def is_closed(self) -> bool:
        """Accepted, declined or withdrawn: nothing more can happen to it (expired can be
        sent again)."""
        return self.status not in (InvitationStatus.OPEN, InvitationStatus.EXPIRED)


class InvitationSend(models.Model):
    """One invitation email queued, by whom: the resend limits count these rows."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="sends")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_resend = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.invitation} at {self.sent_at}"


class Assignment(models.Model):
    """A course a coach set for a whole cohort or for one teacher, with a due date."""

    course = models.ForeignKey(
        "modules.CoursePage", on_delete=models.CASCADE, related_name="assignments"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    due_on = models.DateField(_("due on"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(cohort__isnull=False, user__isnull=True)
                    | Q(cohort__isnull=True, user__isnull=False)
                ),
                name="assignment_for_cohort_or_user",
            ),
            models.UniqueConstraint(
                fields=["course", "cohort"],
                condition=Q(cohort__isnull=False),
                name="one_assignment_per_course_and_cohort",
            ),
            models.UniqueConstraint(
                fields=["course", "user"],
                condition=Q(user__isnull=False),
                name="one_assignment_per_course_and_user",
            ),
        ]
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.course} for {self.cohort or self.user} by {self.due_on}"


class Feedback(models.Model):
    answer = models.ForeignKey("quizzes.Answer", on_delete=models.CASCADE, related_name="feedback")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FeedbackKind.choices)
    body = models.TextField(_("feedback"), help_text=_("Sanitised plain text."))
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the coach changes it: the teacher sees "edited".
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "feedback"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.answer_id}"


class FeedbackReply(models.Model):
    """The teacher's one reply to a piece of feedback."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="reply")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("reply"), help_text=_("Sanitised plain text."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "feedback replies"

    def __str__(self):
        return f"Reply to {self.feedback_id}"


class ReminderLog(models.Model):
    """One row per reminder sent. Written BEFORE the email goes out: the unique constraints
    make a second run on the same day (even a simultaneous one) find the row and skip."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "assignment", "kind", "sent_on"], name="one_reminder_per_day"
            ),
            # NULLs are distinct in unique indexes: the digest (no assignment) needs its own.
            models.UniqueConstraint(
                fields=["user", "kind", "sent_on"],
                condition=Q(assignment__isnull=True),
                name="one_digest_per_day",
            ),
        ]
        indexes = [models.Index(fields=["user", "kind", "sent_on"])]

    def __str__(self):
        return f"{self.kind} to {self.user} on {self.sent_on}"


class ReminderPreference(models.Model):
    """Opt-out for reminder emails (the User model belongs to pdsite, so it lives here)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    reminders_enabled = models.BooleanField(_("Send me reminder emails"), default=True)

    def __str__(self):
        return f"{self.user}: {'on' if self.reminders_enabled else 'off'}"

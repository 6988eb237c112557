"""What teachers do after a course: their follow-ups, evidence files and coaches' reviews.
The prompts live on the course page (modules.blocks.FollowUpBlock); a follow-up keeps a copy
of them, taken when it is scheduled, so later edits never change what was asked."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import EvidenceMode, Rubric
from .storage import get_evidence_storage, random_evidence_name


class FollowUp(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_ups"
    )
    enrollment = models.ForeignKey(
        "modules.Enrollment", on_delete=models.CASCADE, related_name="follow_ups"
    )
    course = models.ForeignKey("modules.CoursePage", on_delete=models.CASCADE, related_name="+")
    # 1 for the earliest follow-up of the course, 2 for the next (ordered by days_after).
    step = models.PositiveSmallIntegerField()
    days_after = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    prompts = models.JSONField(default=list)
    evidence_mode = models.CharField(
        max_length=8, choices=EvidenceMode.choices, default=EvidenceMode.OPTIONAL
    )
    # Sanitised answers, one per prompt, once submitted.
    answers = models.JSONField(default=list, blank=True)
    # What the teacher typed so far, as typed (shown again only in form fields).
    draft = models.JSONField(default=list, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The day the "it is due" email was claimed: set once, by a conditional update.
    prompted_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "step"], name="one_follow_up_per_step")
        ]
        indexes = [models.Index(fields=["user", "due_on"]), models.Index(fields=["due_on"])]
        ordering = ["due_on", "step"]

    def __str__(self):
        return f"{self.user} - {self.course_id} follow-up {self.step}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def prompts_with_answers(self) -> list[tuple[str, str]]:
        answers = list(self.answers) + [""] * len(self.prompts)
        return list(zip(self.prompts, answers, strict=False))


class Evidence(models.Model):
    """A file of evidence of practice, checked by its content and stored privately. It is
    attached either to a follow-up or to a module whose practice task asks for it (then it
    belongs to the teacher and the module): one model, so both kinds share the checks, the
    storage, the download view, the permission rule, the export and the erasure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The teacher who uploaded it, for both kinds (a follow-up's is follow_up.user).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence"
    )
    follow_up = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    module = models.ForeignKey(
        "modules.ModulePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    file = models.FileField(storage=get_evidence_storage, upload_to=random_evidence_name)
    # The teacher's own name for the file, cleaned; shown and used for downloads.
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(follow_up__isnull=False, module__isnull=True)
                    | models.Q(follow_up__isnull=True, module__isnull=False)
                ),
                name="evidence_for_follow_up_or_module",
            )
        ]
        indexes = [models.Index(fields=["user", "module"])]

    def __str__(self):
        return self.original_name


class FollowUpReview(models.Model):
    """A coach's rubric mark and feedback on a submitted follow-up (one per coach; marking
    again replaces it)."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reviews")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rubric = models.CharField(max_length=12, choices=Rubric.choices)
    body = models.TextField(blank=True, help_text=_("Sanitised feedback text."))
    reviewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "coach"], name="one_review_per_coach")
        ]
        ordering = ["-reviewed_at"]

    def __str__(self):
        return f"{self.follow_up} - {self.rubric}"


class FollowUpEmailPreference(models.Model):
    """Opt-out for the "your follow-up is due" emails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_up_preference"
    )
    emails_enabled = models.BooleanField(_("Email me when a follow-up is due"), default=True)

    def __str__(self):
        return f"{self.user}: {'on' if self.emails_enabled else 'off'}"

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    SUGGESTION = "suggestion", _("Suggestion")
    QUESTION = "question", _("Question")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    DIGEST = "digest", _("Coach's weekly digest")


class InvitationStatus(models.TextChoices):
    OPEN = "open", _("Waiting")
    EXPIRED = "expired", _("Expired")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")

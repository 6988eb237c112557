from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrollmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNED = "assigned", _("Assigned")


class ModuleState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")
    QUIZ_FAILED = "quiz_failed", _("Quiz not yet passed")

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceMode(models.TextChoices):
    """Whether a follow-up asks for a file (modules.blocks.FollowUpBlock's `evidence`)."""

    NONE = "none", _("No file")
    OPTIONAL = "optional", _("A file may be added")
    REQUIRED = "required", _("A file is required")


class Rubric(models.TextChoices):
    """The coach's short implementation rubric. The first two count as implemented."""

    AS_PLANNED = "as_planned", _("Tried as planned")
    ADAPTED = "adapted", _("Adapted")
    NOT_YET = "not_yet", _("Not yet")


IMPLEMENTED = (Rubric.AS_PLANNED, Rubric.ADAPTED)

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.snippets.models import register_snippet


@register_snippet
class CreditType(models.Model):
    """A kind of PD credit, e.g. "Clock hours" counted in hours, or "CEU"."""

    name = models.CharField(max_length=100, unique=True)
    unit = models.CharField(max_length=50, help_text=_("e.g. hours, CEUs"))

    panels = [FieldPanel("name"), FieldPanel("unit")]

    def __str__(self):
        return self.name


class CourseApproval(Orderable):
    """An approval the course holds from a state or agency, printed on certificates
    issued while it is valid."""

    course = ParentalKey("modules.CoursePage", on_delete=models.CASCADE, related_name="approvals")
    agency = models.CharField(max_length=200, help_text=_("e.g. Texas Education Agency"))
    approval_number = models.CharField(max_length=100)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    panels = [
        FieldPanel("agency"),
        FieldPanel("approval_number"),
        FieldPanel("valid_from"),
        FieldPanel("valid_until"),
    ]

    def __str__(self):
        return f"{self.agency} {self.approval_number}"

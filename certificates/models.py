import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.snippets.models import register_snippet

from core.links import absolute_url

from .enums import CertificateAction, CertificateStatus, CreditRequestStatus
from .storage import get_certificate_storage, random_pdf_name


@register_snippet
class CreditType(models.Model):
    """A kind of PD credit, e.g. "Clock hours" counted in hours, or "CEU"."""

    name = models.CharField(max_length=100, unique=True)
    unit = models.CharField(max_length=50, help_text=_("e.g. hours, CEUs"))
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_(
            "How long credit of this type stays current, e.g. 12. Empty: it never expires. "
            "Teachers are reminded 60 and 14 days before it runs out."
        ),
    )
    refresher_course = models.ForeignKey(
        "modules.CoursePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A shorter course that renews this credit. Empty: the renewal reminder links "
            "the course that was completed, to take again."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("unit"),
        FieldPanel("validity_months"),
        FieldPanel("refresher_course"),
    ]

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


class Certificate(models.Model):
    """PD credit as issued: a snapshot of who, what and how much, taken at the moment of issue.

    Rows are written only by certificates.services. The course, enrolment and issuer may
    disappear later; the printed facts stay.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("verification code"), max_length=32, unique=True, editable=False)
    # Empty once the holder closes their account (accounts.closing): the certificate stays,
    # with the name as printed, so a district can still verify it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "modules.CoursePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    enrollment = models.ForeignKey(
        "modules.Enrollment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    name_on_certificate = models.CharField(_("name as printed"), max_length=150)
    course_title = models.CharField(_("course"), max_length=255)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    credit_type_name = models.CharField(_("credit type"), max_length=100, blank=True)
    credit_unit = models.CharField(_("credit unit"), max_length=50, blank=True)
    # [{"agency": ..., "approval_number": ..., "valid_until": "YYYY-MM-DD" | None}], valid that day.
    approvals = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # The last day the credit is current (from the credit type's validity); None: no end.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when issued automatically on completion."),
    )
    status = models.CharField(
        max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Private: shown to PD administrators only, never on the public verify page.
    revoked_reason = models.TextField(blank=True)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    # The signed Open Badges 3.0 credential exactly as signed (certificates/openbadges.py):
    # kept as text so the JSON download, the PDF attachment and the baked PNG are the same
    # bytes. Empty until signed (certificates.services.ensure_credential signs late ones).
    credential_json = models.TextField(blank=True, editable=False)
    # This certificate's bit in the revocation status list (certificates/status_lists.py).
    status_list_index = models.PositiveIntegerField(
        null=True, blank=True, unique=True, editable=False
    )
    # Private storage, random name: served only by the permission-checked download view.
    pdf = models.FileField(storage=get_certificate_storage, upload_to=random_pdf_name, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=models.Q(status="valid"),
                name="one_valid_certificate_per_enrollment",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"]), models.Index(fields=["issued_at"])]

    def __str__(self):
        return f"{self.code} {self.name_on_certificate}: {self.course_title}"

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    @property
    def is_expired(self) -> bool:
        """Earned, not revoked, but past its validity: shown as expired, never as revoked."""
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    def get_absolute_url(self) -> str:
        return reverse("certificates:pdf", args=[self.pk])

    def get_verify_path(self) -> str:
        return reverse("certificates:verify", args=[self.code])

    def get_verify_url(self) -> str:
        return absolute_url(self.get_verify_path())

    def get_credential_url(self) -> str:
        return reverse("certificates:credential", args=[self.pk])

    def get_badge_url(self) -> str:
        return reverse("certificates:badge", args=[self.pk])


class CreditRequest(models.Model):
    """A completion waiting for (or decided by) a PD administrator."""

    enrollment = models.OneToOneField(
        "modules.Enrollment", on_delete=models.CASCADE, related_name="credit_request"
    )
    status = models.CharField(
        max_length=16, choices=CreditRequestStatus.choices, default=CreditRequestStatus.PENDING
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Shown to the teacher.
    decline_reason = models.TextField(blank=True)
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why issuing failed after approval (shown to PD administrators on the result page).
    issue_error = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.enrollment} ({self.get_status_display()})"


class RenewalReminder(models.Model):
    """One row per renewal reminder (60 or 14 days before expiry), written before the email
    is queued: the unique constraint makes a second run send nothing twice."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="renewal_reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="one_renewal_reminder_each"
            )
        ]

    def __str__(self):
        return f"{self.certificate.code}: {self.days_before} days"


class CertificateEvent(models.Model):
    """The audit trail: who did what to a certificate or a credit request, and when."""

    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    credit_request = models.ForeignKey(
        CreditRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=16, choices=CertificateAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

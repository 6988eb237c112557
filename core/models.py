"""The organisation running the site: one Wagtail site setting, read by the site header,
every email, certificates and transcripts (it replaced pdsite's SiteBranding and the
branding half of certificates' CertificateSettings)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

DEFAULT_NAME = "PD Courses"


class PageSize(models.TextChoices):
    LETTER = "letter", _("US Letter (landscape)")
    A4 = "a4", _("A4 (landscape)")


@register_setting(icon="site")
class Organisation(BaseSiteSetting):
    """Who runs the site: its name in the header and emails, and how certificates look."""

    name = models.CharField(
        _("organisation name"),
        max_length=150,
        default=DEFAULT_NAME,
        help_text=_("Shown in the site header, in emails and at the top of certificates."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Printed top left on certificates; a wide PNG or JPEG works best."),
    )
    signatory_name = models.CharField(max_length=150, blank=True)
    signatory_title = models.CharField(max_length=150, blank=True)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A scan of the signature, ideally on a transparent background."),
    )
    accent_colour = models.CharField(
        max_length=7,
        default="#1d5c8c",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour such as #1d5c8c."))],
        help_text=_("A hex colour such as #1d5c8c for borders and headings on certificates."),
    )
    page_size = models.CharField(
        _("certificate paper size"),
        max_length=8,
        choices=PageSize.choices,
        default=PageSize.LETTER,
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        FieldPanel("signatory_name"),
        FieldPanel("signatory_title"),
        FieldPanel("signature"),
        FieldPanel("accent_colour"),
        FieldPanel("page_size"),
    ]

    class Meta:
        verbose_name = _("organisation")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "Organisation":
        """The default site's setting, for what is built outside a request (emails, PDFs):
        one query, and nothing is written. Unsaved defaults until an editor saves it."""
        found = cls.objects.order_by("-site__is_default_site", "site_id").first()
        return found or cls()

    @classmethod
    def for_request_or_default(cls, request) -> "Organisation":
        """The setting for a page request, cached on the request like Wagtail's own.

        Wagtail pages have found their site already (request._wagtail_site): that site's
        setting. Other views (dashboard, verify page, ...) have not, and looking the site up
        would cost a query of its own: the default site's setting, in one query, as emails
        use (the project runs one site). Nothing is written on a read.
        """
        cached = getattr(request, "_organisation", None)
        if cached is not None:
            return cached
        site = getattr(request, "_wagtail_site", None)
        if site is not None:
            found = cls.objects.filter(site=site).first() or cls()
        else:
            found = cls.current()
        if request is not None:
            request._organisation = found
        return found


def organisation_name(request=None) -> str:
    """The organisation's name, for a request or (without one) the default site."""
    return Organisation.for_request_or_default(request).name or DEFAULT_NAME


class OutgoingEmail(models.Model):
    """One email that a state change made due, written in the same transaction as the change
    (core.outbox): the database alone says which emails are owed, so a worker killed before or
    while sending loses none (the repair sweep queues the task again), and the claim taken just
    before sending keeps a second worker from sending it twice."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("not needed any more")

    key = models.CharField(max_length=200, unique=True)
    task_path = models.CharField(max_length=200)
    task_kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outgoing_email_unfinished",
                condition=models.Q(finished_at__isnull=True),
            )
        ]

    def __str__(self):
        return self.key

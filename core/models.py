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
        """The setting of the default site, for what is built outside a request (emails,
        PDFs). Unsaved defaults when there is no site yet."""
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        if site is None:
            return cls()
        return cls.for_site(site)

    @classmethod
    def for_request_or_default(cls, request) -> "Organisation":
        """The setting of the request's site (cached on the request), else current()."""
        from wagtail.models import Site

        if request is not None and Site.find_for_request(request) is not None:
            return cls.for_request(request)
        return cls.current()


def organisation_name(request=None) -> str:
    """The organisation's name, for a request or (without one) the default site."""
    return Organisation.for_request_or_default(request).name or DEFAULT_NAME

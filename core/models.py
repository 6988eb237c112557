"""The organisation running the site: one Wagtail site setting, read by the site header,
every email, certificates and transcripts (it replaced pdsite's SiteBranding and the
branding half of certificates' CertificateSettings)."""

from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

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
    """The organisation's name, for a request's site or (without one) the default site.

    Every page's header shows it, so it comes from the shared cache: a page costs no query
    for it once any page has shown it. Saving or deleting the setting, or changing which
    site is the default, drops the cached names (below), so an edit shows on the next page.
    """
    site = getattr(request, "_wagtail_site", None)
    # Wagtail pages know their site, other views do not: on the default site both share
    # one entry, so a one-site install caches the name once.
    key = _name_key(None if site is None or site.is_default_site else site.pk)
    name = cache.get(key)
    if name is None:
        name = Organisation.for_request_or_default(request).name or DEFAULT_NAME
        cache.set(key, name, timeout=None)
    return name


def _name_key(site_id) -> str:
    return f"core:organisation-name:{site_id or 'default'}"


@receiver([post_save, post_delete], sender=Organisation)
@receiver([post_save, post_delete], sender=Site)
def _forget_cached_names(sender, instance, **kwargs):
    # The default site's name may be the one that changed, whichever site was saved.
    site_id = instance.pk if sender is Site else instance.site_id
    cache.delete_many([_name_key(None), _name_key(site_id)])


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

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.routing import DirectRouteMixin, SingleQueryViewRestrictionsMixin
from modules.models import CourseIndexPage

from .home import home_page_context


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person on the platform. Email is the login; `full_name` is printed on certificates."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(
        _("full name"),
        max_length=150,
        help_text=_("Your name as it should appear on certificates."),
    )
    state = models.CharField(_("state"), max_length=64, blank=True)
    district = models.CharField(_("district or program"), max_length=150, blank=True)
    educator_id = models.CharField(_("educator ID"), max_length=64, blank=True)
    # No choices here: LANGUAGES may grow without a migration; core.languages.supported checks.
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("The interface language chosen in the header; empty: the browser's."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Wagtail's admin shows users by first/last name; ours are one field.
    @property
    def name(self):
        return self.full_name


# What a new site says until an editor changes it (the data migration 0005 writes the same
# into an existing home page). Content, like the courses: English until an author translates.
CREDIT_HEADING = "How PD credit works"
CREDIT_BODY = (
    "<ol><li>Enrol in a course, or open one your coach assigned. Every course is free.</li>"
    "<li>Read each module and answer its reflection quiz. Your progress is saved as you go.</li>"
    "<li>When every required module is complete, your completion goes to a PD administrator, "
    "who approves the credit hours the course carries.</li>"
    "<li>You get a PDF certificate with a verification code, and your transcript lists "
    "every hour you have earned.</li></ol>"
)
VERIFY_HEADING = "Check a certificate"
VERIFY_BODY = (
    "A school or a state office can check any certificate from this site without an "
    "account: type the code printed under its QR code."
)


class HomePage(DirectRouteMixin, SingleQueryViewRestrictionsMixin, Page):
    """The site root, edited in the Wagtail admin: a hero, courses the admin features, how PD
    credit works, and a box to check a certificate. Signed-in teachers also see their next
    step, worked out per request in get_context."""

    intro = RichTextField(
        blank=True, help_text=_("The welcome under the title: what the site is and whom it serves.")
    )
    featured_courses = StreamField(
        [
            (
                "course",
                blocks.PageChooserBlock(
                    page_type="modules.CoursePage",
                    help_text=_("A course to show on the home page."),
                ),
            )
        ],
        blank=True,
        help_text=_(
            "Courses to show on the home page, in this order. Unpublished ones are skipped."
        ),
    )
    credit_heading = models.CharField(_("credit heading"), max_length=120, default=CREDIT_HEADING)
    credit_body = RichTextField(
        _("how credit works"),
        blank=True,
        default=CREDIT_BODY,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("The steps from enrolling to a certificate, in plain words."),
    )
    verify_heading = models.CharField(
        _("verification heading"), max_length=120, default=VERIFY_HEADING
    )
    verify_body = models.TextField(
        _("verification text"),
        blank=True,
        default=VERIFY_BODY,
        help_text=_("Shown above the certificate-code box, which opens /verify/<code>/."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("featured_courses"),
        MultiFieldPanel(
            [FieldPanel("credit_heading"), FieldPanel("credit_body")], heading=_("PD credit")
        ),
        MultiFieldPanel(
            [FieldPanel("verify_heading"), FieldPanel("verify_body")],
            heading=_("Certificate check"),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["modules.CourseIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = CourseIndexPage.objects.child_of(self).live().first()
        context.update(home_page_context(request, self))
        return context

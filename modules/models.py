from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.routing import SingleQueryViewRestrictionsMixin

from .blocks import (
    ActivityPlanBlock,
    FollowUpBlock,
    ModuleBodyBlock,
    ReferenceBlock,
    default_follow_ups,
    practice_asks_for_evidence,
)
from .enums import EnrollmentSource
from .page_hooks import COURSE_PAGE_CONTEXT_HOOK, extend_context


class CourseIndexPage(SingleQueryViewRestrictionsMixin, Page):
    """The catalogue at /courses/: lists the live courses below it."""

    intro = models.TextField(blank=True, help_text=_("A sentence or two above the course list."))
    # A catalogue with a handful of courses reads best as a plain list; a site with a few
    # courses that differ (a demo, a small district) may want the filters sooner.
    filters_from = models.PositiveSmallIntegerField(
        _("show search and filters from"),
        default=5,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "The search box and the topic, credit-hours and credit-type filters appear once "
            "the catalogue has at least this many live courses. 1 shows them always."
        ),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("filters_from")]

    parent_page_types = ["pdsite.HomePage"]
    subpage_types = ["modules.CoursePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .catalogue import catalogue  # the page reads its catalogue (.importlinter says why)

        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = catalogue(self, request.GET)
        return context


class CoursePageTag(TaggedItemBase):
    """A course's topics (Wagtail tags), offered as the catalogue's topic filter."""

    content_object = ParentalKey(
        "modules.CoursePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CoursePage(SingleQueryViewRestrictionsMixin, RoutablePageMixin, Page):
    summary = models.TextField(help_text=_("What the course is about, in two or three sentences."))
    objectives = StreamField(
        [("objective", blocks.CharBlock(max_length=300))],
        blank=True,
        help_text=_("What a teacher can do after the course, one per line."),
    )
    tags = ClusterTaggableManager(
        through=CoursePageTag,
        blank=True,
        verbose_name=_("topics"),
        help_text=_(
            "Topics teachers can filter the catalogue by, e.g. equity, families, mathematics. "
            "Reuse an existing topic where one fits."
        ),
    )
    estimated_minutes = models.PositiveIntegerField(
        default=60, help_text=_("Time to work through the whole course.")
    )
    credit_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("PD credit earned on completion."),
    )
    sequential = models.BooleanField(
        default=False, help_text=_("Open each module only after the one before it is complete.")
    )
    credit_type = models.ForeignKey(
        "certificates.CreditType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The kind of credit a completion earns."),
    )
    requires_approval = models.BooleanField(
        default=False,
        help_text=_("Completions wait for a PD administrator to approve the credit."),
    )
    self_assessment = models.ForeignKey(
        "quizzes.Quiz",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: taken before the first module and again after the last."),
    )
    references = StreamField(
        [("reference", ReferenceBlock())],
        blank=True,
        help_text=_("The course's reference list; research notes point to these keys."),
    )
    # The retake policy for module quizzes, set by the PD administrator; read by
    # quizzes.retakes.retake_blocker (the one place the rule lives).
    quiz_attempt_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Most attempts a teacher may submit at each module quiz. Empty: no limit."),
    )
    quiz_retake_wait_hours = models.PositiveSmallIntegerField(
        default=0,
        help_text=_(
            "Hours a teacher waits after an attempt before the next one, to review the "
            "module first. 0: no wait."
        ),
    )
    follow_ups = StreamField(
        [("follow_up", FollowUpBlock())],
        blank=True,
        default=default_follow_ups,
        help_text=_(
            "Prompts sent after completion, asking what the teacher tried in class. "
            "Leave empty for none."
        ),
    )
    credit_requires_follow_up = models.BooleanField(
        default=False,
        help_text=_(
            "The certificate waits until the teacher submits the first follow-up "
            "(and a PD administrator approves, if completions need approval)."
        ),
    )
    min_active_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Optional: minutes of active time in the modules (page open and in use) a "
            "teacher needs before the credit is requested. Empty: no minimum."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("tags"),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("sequential"),
                FieldPanel("self_assessment"),
            ],
            heading=_("Time and pacing"),
        ),
        MultiFieldPanel(
            [FieldPanel("quiz_attempt_limit"), FieldPanel("quiz_retake_wait_hours")],
            heading=_("Quiz retakes"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("credit_hours"),
                FieldPanel("credit_type"),
                FieldPanel("requires_approval"),
                FieldPanel("credit_requires_follow_up"),
                FieldPanel("min_active_minutes"),
                InlinePanel("approvals", label=_("Approvals")),
            ],
            heading=_("PD credit"),
        ),
        FieldPanel("follow_ups", heading=_("Follow-ups after completion")),
        FieldPanel("references"),
    ]
    # The catalogue searches titles (in Page.search_fields) and summaries, and filters the
    # search by hours and credit type (modules.catalogue), which Wagtail needs declared.
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("credit_hours"),
        index.FilterField("credit_type"),
    ]

    parent_page_types = ["modules.CourseIndexPage"]
    subpage_types = ["modules.ModulePage"]

    def get_context(self, request, *args, **kwargs):
        # page -> its reads (.importlinter says why)
        from .course_state import cached_course_progress

        context = super().get_context(request, *args, **kwargs)
        context["progress"] = cached_course_progress(user=request.user, course=self)
        return extend_context(COURSE_PAGE_CONTEXT_HOOK, request, context)

    @path("")
    def overview(self, request):
        return self.render(request)

    @path("enroll/", name="enroll")
    def enroll_view(self, request):
        from .views import enroll  # the page routes to its views (.importlinter says why)

        return enroll(request, course=self)


class ModulePage(SingleQueryViewRestrictionsMixin, RoutablePageMixin, Page):
    summary = models.TextField(
        blank=True, help_text=_("One or two sentences shown in the course's module list.")
    )
    body = StreamField(ModuleBodyBlock(), blank=True)
    estimated_minutes = models.PositiveIntegerField(default=30)
    # Where the estimated time goes (reading, case study, practice task, quiz, reflection),
    # so a PD approver can see how the credit hours are earned.
    activity_plan = StreamField(
        ActivityPlanBlock(),
        blank=True,
        help_text=_("The steps of the module and their minutes; they must add up to the estimate."),
    )
    required = models.BooleanField(
        default=True, help_text=_("Required modules count towards completing the course.")
    )
    quiz = models.ForeignKey(
        "quizzes.Quiz",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The reflection quiz at the end; passing it completes the module."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("required"), FieldPanel("quiz")],
            heading=_("Completion"),
        ),
        FieldPanel("activity_plan"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["modules.CoursePage"]
    subpage_types = []  # a module is a leaf: its quiz is a snippet, not a child page
    # Derived from the body on save (modules.blocks.practice_asks_for_evidence): the page is
    # served without its body, and followups reads this to offer the upload form.
    asks_for_evidence = models.BooleanField(default=False, editable=False)
    # The body is rendered inside {% wagtailpagecache %}: serving reads it (one query) only
    # when the cached copy for the live revision is missing (core.routing).
    defer_when_serving = ("body",)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.asks_for_evidence = practice_asks_for_evidence(self.body)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "asks_for_evidence"}
        return super().save(*args, **kwargs)

    @path("")
    def read(self, request):
        from .views import module_page  # the page routes to its views

        return module_page(request, module=self)

    @path("complete/", name="complete")
    def complete_view(self, request):
        from .views import complete_module  # the page routes to its views

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return complete_module(request, module=self)

    def get_cache_key_components(self):
        # The cached body changes with every published revision.
        return [*super().get_cache_key_components(), self.live_revision_id]

    def serve_preview(self, request, mode_name):
        # Editors preview the content without needing an enrolment.
        return self.render(request, context_overrides={"preview": True})

    @property
    def activity_minutes(self) -> int:
        return sum(block.value["minutes"] for block in self.activity_plan)

    def clean(self):
        super().clean()
        if self.activity_plan and self.activity_minutes != self.estimated_minutes:
            raise ValidationError(
                {
                    "activity_plan": _(
                        "The activities add up to %(total)d minutes but the estimate is "
                        "%(estimate)d minutes."
                    )
                    % {"total": self.activity_minutes, "estimate": self.estimated_minutes}
                }
            )

    def get_course(self) -> "CoursePage":
        # One query: the parent's path is this page's path minus one step.
        return CoursePage.objects.get(path=self.path[: -self.steplen])


class Enrollment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrollments")
    source = models.CharField(
        max_length=16, choices=EnrollmentSource.choices, default=EnrollmentSource.SELF
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_enrollment_per_course"),
        ]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self):
        return f"{self.user} in {self.course}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class ModuleProgress(models.Model):
    """One row per teacher per module they opened: when they started, last read, finished."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="progress")
    # Denormalised from the page tree so a course's progress is one indexed query.
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="one_progress_per_module"),
        ]
        indexes = [
            models.Index(fields=["course", "user"]),
            models.Index(fields=["user", "last_seen_at"]),
        ]
        verbose_name_plural = "module progress"

    def __str__(self):
        return f"{self.user} on {self.module}"


class SeededContent(models.Model):
    """What the course loader last wrote for one piece of shipped content (a course page, a
    module page, a quiz), as a fingerprint of its fields. The starter-course update compares
    the live content with it: equal means no author has edited it since, so it may be
    brought up to date; different means an author's edit, kept unless forced."""

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "seeded content"

    def __str__(self):
        return self.key


class ActiveTime(models.Model):
    """Honest seat time: how long one teacher had one module's page visible while working on
    it (modules.seat_time). Nothing else about the visit is kept (docs/follow-through.md)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="active_time"
    )
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="active_time")
    # Denormalised like ModuleProgress: a course's time is one indexed query.
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    active_ms = models.PositiveBigIntegerField(default=0)
    # Server time (ms since the epoch) up to which time has been counted: a batch never adds
    # more than the wall-clock time since then, whichever tab or page view sends it.
    counted_until_ms = models.PositiveBigIntegerField(default=0)
    # The page view and batch number last counted: the same batch sent again adds nothing.
    view = models.CharField(max_length=32, blank=True)
    seq = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="one_active_time_per_module"),
        ]
        indexes = [models.Index(fields=["course", "user"])]
        verbose_name_plural = "active time"

    def __str__(self):
        return f"{self.user} on {self.module}: {self.active_ms // 1000}s"

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin, RevisionMixin
from wagtail.snippets.models import register_snippet

from .blocks import QuestionStreamBlock


@register_snippet
class Quiz(PreviewableMixin, RevisionMixin, models.Model):
    """A reflection quiz (or a pre/post self-assessment), attached to modules and courses."""

    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True, help_text=_("Shown above the questions."))
    pass_mark = models.PositiveSmallIntegerField(
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Percent of the multiple-choice points needed to pass."),
    )
    questions = StreamField(QuestionStreamBlock(), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        FieldPanel("pass_mark"),
        FieldPanel("questions"),
    ]

    class Meta:
        verbose_name_plural = "quizzes"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Touch every question so StreamField stores each ListBlock item (each choice)
        # with its id; data written by code in the old list format would otherwise get
        # fresh choice ids on every load, and answers are stored against those ids.
        for block in self.questions:
            block.value  # noqa: B018 - converting the lazy raw data is the point
        super().save(*args, **kwargs)
        self.__dict__.pop("_parsed_questions", None)  # grading's parse of the old questions

    def get_preview_template(self, request, mode_name):
        return "quizzes/quiz_preview.html"

    def get_preview_context(self, request, mode_name):
        from .grading import quiz_questions  # grading imports these models

        context = super().get_preview_context(request, mode_name)
        context["questions"] = quiz_questions(self)
        return context


class QuizVersion(models.Model):
    """One version of a quiz as teachers answered it: its questions, choices, correct flags,
    feedback and pass mark (quizzes.grading.quiz_definition). Attempts point at the version
    they were graded against, so editing the quiz never changes what an old attempt shows.
    Stored once per distinct content (content_hash), however many attempts share it."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="versions")
    content_hash = models.CharField(max_length=64)
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quiz", "content_hash"], name="one_version_per_content")
        ]

    def __str__(self):
        return f"{self.quiz_id}:{self.content_hash[:12]}"


class AttemptKind(models.TextChoices):
    MODULE = "module", _("Module quiz")
    PRE = "pre", _("Self-assessment before the course")
    POST = "post", _("Self-assessment after the course")


class Attempt(models.Model):
    """One submitted quiz. Never deleted by editing or unpublishing the quiz (PROTECT)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    kind = models.CharField(max_length=8, choices=AttemptKind.choices, default=AttemptKind.MODULE)
    module = models.ForeignKey(
        "modules.ModulePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    course = models.ForeignKey(
        "modules.CoursePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text=_("Percent, MC part.")
    )
    passed = models.BooleanField(default=False)
    # The questions as graded. Null only for an attempt whose quiz had no version recorded.
    quiz_version = models.ForeignKey(
        QuizVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="attempts"
    )
    # True for attempts made before versions were kept: the data migration attached the quiz
    # as it stood then, which may differ from what the teacher saw.
    version_recorded_late = models.BooleanField(default=False)
    # The form's one-time token: a double click or a resubmitted tab finds this row.
    idempotency_key = models.UUIDField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="one_attempt_per_submission"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "module", "-submitted_at"]),
            models.Index(fields=["course", "kind", "user"]),
        ]
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.user} - {self.quiz} ({self.submitted_at:%Y-%m-%d})"


class Answer(models.Model):
    """One answer, keyed by the question block's stable id (never by its position)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=64)
    question_type = models.CharField(max_length=32)
    # What the teacher saw, kept so the answer still reads right after the quiz is edited.
    question_text = models.TextField(blank=True)
    choice_ids = models.JSONField(default=list, blank=True)
    scale_value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, help_text=_("Sanitised reflection text."))
    correct = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="one_answer_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question_type} {self.question_id}"


class Draft(models.Model):
    """A reflection saved for later; kept server-side so it survives logout and timeouts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(
        "modules.ModulePage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=AttemptKind.choices, default=AttemptKind.MODULE)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz", "module", "kind"], name="one_draft"),
        ]

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

    def get_preview_template(self, request, mode_name):
        return "quizzes/quiz_preview.html"

"""Question blocks. Each question's StreamField block id is its stable id: answers are
stored against it, so editing a quiz later never re-labels answers already given."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(
        required=False, help_text=_("Shown to a teacher who picks this choice.")
    )

    class Meta:
        icon = "radio-full"


class MultipleChoiceBlock(blocks.StructBlock):
    question = blocks.TextBlock()
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2)
    explanation = blocks.TextBlock(required=False, help_text=_("Shown after answering."))

    class Meta:
        icon = "list-ul"
        label = _("Multiple choice")


class AgreementBlock(blocks.StructBlock):
    statement = blocks.CharBlock(
        max_length=300, help_text=_("Rated from 1 (strongly disagree) to 5 (strongly agree).")
    )

    class Meta:
        icon = "order"
        label = _("Agreement scale")


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock()
    guidance = blocks.TextBlock(required=False)
    min_words = blocks.IntegerBlock(min_value=0, default=50)
    max_chars = blocks.IntegerBlock(min_value=100, default=5000)

    class Meta:
        icon = "edit"
        label = _("Written reflection")


class QuestionStreamBlock(blocks.StreamBlock):
    multiple_choice = MultipleChoiceBlock()
    agreement = AgreementBlock()
    reflection = ReflectionBlock()

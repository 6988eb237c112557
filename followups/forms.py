from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import Rubric
from .models import FollowUpEmailPreference
from .reviews import MAX_REVIEW_CHARS

ANSWER_FIELD = "answer"  # answer-0, answer-1, ... one per prompt


def answers_from_post(post, count: int) -> list[str]:
    """The typed answers in prompt order; missing fields count as empty (never trusted
    beyond the follow-up's own number of prompts)."""
    return [post.get(f"{ANSWER_FIELD}-{index}", "") for index in range(count)]


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Add a file (PDF, PNG, JPEG or DOCX, up to 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,application/pdf,image/png,image/jpeg"}
        ),
    )


class ReviewForm(forms.Form):
    rubric = forms.ChoiceField(
        label=_("How did the teacher put it into practice?"),
        choices=Rubric.choices,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Feedback for the teacher (optional)"),
        required=False,
        max_length=MAX_REVIEW_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EmailPreferenceForm(forms.ModelForm):
    class Meta:
        model = FollowUpEmailPreference
        fields = ["emails_enabled"]

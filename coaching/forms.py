from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.models import CoursePage

from .enums import FeedbackKind
from .feedback import MAX_FEEDBACK_CHARS


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    program = forms.CharField(
        label=_("Program (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: Elementary certification, district induction."),
    )
    description = forms.CharField(
        label=_("Description (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeleteCohortForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Type the cohort's name to confirm"), max_length=200, required=False
    )


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Teacher's email address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    full_name = forms.CharField(
        label=_("Full name (optional)"),
        max_length=150,
        required=False,
        help_text=_("Used in the invitation email."),
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Two columns: email, full name. UTF-8, at most 500 rows and 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # A date field's value is always ISO (YYYY-MM-DD), whatever the page's language; the
        # browser shows it in the reader's own format.
        super().__init__(attrs, format="%Y-%m-%d")


class AssignCourseForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=CoursePage.objects.none(), empty_label=_("Choose a course")
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())
    teacher = forms.ChoiceField(
        label=_("Who"),
        required=False,
        help_text=_("The whole cohort, or one teacher in it."),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["teacher"].choices = [("", _("The whole cohort"))] + [
            (str(user.pk), user.full_name or user.email) for user in members
        ]
        self.members = {str(user.pk): user for user in members}

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return due_on

    def clean_teacher(self):
        value = self.cleaned_data.get("teacher") or ""
        return self.members.get(value)


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of feedback"),
        choices=FeedbackKind.choices,
        initial=FeedbackKind.STRENGTH,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Your feedback"),
        max_length=MAX_FEEDBACK_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_FEEDBACK_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("You can reply once."),
    )


class ReminderPreferenceForm(forms.Form):
    reminders_enabled = forms.BooleanField(
        label=_("Email me when an assigned course is due soon or overdue"), required=False
    )

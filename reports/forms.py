from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.models import Cohort
from modules.models import CoursePage

# Dates far outside the platform's life are typing slips (and the day after 31 Dec 9999
# does not exist): they are refused with a sentence rather than searched.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class ReportFilterForm(forms.Form):
    """Date range, course and cohort for every report. Impossible dates (malformed, or a start
    after the end) are a form error on the page, never a server error."""

    date_from = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.order_by("title"),
        required=False,
        empty_label=_("All courses"),
        label=_("Course"),
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.order_by("name"),
        required=False,
        empty_label=_("All teachers"),
        label=_("Cohort"),
    )

    def _plausible(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not (FIRST_YEAR <= value.year <= LAST_YEAR):
            raise forms.ValidationError(
                _("Choose a date between %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value

    def clean_date_from(self):
        return self._plausible("date_from")

    def clean_date_to(self):
        return self._plausible("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The start date (%(start)s) is after the end date (%(end)s).")
                % {"start": start.isoformat(), "end": end.isoformat()}
            )
        return cleaned

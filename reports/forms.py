from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from coaching.models import Cohort
from modules.models import CoursePage

# Dates far outside the platform's life are typing slips (and the day after 31 Dec 9999
# does not exist): they are refused with a sentence rather than searched.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class QuickSelect(forms.Select):
    """Django's select, drawn in Python rather than one template and one context per
    <option>: a district's cohort list runs to hundreds, and at 100 cohorts Django's way took
    most of a report page's time. Same markup (attributes, `selected`); no option groups,
    which the report filters do not use."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


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
        queryset=CoursePage.objects.order_by("title").only("title"),
        required=False,
        empty_label=_("All courses"),
        label=_("Course"),
        widget=QuickSelect,
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.order_by("name").only("name"),
        required=False,
        empty_label=_("All teachers"),
        label=_("Cohort"),
        widget=QuickSelect,
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

from django import forms
from django.utils.translation import gettext_lazy as _

from core.sanitise import clean_name


class CloseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my progress, quiz answers and reflections are erased for good."),
        error_messages={"required": _("Tick the box to confirm that you want to close it.")},
    )


class NameForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_(
            "As it should be printed on certificates issued from now on. Certificates you "
            "already hold keep the name printed on them."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_full_name(self):
        return clean_full_name(self.cleaned_data["full_name"])


def clean_full_name(value: str) -> str:
    """A name someone typed for their certificates (here and at sign-up), cleaned."""
    name = clean_name(value)
    if not any(char.isalpha() for char in name):
        raise forms.ValidationError(_("Please enter your name."))
    return name

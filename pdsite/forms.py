from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import clean_full_name


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As it should appear on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["email", "full_name", "password1", "password2"]

    def clean_full_name(self):
        return clean_full_name(self.cleaned_data["full_name"])

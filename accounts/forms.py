from django import forms
from django.utils.translation import gettext_lazy as _


class CloseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my progress, quiz answers and reflections are erased for good."),
        error_messages={"required": _("Tick the box to confirm that you want to close it.")},
    )

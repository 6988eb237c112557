from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from modules.models import CoursePage

from .codes import normalise_code
from .enums import CertificateStatus


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=64,
        help_text=_("Printed under the QR code, e.g. 7KQM-3XRT-9PWD-HC4N-2VEB."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("That does not look like a certificate code: it has 20 letters and digits.")
            )
        return code


class CredentialForm(forms.Form):
    """A credential to check: an uploaded file (JSON or a baked PNG badge) or pasted JSON.
    The size limit is checked on the upload before it is read (certificates.verification)."""

    file = forms.FileField(
        label=_("Credential file"),
        required=False,
        help_text=_(
            "credential.json, the badge image (PNG) or the certificate PDF that carries it; "
            "at most 2 MB."
        ),
    )
    text = forms.CharField(
        label=_("Or paste the credential (JSON)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a credential file or paste its JSON."))
        return cleaned


# A hook returning {field name: form field} for more approval-queue filters. Coaching sits
# above certificates and adds "cohort" through it (coaching/wagtail_hooks.py).
QUEUE_FILTERS_HOOK = "pd_credit_queue_filters"


class QueueFilterForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=_("All courses"), label=_("Course")
    )
    date_from = forms.DateField(
        required=False,
        label=_("Completed from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        required=False,
        label=_("Completed until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    add_filters_from_hooks = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.order_by("title")
        if self.add_filters_from_hooks:
            # Apps above certificates add filters here (coaching adds "cohort"); the queue's
            # selector reads them by name. See QUEUE_FILTERS_HOOK.
            for provide in hooks.get_hooks(QUEUE_FILTERS_HOOK):
                self.fields.update(provide())


class CertificateFilterForm(QueueFilterForm):
    add_filters_from_hooks = False  # certificates are filtered by course, status and date
    status = forms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=[("", _("Any status"))] + list(CertificateStatus.choices),
    )
    q = forms.CharField(required=False, label=_("Name, email or code"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_from"].label = _("Issued from")
        self.fields["date_to"].label = _("Issued until")


class DeclineForm(forms.Form):
    # Shares a <form> with the Approve button: a browser-required reason would block approving.
    use_required_attribute = False

    reason = forms.CharField(
        label=_("Reason (the teacher sees this)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (private: PD administrators only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    EXPORT_DOWNLOADED = "export_downloaded", _("Data export downloaded")
    EXPORT_QUEUED = "export_queued", _("Large data export queued")
    EXPORT_READY = "export_ready", _("Large data export ready (link emailed)")
    ACCOUNT_CLOSED = "account_closed", _("Account closed")
    # The name printed on certificates from now on; the entry keeps neither the old nor the
    # new name (the log outlives the account), the account shows the current one.
    NAME_CHANGED = "name_changed", _("Name on certificates changed")


class AuditEvent(models.Model):
    """What happened to a person's own data, for PD administrators (Wagtail admin → Reports →
    Account audit log). Holds no personal data beyond the account's number, so it can outlive
    the account it describes."""

    action = models.CharField(max_length=32, choices=AuditAction.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    account_number = models.PositiveBigIntegerField(
        help_text=_("The account's id; kept after it closes.")
    )
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} (account {self.account_number})"


def export_storage():
    return storages["exports"]


class DataExport(models.Model):
    """A large export, built in the background and fetched through its emailed link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(storage=export_storage, upload_to="exports/", blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # One export in the making per person: a second request waits for the first.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(finished_at__isnull=True),
                name="accounts_one_export_in_progress",
            )
        ]

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


class CertificateAction(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REGENERATED = "regenerated", _("PDF regenerated")
    REVOKED = "revoked", _("Revoked")
    REISSUED = "reissued", _("Re-issued")
    APPROVED = "approved", _("Credit approved")
    DECLINED = "declined", _("Credit declined")


class CreditRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")

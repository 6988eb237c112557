"""The audit log of what happened to people's own data (exports, closed accounts)."""

from .models import AuditAction, AuditEvent


def record(*, action: AuditAction, user, detail: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        action=action, user=user, account_number=user.pk, detail=detail
    )

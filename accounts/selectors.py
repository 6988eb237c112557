"""What the account page shows about the signed-in person's own account."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from .second_factor import FACTOR_TYPES, second_factor_required


@dataclass(frozen=True)
class SecondFactorStatus:
    enabled: bool
    required: bool
    recovery_codes_left: int | None
    has_app: bool
    security_keys: list[dict]


def second_factor_status(user) -> SecondFactorStatus:
    authenticators = list(Authenticator.objects.filter(user_id=user.pk))
    codes = next((a for a in authenticators if a.type == Authenticator.Type.RECOVERY_CODES), None)
    return SecondFactorStatus(
        enabled=any(a.type in FACTOR_TYPES for a in authenticators),
        required=second_factor_required(user),
        recovery_codes_left=len(codes.wrap().get_unused_codes()) if codes else None,
        has_app=any(a.type == Authenticator.Type.TOTP for a in authenticators),
        security_keys=[
            {"name": a.wrap().name, "added_at": a.created_at, "last_used_at": a.last_used_at}
            for a in authenticators
            if a.type == Authenticator.Type.WEBAUTHN
        ],
    )


def sessions_for(user, *, current_key: str | None) -> list[dict]:
    """The user's signed-in sessions, this one first, then the most recently seen."""
    rows = sorted(
        UserSession.objects.purge_and_list(user),
        key=lambda s: (s.session_key != current_key, -(s.last_seen_at.timestamp())),
    )
    return [{"session": s, "is_current": s.session_key == current_key} for s in rows]

import io

import segno
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from core.models import organisation_name
from core.sanitise import clean_name

from .second_factor import FACTOR_TYPES, second_factor_required


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        # allauth's default is the request's Host header; the app should show our name.
        return organisation_name()

    def build_totp_svg(self, url: str) -> str:
        # segno already draws the certificates' QR codes; no second QR library for this one.
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="svg", scale=4, xmldecl=False)
        return buffer.getvalue().decode("utf-8")

    def can_delete_authenticator(self, authenticator) -> bool:
        # Coaches and PD administrators keep their second factor (they may replace it by
        # adding another first: a security key, then remove the app, or the other way round).
        if authenticator.type not in FACTOR_TYPES or not second_factor_required(authenticator.user):
            return True
        others = (
            type(authenticator)
            .objects.filter(user_id=authenticator.user_id, type__in=FACTOR_TYPES)
            .exclude(pk=authenticator.pk)
        )
        return others.exists()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        # Our users have one name field (printed on certificates), not first/last.
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.full_name = clean_name(name)[:150]
        return user

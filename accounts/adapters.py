import io

import segno
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils.translation import gettext as _

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

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        # The name a browser shows when it asks for the key: ours, as in the authenticator app.
        return {**super().get_public_key_credential_rp_entity(), "name": organisation_name()}

    def generate_authenticator_name(self, user, type) -> str:
        # allauth suggests "Master key"; a plain numbered name reads better in the list.
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return _("Security key %(number)s") % {"number": count + 1}

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

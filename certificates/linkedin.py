"""LinkedIn's public "Add to profile" link for a certification
(https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&...): it opens the
"Add license or certification" form filled in. LinkedIn sometimes ignores the pre-fill,
so the same fields are shown as text the teacher can copy."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils import timezone

from .models import Certificate

ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


@dataclass(frozen=True)
class ProfileFields:
    name: str
    organisation: str
    issued: object  # date
    expires: object  # date or None
    url: str
    credential_id: str

    @property
    def add_url(self) -> str:
        params = {
            "startTask": "CERTIFICATION_NAME",
            "name": self.name,
            "organizationName": self.organisation,
            "issueYear": self.issued.year,
            "issueMonth": self.issued.month,
        }
        if self.expires:
            params["expirationYear"] = self.expires.year
            params["expirationMonth"] = self.expires.month
        params["certUrl"] = self.url
        params["certId"] = self.credential_id
        return f"{ADD_TO_PROFILE}?{urlencode(params)}"


def profile_fields(certificate: Certificate, organisation: str) -> ProfileFields:
    return ProfileFields(
        name=certificate.course_title,
        organisation=organisation,
        issued=timezone.localdate(certificate.issued_at),
        expires=certificate.valid_until,
        url=certificate.get_verify_url(),
        credential_id=certificate.code,
    )

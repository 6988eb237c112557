"""A certificate as an Open Badges 3.0 OpenBadgeCredential (1EdTech OB 3.0, VC 2.0),
signed with an embedded eddsa-rdfc-2022 DataIntegrityProof by our did:web issuer.

What goes in, and where (OB 3.0 section numbers in brackets):
- ``id``: the certificate's public verify URL; ``name``: the course title.
- ``issuer`` [Profile]: our did:web, the organisation's name, BASE_URL.
- ``credentialSubject`` [AchievementSubject]: no email in clear; ``identifier`` holds the
  salted SHA-256 of the teacher's email (the salt beside it, as the spec's IdentityObject
  says), ``name`` the name as printed, ``creditsEarned`` the hours, ``activityEndDate`` the
  completion date.
- ``achievement`` [Achievement, type Course]: ``creditsAvailable`` the course's hours, the
  credit type as a ``tag`` (OB 3.0 has no credit-type field), each state or agency
  approval as an ``otherIdentifier`` ("agency: number"; an ``alignment`` needs a URL that
  approvals do not have).
- ``credentialStatus``: this certificate's bit in our Bitstring Status List.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from django.utils.translation import gettext as _

from core.links import absolute_url, on_base_url
from core.models import organisation_name

from . import issuer
from .issuer import xsd_datetime
from .models import Certificate
from .status_lists import STATUS_PURPOSE, list_url_for_index
from .vc.canonical import OB_V3, VC_V2


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityObject: "sha256$" + hex SHA-256 of the email followed by the salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def status_entry(index: int) -> dict:
    url = list_url_for_index(index)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def _course_url(certificate: Certificate) -> str:
    course = certificate.course
    url = course.get_url() if course is not None else None
    return on_base_url(url) if url else certificate.get_verify_url() + "#achievement"


def build_credential(certificate: Certificate, *, salt: str | None = None) -> dict:
    """The unsigned credential. The issuer's name comes from the shared cache, as every
    page's header has it: building a credential costs no query for it."""
    organisation = organisation_name()
    salt = salt or secrets.token_hex(16)
    hours = float(certificate.hours)
    unit = certificate.credit_unit or _("hours")
    achievement = {
        "id": _course_url(certificate),
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": certificate.course_title,
        "description": _("%(hours)s %(unit)s of professional development: %(course)s")
        % {
            "hours": f"{certificate.hours.normalize():f}",
            "unit": unit,
            "course": certificate.course_title,
        },
        "criteria": {
            "narrative": _(
                "Completed every required module of the course, including its reflection "
                "quizzes, and the credit was granted by %(organisation)s."
            )
            % {"organisation": organisation}
        },
        "creditsAvailable": hours,
    }
    if certificate.course is not None and certificate.course.summary:
        achievement["description"] = certificate.course.summary
    if certificate.credit_type_name:
        achievement["tag"] = [certificate.credit_type_name]
    if certificate.approvals:
        achievement["otherIdentifier"] = [
            {
                "type": "IdentifierEntry",
                "identifier": f"{approval['agency']}: {approval['approval_number']}",
                "identifierType": "identifier",
            }
            for approval in certificate.approvals
        ]
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(certificate.user.email, salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        ],
        "name": certificate.name_on_certificate,
        "achievement": achievement,
        "creditsEarned": hours,
    }
    if certificate.completed_at:
        subject["activityEndDate"] = xsd_datetime(certificate.completed_at)
    credential = {
        "@context": [VC_V2, OB_V3],
        "id": certificate.get_verify_url(),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer.issuer_did(),
            "type": ["Profile"],
            "name": organisation,
            "url": absolute_url("/"),
        },
        "validFrom": xsd_datetime(certificate.issued_at),
        "name": certificate.course_title,
        "credentialSubject": subject,
    }
    if certificate.valid_until:
        # The credit is current through its last day, wherever the reader is.
        credential["validUntil"] = f"{certificate.valid_until.isoformat()}T23:59:59Z"
    if certificate.status_list_index is not None:
        credential["credentialStatus"] = status_entry(certificate.status_list_index)
    return credential


def dumps(credential: dict) -> str:
    return json.dumps(credential, indent=2, ensure_ascii=False) + "\n"

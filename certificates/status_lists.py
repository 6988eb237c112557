"""Our revocation list as a signed W3C BitstringStatusListCredential.

A certificate's bit is set when it is no longer valid: revoked, or superseded by a
re-issue. Expired credit is not revoked (expiry is in the credential's own validUntil).
The served list and the /verify/ page read the same function, revoked_indexes(), so they
cannot disagree. Indexes are handed out at random within the list (the spec's "herd
privacy": neighbouring bits say nothing about issue order).
"""

from __future__ import annotations

import hashlib
import json
import secrets

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.links import absolute_url

from . import issuer, verification
from .enums import CertificateStatus
from .models import Certificate
from .vc import statuslist
from .vc.canonical import VC_V2

STATUS_PURPOSE = "revocation"
LIST_SIZE = statuslist.LIST_SIZE


def list_number(index: int) -> int:
    return index // LIST_SIZE + 1


def list_url(number: int) -> str:
    return absolute_url(reverse("certificates:status_list", args=[number]))


def list_url_for_index(index: int) -> str:
    return list_url(list_number(index))


def unused_index() -> int:
    """A random free index. Lists fill to half before the next one opens, so a random
    pick almost always finds a free bit at the first try."""
    used = Certificate.objects.filter(status_list_index__isnull=False).count()
    start = (used // (LIST_SIZE // 2)) * LIST_SIZE
    while True:
        index = start + secrets.randbelow(LIST_SIZE)
        if not Certificate.objects.filter(status_list_index=index).exists():
            return index


def list_in_use(number: int) -> bool:
    """Lists are opened one after another; the first always exists."""
    start = (number - 1) * LIST_SIZE
    return number == 1 or Certificate.objects.filter(status_list_index__gte=start).exists()


def status_of(entry: dict) -> tuple[str, str]:
    """The /verify/ page's status check: the same bits the served list carries."""
    index = int(entry["statusListIndex"])
    number = list_number(index)
    if entry["statusListCredential"] != list_url(number):
        return verification.FAIL, _(
            "The credential names a status list this site does not publish."
        )
    revoked = (index - (number - 1) * LIST_SIZE) in set(revoked_indexes(number))
    return verification.status_message(revoked)


def revoked_indexes(number: int) -> list[int]:
    """Positions (within list `number`) of certificates that are no longer valid."""
    start = (number - 1) * LIST_SIZE
    indexes = (
        Certificate.objects.filter(
            status_list_index__gte=start, status_list_index__lt=start + LIST_SIZE
        )
        .exclude(status=CertificateStatus.VALID)
        .values_list("status_list_index", flat=True)
    )
    return sorted(index - start for index in indexes)


def status_list_credential(number: int) -> str:
    """The signed list as JSON text, re-signed only when its bits (or the key) change."""
    encoded = statuslist.encode(revoked_indexes(number))
    key = issuer.signing_key().public_multibase
    fingerprint = hashlib.sha256(f"{number}:{key}:{encoded}".encode()).hexdigest()[:32]
    cache_key = f"certificates:status-list:{fingerprint}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    url = list_url(number)
    document = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.issuer_did(),
        "validFrom": issuer.xsd_datetime(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encoded,
        },
    }
    text = json.dumps(issuer.sign(document), indent=2) + "\n"
    cache.set(cache_key, text, 24 * 3600)
    return text

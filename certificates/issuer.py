"""Who signs our credentials: a did:web identifier for BASE_URL's host and its Ed25519 keys.

The key ring lives in ISSUER_KEY_DIR, a folder outside the project (never in git):
``keyring.json`` lists every public key we have signed with, oldest first, the last one
current; ``current.key`` holds the current private key (multibase, file mode 0600).
ISSUER_PRIVATE_KEY, when set, is the current private key instead (for platforms that keep
secrets in the environment), and ISSUER_PREVIOUS_KEYS adds earlier public keys.

/.well-known/did.json publishes all of them, so a credential signed before a rotation
(`manage.py rotate_issuer_key`) still verifies. With no key anywhere the first signature
makes one (the demo and development need nothing set up); see docs/certificates.md.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

from .vc import dataintegrity
from .vc.dataintegrity import ProofError
from .vc.multikey import (
    KeyFormatError,
    private_key_from_multibase,
    private_key_multibase,
    public_key_from_multibase,
    public_key_multibase,
)

logger = logging.getLogger(__name__)

KEYRING = "keyring.json"
CURRENT_KEY = "current.key"
_lock = threading.Lock()


class IssuerKeyError(Exception):
    """The key configuration cannot be used; the message says what to fix."""


def issuer_did() -> str:
    """did:web for BASE_URL's host; a port is percent-encoded (did:web spec, section 3.1)."""
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc.lower()
    return "did:web:" + quote(host, safe="")


def verification_method_id(public_multibase: str) -> str:
    return f"{issuer_did()}#{public_multibase}"


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey
    public_multibase: str

    @property
    def verification_method(self) -> str:
        return verification_method_id(self.public_multibase)


def _key_dir() -> Path:
    return Path(settings.ISSUER_KEY_DIR)


def _read_keyring(directory: Path) -> list[dict]:
    path = directory / KEYRING
    if not path.exists():
        return []
    try:
        keys = json.loads(path.read_text())["keys"]
    except (ValueError, KeyError, TypeError) as error:
        raise IssuerKeyError(f"{path} is not a key ring") from error
    return [key for key in keys if isinstance(key, dict) and "publicKeyMultibase" in key]


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")


def _write_keyring(directory: Path, keys: list[dict]) -> None:
    tmp = directory / (KEYRING + ".tmp")
    tmp.write_text(json.dumps({"keys": keys}, indent=2) + "\n")
    tmp.replace(directory / KEYRING)


def _add_new_key(directory: Path, keys: list[dict]) -> SigningKey:
    """Make a key, keep its private half in current.key and append its public half."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_key = Ed25519PrivateKey.generate()
    public = public_key_multibase(private_key.public_key())
    now = timezone.now().isoformat(timespec="seconds")
    for key in keys:
        key.setdefault("retired", now)
    keys.append({"publicKeyMultibase": public, "created": now})
    _write_private(directory / CURRENT_KEY, private_key_multibase(private_key))
    _write_keyring(directory, keys)
    return SigningKey(private_key, public)


def signing_key() -> SigningKey:
    """The current key; made (once) when nothing is configured."""
    if settings.ISSUER_PRIVATE_KEY:
        try:
            private_key = private_key_from_multibase(settings.ISSUER_PRIVATE_KEY)
        except (KeyFormatError, ValueError) as error:
            raise IssuerKeyError("ISSUER_PRIVATE_KEY is not a multibase Ed25519 key") from error
        return SigningKey(private_key, public_key_multibase(private_key.public_key()))
    directory = _key_dir()
    with _lock:
        path = directory / CURRENT_KEY
        if not path.exists():
            logger.warning("No issuer key in %s: making one", directory)
            return _add_new_key(directory, _read_keyring(directory))
        try:
            private_key = private_key_from_multibase(path.read_text())
        except (KeyFormatError, ValueError) as error:
            raise IssuerKeyError(f"{path} is not a multibase Ed25519 private key") from error
    return SigningKey(private_key, public_key_multibase(private_key.public_key()))


def rotate() -> tuple[str | None, str]:
    """A new current key; the old one's public half stays published. Returns (old, new)."""
    if settings.ISSUER_PRIVATE_KEY:
        raise IssuerKeyError(
            "ISSUER_PRIVATE_KEY is set, so the key lives in your environment: generate a new "
            "one with `manage.py rotate_issuer_key --print`, put the old public key in "
            "ISSUER_PREVIOUS_KEYS and the new private key in ISSUER_PRIVATE_KEY."
        )
    directory = _key_dir()
    with _lock:
        keys = _read_keyring(directory)
        old = keys[-1]["publicKeyMultibase"] if keys else None
        new = _add_new_key(directory, keys)
    return old, new.public_multibase


def public_keys(*, make_missing: bool = True) -> list[str]:
    """Every public key a credential of ours may be signed with, oldest first, current
    last. ``make_missing=False`` (the command-line verifier) never makes a key."""
    keys = [key["publicKeyMultibase"] for key in _read_keyring(_key_dir())]
    previous = list(settings.ISSUER_PREVIOUS_KEYS)
    keys = previous + [key for key in keys if key not in previous]
    if make_missing or settings.ISSUER_PRIVATE_KEY or (_key_dir() / CURRENT_KEY).exists():
        current = signing_key().public_multibase
        keys = [key for key in keys if key != current] + [current]
    return keys


def did_document(*, make_missing: bool = True) -> dict:
    """/.well-known/did.json: the issuer's current and earlier keys, all for assertions."""
    did = issuer_did()
    keys = public_keys(make_missing=make_missing)
    methods = [
        {
            "id": verification_method_id(key),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key,
        }
        for key in keys
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def key_resolver(document: dict):
    """A resolve_key(verification_method) for vc.dataintegrity.verify, trusting only the
    keys listed under assertionMethod in the given DID document."""
    did = document.get("id")
    allowed = set(document.get("assertionMethod") or [])
    methods = {
        method.get("id"): method
        for method in document.get("verificationMethod") or []
        if isinstance(method, dict)
    }

    def resolve(method_id: str) -> Ed25519PublicKey:
        if not method_id.startswith(f"{did}#"):
            raise ProofError(f"signed by {method_id.split('#')[0]}, not by our issuer {did}")
        if method_id not in allowed or method_id not in methods:
            raise ProofError("signed with a key our issuer does not publish in did.json")
        try:
            return public_key_from_multibase(methods[method_id].get("publicKeyMultibase", ""))
        except (KeyFormatError, ValueError) as error:
            raise ProofError("the published key is not an Ed25519 key") from error

    return resolve


def xsd_datetime(value) -> str:
    """UTC, whole seconds, "Z": what VC 2.0 examples and validators expect."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(document: dict) -> dict:
    """The document with our embedded eddsa-rdfc-2022 proof, made with the current key."""
    key = signing_key()
    return dataintegrity.sign(
        document,
        private_key=key.private_key,
        verification_method=key.verification_method,
        created=xsd_datetime(timezone.now()),
    )

"""A security key in software, for tests that post to allauth's WebAuthn pages with the
Django test client: it makes a real P-256 key pair and answers allauth's challenges with real
signatures, as a USB key does through the browser. (The browser test uses Chromium's own
virtual authenticator instead.)"""

from __future__ import annotations

import hashlib
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

FLAG = AuthenticatorData.FLAG


class SecurityKey:
    def __init__(self, *, origin: str = "http://testserver") -> None:
        self.origin = origin
        self.rp_id_hash = hashlib.sha256(origin.split("://")[1].split(":")[0].encode()).digest()
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    def register(self, creation_options: dict) -> dict:
        """The browser's answer to navigator.credentials.create(creation_options)."""
        client_data = self._client_data("webauthn.create", creation_options)
        credential = AttestedCredentialData.create(
            b"\0" * 16,
            self.credential_id,
            ES256.from_cryptography_key(self.private_key.public_key()),
        )
        auth_data = AuthenticatorData.create(
            self.rp_id_hash, FLAG.UP | FLAG.UV | FLAG.AT, self.counter, bytes(credential)
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return self._answer(
            clientDataJSON=websafe_encode(client_data),
            attestationObject=websafe_encode(bytes(attestation)),
        )

    def sign(self, request_options: dict) -> dict:
        """The browser's answer to navigator.credentials.get(request_options)."""
        client_data = self._client_data("webauthn.get", request_options)
        self.counter += 1
        auth_data = AuthenticatorData.create(self.rp_id_hash, FLAG.UP | FLAG.UV, self.counter)
        signature = self.private_key.sign(
            bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        return self._answer(
            clientDataJSON=websafe_encode(client_data),
            authenticatorData=websafe_encode(bytes(auth_data)),
            signature=websafe_encode(signature),
        )

    def _client_data(self, kind: str, options: dict) -> CollectedClientData:
        challenge = websafe_decode(options["publicKey"]["challenge"])
        return CollectedClientData.create(type=kind, challenge=challenge, origin=self.origin)

    def _answer(self, **response) -> dict:
        credential_id = websafe_encode(self.credential_id)
        return {
            "id": credential_id,
            "rawId": credential_id,
            "type": "public-key",
            "response": response,
            "clientExtensionResults": {},
        }

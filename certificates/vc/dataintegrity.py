"""The eddsa-rdfc-2022 cryptosuite of W3C Data Integrity (vc-di-eddsa, section 3.3).

Signing: canonicalise the document without its proof and the proof options (with the
document's ``@context``), hash each with SHA-256, sign proofHash + documentHash with
Ed25519, put the signature in ``proofValue`` as base58btc multibase. Verifying repeats the
hashing and checks the signature with the public key the caller resolved. Which keys to
trust is the caller's business (certificates.issuer for ours).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .canonical import canonicalise, sha256
from .multikey import KeyFormatError, decode_base58btc, encode_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(ValueError):
    """The proof is missing, malformed or does not match; the message says which."""


@dataclass(frozen=True)
class Hashes:
    proof_canonical: str
    document_canonical: str
    proof_hash: bytes
    document_hash: bytes

    @property
    def data_to_sign(self) -> bytes:
        return self.proof_hash + self.document_hash


def hash_data(document: dict, proof_options: dict) -> Hashes:
    """Transformation and hashing (vc-di-eddsa 3.3.3-3.3.4): proof config hash first."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    config["@context"] = unsecured.get("@context")
    proof_canonical = canonicalise(config)
    document_canonical = canonicalise(unsecured)
    return Hashes(
        proof_canonical,
        document_canonical,
        sha256(proof_canonical),
        sha256(document_canonical),
    )


def sign(
    document: dict,
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
) -> dict:
    """A copy of the document with an embedded DataIntegrityProof."""
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    hashes = hash_data(document, proof)
    proof["proofValue"] = encode_base58btc(private_key.sign(hashes.data_to_sign))
    secured = copy.deepcopy(document)
    secured["proof"] = proof
    return secured


def proof_of(document: dict) -> dict:
    """The document's single eddsa-rdfc-2022 proof, checked for shape."""
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofError("expected exactly one proof")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("the credential carries no proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            f"unsupported proof {proof.get('type')!r}/{proof.get('cryptosuite')!r}; "
            f"expected {PROOF_TYPE}/{CRYPTOSUITE}"
        )
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof's purpose is not assertionMethod")
    for name in ("verificationMethod", "proofValue", "created"):
        if not isinstance(proof.get(name), str):
            raise ProofError(f"the proof has no {name}")
    return proof


def verify(document: dict, *, resolve_key: Callable[[str], Ed25519PublicKey]) -> dict:
    """Check the proof; return it. ``resolve_key(verification_method)`` returns the public
    key or raises ProofError (unknown key). Raises ProofError or CanonicalisationError."""
    proof = proof_of(document)
    public_key = resolve_key(proof["verificationMethod"])
    try:
        signature = decode_base58btc(proof["proofValue"])
    except KeyFormatError as error:
        raise ProofError("the proof value is not base58btc") from error
    if len(signature) != 64:
        raise ProofError("the proof value is not an Ed25519 signature")
    hashes = hash_data(document, proof)
    try:
        public_key.verify(signature, hashes.data_to_sign)
    except InvalidSignature as error:
        raise ProofError("the signature does not match: the credential was changed") from error
    return proof

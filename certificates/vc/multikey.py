"""Ed25519 keys as Multikey strings (W3C Controlled Identifiers, "Multikey"):
``z`` + base58btc(multicodec header + raw key bytes)."""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519_PUB_HEADER = b"\xed\x01"
ED25519_PRIV_HEADER = b"\x80\x26"


class KeyFormatError(ValueError):
    pass


def encode_base58btc(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def decode_base58btc(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise KeyFormatError("not a base58btc multibase string (it starts with 'z')")
    try:
        return base58.b58decode(text[1:])
    except ValueError as error:
        raise KeyFormatError("not valid base58") from error


def public_key_multibase(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return encode_base58btc(ED25519_PUB_HEADER + raw)


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    data = decode_base58btc(text)
    if len(data) != 34 or not data.startswith(ED25519_PUB_HEADER):
        raise KeyFormatError("not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def private_key_multibase(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return encode_base58btc(ED25519_PRIV_HEADER + raw)


def private_key_from_multibase(text: str) -> Ed25519PrivateKey:
    data = decode_base58btc(text.strip())
    if len(data) != 34 or not data.startswith(ED25519_PRIV_HEADER):
        raise KeyFormatError("not an Ed25519 private key")
    return Ed25519PrivateKey.from_private_bytes(data[2:])

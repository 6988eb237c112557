"""W3C Bitstring Status List (v1.0): the bitstring inside a status list credential.

``encodedList`` is the GZIP-compressed bitstring, base64url without padding, with the
multibase prefix ``u``; bit 0 is the left-most bit of the first byte. The spec asks for at
least 16 KB (131,072 entries) so that one certificate's bit hides in a crowd.
"""

from __future__ import annotations

import base64
import gzip
import zlib

LIST_SIZE = 131_072  # entries per list (16 KB)
MAX_ENCODED = 1_000_000  # characters: far above any list we publish, refuses zip bombs


class StatusListError(ValueError):
    pass


def encode(set_bits, *, size: int = LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in set_bits:
        if not 0 <= index < size:
            raise StatusListError(f"index {index} is outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same revocations always give the same bytes.
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode(
        "ascii"
    ).rstrip("=")


def decode(encoded: str) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u") or len(encoded) > MAX_ENCODED:
        raise StatusListError("encodedList is not a multibase base64url string")
    text = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        decompressor = zlib.decompressobj(wbits=31)  # gzip container
        bits = decompressor.decompress(compressed, LIST_SIZE * 8)
    except (ValueError, zlib.error) as error:
        raise StatusListError("encodedList is not a GZIP-compressed bitstring") from error
    if decompressor.unconsumed_tail:
        raise StatusListError("encodedList is larger than any list we publish")
    return bits


def bit(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"index {index} is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))

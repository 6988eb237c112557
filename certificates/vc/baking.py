"""Baked badges: an Open Badges 3.0 credential inside a PNG (OB 3.0 section 5.3.1).

The credential goes in one uncompressed ``iTXt`` chunk with the keyword
``openbadgecredential`` (no language tag, no translated keyword), before ``IEND``.
Pillow would merge two such chunks into one dictionary entry, so chunks are walked by hand
here: a badge with two credential chunks is refused rather than silently read.
"""

from __future__ import annotations

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"


class BakingError(ValueError):
    pass


def _chunks(png: bytes):
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG image")
    offset = len(PNG_SIGNATURE)
    while offset < len(png):
        if offset + 8 > len(png):
            raise BakingError("the PNG is cut short")
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        end = offset + 12 + length
        if end > len(png):
            raise BakingError("the PNG is cut short")
        yield kind, png[offset + 8 : offset + 8 + length], offset, end
        offset = end
        if kind == b"IEND":
            return
    raise BakingError("the PNG has no end chunk")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bake(png: bytes, credential_text: str) -> bytes:
    """The PNG with the credential in an openbadgecredential iTXt chunk (replacing any)."""
    out = [PNG_SIGNATURE]
    for kind, data, start, end in _chunks(png):
        if kind == b"iTXt" and data.split(b"\0", 1)[0] == KEYWORD:
            continue
        if kind == b"IEND":
            # keyword, NUL, compression flag 0, method 0, empty language NUL, empty
            # translated keyword NUL, then the UTF-8 text.
            payload = KEYWORD + b"\0\0\0" + b"\0" + b"\0" + credential_text.encode("utf-8")
            out.append(_chunk(b"iTXt", payload))
        out.append(png[start:end])
    return b"".join(out)


def extract(png: bytes) -> str:
    """The credential text baked into the PNG; BakingError if there is none or more than one."""
    found = []
    for kind, data, _start, _end in _chunks(png):
        if kind != b"iTXt":
            continue
        keyword, _, rest = data.partition(b"\0")
        if keyword != KEYWORD:
            continue
        if len(rest) < 2:
            raise BakingError("the credential chunk is damaged")
        compressed, _method, rest = rest[0], rest[1], rest[2:]
        _language, _, rest = rest.partition(b"\0")
        _translated, _, text = rest.partition(b"\0")
        if compressed:
            try:
                text = zlib.decompressobj().decompress(text, 2_000_000)
            except zlib.error as error:
                raise BakingError("the credential chunk is damaged") from error
        found.append(text)
    if not found:
        raise BakingError("the image has no Open Badges credential baked in")
    if len(found) > 1:
        raise BakingError(
            f"the image has {len(found)} credentials baked in; a badge carries exactly one"
        )
    try:
        return found[0].decode("utf-8")
    except UnicodeDecodeError as error:
        raise BakingError("the baked credential is not UTF-8 text") from error

"""Verification codes: random, unique, easy to read aloud, never derived from ids.

20 characters from a 30-symbol alphabet (digits 2-9 and capitals without I, L, O, U)
carry log2(30) * 20 = 98 bits, printed in five groups of four: ``7KQM-3XRT-...``.
Typing is forgiving: lower case, spaces and missing dashes are accepted.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 5
GROUP_SIZE = 4
LENGTH = GROUPS * GROUP_SIZE
_SEPARATORS = re.compile(r"[\s\-_.]+")


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))


def generate_code() -> str:
    return format_code("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalise_code(text: str) -> str | None:
    """The canonical form of a typed code, or None when it cannot be one of ours."""
    raw = _SEPARATORS.sub("", (text or "").upper())
    if len(raw) != LENGTH or any(char not in ALPHABET for char in raw):
        return None
    return format_code(raw)

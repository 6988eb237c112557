"""Normalise text and hash 8-word shingles.

Shared by ``scripts/make_seed_shingles.py`` (which hashes the seed articles) and
``tests/content/test_starter_course_copy.py`` (which checks the course copy against
those hashes). Plain Python, no Django.

Normalisation: unescape HTML entities, lowercase, turn curly quotes and apostrophes
into straight ones, then keep only word tokens made of ``[a-z0-9']``. Apostrophes at
the start or end of a token are dropped so that ``students'`` and ``students`` match.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Iterator

SHINGLE_SIZE = 8
HASH_CHARS = 16

_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / curly apostrophe
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u02bc": "'",  # modifier letter apostrophe
        "\u0060": "'",  # grave accent used as a quote
        "\u00b4": "'",  # acute accent used as a quote
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2033": '"',  # double prime
    }
)
_TOKEN_RE = re.compile(r"[a-z0-9']+")
_TAG_RE = re.compile(r"<[^>]*>")


def strip_html(markup: str) -> str:
    """Replace tags with spaces and unescape entities, leaving plain text."""
    return html.unescape(_TAG_RE.sub(" ", markup))


def normalise(text: str) -> list[str]:
    """Return the normalised word tokens of ``text``."""
    text = html.unescape(text).lower().translate(_QUOTE_MAP)
    tokens = (token.strip("'") for token in _TOKEN_RE.findall(text))
    return [token for token in tokens if token]


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> Iterator[tuple[str, ...]]:
    """Yield every run of ``size`` consecutive tokens."""
    for start in range(len(tokens) - size + 1):
        yield tuple(tokens[start : start + size])


def shingle_hash(words: Iterable[str]) -> str:
    """First 16 hex characters of sha256 of the space-joined words."""
    joined = " ".join(words)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:HASH_CHARS]


def text_shingle_hashes(text: str, size: int = SHINGLE_SIZE) -> dict[str, tuple[str, ...]]:
    """Map each shingle hash in ``text`` to the words that produced it."""
    return {shingle_hash(words): words for words in shingles(normalise(text), size)}

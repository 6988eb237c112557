"""Cached facts that carry a version (docs/performance.md, "Cached state").

A reader keeps an entry with the versions it read *before* it read the database; a writer
replaces the version (a fresh random token, never a counter that an evicted key could
restart) when it writes and again when its transaction commits. So an entry built from
data older than a write is never served after that write: its versions no longer match.

- The write's own request and any test see the new state at once (the first bump).
- A reader that read the old rows while the write was still uncommitted stored them under
  a version the commit replaced (the second bump).
- An evicted version key simply starts a new token: a miss, never a stale hit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.db import transaction

DAY = 24 * 60 * 60


def _new_token() -> str:
    return uuid.uuid4().hex


def bump_versions(*keys: str) -> None:
    """Replace these versions now and, inside a transaction, again once it commits."""
    if not keys:
        return
    cache.set_many({key: _new_token() for key in keys}, timeout=DAY)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(
            lambda: cache.set_many({key: _new_token() for key in keys}, timeout=DAY),
            robust=True,
        )


def _versions(found: dict, version_keys: Sequence[str]) -> tuple[str, ...]:
    missing = [key for key in version_keys if key not in found]
    if missing:
        # First reader (or an evicted key): start a version; `add` keeps one set meanwhile.
        for key in missing:
            cache.add(key, _new_token(), timeout=DAY)
        found = {**found, **cache.get_many(missing)}
    return tuple(found.get(key, "") for key in version_keys)


def versioned(
    key: str,
    version_keys: Sequence[str],
    build: Callable[[], object],
    timeout=DAY,
    keep_none: bool = True,
):
    """The value cached under `key` if it was built under the current versions; otherwise
    build it (after reading the versions) and keep it. One cache round trip on a hit.
    `keep_none=False`: a None is not kept (a path nobody publishes, asked by a crawler)."""
    found = cache.get_many([*version_keys, key])
    versions = _versions(found, version_keys)
    entry = found.get(key)
    if entry is not None and entry[0] == versions and all(versions):
        return entry[1]
    value = build()
    if all(versions) and (keep_none or value is not None):
        cache.set(key, (versions, value), timeout=timeout)
    return value

"""A small fixed-window counter in the shared cache (Redis or the database cache), so every
worker process counts against the same limit. Keyed by client IP (core.clients, which reads
TRUSTED_PROXY_COUNT behind a reverse proxy)."""

from django.core.cache import cache

from core.clients import client_ip


def hit(request, *, scope: str, limit: int, window: int) -> bool:
    """Count one request; False once the client has used up its allowance for the window."""
    key = f"ratelimit:{scope}:{client_ip(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit

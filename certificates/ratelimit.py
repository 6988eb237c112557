"""A small fixed-window counter in the shared cache (Redis or the database cache), so every
worker process counts against the same limit. Keyed by client IP."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    # Behind a reverse proxy, set VERIFY_TRUSTED_PROXY_COUNT to the number of proxies so
    # the address they append is used instead of the proxy's own.
    proxies = getattr(settings, "VERIFY_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


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

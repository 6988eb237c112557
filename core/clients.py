"""Who is asking: the client's network address, the one rule every per-address limit reads
(allauth's sign-in limits through pdsite.adapters, the /verify/ limiter)."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The address the outermost of our proxies saw.

    Behind TRUSTED_PROXY_COUNT proxies, each appending the address it saw to
    X-Forwarded-For, the client's address is the entry that many places from the end;
    anything before it was written by the client and is ignored. A request with fewer
    entries did not come through the proxies (a probe on the app port): its own address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass  # not an address: a proxy we trust did not write it
    return request.META.get("REMOTE_ADDR") or "unknown"

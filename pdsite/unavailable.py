"""The database or Redis is down for a moment (a restart, a failover): a friendly 503 with
Retry-After instead of a 500, so browsers, the load balancer and people know to try again."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

try:  # redis is installed, but only used with REDIS_URL
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover
    RedisConnectionError = RedisTimeoutError = OperationalError

logger = logging.getLogger(__name__)
OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 5


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OUTAGES):
            return None
        logger.error("service unavailable: %s", exception.__class__.__name__, exc_info=True)
        return response(request)


def response(request) -> HttpResponse:
    """The 503 page, rendered without the request: its context processors may need the
    database."""
    page = render_to_string("503.html", {"request_id": getattr(request, "request_id", "")})
    unavailable = HttpResponse(page, status=503)
    unavailable["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return unavailable

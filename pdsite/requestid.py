"""A request id on every log line and response: the proxy's X-Request-ID (nginx sets it from
$request_id, deploy/nginx.conf) or a fresh one, so one id follows a request from the proxy's
access log through Django's logs to the page a user reports ("quote this code")."""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

request_id = contextvars.ContextVar("request_id", default="-")
SAFE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access = logging.getLogger("pdsite.access")


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record (the formatter prints it)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if SAFE.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = rid
            access.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": getattr(getattr(request, "user", None), "pk", None),
                },
            )
            return response
        finally:
            request_id.reset(token)

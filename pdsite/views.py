from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from modules.selectors import dashboard_progress


@login_required
@never_cache
def dashboard(request):
    return render(
        request, "pdsite/dashboard.html", {"courses": dashboard_progress(user=request.user)}
    )


@never_cache
@require_GET
def healthz(request):
    """200 when the database (and the cache, when it is Redis) answer; 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        checks["database"] = "unreachable"
    if settings.REDIS_URL:
        try:
            cache.set("healthz", "1", 5)
            checks["redis"] = "ok" if cache.get("healthz") == "1" else "unreachable"
        except Exception:  # noqa: BLE001
            checks["redis"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )

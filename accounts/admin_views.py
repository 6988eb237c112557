from django.core.paginator import Paginator
from django.shortcuts import render

from core.roles import pd_admin_required

from .models import AuditEvent


@pd_admin_required
def audit_log(request):
    """Exports and closed accounts, newest first (PD administrators only)."""
    events = AuditEvent.objects.select_related("user")
    page = Paginator(events, 50).get_page(request.GET.get("p"))
    return render(request, "accounts/admin/audit_log.html", {"page": page})

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.roles import is_pd_admin

from . import admin_views


@hooks.register("register_admin_urls")
def register_account_admin_urls():
    return [path("account-audit-log/", admin_views.audit_log, name="accounts_audit_log")]


class PDAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_pd_admin(request.user)


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return PDAdminMenuItem(
        _("Account audit log"), reverse("accounts_audit_log"), icon_name="list-ul", order=900
    )

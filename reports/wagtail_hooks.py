from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.roles import is_pd_admin

from . import admin_urls


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/", include(admin_urls, namespace="reports"))]


class ReportsMenuItem(MenuItem):
    # Coaches and editors never see it; the views answer them 403 too.
    def is_shown(self, request):
        return is_pd_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_reports_menu():
    return ReportsMenuItem(_("PD reports"), reverse("reports:index"), icon_name="table", order=900)

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from core.roles import is_pd_admin
from modules import seat_time
from modules.catalogue import CREDIT_TYPES_HOOK

from . import admin_urls
from .models import CreditType
from .services import CREDIT_WAITS_FOR_HOOK


@hooks.register(CREDIT_WAITS_FOR_HOOK)
def minimum_active_time_for_credit(*, enrollment) -> list[str]:
    """A course with a minimum active time: the certificate waits until the teacher has it
    (the rule is modules'; certificates sits above modules and asks it here)."""
    return seat_time.credit_wait_reasons(enrollment=enrollment)


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [path("pd-credit/", include(admin_urls, namespace="certificates_admin"))]


class PDAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_pd_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_pd_credit_menu():
    menu = Menu(
        items=[
            PDAdminMenuItem(
                _("Approval queue"), reverse("certificates_admin:queue"), icon_name="tasks"
            ),
            PDAdminMenuItem(
                _("Certificates"), reverse("certificates_admin:list"), icon_name="doc-full"
            ),
        ]
    )
    return SubmenuMenuItem(_("PD credit"), menu, icon_name="success", order=250)


@hooks.register(CREDIT_TYPES_HOOK)
def catalogue_credit_type_names(ids) -> dict[int, str]:
    """The names behind the courses' credit_type ids, for the catalogue's filter and cards."""
    return dict(CreditType.objects.filter(pk__in=ids).values_list("pk", "name"))

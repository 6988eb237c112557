"""Cohorts in the Wagtail admin, for PD administrators to look at (read-only).

Coaches manage cohorts at /coach/, where every change goes through coaching.services; the
admin only lists and inspects them. Making someone a coach is Wagtail's own user editing:
Settings > Users > (the person) > Roles > tick "Coaches", or, for PD administrators who
cannot edit users, the small "Coaches" screen below (see docs/coaching.md).
"""

from django import forms
from django.db.models import Count
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates.forms import QUEUE_FILTERS_HOOK
from certificates.permissions import COACH_MAY_SEE_TEACHER_HOOK
from core.roles import is_pd_admin

from .models import Cohort
from .permissions import can_view_teacher


@hooks.register(COACH_MAY_SEE_TEACHER_HOOK)
def coach_may_see_teacher(coach, teacher) -> bool:
    """Certificates ask coaching's one rule: the teacher accepted this coach's invitation."""
    return can_view_teacher(coach, teacher)


@hooks.register(QUEUE_FILTERS_HOOK)
def cohort_filter():
    return {
        "cohort": forms.ModelChoiceField(
            queryset=Cohort.objects.order_by("name"),
            required=False,
            empty_label=_("All cohorts"),
            label=_("Cohort"),
        )
    }


READ_ACTIONS = {"view"}


class ReadOnlyForPdAdmins(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action in READ_ACTIONS and is_pd_admin(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).none()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return self.model._default_manager.all()
        return self.model._default_manager.none()


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    menu_order = 300
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["name", "program", Column("member_count", label=_("Teachers")), "created_at"]
    search_fields = ["name", "program"]
    inspect_view_fields = ["name", "program", "description", "coaches", "members", "created_at"]

    def get_queryset(self, request):
        return Cohort.objects.annotate(member_count=Count("memberships"))


register_permission_policy(Cohort, ReadOnlyForPdAdmins(Cohort))
register_snippet(CohortViewSet)


class PdAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_pd_admin(request.user)


@hooks.register("register_admin_urls")
def coaching_admin_urls():
    from . import admin_views  # its forms need the app registry, not ready at hook import

    return [
        path("coaches/", admin_views.coaches, name="coaching_admin_coaches"),
        path(
            "coaches/<int:user_pk>/remove/",
            admin_views.remove_coach,
            name="coaching_admin_remove_coach",
        ),
    ]


@hooks.register("register_admin_menu_item")
def coaches_menu_item():
    return PdAdminMenuItem(
        _("Coaches"), reverse("coaching_admin_coaches"), icon_name="user", order=310
    )

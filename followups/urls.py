from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("follow-up/<int:pk>/", views.answer, name="answer"),
    path("follow-up/evidence/<uuid:pk>/", views.evidence_file, name="evidence_file"),
    path("follow-up/evidence/<uuid:pk>/remove/", views.remove_evidence, name="remove_evidence"),
    path(
        "modules/<int:module_id>/evidence/",
        views.add_module_evidence,
        name="add_module_evidence",
    ),
    path("account/follow-up-emails/", views.email_settings, name="email_settings"),
]

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("certificates/<uuid:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("certificates/<uuid:pk>/credential.json", views.credential_json, name="credential"),
    path("certificates/<uuid:pk>/badge.png", views.credential_badge, name="badge"),
    path(".well-known/did.json", views.did_json, name="did_json"),
    path("credentials/status/<int:number>/", views.status_list, name="status_list"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("transcript/", views.transcript, name="transcript"),
    path("transcript.pdf", views.transcript_pdf, name="transcript_pdf"),
    path("transcript.csv", views.transcript_csv, name="transcript_csv"),
]

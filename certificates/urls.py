from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("certificates/<uuid:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("transcript/", views.transcript, name="transcript"),
    path("transcript.pdf", views.transcript_pdf, name="transcript_pdf"),
    path("transcript.csv", views.transcript_csv, name="transcript_csv"),
]

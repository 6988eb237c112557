from django.urls import path

from . import admin_views

app_name = "certificates_admin"

urlpatterns = [
    path("queue/", admin_views.approval_queue, name="queue"),
    path("queue/decide/", admin_views.decide, name="decide"),
    path("queue/result/", admin_views.result, name="result"),
    path("certificates/", admin_views.certificate_list, name="list"),
    path("certificates/export.csv", admin_views.certificate_csv, name="csv"),
    path("certificates/pdfs.zip", admin_views.certificate_zip, name="zip"),
    path("certificates/<uuid:pk>/", admin_views.certificate_detail, name="detail"),
    path("certificates/<uuid:pk>/action/", admin_views.certificate_action, name="action"),
]

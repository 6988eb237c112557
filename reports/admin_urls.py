from django.urls import path

from . import admin_views

app_name = "reports"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<slug:slug>/", admin_views.report, name="report"),
    path("<slug:slug>/export.csv", admin_views.report_csv, name="csv"),
]

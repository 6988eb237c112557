from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.account_home, name="home"),
    path("account/name/", views.change_name, name="name"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("account/export/", views.export_data, name="export"),
    path("account/export/<uuid:pk>/", views.export_download, name="export_download"),
    path("account/delete/", views.close_account, name="close"),
]

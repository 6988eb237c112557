from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.account_home, name="home"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]

from django.urls import path

from . import views

app_name = "modules"

urlpatterns = [
    # Batches of honest seat time from the module page's script (modules.seat_time).
    path("modules/<int:module_id>/active-time/", views.active_time, name="active_time"),
]

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from accounts.views import remove_security_key
from core.serving import serve

from . import views
from .languages import set_language

handler500 = "pdsite.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    # Every sign-in goes through allauth (rate limits, verified email, second factor).
    # Wagtail's own login and password-reset views are shadowed here, before its URLs;
    # Django's admin site is not routed at all (nothing is registered in it).
    path("admin/login/", views.admin_login, name="admin_login"),
    re_path(r"^admin/password_reset/", views.admin_password_reset),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Before allauth's own: its page would let a coach remove their only security key.
    path("accounts/2fa/webauthn/keys/<int:pk>/remove/", remove_security_key),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),  # /account/: the person's own account and data
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reflections/", views.reflections, name="reflections"),
    # Feedback emails sent before /reflections/ took over link here.
    path("feedback/", RedirectView.as_view(pattern_name="reflections", permanent=True)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include("modules.urls"))]  # /modules/<id>/active-time/
urlpatterns += [path("", include("quizzes.urls"))]

urlpatterns += [path("", include("certificates.urls"))]
urlpatterns += [path("", include("followups.urls"))]  # /follow-up/<id>/ and its evidence
urlpatterns += [path("", include("coaching.urls"))]  # coaching: /coach/, /invitations/, ...
# Wagtail's own URLs, its page view last as Wagtail orders them, but served by
# core.routing.serve (the site from the cache) under Wagtail's pattern and name.
urlpatterns += [p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"]
urlpatterns += [re_path(serve_pattern, serve, name="wagtail_serve")]

"""The site's URLs with every file under MEDIA_ROOT served to anyone, as the web server does in
production (and pdsite/urls.py under DEBUG): what an outsider can reach by guessing a path."""

import re

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from pdsite.urls import urlpatterns as site_urlpatterns


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


MEDIA_PREFIX = re.escape(settings.MEDIA_URL.lstrip("/"))
urlpatterns = [re_path(rf"^{MEDIA_PREFIX}(?P<path>.*)$", serve_media), *site_urlpatterns]

"""Wagtail's page view with the request's site from the cache (docs/performance.md).

Wagtail finds the site for every page request (one query) and then loads its root page
(another). Both change only when an editor saves a site or a page, which bumps the content
version (core.content_version), so they are kept in the cache under it. pdsite/urls.py
routes pages here under Wagtail's own URL pattern and name. Kept apart from core.routing:
wagtail.views loads models, which core.routing's importers (page models) cannot wait for.
"""

from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Site

from .cache_versions import versioned
from .content_version import CONTENT_VERSION_KEY


def serve(request, path):
    find_site(request)
    return wagtail_views.serve(request, path)


def find_site(request) -> None:
    """Leave the request's site on it from the cache, where Wagtail (a page view, or
    `{% pageurl %}` on a view that is not a page) looks for it before asking the database."""
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = versioned(
            f"core:site:{hostname}:{port}",
            [CONTENT_VERSION_KEY],
            lambda: _site_with_root_page(request),
            keep_none=False,
        )


def _site_with_root_page(request):
    site = Site._find_for_request(request)
    if site is not None:
        # Loaded now so the cached copy carries it (Page.specific is a cached_property).
        site.root_page.localized.specific  # noqa: B018
    return site

"""Cheaper page serving for our page types, with the same results as Wagtail's defaults.

Wagtail routes /courses/<course>/<module>/ with two queries per level and checks view
restrictions with two more. Module pages are the hottest pages we serve (teachers
open them on phones between classes), so these mixins do each job in one query, and keep
the answer (the request's site, path -> page, the page's view restrictions) in the cache
under the content version (core.content_version): no query at all until an editor
publishes, unpublishes, moves or saves a page, a site or a view restriction.
"""

from django.db.models import Q
from django.http import Http404
from wagtail.models import Page, PageViewRestriction

from .cache_versions import versioned
from .content_version import CONTENT_VERSION_KEY


class DirectRouteMixin:
    """Resolve a path below this page with one lookup on `url_path`, then hand the rest
    (e.g. a RoutablePage sub-URL such as `enroll/`) to the deepest page found."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        found = versioned(
            f"core:route:{self.pk}:{'/'.join(path_components)}",
            [CONTENT_VERSION_KEY],
            lambda: self._deepest_page(path_components),
            keep_none=False,
        )
        if found is None:
            raise Http404
        page, depth = found
        return page.route(request, path_components[depth - self.depth :])

    def _deepest_page(self, path_components):
        """The deepest page on the path, ready to serve, and its depth (None: no page)."""
        prefixes = [
            self.url_path + "/".join(path_components[:count]) + "/"
            for count in range(1, len(path_components) + 1)
        ]
        match = (
            Page.objects.filter(path__startswith=self.path, url_path__in=prefixes)
            .order_by("-depth")
            .only("id", "depth", "content_type_id")
            .first()
        )
        if match is None:
            return None
        return self._serving_instance(match), match.depth

    @staticmethod
    def _serving_instance(match):
        """The page as `.specific` would load it, less the fields its class names in
        `defer_when_serving`: fields a cached template reads only on a cache miss (a
        module's body is ~1,500 words of JSON, parsed on every visit otherwise)."""
        model = match.specific_class
        deferred = getattr(model, "defer_when_serving", ())
        if model is None or not deferred:
            return match.specific
        return model._default_manager.defer(*deferred).get(pk=match.pk)


class SingleQueryViewRestrictionsMixin:
    def get_view_restrictions(self):
        """Restrictions on this page or any ancestor (or what they alias), in one query.

        Serving a page only iterates them (Wagtail's check_view_restrictions hook): the
        rows come from the cache, kept under the content version (saving or deleting a
        restriction bumps it). The admin filters and orders the queryset further, which
        clones it and so runs its own query, as before.
        """
        restrictions = self._view_restrictions_query()
        restrictions._result_cache = versioned(
            f"core:view-restrictions:{self.pk}:{self.path}",
            [CONTENT_VERSION_KEY],
            lambda: list(self._view_restrictions_query()),
        )
        return restrictions

    def _view_restrictions_query(self):
        steplen = self.steplen
        paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
        aliased = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of_id")
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths) | Q(page_id__in=aliased)
        ).select_related("page")

"""One version for everything authors publish that a cached page fact may hold: the page
tree (what is live, where, under which path), sites and view restrictions. Module lists,
routes and view restrictions are cached under it (core.routing, modules.course_state).

Any change an editor makes bumps it, so cached entries rebuild on the next request.
Publishing is rare next to reading, so one version for the whole tree costs little and
leaves no path (publish, unpublish, move, delete, a direct save) to get wrong. An app
above core whose models those entries also hold (a module's quiz) calls
`content_changed` from its own receivers.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache_versions import bump_versions

CONTENT_VERSION_KEY = "core:content-version"


def content_changed() -> None:
    bump_versions(CONTENT_VERSION_KEY)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs):
    content_changed()


@receiver(post_save)
@receiver(post_delete)
def _saved_or_deleted(sender, instance, **kwargs):
    # Any Page subclass (live pages saved without publishing, treebeard's own saves), the
    # sites and the view restrictions that routing and serving read.
    if isinstance(instance, Page | Site | PageViewRestriction):
        content_changed()

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_cache_table(sender, using="default", **kwargs):
    """The database cache needs its table; create it with the schema, not by hand."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", database=using, verbosity=0)


class PdsiteConfig(AppConfig):
    name = "pdsite"
    verbose_name = "PD site"

    def ready(self):
        from . import signals  # noqa: F401  (app loading: receivers connect once ready)

        post_migrate.connect(ensure_cache_table, sender=self)

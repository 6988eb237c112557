from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: roles, routing helpers, the one sanitiser, CSV writing, links and
    email sending. It imports no other app of this project (see docs/architecture.md)."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from . import content_version  # noqa: F401  (connects its signal receivers)

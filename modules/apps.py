from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "modules"
    verbose_name = "Courses and modules"

    def ready(self):
        from . import course_state  # noqa: F401  (connects its signal receivers)

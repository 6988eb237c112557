from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes and reflections"

    def ready(self):
        from . import receivers  # noqa: F401  (connects its signal receivers)

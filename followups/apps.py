from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "followups"
    verbose_name = "Follow-through"

    def ready(self):
        # app loading: the signal's sender and receiver are ready only now
        from modules.services import course_completed

        from .services import on_course_completed

        course_completed.connect(on_course_completed, dispatch_uid="followups.schedule")

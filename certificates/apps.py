from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "PD credit and certificates"

    def ready(self):
        # App loading: models may be imported only once the registry is ready.
        from modules.seat_time import active_time_reached
        from modules.services import course_completed

        from .services import on_active_time_reached, on_course_completed

        course_completed.connect(on_course_completed, dispatch_uid="certificates.request_credit")
        active_time_reached.connect(
            on_active_time_reached, dispatch_uid="certificates.active_time_reached"
        )

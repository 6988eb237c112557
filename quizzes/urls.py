from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path(
        "quizzes/modules/<int:module_id>/answer/",
        views.answer_module_quiz,
        name="answer_module_quiz",
    ),
    # Under the course's own URL; matched before Wagtail's catch-all serves the course page.
    path(
        "courses/<slug:course_slug>/self-assessment/<str:kind>/",
        views.self_assessment,
        name="self_assessment",
    ),
]

from django.urls import path

from . import teacher_views, views

app_name = "coaching"

urlpatterns = [
    path("coach/", views.cohort_list, name="cohort_list"),
    path("coach/cohorts/new/", views.cohort_create, name="cohort_create"),
    path("coach/cohorts/archived/", views.archived_cohorts, name="archived_cohorts"),
    path("coach/cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("coach/cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("coach/cohorts/<int:pk>/archive/", views.cohort_archive, name="cohort_archive"),
    path("coach/cohorts/<int:pk>/restore/", views.cohort_restore, name="cohort_restore"),
    path("coach/cohorts/<int:pk>/delete/", views.cohort_delete, name="cohort_delete"),
    path("coach/cohorts/<int:pk>/members/add/", views.add_member, name="add_member"),
    path(
        "coach/cohorts/<int:pk>/members/<int:user_pk>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path("coach/cohorts/<int:pk>/invitations/", views.invitation_list, name="invitation_list"),
    path("coach/invitations/<int:pk>/resend/", views.resend_invitation, name="resend_invitation"),
    path(
        "coach/invitations/<int:pk>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("coach/cohorts/<int:pk>/import/", views.import_csv, name="import_csv"),
    path("coach/cohorts/<int:pk>/import/<str:token>/", views.import_confirm, name="import_confirm"),
    path(
        "coach/cohorts/<int:pk>/import/<str:token>/problems.csv",
        views.import_problems_csv,
        name="import_problems_csv",
    ),
    path("coach/cohorts/<int:pk>/assign/", views.assign_course, name="assign_course"),
    path("coach/cohorts/<int:pk>/assignments/<int:assignment_pk>/", views.matrix, name="matrix"),
    path(
        "coach/cohorts/<int:pk>/assignments/<int:assignment_pk>/export.csv",
        views.matrix_csv,
        name="matrix_csv",
    ),
    path(
        "coach/teachers/<int:user_pk>/reflections/",
        views.teacher_reflections,
        name="teacher_reflections",
    ),
    path("coach/answers/<int:answer_pk>/feedback/", views.leave_feedback, name="leave_feedback"),
    path("coach/follow-ups/<int:pk>/review/", views.review_follow_up, name="review_follow_up"),
    path("coach/feedback/<int:pk>/edit/", views.edit_feedback, name="edit_feedback"),
    path("coach/feedback/<int:pk>/delete/", views.delete_feedback, name="delete_feedback"),
    path("invitations/<str:token>/", teacher_views.accept_invitation, name="accept_invitation"),
    path("cohorts/<int:pk>/leave/", teacher_views.leave_cohort, name="leave_cohort"),
    path("feedback/<int:pk>/reply/", teacher_views.reply_to_feedback, name="reply_to_feedback"),
    path("account/reminders/", teacher_views.reminder_settings, name="reminder_settings"),
]

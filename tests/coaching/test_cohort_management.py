"""Cohort management: rename, archive and restore, delete, remove and re-add, editing and
deleting one's own feedback, and the cohort page's progress per assigned course."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from coaching import feedback as coaching_feedback
from coaching import invitations as coaching_invitations
from coaching import reminders as coaching_reminders
from coaching import services
from coaching.matrix import cohort_overview, progress_matrix
from coaching.models import Cohort, CohortMembership, Feedback, Invitation
from modules import services as progress
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def cohort(coach, teacher, course):
    group = factories.cohort(coaches=[coach], members=[teacher], name="Spring")
    services.assign_course(
        cohort=group, course=course, due_on=TODAY + datetime.timedelta(days=7), assigned_by=coach
    )
    return group


def test_a_coach_renames_and_describes_a_cohort(coach_client, cohort):
    url = reverse("coaching:cohort_edit", args=[cohort.pk])
    form = coach_client.get(url)
    assert 'value="Spring"' in form.text
    response = coach_client.post(
        url, {"name": "  Spring 2027  ", "program": "Induction", "description": "Year one."}
    )
    assert response.status_code == 302
    page = coach_client.get(reverse("coaching:cohort_detail", args=[cohort.pk])).text
    assert "<h1>Spring 2027</h1>" in page and "Induction" in page and "Year one." in page


def test_a_cohort_cannot_lose_its_name(coach_client, cohort):
    url = reverse("coaching:cohort_edit", args=[cohort.pk])
    response = coach_client.post(url, {"name": "", "program": "", "description": ""})
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert Cohort.objects.get(pk=cohort.pk).name == "Spring"


def test_archiving_takes_a_cohort_off_the_list_and_restoring_brings_it_back(coach_client, cohort):
    coach_client.post(reverse("coaching:cohort_archive", args=[cohort.pk]))
    cohorts_page = coach_client.get("/coach/").text
    listed = [
        h.get_text(strip=True)
        for h in BeautifulSoup(cohorts_page, "html.parser").select(".card h2")
    ]
    assert listed == []
    assert "1 archived cohort" in cohorts_page
    archived = coach_client.get(reverse("coaching:archived_cohorts")).text
    assert "Spring" in archived
    detail = coach_client.get(reverse("coaching:cohort_detail", args=[cohort.pk])).text
    assert "sends no reminders" in detail and "Restore" in detail
    coach_client.post(reverse("coaching:cohort_restore", args=[cohort.pk]))
    assert Cohort.objects.get(pk=cohort.pk).archived_at is None
    assert "archived cohort" not in coach_client.get("/coach/").text


def test_an_archived_cohort_sends_no_reminders_nor_digest(
    coach, teacher, course, cohort, django_capture_on_commit_callbacks
):
    assignment = cohort.assignments.get()
    assignment.due_on = TODAY - datetime.timedelta(days=2)  # overdue
    assignment.save()
    services.archive_cohort(cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True):
        counts = coaching_reminders.send_reminders(today=TODAY)
    assert counts == {"due_soon": 0, "overdue": 0, "digest": 0}
    assert mail.outbox == []
    services.restore_cohort(cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True):
        counts = coaching_reminders.send_reminders(today=TODAY)
    assert counts == {"due_soon": 0, "overdue": 1, "digest": 1}


def test_an_empty_cohort_is_deleted_without_typing_its_name(coach_client, coach):
    empty = factories.cohort(coaches=[coach], name="Empty one")
    page = coach_client.get(reverse("coaching:cohort_delete", args=[empty.pk])).text
    assert "Type the cohort" not in page
    response = coach_client.post(reverse("coaching:cohort_delete", args=[empty.pk]))
    assert response.status_code == 302
    assert not Cohort.objects.filter(pk=empty.pk).exists()


def test_a_cohort_with_teachers_is_deleted_only_after_typing_its_name(
    coach_client, cohort, teacher, course
):
    url = reverse("coaching:cohort_delete", args=[cohort.pk])
    assert "1 teacher is still in this cohort" in coach_client.get(url).text
    wrong = coach_client.post(url, {"confirm_name": "spring"})
    assert wrong.status_code == 400
    assert "Type its name exactly" in wrong.text
    assert Cohort.objects.filter(pk=cohort.pk).exists()
    coach_client.post(url, {"confirm_name": "Spring"})
    assert not Cohort.objects.filter(pk=cohort.pk).exists()
    # The teacher's own learning stays theirs.
    assert teacher.enrollments.filter(course=course).exists()


def test_a_removed_teacher_comes_back_only_by_accepting_a_new_invitation(
    coach_client, coach, cohort, teacher
):
    coach_client.post(reverse("coaching:remove_member", args=[cohort.pk, teacher.pk]))
    reflections = reverse("coaching:teacher_reflections", args=[teacher.pk])
    assert coach_client.get(reflections).status_code == 404
    response = coach_client.post(
        reverse("coaching:add_member", args=[cohort.pk]), {"email": teacher.email}
    )
    assert response.status_code == 302
    # Invited, not added: the coach still sees nothing of them.
    assert not CohortMembership.objects.filter(cohort=cohort, user=teacher).exists()
    assert coach_client.get(reflections).status_code == 404
    invitation = Invitation.objects.get(cohort=cohort, email=teacher.email, accepted_at=None)
    coaching_invitations.accept_invitation(invitation=invitation, user=teacher)
    assert coach_client.get(reflections).status_code == 200


@pytest.fixture
def feedback(coach, teacher, course, cohort):
    module = course.get_children().first().specific
    answer = factories.reflection(user=teacher, module=module, text="What I noticed today.")
    return coaching_feedback.leave_feedback(
        coach=coach, answer=answer, kind="strength", body="Lovely noticing."
    )


def test_a_coach_edits_their_feedback_and_the_teacher_sees_it_marked_edited(
    coach_client, client, teacher, feedback
):
    url = reverse("coaching:edit_feedback", args=[feedback.pk])
    assert "Lovely noticing." in coach_client.get(url).text
    response = coach_client.post(url, {"kind": "question", "body": "What did you try <next>?"})
    assert response.status_code == 302
    client.force_login(teacher)
    page = client.get("/reflections/").text
    assert "What did you try &lt;next&gt;?" in page
    assert "Lovely noticing." not in page
    assert "(edited" in page


def test_saving_feedback_unchanged_does_not_mark_it_edited(coach, feedback):
    coaching_feedback.edit_feedback(
        coach=coach, feedback=feedback, kind="strength", body="Lovely noticing."
    )
    assert Feedback.objects.get(pk=feedback.pk).edited_at is None


def test_empty_feedback_is_refused_and_the_old_words_stay(coach_client, feedback):
    url = reverse("coaching:edit_feedback", args=[feedback.pk])
    response = coach_client.post(url, {"kind": "strength", "body": "   "})
    assert response.status_code == 400
    assert Feedback.objects.get(pk=feedback.pk).body == "Lovely noticing."


def test_a_coach_deletes_their_feedback(coach_client, feedback):
    response = coach_client.post(reverse("coaching:delete_feedback", args=[feedback.pk]))
    assert response.status_code == 302
    assert not Feedback.objects.filter(pk=feedback.pk).exists()


def test_a_second_coach_of_the_cohort_cannot_change_anothers_feedback(client, cohort, feedback):
    second = factories.coach()
    cohort.coaches.add(second)
    client.force_login(second)
    assert client.get(reverse("coaching:edit_feedback", args=[feedback.pk])).status_code == 404
    assert client.post(reverse("coaching:delete_feedback", args=[feedback.pk])).status_code == 404
    with pytest.raises(services.CoachingError):
        coaching_feedback.edit_feedback(coach=second, feedback=feedback, kind="strength", body="x")
    # Only the author sees Edit and Delete beside it.
    page = client.get(
        reverse("coaching:teacher_reflections", args=[feedback.answer.attempt.user_id])
    )
    assert "Lovely noticing." in page.text
    assert reverse("coaching:edit_feedback", args=[feedback.pk]) not in page.text


def test_the_cohort_page_shows_progress_per_course_and_the_overdue_count(
    coach_client, coach, teacher, catalogue, course, cohort
):
    late = factories.course_with_modules(catalogue, modules=2, slug="late")
    services.assign_course(
        cohort=cohort, course=late, due_on=TODAY - datetime.timedelta(days=1), assigned_by=coach
    )
    other = factories.teacher(full_name="Zed Zimmer")
    factories.invited_and_accepted(cohort=cohort, coach=coach, teacher=other)
    progress.complete_module(user=teacher, module=late.get_children().first().specific)
    page = BeautifulSoup(
        coach_client.get(reverse("coaching:cohort_detail", args=[cohort.pk])).text, "html.parser"
    )
    rows = {
        row.th.contents[0].strip(): [
            " ".join(cell.get_text().split()) for cell in row.find_all("td")[:3]
        ]
        for row in page.select(".cohort-progress tbody tr")
    }
    # Courses in due-date order: the overdue one first.
    headings = [th.get_text(strip=True) for th in page.select(".cohort-progress thead th")]
    assert headings[1:3] == [late.title, course.title]
    assert rows == {
        teacher.full_name: ["50% Overdue", "0% Not started", "1"],
        "Zed Zimmer": ["0% Overdue", "0% Not started", "1"],
    }
    assert "2 overdue" in page.select_one(".cohort-summary").get_text()


def test_the_cohort_page_and_the_matrix_agree(coach, teacher, course, cohort):
    progress.complete_module(user=teacher, module=course.get_children().first().specific)
    overview = cohort_overview(cohort=cohort)
    matrix = progress_matrix(cohort=cohort, assignment=cohort.assignments.get())
    assert (
        [c.row.percent for m in overview.members for c in m.courses]
        == [row.percent for row in matrix.rows]
        == [33]
    )


@pytest.mark.parametrize("members", [2, 20])
def test_the_cohort_page_query_count_does_not_grow_with_teachers(
    client, coach, course, members, django_assert_max_num_queries
):
    group = factories.cohort(
        coaches=[coach], members=[factories.teacher() for _ in range(members)], name="Big"
    )
    services.assign_course(
        cohort=group, course=course, due_on=TODAY + datetime.timedelta(days=3), assigned_by=coach
    )
    client.force_login(coach)
    url = reverse("coaching:cohort_detail", args=[group.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200

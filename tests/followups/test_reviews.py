import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching import services as coaching
from followups import services
from followups.reviews import review_follow_up
from tests import factories
from tests.factories import Client

pytestmark = pytest.mark.django_db

ANSWERS = ["I tried wait time.", "More hands went up.", "I will cold-call less."]


@pytest.fixture
def submitted(course, teacher, coached):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=15)
    services.add_evidence(
        user=teacher,
        follow_up=first,
        upload=SimpleUploadedFile("student-work.jpg", factories.jpeg_bytes(), "image/jpeg"),
    )
    return services.submit_follow_up(user=teacher, follow_up=first, answers=ANSWERS)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_coach_reads_the_follow_up_and_its_evidence_beside_the_reflections(
    coach, teacher, submitted
):
    page = login(coach).get(reverse("coaching:teacher_reflections", args=[teacher.pk])).text
    assert "More hands went up." in page
    assert "student-work.jpg" in page
    assert reverse("followups:evidence_file", args=[submitted.evidence.get().pk]) in page


def test_the_coach_marks_it_and_the_teacher_reads_the_mark_and_is_emailed(
    coach, teacher, submitted, committed
):
    url = reverse("coaching:review_follow_up", args=[submitted.pk])
    with committed():
        response = login(coach).post(url, {"rubric": "adapted", "body": "Nice <b>adaptation</b>"})
    assert response.status_code == 302
    page = login(teacher).get(reverse("followups:answer", args=[submitted.pk])).text
    assert "Adapted" in page and "&lt;b&gt;adaptation&lt;/b&gt;" in page
    assert "your coach marked it: Adapted" in login(teacher).get("/dashboard/").text
    (message,) = mail.outbox
    assert message.to == [teacher.email] and "marked it: Adapted" in message.body


def test_marking_again_replaces_the_coachs_review(coach, submitted):
    review_follow_up(coach=coach, follow_up=submitted, rubric="not_yet", body="")
    review_follow_up(coach=coach, follow_up=submitted, rubric="as_planned", body="")
    assert [r.rubric for r in submitted.reviews.all()] == ["as_planned"]


def test_a_review_without_a_rubric_mark_is_refused_and_the_text_kept(coach, teacher, submitted):
    url = reverse("coaching:review_follow_up", args=[submitted.pk])
    response = login(coach).post(url, {"body": "Half a thought"})
    assert response.status_code == 400
    assert "Half a thought" in response.text
    assert not submitted.reviews.exists()


def test_the_matrix_and_the_cohort_show_follow_through(coach, teacher, course, coached, submitted):
    assignment = coaching.assign_course(
        cohort=coached,
        course=course,
        due_on=datetime.date.today() + datetime.timedelta(days=30),
        assigned_by=coach,
    )
    review_follow_up(coach=coach, follow_up=submitted, rubric="as_planned", body="")
    client = login(coach)
    matrix = client.get(reverse("coaching:matrix", args=[coached.pk, assignment.pk])).text
    assert "Follow-ups" in matrix and "1 of 2" in matrix and "Tried as planned" in matrix
    csv = client.get(reverse("coaching:matrix_csv", args=[coached.pk, assignment.pk])).text
    assert "1/2" in csv and "Tried as planned" in csv
    cohort_page = client.get(reverse("coaching:cohort_detail", args=[coached.pk])).text
    assert "Implementation rate: 100%" in cohort_page


def test_evidence_is_404_for_another_teacher_another_cohorts_coach_and_the_anonymous(
    coach, submitted
):
    url = reverse("followups:evidence_file", args=[submitted.evidence.get().pk])
    other_coach = factories.coach()
    other_cohort = coaching.create_cohort(coach=other_coach, name="Elsewhere")
    factories.invited_and_accepted(
        cohort=other_cohort, coach=other_coach, teacher=factories.teacher()
    )
    assert Client().get(url).status_code == 404
    assert login(factories.teacher()).get(url).status_code == 404
    assert login(other_coach).get(url).status_code == 404
    assert login(coach).get(url).status_code == 200
    assert login(factories.pd_admin()).get(url).status_code == 200


def test_another_cohorts_coach_cannot_review(submitted):
    other_coach = factories.coach()
    url = reverse("coaching:review_follow_up", args=[submitted.pk])
    assert login(other_coach).post(url, {"rubric": "adapted"}).status_code == 404
    assert not submitted.reviews.exists()


def test_review_emails_lost_with_their_worker_are_sent_by_the_sweep_one_per_marking(
    coach, teacher, submitted, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from pdsite import repair

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False):  # queued tasks die unrun
        review_follow_up(coach=coach, follow_up=submitted, rubric="adapted", body="Nice.")
    with django_capture_on_commit_callbacks(execute=False):
        review_follow_up(coach=coach, follow_up=submitted, rubric="as_planned", body="Better.")
    assert mail.outbox == []

    later = timezone.now() + datetime.timedelta(minutes=5)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            repair.sweep(now=later)
    # Two markings, two emails, each once; both show the review as it stands now.
    assert [m.to for m in mail.outbox] == [[teacher.email], [teacher.email]]
    assert all("Better." in m.body for m in mail.outbox)

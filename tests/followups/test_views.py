import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followups import services
from followups.models import Evidence, FollowUp
from tests import factories

pytestmark = pytest.mark.django_db

ANSWERS = {"answer-0": "I tried wait time.", "answer-1": "More hands.", "answer-2": "Less."}


@pytest.fixture
def due(course, teacher):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=15)
    return first


def url(follow_up):
    return reverse("followups:answer", args=[follow_up.pk])


def test_my_learning_shows_the_due_follow_up_with_a_link(teacher_client, due):
    page = teacher_client.get("/dashboard/").text
    assert "Back in your classroom" in page
    assert "Ready for your answers" in page
    assert url(due) in page


def test_the_teacher_answers_with_a_photo_and_reads_it_back(teacher_client, due):
    response = teacher_client.post(
        url(due),
        {
            **ANSWERS,
            "action": "upload",
            "file": SimpleUploadedFile("work.png", factories.png_bytes(), "image/png"),
        },
    )
    assert response.status_code == 302
    page = teacher_client.get(url(due)).text
    assert "work.png" in page and "I tried wait time." in page  # the draft came back
    response = teacher_client.post(url(due), {**ANSWERS, "action": "submit"}, follow=True)
    assert "Your follow-up is submitted" in response.text
    assert "Submitted on" in response.text
    assert "Your coach has not read it yet" in response.text


def test_a_disguised_file_is_refused_and_nothing_typed_is_lost(teacher_client, due):
    html = b"<html><body><script>alert(1)</script></body></html>"
    response = teacher_client.post(
        url(due),
        {**ANSWERS, "action": "submit", "file": SimpleUploadedFile("photo.png", html, "image/png")},
    )
    assert response.status_code == 400
    assert "PDF, PNG, JPEG or Word" in response.text
    assert "I tried wait time." in response.text
    assert not Evidence.objects.exists()
    due.refresh_from_db()
    assert due.submitted_at is None and due.draft[0] == "I tried wait time."


def test_an_empty_answer_is_marked_beside_its_prompt(teacher_client, due):
    response = teacher_client.post(url(due), {**ANSWERS, "answer-1": "", "action": "submit"})
    assert response.status_code == 400
    assert "Write a few words here." in response.text
    assert 'aria-invalid="true"' in response.text
    assert "I tried wait time." in response.text


def test_a_second_submission_changes_nothing(teacher_client, due):
    teacher_client.post(url(due), {**ANSWERS, "action": "submit"})
    response = teacher_client.post(
        url(due), {**ANSWERS, "answer-0": "Changed", "action": "submit"}, follow=True
    )
    assert "already submitted" in response.text
    due.refresh_from_db()
    assert due.answers[0] == "I tried wait time."


def test_a_follow_up_not_yet_due_says_when_it_opens(teacher_client, course, teacher):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=1)
    page = teacher_client.get(url(first)).text
    assert "This follow-up opens on" in page
    assert "<textarea" not in page


def test_another_teachers_follow_up_is_404(client, due):
    client.force_login(factories.teacher())
    assert client.get(url(due)).status_code == 404
    assert client.post(url(due), {**ANSWERS, "action": "submit"}).status_code == 404
    assert FollowUp.objects.get(pk=due.pk).submitted_at is None


def test_evidence_downloads_as_an_attachment_that_the_browser_may_not_sniff(
    teacher_client, teacher, due
):
    evidence = services.add_evidence(
        user=teacher,
        follow_up=due,
        upload=SimpleUploadedFile("Lesson plan.pdf", factories.pdf_bytes(), "text/html"),
    )
    response = teacher_client.get(reverse("followups:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Lesson plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_teacher_can_remove_a_file_before_submitting(teacher_client, teacher, due):
    evidence = services.add_evidence(
        user=teacher,
        follow_up=due,
        upload=SimpleUploadedFile("a.png", factories.png_bytes(), "image/png"),
    )
    teacher_client.post(reverse("followups:remove_evidence", args=[evidence.pk]))
    assert not Evidence.objects.exists()


def test_the_email_setting_page_turns_follow_up_emails_off(teacher_client, teacher):
    url_ = reverse("followups:email_settings")
    assert "Email me when a follow-up is due" in teacher_client.get(url_).text
    teacher_client.post(url_, {})
    assert teacher.follow_up_preference.emails_enabled is False

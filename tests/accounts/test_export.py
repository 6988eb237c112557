"""/account/export/: everything about the signed-in person, as a ZIP of JSON and CSV."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import services
from accounts.models import AuditAction, AuditEvent, DataExport
from followups import services as followups
from followups.models import FollowUp
from tests import factories
from tests.accounts.conftest import REFLECTION

pytestmark = pytest.mark.django_db


def unzip(content: bytes) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_the_export_holds_what_the_database_holds(client, history):
    tess, certificate = history["tess"], history["certificate"]
    client.force_login(tess)
    response = client.post("/account/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    files = unzip(response.content)
    assert {"README.txt", "profile.json", "answers.csv", "certificates.json"} <= set(files)

    profile = json.loads(files["profile.json"])[0]
    assert (profile["email"], profile["full_name"]) == (tess.email, "Tess Teacher")
    answers = json.loads(files["answers.json"])
    assert [a["text"] for a in answers] == [history["answer"].text]
    feedback = json.loads(files["feedback.json"])
    assert [(f["coach"], f["feedback"], f["your_reply"]) for f in feedback] == [
        ("Ana Coach", "Lovely noticing.", "Thank you!")
    ]
    certificates = json.loads(files["certificates.json"])
    assert [(c["code"], c["verify_url"]) for c in certificates] == [
        (certificate.code, f"http://testserver/verify/{certificate.code}/")
    ]
    assert [c["cohort"] for c in json.loads(files["cohorts.json"])] == ["Cohort A"]
    enrollments = json.loads(files["enrollments.json"])
    assert [e["course"] for e in enrollments] == [history["course"].title]
    assert AuditEvent.objects.get().action == AuditAction.EXPORT_DOWNLOADED


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, history):
    client.force_login(history["tess"])
    files = unzip(client.post("/account/export/").content)
    rows = list(csv.DictReader(io.StringIO(files["answers.csv"])))
    assert rows[0]["text"] == "'" + REFLECTION
    assert history["answer"].text == REFLECTION  # the JSON copy and the database are as typed


def test_a_second_request_while_one_is_being_built_builds_nothing(client, history):
    tess = history["tess"]
    DataExport.objects.create(user=tess)  # the first request, still building
    client.force_login(tess)
    response = client.post("/account/export/")
    assert response.status_code == 409
    assert "already being prepared" in response.text
    assert not AuditEvent.objects.exists()


def test_an_export_abandoned_by_a_dead_worker_does_not_block_forever(client, history):
    tess = history["tess"]
    DataExport.objects.create(user=tess, requested_at=timezone.now() - datetime.timedelta(hours=2))
    client.force_login(tess)
    assert client.post("/account/export/")["Content-Type"] == "application/zip"


def test_a_large_export_is_built_in_the_background_and_the_link_emailed(
    client, history, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EXPORT_INLINE_ROWS = 0
    tess = history["tess"]
    client.force_login(tess)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/export/", follow=True)
    assert "we are preparing it in the background" in response.text
    [email] = mailoutbox
    assert email.to == [tess.email]
    link = next(word for word in email.body.split() if "/account/export/" in word)
    path = link.removeprefix("http://testserver")

    files = unzip(client.get(path).content)
    assert json.loads(files["answers.json"])[0]["text"] == REFLECTION
    assert "Your data as of" in client.get("/account/export/").text

    other = factories.Client()
    other.force_login(factories.teacher())
    assert other.get(path).status_code == 404
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        AuditAction.EXPORT_QUEUED,
        AuditAction.EXPORT_READY,
        AuditAction.EXPORT_DOWNLOADED,
    ]


def test_a_background_export_lost_with_its_worker_is_built_and_emailed_by_the_sweep(
    client, history, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from pdsite import repair

    settings.ACCOUNT_EXPORT_INLINE_ROWS = 0
    tess = history["tess"]
    client.force_login(tess)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False):  # the queued build dies unrun
        client.post("/account/export/")
    assert DataExport.objects.get(user=tess).finished_at is None

    later = timezone.now() + datetime.timedelta(minutes=5)
    for _ in range(2):  # the second sweep builds and sends nothing more
        with django_capture_on_commit_callbacks(execute=True):
            repair.sweep(now=later)
    # (The fixture's own emails were never sent either: the sweep sends those too.)
    [email] = [m for m in mailoutbox if m.subject == "Your data export is ready"]
    assert email.to == [tess.email]
    assert DataExport.objects.get(user=tess).finished_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT_READY).count() == 1


def test_the_emailed_link_stops_working_after_a_week(client, history):
    tess = history["tess"]
    job = services.finish_export(job=DataExport.objects.create(user=tess))
    DataExport.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=8)
    )
    client.force_login(tess)
    assert client.get(f"/account/export/{job.pk}/").status_code == 404


def test_export_is_a_post_and_needs_a_signed_in_person(client):
    assert client.post("/account/export/")["Location"].startswith("/accounts/login/")
    client.force_login(factories.teacher())
    page = client.get("/account/export/")
    assert page.status_code == 200 and "Download my data" in page.text


def test_exported_answers_name_the_choices_as_worded_when_answered(client, course):
    import uuid

    from modules import services as progress_services
    from quizzes import services as quiz_services
    from quizzes.models import Quiz

    teacher = factories.teacher()
    quiz = factories.quiz()
    module = factories.attach_quiz(course.get_children().first().specific, quiz)
    progress_services.enroll(user=teacher, course=course)
    quiz_services.submit_attempt(
        user=teacher,
        quiz=quiz,
        module=module,
        answers=factories.wrong_answers(quiz, text="My plan for the unit this term."),
        idempotency_key=uuid.uuid4(),
    )
    quiz = Quiz.objects.get(pk=quiz.pk)
    questions = list(quiz.questions.raw_data)
    for item in questions[0]["value"]["choices"]:
        item["value"]["text"] = "Reworded later"
    quiz.questions = questions
    quiz.save()
    client.force_login(teacher)
    answers = json.loads(unzip(client.post("/account/export/").content)["answers.json"])
    picked = [a["choices_picked"] for a in answers if a["question_type"] == "multiple_choice"]
    assert picked == ["Differences in ability", "District funding"]


def test_the_export_holds_her_follow_ups_evidence_files_and_the_coachs_mark(
    client, history, follow_up_with_evidence
):
    evidence = follow_up_with_evidence["evidence"]
    client.force_login(history["tess"])
    archive = zipfile.ZipFile(io.BytesIO(client.post("/account/export/").content))
    follow_ups = json.loads(archive.read("follow_ups.json"))
    assert [f["follow_up"] for f in follow_ups] == list(
        FollowUp.objects.filter(user=history["tess"]).order_by("pk").values_list("pk", flat=True)
    )
    [follow_up] = [
        f for f in follow_ups if f["follow_up"] == follow_up_with_evidence["follow_up"].pk
    ]
    assert {row["answer"] for row in follow_up["prompts_and_answers"]} == {
        "I waited longer after questions."
    }
    [listed] = json.loads(archive.read("evidence.json"))
    assert (listed["your_file_name"], listed["size"]) == ("fourth period.png", evidence.size)
    with evidence.file.open("rb") as stored:
        assert archive.read(listed["file"]) == stored.read()
    [review] = json.loads(archive.read("follow_up_reviews.json"))
    assert (review["coach"], review["rubric"], review["feedback"]) == (
        "Ana Coach",
        "Tried as planned",
        "Strong start.",
    )
    assert "I waited longer" in archive.read("follow_ups.csv").decode()


def test_the_export_holds_her_evidence_on_modules_too(client, history):
    module = factories.ask_for_evidence(history["course"].get_children().first().specific)
    evidence = followups.add_module_evidence(
        user=history["tess"],
        module=module,
        upload=SimpleUploadedFile("exit tickets.pdf", factories.pdf_bytes(), "application/pdf"),
    )
    client.force_login(history["tess"])
    archive = zipfile.ZipFile(io.BytesIO(client.post("/account/export/").content))
    [listed] = json.loads(archive.read("evidence.json"))
    assert (listed["your_file_name"], listed["module"], listed["follow_up"]) == (
        "exit tickets.pdf",
        module.title,
        None,
    )
    assert archive.read(listed["file"]) == factories.pdf_bytes()
    assert evidence.size == len(factories.pdf_bytes())

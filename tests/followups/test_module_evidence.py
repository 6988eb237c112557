"""Evidence of practice on a module: the practice task asks, the enrolled teacher uploads
on the module page, her coach reads it beside her reflections; everyone else gets a 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image

from coaching import services as coaching
from followups import services
from followups.models import Evidence
from modules import services as modules
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(course):
    return factories.ask_for_evidence(factories.modules_of(course)[0])


@pytest.fixture
def enrolled(teacher, course):
    return modules.enroll(user=teacher, course=course)


def upload_url(module):
    return reverse("followups:add_module_evidence", args=[module.pk])


def photo(name="student work.jpg", data=None):
    return SimpleUploadedFile(name, data or factories.jpeg_bytes(exif_location=True), "image/jpeg")


def test_the_practice_option_marks_the_module(course, module):
    assert module.asks_for_evidence
    others = factories.modules_of(course)[1:]
    assert not any(m.asks_for_evidence for m in others)
    module.body = [(b.block_type, b.value) for b in module.body if b.block_type != "practice"]
    module.save()
    module.refresh_from_db()
    assert not module.asks_for_evidence


def test_publishing_from_the_editor_keeps_the_flag_in_step(course):
    module = factories.modules_of(course)[1]
    module.body.append(
        ("practice", {"title": "Cold call", "body": "<p>Try it.</p>", "ask_for_evidence": True})
    )
    module.save_revision()  # a draft: the live page does not ask yet
    module.refresh_from_db()
    assert not module.asks_for_evidence
    module.get_latest_revision().publish()
    module.refresh_from_db()
    assert module.asks_for_evidence


def test_the_enrolled_teacher_uploads_sees_and_removes_her_file(teacher_client, module, enrolled):
    page = teacher_client.get(module.url).text
    assert "Evidence of practice" in page and upload_url(module) in page
    response = teacher_client.post(upload_url(module), {"file": photo()}, follow=True)
    assert "File added." in response.text
    evidence = Evidence.objects.get()
    assert (evidence.module_id, evidence.follow_up_id) == (module.pk, None)
    assert "student work.jpg" in response.text
    # The stored photo lost its EXIF location on the way in.
    with evidence.file.open("rb") as stored:
        assert dict(Image.open(io.BytesIO(stored.read())).getexif()) == {}
    download = teacher_client.get(reverse("followups:evidence_file", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    # Replace it: add the new one, remove the old one.
    teacher_client.post(upload_url(module), {"file": photo("better.png", factories.png_bytes())})
    response = teacher_client.post(
        reverse("followups:remove_evidence", args=[evidence.pk]), follow=True
    )
    assert "File removed." in response.text
    assert [e.original_name for e in Evidence.objects.all()] == ["better.png"]
    assert "student work.jpg" not in response.text and "better.png" in response.text


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", "image/png"),
            "PDF, PNG, JPEG or Word",
        ),
        (SimpleUploadedFile("empty.pdf", b"", "application/pdf"), "That file is empty"),
        (
            SimpleUploadedFile("huge.pdf", factories.pdf_bytes() + b"0" * (10 * 1024 * 1024)),
            "larger than 10 MB",
        ),
    ],
    ids=["html disguised as png", "empty", "over 10 MB"],
)
def test_bad_files_are_refused_with_a_friendly_message(
    teacher_client, module, enrolled, upload, message
):
    response = teacher_client.post(upload_url(module), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert message in response.text
    assert not Evidence.objects.exists()


def test_posting_no_file_says_so(teacher_client, module, enrolled):
    response = teacher_client.post(upload_url(module), {}, follow=True)
    assert "Choose a file first." in response.text


def test_a_teacher_not_enrolled_cannot_add_evidence(teacher, teacher_client, module):
    assert teacher_client.post(upload_url(module), {"file": photo()}).status_code == 404
    with pytest.raises(services.FollowUpError, match="Enrol in this course"):
        services.add_module_evidence(user=teacher, module=module, upload=photo())
    assert not Evidence.objects.exists()


def test_a_module_that_does_not_ask_has_no_form_and_refuses_uploads(
    teacher_client, course, enrolled
):
    plain = factories.modules_of(course)[1]
    assert "Evidence of practice" not in teacher_client.get(plain.url).text
    assert teacher_client.post(upload_url(plain), {"file": photo()}).status_code == 404


def test_a_module_keeps_at_most_five_files(teacher, module, enrolled):
    for _ in range(services.MAX_EVIDENCE_FILES):
        services.add_module_evidence(user=teacher, module=module, upload=photo())
    with pytest.raises(services.FollowUpError, match="up to 5 files"):
        services.add_module_evidence(user=teacher, module=module, upload=photo())


def test_a_row_belongs_to_a_follow_up_or_a_module_never_both_or_neither(teacher, module):
    with pytest.raises(IntegrityError):
        Evidence.objects.create(
            user=teacher, original_name="x.png", content_type="image/png", extension="png", size=1
        )


@pytest.fixture
def uploaded(teacher, module, enrolled):
    return services.add_module_evidence(user=teacher, module=module, upload=photo())


def test_her_coach_sees_and_downloads_it_beside_her_reflections(teacher, uploaded, module):
    coach = factories.coach()
    cohort = coaching.create_cohort(coach=coach, name="Spring")
    factories.invited_and_accepted(cohort=cohort, coach=coach, teacher=teacher)
    client = factories.Client()
    client.force_login(coach)
    page = client.get(reverse("coaching:teacher_reflections", args=[teacher.pk])).text
    assert "Evidence from practice tasks" in page
    assert "student work.jpg" in page and module.title in page
    download = reverse("followups:evidence_file", args=[uploaded.pk])
    assert download in page
    assert client.get(download).status_code == 200


@pytest.mark.parametrize("viewer", ["another teacher", "another cohort's coach", "anonymous"])
def test_everyone_else_gets_a_404(teacher, uploaded, viewer):
    client = factories.Client()
    if viewer == "another teacher":
        client.force_login(factories.teacher())
    elif viewer == "another cohort's coach":
        other = factories.coach()
        cohort = coaching.create_cohort(coach=other, name="Elsewhere")
        factories.invited_and_accepted(cohort=cohort, coach=other, teacher=factories.teacher())
        client.force_login(other)
    assert client.get(reverse("followups:evidence_file", args=[uploaded.pk])).status_code == 404
    response = client.post(reverse("followups:remove_evidence", args=[uploaded.pk]))
    assert response.status_code in (302, 404)  # anonymous: to sign in
    assert Evidence.objects.filter(pk=uploaded.pk).exists()


def test_closing_the_account_erases_module_files_too(teacher, uploaded, committed):
    name, storage = uploaded.file.name, uploaded.file.storage
    assert storage.exists(name)
    with committed():
        assert services.erase_evidence_files(user=teacher) == 1
    assert not storage.exists(name)

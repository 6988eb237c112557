import re

import pytest

from followups.models import Evidence
from modules import services as modules
from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, check_accessibility
from tests.browser.test_coaching_journey import sign_in, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_teacher_adds_evidence_on_a_module_and_her_coach_downloads_it(
    page, phone, equity_course, coach_and_teacher, tmp_path
):
    course = equity_course
    coach, teacher = coach_and_teacher
    module = factories.ask_for_evidence(factories.modules_of(course)[0])
    modules.enroll(user=teacher, course=course)
    photo = tmp_path / "exit-tickets.jpg"
    photo.write_bytes(factories.jpeg_bytes(exif_location=True))
    disguised = tmp_path / "worksheet.png"
    disguised.write_bytes(b"<html><body><script>alert(1)</script></body></html>")

    # On a phone, the teacher opens the module, tries a disguised file, then her photo.
    sign_in(phone, teacher.email)
    phone.goto(module.url)
    phone.get_by_role("heading", name="Evidence of practice").scroll_into_view_if_needed()
    check_accessibility(phone, "module-evidence-01-phone-form")
    upload = phone.get_by_label("Add a file (PDF, PNG, JPEG or DOCX, up to 10 MB)")
    upload.set_input_files(str(disguised))
    phone.get_by_role("button", name="Add this file").click()
    assert phone.get_by_text(re.compile(r"We can only keep PDF, PNG, JPEG")).is_visible()
    check_accessibility(phone, "module-evidence-02-phone-refused")
    upload.set_input_files(str(photo))
    phone.get_by_role("button", name="Add this file").click()
    assert phone.get_by_text("File added.").is_visible()
    assert phone.get_by_role("link", name="exit-tickets.jpg").is_visible()
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "module-evidence-03-phone-added")
    sign_out(phone)
    assert Evidence.objects.get().module_id == module.pk

    # The coach finds it beside the teacher's reflections and downloads it.
    sign_in(page, coach.email)
    page.goto(f"/coach/teachers/{teacher.pk}/reflections/")
    assert page.get_by_role("heading", name="Evidence from practice tasks").is_visible()
    check_accessibility(page, "module-evidence-04-coach")
    with page.expect_download() as download:
        page.get_by_role("link", name="exit-tickets.jpg").click()
    assert download.value.suggested_filename == "exit-tickets.jpg"
    assert download.value.path().read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG, as stored

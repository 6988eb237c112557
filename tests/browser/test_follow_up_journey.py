import re

import pytest

from followups.models import FollowUp
from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, check_accessibility
from tests.browser.test_coaching_journey import sign_in, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_teacher_answers_a_follow_up_with_a_photo_and_the_coach_reviews_it(
    page, phone, equity_course, coach_and_teacher, tmp_path
):
    course = equity_course
    coach, teacher = coach_and_teacher
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=15)
    photo = tmp_path / "student-work.png"
    photo.write_bytes(factories.png_bytes(exif_location=True, size=(300, 200)))

    # The teacher finds the follow-up on My learning and answers it.
    sign_in(page, teacher.email)
    check_accessibility(page, "follow-up-01-dashboard")
    page.get_by_role("link", name=re.compile(r"^Answer now")).click()
    page.get_by_label("What did you try in your classroom?").fill("Name sticks and wait time.")
    page.get_by_label("What happened with your students?").fill("Eleven students explained.")
    check_accessibility(page, "follow-up-02-form")
    page.get_by_label("Add a file (PDF, PNG, JPEG or DOCX, up to 10 MB)").set_input_files(
        str(photo)
    )
    page.get_by_role("button", name="Add this file").click()
    assert page.get_by_text("File added and draft saved.").is_visible()
    assert page.get_by_role("link", name="student-work.png").is_visible()
    # The third answer was left empty: the page says so beside it and keeps the others.
    page.get_by_role("button", name="Submit my follow-up").click()
    assert page.get_by_text("Write a few words here.").is_visible()
    assert page.get_by_label("What did you try in your classroom?").input_value() == (
        "Name sticks and wait time."
    )
    check_accessibility(page, "follow-up-03-error")
    page.get_by_label("What will you change next time?").fill("Shorter partner talk.")
    page.get_by_role("button", name="Submit my follow-up").click()
    assert page.get_by_text("Your follow-up is submitted").is_visible()
    check_accessibility(page, "follow-up-04-submitted")
    sign_out(page)

    # The coach reads it beside the reflections, with the photo, and marks it.
    sign_in(page, coach.email)
    page.goto(f"/coach/teachers/{teacher.pk}/reflections/")
    assert page.get_by_text("Eleven students explained.").is_visible()
    assert page.get_by_role("link", name="student-work.png").is_visible()
    check_accessibility(page, "follow-up-05-coach-review")
    page.get_by_label("Adapted").check()
    page.get_by_label("Feedback for the teacher (optional)").fill("Eleven voices is real change.")
    page.get_by_role("button", name=re.compile(r"^Send review")).click()
    assert page.get_by_text("Review sent to the teacher.").is_visible()
    assert FollowUp.objects.get(pk=first.pk).reviews.get().rubric == "adapted"
    sign_out(page)

    # On a phone, the teacher reads the coach's mark.
    sign_in(phone, teacher.email)
    phone.goto(f"/follow-up/{first.pk}/")
    assert phone.get_by_text("Eleven voices is real change.").is_visible()
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "follow-up-06-phone")

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certificates.models import Certificate, CreditRequest
from followups import services
from followups.models import FollowUp
from modules import services as progress
from modules.models import Enrollment
from tests import factories

pytestmark = pytest.mark.django_db

ANSWERS = ["I tried wait time.", "More hands went up.", "I will cold-call less."]


def test_completing_a_course_schedules_its_follow_ups_at_14_and_42_days(course, teacher, committed):
    with committed():  # the completion signal is sent once the completion is committed
        enrollment = factories.completed_enrollment(course, user=teacher)
    completed_on = timezone.localdate(enrollment.completed_at)
    rows = list(FollowUp.objects.filter(user=teacher).order_by("step"))
    assert [(r.step, r.due_on - completed_on) for r in rows] == [
        (1, datetime.timedelta(days=14)),
        (2, datetime.timedelta(days=42)),
    ]
    assert rows[0].prompts == [
        "What did you try in your classroom?",
        "What happened with your students?",
        "What will you change next time?",
    ]


def test_scheduling_twice_creates_nothing_more(course, teacher):
    first = factories.follow_ups_after_completion(course, teacher)
    again = services.schedule_follow_ups(enrollment=first[0].enrollment)
    assert [f.pk for f in again] == [f.pk for f in first]


def test_an_authors_days_and_prompts_are_copied_when_scheduled(course, teacher):
    course.follow_ups = [
        {
            "type": "follow_up",
            "value": {
                "days_after": 7,
                "prompts": ["Which routine did you try?"],
                "evidence": "required",
            },
        }
    ]
    course.save_revision().publish()
    (only,) = factories.follow_ups_after_completion(course, teacher)
    assert (only.days_after, only.prompts, only.evidence_mode) == (
        7,
        ["Which routine did you try?"],
        "required",
    )


def test_a_course_never_completed_gets_no_follow_up(course, teacher):
    enrollment = progress.enroll(user=teacher, course=course)
    with pytest.raises(services.FollowUpError, match="once the course is complete"):
        services.schedule_follow_ups(enrollment=enrollment)
    assert not FollowUp.objects.exists()


def test_a_follow_up_whose_completion_was_undone_cannot_be_answered(course, teacher):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=20)
    Enrollment.objects.filter(pk=first.enrollment_id).update(completed_at=None)
    first.refresh_from_db()
    with pytest.raises(services.FollowUpError, match="not completed"):
        services.submit_follow_up(user=teacher, follow_up=first, answers=ANSWERS)
    first.refresh_from_db()
    assert first.submitted_at is None


def test_a_follow_up_opens_on_its_due_date(course, teacher):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=3)
    with pytest.raises(services.FollowUpError, match="opens on"):
        services.submit_follow_up(user=teacher, follow_up=first, answers=ANSWERS)


def test_submitting_sanitises_the_answers_and_clears_the_draft(course, teacher):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=15)
    services.save_draft(user=teacher, follow_up=first, answers=["<b>half</b>"])
    first.refresh_from_db()
    assert first.draft == ["<b>half</b>"]  # as typed: shown again only inside a textarea
    services.submit_follow_up(
        user=teacher, follow_up=first, answers=["<script>alert(1)</script>Wait time", *ANSWERS[1:]]
    )
    first.refresh_from_db()
    assert "<script>" not in first.answers[0]
    assert "&lt;script&gt;" in first.answers[0]
    assert first.draft == []


def test_answering_twice_keeps_the_first_answers(course, teacher):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=15)
    services.submit_follow_up(user=teacher, follow_up=first, answers=ANSWERS)
    with pytest.raises(services.FollowUpError, match="already submitted"):
        services.submit_follow_up(user=teacher, follow_up=first, answers=["x" * 10] * 3)
    first.refresh_from_db()
    assert first.answers == ANSWERS
    # The database agrees: the update that submits matches only an unsubmitted row.
    assert FollowUp.objects.filter(pk=first.pk, submitted_at__isnull=True).count() == 0


def test_empty_answers_are_marked_one_by_one(course, teacher):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=15)
    with pytest.raises(services.FollowUpError) as caught:
        services.submit_follow_up(user=teacher, follow_up=first, answers=["Tried it", "", " "])
    assert sorted(caught.value.errors) == [1, 2]


def test_a_required_file_must_be_added_before_submitting(course, teacher):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=15)
    FollowUp.objects.filter(pk=first.pk).update(evidence_mode="required")
    first.refresh_from_db()
    with pytest.raises(services.FollowUpError) as caught:
        services.submit_follow_up(user=teacher, follow_up=first, answers=ANSWERS)
    assert -1 in caught.value.errors
    services.add_evidence(
        user=teacher,
        follow_up=first,
        upload=SimpleUploadedFile("plan.pdf", factories.pdf_bytes(), "application/pdf"),
    )
    services.submit_follow_up(user=teacher, follow_up=first, answers=ANSWERS)


def test_an_upload_is_named_and_typed_by_its_content(course, teacher):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=15)
    evidence = services.add_evidence(
        user=teacher,
        follow_up=first,
        upload=SimpleUploadedFile("../../etc/photo.pdf", factories.png_bytes(), "application/pdf"),
    )
    assert (evidence.original_name, evidence.content_type) == ("photo.png", "image/png")
    assert evidence.file.name.startswith("evidence/") and "photo" not in evidence.file.name


def test_another_teacher_cannot_attach_or_submit(course, teacher):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=15)
    intruder = factories.teacher()
    with pytest.raises(services.FollowUpError):
        services.submit_follow_up(user=intruder, follow_up=first, answers=ANSWERS)
    with pytest.raises(services.FollowUpError):
        services.add_evidence(
            user=intruder,
            follow_up=first,
            upload=SimpleUploadedFile("a.png", factories.png_bytes(), "image/png"),
        )


def test_credit_waits_for_the_first_follow_up_when_the_course_says_so(course, teacher, committed):
    course.credit_requires_follow_up = True
    course.save_revision().publish()
    teacher.full_name = "Tess Teacher"
    teacher.save()
    with committed():
        enrollment = factories.completed_enrollment(course, user=teacher)
    assert not Certificate.objects.filter(enrollment=enrollment).exists()
    first = FollowUp.objects.get(enrollment=enrollment, step=1)
    FollowUp.objects.filter(pk=first.pk).update(due_on=timezone.localdate())
    with committed():
        services.submit_follow_up(user=teacher, follow_up=first, answers=ANSWERS)
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_with_approval_the_submitted_follow_up_sends_the_completion_to_the_queue(
    course, teacher, committed
):
    course.credit_requires_follow_up = True
    course.requires_approval = True
    course.save_revision().publish()
    with committed():
        enrollment = factories.completed_enrollment(course, user=teacher)
    assert not CreditRequest.objects.exists()
    first = FollowUp.objects.get(enrollment=enrollment, step=1)
    FollowUp.objects.filter(pk=first.pk).update(due_on=timezone.localdate())
    with committed():
        services.submit_follow_up(user=teacher, follow_up=first, answers=ANSWERS)
    assert CreditRequest.objects.get().enrollment == enrollment

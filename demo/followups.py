"""The demo teacher back in the classroom: the starter course's first follow-up answered
with a photo of student work and the coach's review, the second one due today."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from followups import services as followups
from followups.enums import Rubric
from followups.models import FollowUp
from followups.reviews import review_follow_up
from modules.models import CoursePage, Enrollment

DEMO_FOLLOW_UP_ANSWERS = [
    "I used name sticks and a five-second wait in every math lesson for two weeks, and let "
    "students try each question with a partner before anyone answered aloud.",
    "Eleven different students explained their thinking on Friday, up from four. Two of my "
    "quieter English learners answered after rehearsing with a partner first.",
    "I will keep the partner rehearsal but shorten it, and start tracking who I call on in "
    "reading too.",
]
DEMO_REVIEW = (
    "Eleven voices instead of four is real change. Keep the tally going in reading so you can "
    "see whether the partner rehearsal helps there as well."
)
# The demo teacher "completed" the starter course this many days ago, so that the 14-day
# follow-up has been answered and the 42-day one is due today.
DEMO_DAYS_SINCE_COMPLETION = 42


def _student_work_photo() -> bytes:
    """A picture standing in for a photo of a class tally sheet."""
    image = Image.new("RGB", (640, 420), (252, 250, 240))
    draw = ImageDraw.Draw(image)
    draw.text((30, 24), "Who explained their thinking? Week 2", fill=(20, 20, 20))
    for row in range(12):
        y = 70 + row * 28
        draw.line((30, y, 610, y), fill=(160, 180, 210))
        draw.text((36, y + 6), f"Student {row + 1}", fill=(40, 40, 40))
        draw.text((200, y + 6), "|" * ((row * 7) % 5 + 1), fill=(200, 60, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def seed_follow_ups(course: CoursePage, accounts: dict) -> None:
    teacher = accounts["teacher@example.com"]
    coach = accounts["coach@example.com"]
    enrollment = Enrollment.objects.filter(user=teacher, course=course).first()
    if enrollment is None or enrollment.completed_at is None:
        return
    if not FollowUp.objects.filter(enrollment=enrollment).exists():
        # Demo data only: date the completion back so the follow-ups have fallen due (the
        # site itself never moves a completion date).
        Enrollment.objects.filter(pk=enrollment.pk).update(
            completed_at=timezone.now() - datetime.timedelta(days=DEMO_DAYS_SINCE_COMPLETION)
        )
        enrollment.refresh_from_db()
    rows = followups.schedule_follow_ups(enrollment=enrollment)
    if not rows:
        return
    first = rows[0]
    if first.submitted_at is None:
        if not first.evidence.exists():
            followups.add_evidence(
                user=teacher,
                follow_up=first,
                upload=SimpleUploadedFile(
                    "name-stick-tally.jpg", _student_work_photo(), "image/jpeg"
                ),
            )
        first = followups.submit_follow_up(
            user=teacher, follow_up=first, answers=DEMO_FOLLOW_UP_ANSWERS
        )
    if not first.reviews.exists():
        review_follow_up(coach=coach, follow_up=first, rubric=Rubric.ADAPTED, body=DEMO_REVIEW)

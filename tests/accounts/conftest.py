import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from coaching import feedback as coaching_feedback
from coaching import services as coaching
from followups import reviews
from followups import services as followups
from followups.models import FollowUp
from tests import factories

REFLECTION = '=HYPERLINK("http://evil.example") My questions went to the same students.'


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # Sign-in and code limits count in the cache; each test starts with none used.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def history(course):
    """A teacher with a bit of everything: a course done, a reflection with coach feedback
    and her reply, a certificate, a cohort."""
    tess = factories.teacher(full_name="Tess Teacher", email="tess@example.org")
    ana = factories.coach(full_name="Ana Coach")
    cohort = coaching.create_cohort(coach=ana, name="Cohort A")
    assignment = coaching.assign_course(
        cohort=cohort, course=course, due_on=datetime.date.today(), assigned_by=ana
    )
    factories.invited_and_accepted(cohort=cohort, coach=ana, teacher=tess)
    module = course.get_children().first().specific
    answer = factories.reflection(user=tess, module=module, text=REFLECTION)
    feedback = coaching_feedback.leave_feedback(
        coach=ana, answer=answer, kind="strength", body="Lovely noticing."
    )
    coaching_feedback.reply_to_feedback(author=tess, feedback=feedback, body="Thank you!")
    certificate = factories.certificate(course, user=tess)
    return {
        "tess": tess,
        "ana": ana,
        "cohort": cohort,
        "assignment": assignment,
        "answer": answer,
        "certificate": certificate,
        "course": course,
    }


@pytest.fixture
def follow_up_with_evidence(history):
    """Tess's first follow-up after the course: submitted, a photo attached, Ana's mark."""
    follow_up = followups.schedule_follow_ups(enrollment=history["certificate"].enrollment)[0]
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=datetime.date.today())
    follow_up.refresh_from_db()
    evidence = followups.add_evidence(
        user=history["tess"],
        follow_up=follow_up,
        upload=SimpleUploadedFile("fourth period.png", factories.png_bytes(), "image/png"),
    )
    answers = ["I waited longer after questions."] * len(follow_up.prompts)
    follow_up = followups.submit_follow_up(
        user=history["tess"], follow_up=follow_up, answers=answers
    )
    review = reviews.review_follow_up(
        coach=history["ana"], follow_up=follow_up, rubric="as_planned", body="Strong start."
    )
    return {"follow_up": follow_up, "evidence": evidence, "review": review}

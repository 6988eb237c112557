import datetime

import pytest
from django.core import mail

from coaching import feedback as coaching_feedback
from coaching import services
from coaching.enums import FeedbackKind
from coaching.models import Feedback
from tests import factories

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = datetime.date.today() + datetime.timedelta(days=14)


@pytest.fixture
def assigned(coach, course, teacher):
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    services.assign_course(cohort=cohort, course=course, due_on=IN_TWO_WEEKS, assigned_by=coach)
    module = course.get_children().first().specific
    return factories.reflection(user=teacher, module=module)


def test_feedback_is_sanitised_and_emailed_to_the_teacher(coach, teacher, assigned, committed):
    with committed():
        feedback = coaching_feedback.leave_feedback(
            coach=coach,
            answer=assigned,
            kind=FeedbackKind.STRENGTH,
            body="Great noticing! <script>alert(1)</script>",
        )
    assert "<script>" not in feedback.body
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    assert "Great noticing!" in mail.outbox[0].body
    assert "http://testserver/reflections/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_coach_cannot_comment_on_another_coachs_teacher(other_coach, coach, assigned):
    factories.cohort(coaches=[other_coach], members=[factories.teacher()])
    with pytest.raises(services.CoachingError):
        coaching_feedback.leave_feedback(
            coach=other_coach, answer=assigned, kind=FeedbackKind.QUESTION, body="Why?"
        )
    assert not Feedback.objects.exists()


def test_empty_feedback_is_refused(coach, assigned):
    with pytest.raises(services.CoachingError):
        coaching_feedback.leave_feedback(coach=coach, answer=assigned, kind="strength", body="   ")


def test_the_teacher_can_reply_once_and_the_coach_hears_of_it(coach, teacher, assigned, committed):
    feedback = coaching_feedback.leave_feedback(
        coach=coach, answer=assigned, kind=FeedbackKind.QUESTION, body="What did you try next?"
    )
    with committed():
        coaching_feedback.reply_to_feedback(author=teacher, feedback=feedback, body="Cold calling.")
    with pytest.raises(services.CoachingError):
        coaching_feedback.reply_to_feedback(author=teacher, feedback=feedback, body="And more.")
    assert mail.outbox[-1].to == [coach.email]
    assert "Cold calling." in mail.outbox[-1].body


def test_nobody_else_can_reply(coach, assigned):
    feedback = coaching_feedback.leave_feedback(
        coach=coach, answer=assigned, kind=FeedbackKind.QUESTION, body="What next?"
    )
    with pytest.raises(services.CoachingError):
        coaching_feedback.reply_to_feedback(
            author=factories.teacher(), feedback=feedback, body="Me!"
        )
